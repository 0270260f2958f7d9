//! `%…%` expressions at run time: parsed once when a run starts (on top of `crate::expr`'s split
//! of a text into literal and `%…%` parts), then evaluated against the variables: property and
//! index access (`%Result.body.items[0].name%`), arithmetic, comparison and `and`/`or`/`not`.

use super::value::{as_integer, compare, equal, Value};
use crate::expr::{self, Part};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The variables of a run.
pub type Vars = BTreeMap<String, Value>;

/// How deep brackets and operators may nest in one expression (keeps the parser's recursion
/// far from the stack's end on hostile text).
const MAX_DEPTH: usize = 64;

/// What evaluation needs beyond the variables.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub vars: &'a Vars,
    /// Upper (true) or lower (false) case conversion, as the host provides it.
    pub case: fn(&str, bool) -> String,
}

/// An input's text, parsed.
#[derive(Clone, Debug)]
pub enum Template {
    /// Literal text only (`%%` already read as `%`).
    Text(String),
    /// Exactly one `%…%` part: its value keeps its type (a list stays a list).
    One(Node),
    /// Literal text and `%…%` parts: always a text.
    Mixed(Vec<Piece>),
}

#[derive(Clone, Debug)]
pub enum Piece {
    Text(String),
    Expr(Node),
}

