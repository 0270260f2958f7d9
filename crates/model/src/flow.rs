//! The flow document: a flow holds subflows ("Main" first), each an ordered tree of steps.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Version of the flow JSON schema written by this build; the decoder refuses any other.
pub const SCHEMA_VERSION: u32 = 1;

/// A step's stable identity (survives moves, undo and copy within one document).
pub type StepId = Uuid;

/// A whole flow: what the designer edits, autosaves, exports and shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub schema: u32,
    pub id: Uuid,
    pub name: String,
    /// `subflows[0]` is the main flow.
    pub subflows: Vec<Subflow>,
}

/// One subflow (the first one of a flow is "Main").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subflow {
    pub name: String,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// One action placed in a flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: StepId,
    /// Catalog id of the action, e.g. `variables.set`.
    pub action: String,
    /// Parameter name → text: a literal, or an expression with `%Variable%` / `%Var.Property%`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
    /// Output name → the variable that receives it (renameable).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Logical name of a connection reference (connector actions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<OnError>,
    /// Steps inside a block action (If, Loop, For each, Switch, On block error).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Step>,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

/// What a step does when its action fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnError {
    /// Extra attempts after the first failure.
    pub retries: u32,
    /// Seconds between attempts.
    pub interval_secs: u32,
    /// Continue with the next step (true) or stop the flow (false) when every attempt failed.
    pub continue_flow: bool,
    /// When continuing: go to this label instead of the next step (Power Automate for desktop's
    /// "Go to label" exception handling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_to_label: Option<String>,
}

/// The part of a step the action dialog edits; one `Command::Configure` replaces it whole.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepConfig {
    pub inputs: BTreeMap<String, String>,
    pub outputs: BTreeMap<String, String>,
    pub on_error: Option<OnError>,
}

impl Step {
    /// A new step for `action` with a fresh id and nothing configured.
    pub fn new(action: impl Into<String>) -> Self {
        Step {
            id: Uuid::new_v4(),
            action: action.into(),
            inputs: BTreeMap::new(),
            outputs: BTreeMap::new(),
            enabled: true,
            reference: None,
            on_error: None,
            children: Vec::new(),
        }
    }

    pub fn with_input(mut self, name: &str, value: &str) -> Self {
        self.inputs.insert(name.to_string(), value.to_string());
        self
    }

    pub fn with_output(mut self, name: &str, var: &str) -> Self {
        self.outputs.insert(name.to_string(), var.to_string());
        self
    }

    pub fn with_children(mut self, children: Vec<Step>) -> Self {
        self.children = children;
        self
    }

    pub fn config(&self) -> StepConfig {
        StepConfig {
            inputs: self.inputs.clone(),
            outputs: self.outputs.clone(),
            on_error: self.on_error.clone(),
        }
    }

    /// This step and every step under it, in document order.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(Step::count).sum::<usize>()
    }

    /// A deep copy with fresh ids (paste, duplicate).
    pub fn fresh_copy(&self) -> Step {
        let mut s = self.clone();
        s.id = Uuid::new_v4();
        s.children = self.children.iter().map(Step::fresh_copy).collect();
        s
    }
}

impl Flow {
    /// An empty flow with one empty "Main" subflow.
    pub fn new(name: impl Into<String>) -> Self {
        Flow {
            schema: SCHEMA_VERSION,
            id: Uuid::new_v4(),
            name: name.into(),
            subflows: vec![Subflow {
                name: "Main".into(),
                steps: Vec::new(),
            }],
        }
    }

    /// Total number of steps in every subflow.
    pub fn step_count(&self) -> usize {
        self.subflows
            .iter()
            .flat_map(|s| s.steps.iter())
            .map(Step::count)
            .sum()
    }

    /// Where a step sits: subflow, parent (None = top level) and index among its siblings.
    pub fn locate(&self, id: StepId) -> Option<Pos> {
        fn walk(
            steps: &[Step],
            parent: Option<StepId>,
            id: StepId,
        ) -> Option<(Option<StepId>, usize)> {
            for (i, s) in steps.iter().enumerate() {
                if s.id == id {
                    return Some((parent, i));
                }
                if let Some(found) = walk(&s.children, Some(s.id), id) {
                    return Some(found);
                }
            }
            None
        }
        self.subflows.iter().enumerate().find_map(|(sf, sub)| {
            walk(&sub.steps, None, id).map(|(parent, index)| Pos {
                subflow: sf,
                parent,
                index,
            })
        })
    }

    pub fn step(&self, id: StepId) -> Option<&Step> {
        self.subflows.iter().find_map(|s| find(&s.steps, id))
    }

    pub fn step_mut(&mut self, id: StepId) -> Option<&mut Step> {
        self.subflows
            .iter_mut()
            .find_map(|s| find_mut(&mut s.steps, id))
    }

    /// The sibling list a position refers to; `None` when `parent` is not in that subflow.
    pub fn siblings(&self, subflow: usize, parent: Option<StepId>) -> Option<&Vec<Step>> {
        let sub = self.subflows.get(subflow)?;
        match parent {
            None => Some(&sub.steps),
            // Only in this subflow: a position naming a parent elsewhere is wrong, not a
            // shortcut (commands compare positions by subflow).
            Some(p) => find(&sub.steps, p).map(|s| &s.children),
        }
    }

    pub fn siblings_mut(
        &mut self,
        subflow: usize,
        parent: Option<StepId>,
    ) -> Option<&mut Vec<Step>> {
        let sub = self.subflows.get_mut(subflow)?;
        match parent {
            None => Some(&mut sub.steps),
            Some(p) => find_mut(&mut sub.steps, p).map(|s| &mut s.children),
        }
    }

    /// Is `id` equal to `ancestor` or somewhere under it?
    pub fn is_within(&self, id: StepId, ancestor: StepId) -> bool {
        fn contains(s: &Step, id: StepId) -> bool {
            s.id == id || s.children.iter().any(|c| contains(c, id))
        }
        self.step(ancestor).is_some_and(|a| contains(a, id))
    }

    /// Every step of every subflow, in document order, with its subflow index.
    pub fn walk(&self) -> Vec<(usize, &Step)> {
        fn go<'a>(sf: usize, steps: &'a [Step], out: &mut Vec<(usize, &'a Step)>) {
            for s in steps {
                out.push((sf, s));
                go(sf, &s.children, out);
            }
        }
        let mut out = Vec::with_capacity(self.step_count());
        for (i, sub) in self.subflows.iter().enumerate() {
            go(i, &sub.steps, &mut out);
        }
        out
    }
}

fn find(steps: &[Step], id: StepId) -> Option<&Step> {
    steps.iter().find_map(|s| {
        if s.id == id {
            Some(s)
        } else {
            find(&s.children, id)
        }
    })
}

fn find_mut(steps: &mut [Step], id: StepId) -> Option<&mut Step> {
    for s in steps.iter_mut() {
        if s.id == id {
            return Some(s);
        }
        if let Some(found) = find_mut(&mut s.children, id) {
            return Some(found);
        }
    }
    None
}

/// A place in the tree: insert before `index` in the children of `parent` (or the subflow's top level).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pos {
    pub subflow: usize,
    pub parent: Option<StepId>,
    pub index: usize,
}

impl Pos {
    pub fn top(subflow: usize, index: usize) -> Self {
        Pos {
            subflow,
            parent: None,
            index,
        }
    }
}
