//! Catalog types shared by the designer and the proxy: action definitions with typed parameters.

use serde::{Deserialize, Serialize};

/// The type of an action parameter, which decides how the dialog renders it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

/// Whether a parameter shows at once or under "Advanced".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Important,
    Advanced,
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

/// How an action nests other steps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
