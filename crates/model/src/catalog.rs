//! Catalog types shared by the designer and the proxy: action definitions with typed parameters.

use serde::de::Error;
use serde::{Deserialize, Deserializer, Serialize};

/// The type of an action parameter, which decides how the dialog renders it.
/// JSON: `{"kind": "text", "multiline": true}`, `{"kind": "enum", "options": […]}`, … (read by
/// `Tagged` below).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParamType {
    Text {
        #[serde(default)]
        multiline: bool,
    },
    Number,
    Boolean,
    Enum {
        options: Vec<String>,
    },
    /// The name of a variable (without `%`).
    VariableName,
    List,
    Object,
}

crate::names::enum_by_name! {
    /// Whether a parameter shows at once or under "Advanced".
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
    pub enum Visibility {
        #[default]
        Important = "important",
        Advanced = "advanced",
    }
}

/// One input of an action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Key in `Step::inputs`.
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One produced variable of an action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Key in `Step::outputs`.
    pub name: String,
    /// Variable name a new step gets, e.g. `NewVar`.
    pub default_var: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// How an action nests other steps. JSON: `{"kind": "block", "is_loop": true}`, … (read by
/// `Tagged` below).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// A plain action.
    #[default]
    Plain,
    /// Holds steps and closes with an "End" line (If, Loop, For each, Switch, On block error).
    Block {
        /// Whether this block is a loop (Exit loop / Next loop are allowed inside).
        #[serde(default)]
        is_loop: bool,
    },
    /// A clause line inside a block (Else if, Else inside If; Case, Default case inside Switch):
    /// the steps after it, up to the next clause, belong to it.
    Clause {
        /// Action id of the block that must hold this clause.
        of: String,
    },
}

/// The JSON of `ParamType` and `Shape` (`{"kind": …, <the variant's fields>}`) read as one flat
/// struct. serde's derive for internally tagged enums buffers every value first and compiles each
/// visitor once more for the buffer, which cost the designer's wasm several KB per type.
#[derive(Deserialize)]
struct Tagged {
    kind: String,
    #[serde(default)]
    multiline: bool,
    options: Option<Vec<String>>,
    #[serde(default)]
    is_loop: bool,
    of: Option<String>,
}

impl<'de> Deserialize<'de> for ParamType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const KINDS: &[&str] = &[
            "text",
            "number",
            "boolean",
            "enum",
            "variable_name",
            "list",
            "object",
        ];
        let t = Tagged::deserialize(d)?;
        Ok(match t.kind.as_str() {
            "text" => ParamType::Text {
                multiline: t.multiline,
            },
            "number" => ParamType::Number,
            "boolean" => ParamType::Boolean,
            "enum" => ParamType::Enum {
                options: t.options.ok_or_else(|| Error::missing_field("options"))?,
            },
            "variable_name" => ParamType::VariableName,
            "list" => ParamType::List,
            "object" => ParamType::Object,
            k => return Err(Error::unknown_variant(k, KINDS)),
        })
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = Tagged::deserialize(d)?;
        Ok(match t.kind.as_str() {
            "plain" => Shape::Plain,
            "block" => Shape::Block { is_loop: t.is_loop },
            "clause" => Shape::Clause {
                of: t.of.ok_or_else(|| Error::missing_field("of"))?,
            },
            k => return Err(Error::unknown_variant(k, &["plain", "block", "clause"])),
        })
    }
}

/// A definition of one action in the library.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionDef {
    /// Stable id, e.g. `variables.set` or `connector:<connector id>/<operation id>`.
    pub id: String,
    /// Display name, as Power Automate for desktop names it.
    pub name: String,
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default)]
    pub outputs: Vec<Output>,
    #[serde(default)]
    pub shape: Shape,
}

impl ActionDef {
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    pub fn is_block(&self) -> bool {
        matches!(self.shape, Shape::Block { .. })
    }
}

/// A category of the action library: its name and a short icon key the designer maps to a glyph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    pub icon: String,
}

/// A set of action definitions with lookup by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub categories: Vec<Category>,
    pub actions: Vec<ActionDef>,
    index: std::collections::HashMap<String, usize, FnvBuild>,
}

impl Catalog {
    pub fn new(categories: Vec<Category>, actions: Vec<ActionDef>) -> Self {
        let mut index =
            std::collections::HashMap::with_capacity_and_hasher(actions.len(), FnvBuild);
        for (i, a) in actions.iter().enumerate() {
            index.insert(a.id.clone(), i);
        }
        Catalog {
            categories,
            actions,
            index,
        }
    }

    pub fn get(&self, id: &str) -> Option<&ActionDef> {
        self.index.get(id).map(|&i| &self.actions[i])
    }

    /// Add a definition (a connector action fetched on demand), replacing one with the same id.
    pub fn insert(&mut self, def: ActionDef) {
        match self.index.get(&def.id) {
            Some(&i) => self.actions[i] = def,
            None => {
                self.index.insert(def.id.clone(), self.actions.len());
                self.actions.push(def);
            }
        }
    }

    /// Actions of one category in library order.
    pub fn in_category<'a>(
        &'a self,
        category: &'a str,
    ) -> impl Iterator<Item = &'a ActionDef> + 'a {
        self.actions.iter().filter(move |a| a.category == category)
    }
}

/// FNV-1a: action ids are short trusted strings looked up once per step on every edit, where
/// SipHash's flood resistance costs more than it protects.
#[derive(Clone, Copy, Debug, Default)]
pub struct FnvBuild;

#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl std::hash::BuildHasher for FnvBuild {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_types_read_back_what_they_write() {
        let types = [
            ParamType::Text { multiline: true },
            ParamType::Text { multiline: false },
            ParamType::Number,
            ParamType::Boolean,
            ParamType::Enum {
                options: vec!["a".into(), "b".into()],
            },
            ParamType::VariableName,
            ParamType::List,
            ParamType::Object,
        ];
        for t in types {
            let text = serde_json::to_string(&t).unwrap();
            assert_eq!(
                serde_json::from_str::<ParamType>(&text).unwrap(),
                t,
                "{text}"
            );
        }
        let shapes = [
            Shape::Plain,
            Shape::Block { is_loop: true },
            Shape::Block { is_loop: false },
            Shape::Clause { of: "if".into() },
        ];
        for s in shapes {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), s, "{text}");
        }
    }

    #[test]
    fn tagged_types_name_what_is_wrong() {
        let err = |t: &str| {
            serde_json::from_str::<ParamType>(t)
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"kind":"colour"}"#).contains("unknown variant `colour`"));
        assert!(err(r#"{"kind":"enum"}"#).contains("missing field `options`"));
        assert!(err(r#"{"multiline":true}"#).contains("missing field `kind`"));
        let shape = serde_json::from_str::<Shape>(r#"{"kind":"clause"}"#).unwrap_err();
        assert!(shape.to_string().contains("missing field `of`"));
        // Defaults as before: a text is single-line and a block no loop unless they say so.
        let t: ParamType = serde_json::from_str(r#"{"kind":"text"}"#).unwrap();
        assert_eq!(t, ParamType::Text { multiline: false });
    }
}
