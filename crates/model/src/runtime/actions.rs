//! The standard actions that run as one step: reading a step's inputs, the variable, flow
//! (Wait, Stop flow), message box and HTTP actions here; text, data and datetime actions in
//! their own modules. Each returns its outputs, or what it must ask the host first.

use super::compile::{Builtin, StepInfo};
use super::eval::{quote, Env, Vars};
use super::host::{HttpRequest, HttpResponse, InputRequest, Message, Need};
use super::machine::{Failure, Outcome, Resume};
use super::value::{as_integer, format_number, parse_number, Record, Value};
use super::{data, text};

/// What an action did.
pub(crate) enum Effect {
    /// Values of its outputs, by output name.
    Outputs(Vec<(&'static str, Value)>),
    /// It needs the host first; the answer finishes it.
    Ask(Need, Resume),
    /// It ends the run.
    Stop(Outcome),
}

/// What an action may touch.
pub(crate) struct Ctx<'a> {
    pub info: &'a StepInfo,
    pub vars: &'a mut Vars,
    pub rng: &'a mut u64,
    pub case: fn(&str, bool) -> String,
}

impl Ctx<'_> {
    pub fn env(&self) -> Env<'_> {
        Env {
            vars: self.vars,
            case: self.case,
        }
    }
    #[inline(never)]
    pub fn input(&self, name: &str) -> Result<Value, String> {
        input(self.info, name, self.env())
    }
    #[inline(never)]
    pub fn text(&self, name: &str) -> Result<String, String> {
        Ok(self.input(name)?.to_text())
    }
    #[inline(never)]
    pub fn number(&self, name: &str) -> Result<f64, String> {
        number(self.info, name, self.env())
    }
    /// A whole number in `0..=max`.
    #[inline(never)]
    pub fn count(&self, name: &str, max: u32) -> Result<u32, String> {
        let n = self.number(name)?;
        match as_integer(n) {
            Some(i) if (0..=i64::from(max)).contains(&i) => Ok(i as u32),
            _ => Err(format!(
                "\"{}\" must be a whole number from 0 to {max}, not {}",
                label(self.info, name),
                quote(&Value::Number(n))
            )),
        }
    }
    #[inline(never)]
    pub fn boolean(&self, name: &str) -> Result<bool, String> {
        let v = self.input(name)?;
        match v {
            Value::Null => Ok(false),
            Value::Text(ref t) if t.is_empty() => Ok(false),
            _ => v.as_bool().ok_or_else(|| {
                format!(
                    "\"{}\" is {}, not True or False",
                    label(self.info, name),
                    quote(&v)
                )
            }),
        }
    }
    /// A variable-name input (written without `%`).
    #[inline(never)]
    pub fn var_name(&self, name: &str) -> Result<String, String> {
        let v = self.text(name)?;
        if v.is_empty() {
            return Err(format!("\"{}\" names no variable", label(self.info, name)));
        }
        Ok(v)
    }
    /// The list in the variable an input names, to change in place.
    #[inline(never)]
    pub fn list_var(&mut self, name: &str) -> Result<&mut Vec<Value>, String> {
        let var = self.var_name(name)?;
        match self.vars.get_mut(&var) {
            Some(Value::List(items)) => Ok(items),
            Some(other) => Err(format!("{var} is {}, not a list", other.type_name())),
            None => Err(format!("the variable {var} has no value yet")),
        }
    }
    /// The next pseudo-random number (xorshift64*: seeded by the host, so runs can repeat).
    pub fn random(&mut self) -> u64 {
        let mut x = *self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The label of input `name` (its name when the catalog has none).
fn label<'a>(info: &'a StepInfo, name: &'a str) -> &'a str {
    info.inputs
        .iter()
        .find(|i| i.name == name)
        .map_or(name, |i| i.label.as_str())
}

/// The value of input `name`; an input left empty is `Value::Null`.
#[inline(never)]
pub(crate) fn input(info: &StepInfo, name: &str, env: Env<'_>) -> Result<Value, String> {
    match info.inputs.iter().find(|i| i.name == name) {
        Some(i) if i.template.is_empty() => Ok(Value::Null),
        Some(i) => i
            .template
            .eval(env)
            .map_err(|m| format!("\"{}\": {m}", i.label)),
        None => Ok(Value::Null),
    }
}

/// The number input `name` holds.
#[inline(never)]
pub(crate) fn number(info: &StepInfo, name: &str, env: Env<'_>) -> Result<f64, String> {
    let v = input(info, name, env)?;
    v.as_number().ok_or_else(|| match v {
        Value::Null => format!("\"{}\" is empty, not a number", label(info, name)),
        _ => format!(
            "\"{}\" is {} ({}), not a number",
            label(info, name),
            quote(&v),
            v.type_name()
        ),
    })
}

/// A finite result, or the error that it is not.
pub(crate) fn finite(n: f64) -> Result<Value, String> {
    if n.is_finite() {
        Ok(Value::Number(n))
    } else {
        Err("the result is too large for a number".into())
    }
}

/// Run one standard action.
pub(crate) fn run(action: Builtin, ctx: &mut Ctx<'_>) -> Result<Effect, String> {
    use Builtin as B;
    let out = |name: &'static str, v: Value| Ok(Effect::Outputs(vec![(name, v)]));
    match action {
        B::SetVariable => {
            let mut v = ctx.input("value")?;
            // A literal number is a number, as Power Automate for desktop reads "5".
            let literal = ctx
                .info
                .inputs
                .iter()
                .any(|i| i.name == "value" && i.template.is_literal());
            if let (true, Value::Text(t)) = (literal, &v) {
                if let Some(n) = parse_number(t) {
                    v = Value::Number(n);
                }
            }
            out("variable", v)
        }
        B::Increase | B::Decrease => {
            let var = ctx.var_name("variable")?;
            let by = ctx.number("amount")?;
            let by = if action == B::Increase { by } else { -by };
            let current = match ctx.vars.get(&var) {
                None => return Err(format!("the variable {var} has no value yet")),
                Some(v) => v.as_number().ok_or_else(|| {
                    format!("{var} is {} ({}), not a number", quote(v), v.type_name())
                })?,
            };
            let new = finite(current + by)?;
            ctx.vars.insert(var, new);
            Ok(Effect::Outputs(Vec::new()))
        }
        B::Truncate => {
            let n = ctx.number("number")?;
            let r = match ctx.text("operation")?.as_str() {
                "Get decimal part" => n.fract(),
                "Round number" => {
                    let scale = 10f64.powi(ctx.count("decimals", 15)? as i32);
                    (n * scale).round() / scale
                }
                _ => n.trunc(),
            };
            out("result", finite(r)?)
        }
        B::Random => {
            let (min, max) = (ctx.number("min")?, ctx.number("max")?);
            let (Some(lo), Some(hi)) = (as_integer(min), as_integer(max)) else {
                return Err("the minimum and maximum must be whole numbers".into());
            };
            if lo > hi {
                return Err(format!("the minimum {lo} is greater than the maximum {hi}"));
            }
            let span = (hi - lo) as u64 + 1;
            let n = if ctx.boolean("multiple")? {
                Some(ctx.count("count", 10_000)?)
            } else {
                None
            };
            let mut one = || Value::Number((lo + (ctx.random() % span) as i64) as f64);
            match n {
                Some(n) => out("result", Value::List((0..n).map(|_| one()).collect())),
                None => out("result", one()),
            }
        }
        B::Wait => {
            let secs = ctx.number("seconds")?;
            if !(0.0..=86_400.0 * 365.0).contains(&secs) {
                return Err(format!("cannot wait {} seconds", format_number(secs)));
            }
            let ms = (secs * 1000.0).round() as u64;
            if ms == 0 {
                return Ok(Effect::Outputs(Vec::new()));
            }
            Ok(Effect::Ask(Need::Wait { ms }, Resume::Wait))
        }
        B::Stop => Ok(Effect::Stop(match ctx.text("end")?.as_str() {
            "With error message" => Outcome::Failed(Failure {
                step: Some(ctx.info.id),
                path: ctx.info.path.clone(),
                message: format!("{}: {}", ctx.info.name, ctx.text("message")?),
            }),
            _ => Outcome::Succeeded,
        })),
        B::Display => {
            let buttons = ctx.text("buttons")?;
            let buttons = if buttons.is_empty() {
                "OK".to_string()
            } else {
                buttons
            };
            Ok(Effect::Ask(
                Need::Message(Message {
                    step: ctx.info.id,
                    title: ctx.text("title")?,
                    message: ctx.text("message")?,
                    icon: ctx.text("icon")?,
                    buttons: buttons.split(" - ").map(String::from).collect(),
                }),
                Resume::Message,
            ))
        }
        B::Input => Ok(Effect::Ask(
            Need::Input(InputRequest {
                step: ctx.info.id,
                title: ctx.text("title")?,
                message: ctx.text("message")?,
                default: ctx.text("default")?,
                input_type: ctx.text("input_type")?,
            }),
            Resume::Input,
        )),
        B::Now => Ok(Effect::Ask(
            Need::Now,
            Resume::Now {
                date_only: ctx.text("retrieve")? == "Current date only",
            },
        )),
        B::Http => http_request(ctx),
        _ => text::run(action, ctx)
            .or_else(|| data::run(action, ctx))
            .unwrap_or_else(|| Err("this action cannot run here".into())),
    }
}

/// Invoke web service: the request the host sends.
fn http_request(ctx: &Ctx<'_>) -> Result<Effect, String> {
    let url = ctx.text("url")?;
    if url.trim().is_empty() {
        return Err("\"URL\" is empty".into());
    }
    let mut headers = Vec::new();
    for (name, header) in [("Accept", "accept"), ("Content-Type", "content_type")] {
        let v = ctx.text(header)?;
        if !v.is_empty() {
            headers.push((name.to_string(), v));
        }
    }
    for (n, line) in ctx.text("headers")?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "\"Custom headers\", line {}: \"{line}\" is not Name: value",
                n + 1
            ));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let timeout = ctx.number("timeout")?;
    let method = ctx.text("method")?;
    Ok(Effect::Ask(
        Need::Http(HttpRequest {
            step: ctx.info.id,
            method: if method.is_empty() {
                "GET".into()
            } else {
                method
            },
            url,
            headers,
            body: ctx.text("body")?,
            timeout_secs: timeout.clamp(1.0, 3600.0) as u32,
        }),
        Resume::Http {
            fail_on_error: ctx.boolean("fail_on_error")?,
        },
    ))
}

/// Invoke web service's outputs from the response (an error status fails it when asked to).
pub(crate) fn http_outputs(
    response: HttpResponse,
    fail_on_error: bool,
) -> Result<Vec<(&'static str, Value)>, String> {
    if fail_on_error && response.status >= 400 {
        return Err(format!("the server answered {}", response.status));
    }
    // Inserted one by one: collecting into a map compiles a sort per map type (wasm size).
    let mut headers = Record::new();
    for (k, v) in response.headers {
        headers.insert(k, Value::Text(v));
    }
    Ok(vec![
        ("headers", Value::Record(headers)),
        ("body", Value::Text(response.body)),
        ("status", Value::Number(f64::from(response.status))),
    ])
}