/// A parsed expression.
#[derive(Clone, Debug)]
pub enum Node {
    Lit(Value),
    Var(String),
    Prop(Box<Node>, String),
    Index(Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(Bin, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Record(Vec<(String, Node)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl Template {
    /// Parse an input's text; the error says which `%…%` part is wrong and why.
    pub fn parse(text: &str) -> Result<Template, String> {
        let parts = expr::parse(text).map_err(|e| e.message)?;
        let mut pieces = Vec::with_capacity(parts.len());
        for p in parts {
            pieces.push(match p {
                Part::Literal(l) => Piece::Text(l.replace("%%", "%")),
                Part::Expr(e) => Piece::Expr(parse_expr(e).map_err(|m| format!("in %{e}%: {m}"))?),
            });
        }
        Ok(match pieces.len() {
            0 => Template::Text(String::new()),
            1 => match pieces.pop() {
                Some(Piece::Expr(n)) => Template::One(n),
                Some(Piece::Text(t)) => Template::Text(t),
                None => unreachable!("one piece"),
            },
            _ => Template::Mixed(pieces),
        })
    }

    /// The value of the text: a literal is a text, one `%…%` part keeps its value's type.
    pub fn eval(&self, env: Env<'_>) -> Result<Value, String> {
        match self {
            Template::Text(t) => Ok(Value::Text(t.clone())),
            Template::One(n) => eval(n, env).map(Cow::into_owned),
            Template::Mixed(pieces) => {
                let mut out = String::new();
                for p in pieces {
                    match p {
                        Piece::Text(t) => out.push_str(t),
                        Piece::Expr(n) => eval(n, env)?.write_text(&mut out),
                    }
                }
                Ok(Value::Text(out))
            }
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Template::Text(t) if t.is_empty())
    }

    /// Whether the text is literal only (Set variable reads a literal number as a number).
    pub fn is_literal(&self) -> bool {
        matches!(self, Template::Text(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Word(String),
    Sym(&'static str),
}

fn tokens(text: &str) -> Result<Vec<Tok>, String> {
    const SYMS: [&str; 19] = [
        "<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ".", ",", "{",
        "}", ":",
    ];
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Ok(out);
        };
        if c.is_ascii_digit() {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .unwrap_or(rest.len());
            // `List[0].Name` must not read `0.` as a number: a dot followed by a non-digit ends it.
            let mut num = &rest[..end];
            if let Some(dot) = num.find('.') {
                if !num[dot + 1..].starts_with(|ch: char| ch.is_ascii_digit()) {
                    num = &num[..dot];
                }
            }
            // An exponent: `1e3`, `2.5E-4`.
            let b = rest.as_bytes();
            let mut len = num.len();
            if len == end && matches!(b.get(len), Some(b'e' | b'E')) {
                let sign = usize::from(matches!(b.get(len + 1), Some(b'+' | b'-')));
                let digits = b[len + 1 + sign..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits > 0 {
                    len += 1 + sign + digits;
                }
            }
            let num = &rest[..len];
            let n =
                super::value::parse_number(num).ok_or_else(|| format!("{num} is not a number"))?;
            out.push(Tok::Num(n));
            rest = &rest[num.len()..];
        } else if c == '\'' || c == '"' {
            let mut s = String::new();
            let mut chars = rest[1..].char_indices();
            let mut end = None;
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '\\' => match chars.next() {
                        Some((_, e)) => s.push(e),
                        None => break,
                    },
                    _ if ch == c => {
                        end = Some(i + 2);
                        break;
                    }
                    _ => s.push(ch),
                }
            }
            let end = end.ok_or("a quoted text is never closed")?;
            out.push(Tok::Str(s));
            rest = &rest[end..];
        } else if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            out.push(Tok::Word(rest[..end].to_string()));
            rest = &rest[end..];
        } else if let Some(sym) = SYMS.iter().find(|s| rest.starts_with(**s)) {
            out.push(Tok::Sym(sym));
            rest = &rest[sym.len()..];
        } else {
            return Err(format!("\"{c}\" is not allowed here"));
        }
    }
}

/// Parse the inside of a `%…%` part.
pub fn parse_expr(text: &str) -> Result<Node, String> {
    let mut p = Parser {
        toks: tokens(text)?,
        at: 0,
        depth: 0,
    };
    let node = p.or()?;
    match p.toks.get(p.at) {
        None => Ok(node),
        Some(t) => Err(format!("{} is not expected here", show(t))),
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Num(n) => super::value::format_number(*n),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Word(w) => w.clone(),
        Tok::Sym(s) => format!("\"{s}\""),
    }
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn eat_sym(&mut self, sym: &str) -> bool {
        let hit = matches!(self.toks.get(self.at), Some(Tok::Sym(s)) if *s == sym);
        self.at += usize::from(hit);
        hit
    }

    fn eat_word(&mut self, words: &[&str]) -> bool {
        let hit =
            matches!(self.toks.get(self.at), Some(Tok::Word(w)) if words.contains(&w.as_str()));
        self.at += usize::from(hit);
        hit
    }

    fn expect(&mut self, sym: &'static str) -> Result<(), String> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            Err(match self.toks.get(self.at) {
                Some(t) => format!("expected \"{sym}\" but found {}", show(t)),
                None => format!("expected \"{sym}\" at the end"),
            })
        }
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression nests deeper than {MAX_DEPTH} levels"
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Node, String> {
        self.deeper()?;
        let mut left = self.and()?;
        while self.eat_word(&["or", "OR"]) {
            left = Node::Bin(Bin::Or, Box::new(left), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut left = self.not()?;
        while self.eat_word(&["and", "AND"]) {
            left = Node::Bin(Bin::And, Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, String> {
        if self.eat_word(&["not", "NOT"]) {
            self.deeper()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Node, String> {
        let left = self.sum()?;
        const OPS: [(&str, Bin); 6] = [
            ("=", Bin::Eq),
            ("<>", Bin::Ne),
            ("<", Bin::Lt),
            ("<=", Bin::Le),
            (">", Bin::Gt),
            (">=", Bin::Ge),
        ];
        for (sym, op) in OPS {
            if self.eat_sym(sym) {
                return Ok(Node::Bin(op, Box::new(left), Box::new(self.sum()?)));
            }
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Node, String> {
        let mut left = self.product()?;
        loop {
            let op = if self.eat_sym("+") {
                Bin::Add
            } else if self.eat_sym("-") {
                Bin::Sub
            } else {
                return Ok(left);
            };
            left = Node::Bin(op, Box::new(left), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Node, String> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                Bin::Mul
            } else if self.eat_sym("/") {
                Bin::Div
            } else if self.eat_word(&["mod"]) {
                Bin::Mod
            } else {
                return Ok(left);
            };
            left = Node::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Node, String> {
        if self.eat_sym("-") {
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Node::Neg(Box::new(inner)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Node, String> {
        let mut node = self.primary()?;
        loop {
            if self.eat_sym(".") {
                match self.toks.get(self.at) {
                    Some(Tok::Word(w)) => {
                        node = Node::Prop(Box::new(node), w.clone());
                        self.at += 1;
                    }
                    Some(t) => {
                        return Err(format!(
                            "expected a property name after \".\" but found {}",
                            show(t)
                        ))
                    }
                    None => return Err("expected a property name after \".\"".into()),
                }
            } else if self.eat_sym("[") {
                let index = self.or()?;
                self.expect("]")?;
                node = Node::Index(Box::new(node), Box::new(index));
            } else {
                return Ok(node);
            }
        }
    }

    fn primary(&mut self) -> Result<Node, String> {
        let Some(tok) = self.toks.get(self.at).cloned() else {
            return Err("the expression ends too soon".into());
        };
        self.at += 1;
        match tok {
            Tok::Num(n) => Ok(Node::Lit(Value::Number(n))),
            Tok::Str(s) => Ok(Node::Lit(Value::Text(s))),
            Tok::Word(w) if w == "True" => Ok(Node::Lit(Value::Bool(true))),
            Tok::Word(w) if w == "False" => Ok(Node::Lit(Value::Bool(false))),
            Tok::Word(w) if crate::expr::KEYWORDS.contains(&w.as_str()) => {
                Err(format!("{w} is not expected here"))
            }
            Tok::Word(w) => Ok(Node::Var(w)),
            Tok::Sym("(") => {
                let inner = self.or()?;
                self.expect(")")?;
                Ok(inner)
            }
            Tok::Sym("[") => {
                let mut items = Vec::new();
                if !self.eat_sym("]") {
                    loop {
                        items.push(self.or()?);
                        if self.eat_sym("]") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                Ok(Node::List(items))
            }
            Tok::Sym("{") => {
                let mut fields = Vec::new();
                if !self.eat_sym("}") {
                    loop {
                        let key = match self.toks.get(self.at).cloned() {
                            Some(Tok::Str(k) | Tok::Word(k)) => k,
                            Some(t) => {
                                return Err(format!(
                                    "expected a property name but found {}",
                                    show(&t)
                                ))
                            }
                            None => return Err("expected a property name at the end".into()),
                        };
                        self.at += 1;
                        self.expect(":")?;
                        fields.push((key, self.or()?));
                        if self.eat_sym("}") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                Ok(Node::Record(fields))
            }
            t => Err(format!("{} is not expected here", show(&t))),
        }
    }
}

/// Evaluate a parsed expression. Variables and their parts are borrowed, not copied.
pub fn eval<'v>(node: &'v Node, env: Env<'v>) -> Result<Cow<'v, Value>, String> {
    Ok(match node {
        Node::Lit(v) => Cow::Borrowed(v),
        Node::Var(name) => Cow::Borrowed(
            env.vars
                .get(name)
                .ok_or_else(|| format!("the variable {name} has no value yet"))?,
        ),
        Node::Prop(base, name) => match eval(base, env)? {
            Cow::Borrowed(v) => match v {
                Value::Record(r) if r.contains_key(name) => Cow::Borrowed(&r[name]),
                _ => Cow::Owned(property(v, name, env)?),
            },
            Cow::Owned(v) => Cow::Owned(match v {
                Value::Record(mut r) if r.contains_key(name) => {
                    r.remove(name).unwrap_or(Value::Null)
                }
                v => property(&v, name, env)?,
            }),
        },
        Node::Index(base, index) => {
            let i = eval(index, env)?;
            match eval(base, env)? {
                Cow::Borrowed(v) => index_ref(v, &i).map(Cow::Borrowed)?,
                Cow::Owned(v) => Cow::Owned(index_ref(&v, &i)?.clone()),
            }
        }
        Node::Neg(inner) => {
            let v = eval(inner, env)?;
            let n = v
                .as_number()
                .ok_or_else(|| format!("cannot negate {}", v.type_name()))?;
            Cow::Owned(Value::Number(-n))
        }
        Node::Not(inner) => Cow::Owned(Value::Bool(!truth(eval(inner, env)?.as_ref())?)),
        Node::Bin(op, a, b) => Cow::Owned(binary(*op, a, b, env)?),
        Node::List(items) => Cow::Owned(Value::List(
            items
                .iter()
                .map(|n| eval(n, env).map(Cow::into_owned))
                .collect::<Result<_, _>>()?,
        )),
        Node::Record(fields) => {
            let mut record = super::value::Record::new();
            for (k, n) in fields {
                record.insert(k.clone(), eval(n, env)?.into_owned());
            }
            Cow::Owned(Value::Record(record))
        }
    })
}

/// A condition's truth: a boolean, or the text `True`/`False`.
pub fn truth(v: &Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("{} is {}, not True or False", quote(v), v.type_name()))
}

/// A value as an error message quotes it (long values cut).
pub fn quote(v: &Value) -> String {
    let t = v.to_text();
    match t.char_indices().nth(40) {
        Some((cut, _)) => format!("\"{}…\"", &t[..cut]),
        None => format!("\"{t}\""),
    }
}

fn binary(op: Bin, a: &Node, b: &Node, env: Env<'_>) -> Result<Value, String> {
    let x = eval(a, env)?;
    // `and` / `or` do not evaluate their right side when the left decides.
    match op {
        Bin::And if !truth(&x)? => return Ok(Value::Bool(false)),
        Bin::Or if truth(&x)? => return Ok(Value::Bool(true)),
        Bin::And | Bin::Or => return Ok(Value::Bool(truth(eval(b, env)?.as_ref())?)),
        _ => {}
    }
    let y = eval(b, env)?;
    let (x, y) = (x.as_ref(), y.as_ref());
    let order = |ok: fn(Ordering) -> bool| -> Result<Value, String> {
        compare(x, y)
            .map(|o| Value::Bool(ok(o)))
            .ok_or_else(|| format!("cannot compare {} with {}", x.type_name(), y.type_name()))
    };
    match op {
        Bin::Eq => return Ok(Value::Bool(equal(x, y))),
        Bin::Ne => return Ok(Value::Bool(!equal(x, y))),
        Bin::Lt => return order(Ordering::is_lt),
        Bin::Le => return order(Ordering::is_le),
        Bin::Gt => return order(Ordering::is_gt),
        Bin::Ge => return order(Ordering::is_ge),
        _ => {}
    }
    if op == Bin::Add {
        match (x, y) {
            (Value::List(l), Value::List(m)) => {
                return Ok(Value::List(l.iter().chain(m).cloned().collect()))
            }
            (Value::DateTime(_), _) | (_, Value::DateTime(_)) => {
                return Err("add to a datetime with Add to datetime".into())
            }
            // Texts that are not both numbers join.
            (Value::Text(_), _) | (_, Value::Text(_))
                if x.as_number().is_none() || y.as_number().is_none() =>
            {
                let mut s = x.to_text();
                y.write_text(&mut s);
                return Ok(Value::Text(s));
            }
            _ => {}
        }
    }
    let (Some(m), Some(n)) = (x.as_number(), y.as_number()) else {
        let bad = if x.as_number().is_none() { x } else { y };
        return Err(format!(
            "{} is {}, not a number",
            quote(bad),
            bad.type_name()
        ));
    };
    let r = match op {
        Bin::Add => m + n,
        Bin::Sub => m - n,
        Bin::Mul => m * n,
        Bin::Div | Bin::Mod if n == 0.0 => return Err("division by zero".into()),
        Bin::Div => m / n,
        _ => m % n,
    };
    if r.is_finite() {
        Ok(Value::Number(r))
    } else {
        Err("the result is too large for a number".into())
    }
}

fn index_ref<'v>(base: &'v Value, index: &Value) -> Result<&'v Value, String> {
    let position = || -> Result<usize, String> {
        match index.as_number().and_then(as_integer) {
            Some(i) if i >= 0 => Ok(i as usize),
            _ => Err(format!(
                "{} is not an index (a whole number from 0)",
                quote(index)
            )),
        }
    };
    match base {
        Value::List(items) => {
            let i = position()?;
            items.get(i).ok_or_else(|| {
                format!(
                    "index {i} is outside the list, which has {} items",
                    items.len()
                )
            })
        }
        Value::Record(r) => {
            let key = index.to_text();
            r.get(&key)
                .ok_or_else(|| format!("the custom object has no property '{key}'"))
        }
        _ => Err(format!("{} cannot be indexed", base.type_name())),
    }
}

/// A property of a value that is not a custom object's own.
fn property(v: &Value, name: &str, env: Env<'_>) -> Result<Value, String> {
    let num = |n: usize| Value::Number(n as f64);
    let found = match (v, name) {
        (Value::Text(s), "Length") => Some(num(s.chars().count())),
        (Value::Text(s), "IsEmpty" | "isEmpty") => Some(Value::Bool(s.is_empty())),
        (Value::Text(s), "ToUpper") => Some(Value::Text((env.case)(s, true))),
        (Value::Text(s), "ToLower") => Some(Value::Text((env.case)(s, false))),
        (Value::Text(s), "Trimmed") => Some(Value::Text(s.trim().to_string())),
        (Value::List(l), "Count") => Some(num(l.len())),
        (Value::List(l), "IsEmpty" | "isEmpty") => Some(Value::Bool(l.is_empty())),
        (Value::DateTime(d), _) => {
            let p = d.parts();
            let n = |x: u32| Some(Value::Number(f64::from(x)));
            match name {
                "Year" => Some(Value::Number(p.year as f64)),
                "Month" => n(p.month),
                "Day" => n(p.day),
                "Hour" => n(p.hour),
                "Minute" => n(p.minute),
                "Second" => n(p.second),
                "DayOfWeek" => Some(Value::Text(d.format("dddd"))),
                "Date" => Some(Value::DateTime(d.date())),
                _ => None,
            }
        }
        _ => None,
    };
    found.ok_or_else(|| format!("{} has no property {name}", v.type_name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_eval(text: &str, vars: &Vars) -> Result<Value, String> {
        let env = Env {
            vars,
            case: |s, up| {
                if up {
                    s.to_uppercase()
                } else {
                    s.to_lowercase()
                }
            },
        };
        Template::parse(text)?.eval(env)
    }

    #[test]
    fn evaluates_paths_arithmetic_and_logic() {
        let mut vars = Vars::new();
        vars.insert(
            "Result".into(),
            Value::from_json(
                serde_json::json!({"body": {"items": [{"name": "Ada"}, {"name": "Bo"}]}}),
            ),
        );
        vars.insert("N".into(), Value::Number(4.0));
        vars.insert("T".into(), Value::Text("7".into()));
        let cases: &[(&str, Value)] = &[
            ("%Result.body.items[0].name%", Value::Text("Ada".into())),
            ("%Result.body.items[N - 3].name.Length%", Value::Number(2.0)),
            ("%Result.body.items.Count%", Value::Number(2.0)),
            (
                "%Result['body']['items'][1]['name']%",
                Value::Text("Bo".into()),
            ),
            ("%N * 2 + 1%", Value::Number(9.0)),
            ("%1.5e2 + 2E-1%", Value::Number(150.2)),
            ("%(N + 1) * 2%", Value::Number(10.0)),
            ("%T + 1%", Value::Number(8.0)),
            ("%'a' + 'b'%", Value::Text("ab".into())),
            ("%N mod 3%", Value::Number(1.0)),
            ("%-N%", Value::Number(-4.0)),
            ("%N > 3 and not (T = 8)%", Value::Bool(true)),
            ("%N = 5 or T <> '7'%", Value::Bool(false)),
            ("%[1, 'x'].Count%", Value::Number(2.0)),
            ("%{'a': N, b: 'x'}.a%", Value::Number(4.0)),
            ("N is %N%, 100%%", Value::Text("N is 4, 100%".into())),
            ("plain", Value::Text("plain".into())),
        ];
        for (text, want) in cases {
            assert_eq!(&env_eval(text, &vars).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let mut vars = Vars::new();
        vars.insert("L".into(), Value::List(vec![Value::Number(1.0)]));
        let cases = [
            ("%Missing%", "the variable Missing has no value yet"),
            ("%L[3]%", "index 3 is outside the list, which has 1 items"),
            ("%L[-1]%", "\"-1\" is not an index (a whole number from 0)"),
            ("%L + 1%", "\"[1]\" is a list, not a number"),
            ("%1 / 0%", "division by zero"),
            ("%L.Nope%", "a list has no property Nope"),
            ("%1 +%", "in %1 +%: the expression ends too soon"),
            ("%(1%", "in %(1%: expected \")\" at the end"),
            ("%a b%", "in %a b%: b is not expected here"),
            ("%'open%", "in %'open%: a quoted text is never closed"),
            ("%1 # 2%", "in %1 # 2%: \"#\" is not allowed here"),
            ("%1 and 2%", "\"1\" is a number, not True or False"),
        ];
        for (text, want) in cases {
            assert_eq!(env_eval(text, &vars).unwrap_err(), want, "{text}");
        }
        let deep = format!("%{}1{}%", "(".repeat(100), ")".repeat(100));
        assert!(env_eval(&deep, &vars)
            .unwrap_err()
            .contains("nests deeper than 64"));
    }
}
