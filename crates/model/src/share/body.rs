//! The link body (format 1): a flow in one canonical binary form, without what the opener makes
//! afresh (the flow id, step ids) and without defaults, and its connection references by
//! logical name, connector and display name: never a connection, an owner or a secret, because
//! the format has no place for one.
//!
//! Layout, numbers in LEB128 and texts length-prefixed (`wire.rs`):
//!
//! ```text
//! flow name
//! action count, then each action id once, in the order steps first use them
//! reference count, then per reference (order of first use): logical name, connector id
//!     (of the first connector step naming it; empty if none does), display name
//! subflow count (at least 1), then per subflow: name, step list
//! step list:   count, then each step
//! step:        action index × 16 + flags (1 disabled, 2 reference, 4 on error, 8 children),
//!              input count and (name, value) pairs in name order, the same for outputs,
//!              then, as flagged: reference index; retries, interval, continue (0 or 1);
//!              step list (not empty)
//! ```
//!
//! Each flow has exactly one body: the reader refuses every other arrangement of the same flow
//! (a longer number, unsorted names, a table out of order, an unused entry), so reading a body
//! and writing it again gives the same bytes, which the fuzz target checks.

use super::wire::{Reader, Writer};
use super::{LinkLimits, ShareError, SharedFlow, SharedReference};
use crate::flow::{Flow, OnError, Step, Subflow, SCHEMA_VERSION};
use crate::references::connector_of;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

const DISABLED: u64 = 1;
const REFERENCE: u64 = 2;
const ON_ERROR: u64 = 4;
const CHILDREN: u64 = 8;
const FLAG_BITS: u32 = 4;

/// The body of `flow`; `display_name` gives the display name of a reference by logical name
/// (`None`: the environment lacks it, and the link carries an empty one).
pub fn encode<'e>(flow: &Flow, display_name: impl Fn(&str) -> Option<&'e str>) -> Vec<u8> {
    let mut enc = Encoder::default();
    enc.out.count(flow.subflows.len());
    for sub in &flow.subflows {
        enc.out.text(&sub.name);
        enc.steps(&sub.steps);
    }
    let mut head = Writer::default();
    head.text(&flow.name);
    head.count(enc.actions.len());
    for action in &enc.actions {
        head.text(action);
    }
    head.count(enc.references.len());
    for (name, connector) in enc.references.iter().zip(&enc.connectors) {
        head.text(name);
        head.text(connector.unwrap_or(""));
        head.text(display_name(name).unwrap_or(""));
    }
    head.bytes.extend_from_slice(&enc.out.bytes);
    head.bytes
}

/// Tables in order of first use, and the step lists written as they are met.
#[derive(Default)]
struct Encoder<'f> {
    out: Writer,
    actions: Vec<&'f str>,
    action_index: HashMap<&'f str, usize>,
    references: Vec<&'f str>,
    reference_index: HashMap<&'f str, usize>,
    connectors: Vec<Option<&'f str>>,
}

impl<'f> Encoder<'f> {
    fn steps(&mut self, steps: &'f [Step]) {
        self.out.count(steps.len());
        for s in steps {
            self.step(s);
        }
    }

    fn step(&mut self, s: &'f Step) {
        let next = self.actions.len();
        let action = *self.action_index.entry(&s.action).or_insert(next);
        if action == next {
            self.actions.push(&s.action);
        }
        let flags = [
            (!s.enabled, DISABLED),
            (s.reference.is_some(), REFERENCE),
            (s.on_error.is_some(), ON_ERROR),
            (!s.children.is_empty(), CHILDREN),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |flags, (_, bit)| flags | bit);
        self.out.uint((action as u64) << FLAG_BITS | flags);
        for map in [&s.inputs, &s.outputs] {
            self.out.count(map.len());
            for (k, v) in map {
                self.out.text(k);
                self.out.text(v);
            }
        }
        if let Some(name) = &s.reference {
            let next = self.references.len();
            let i = *self.reference_index.entry(name).or_insert(next);
            if i == next {
                self.references.push(name);
                self.connectors.push(None);
            }
            if self.connectors[i].is_none() {
                self.connectors[i] = connector_of(&s.action).map(|(c, _)| c);
            }
            self.out.count(i);
        }
        if let Some(e) = &s.on_error {
            self.out.uint(e.retries.into());
            self.out.uint(e.interval_secs.into());
            // 0 stop, 1 continue with the next step, 2 continue at a label (its name follows).
            match (&e.go_to_label, e.continue_flow) {
                (Some(label), true) => {
                    self.out.uint(2);
                    self.out.text(label);
                }
                (_, continue_flow) => self.out.uint(continue_flow.into()),
            }
        }
        if !s.children.is_empty() {
            self.steps(&s.children);
        }
    }
}

/// The flow and references in `body`, with fresh ids, within `limits`.
pub fn decode(body: &[u8], limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
    let mut d = Decoder {
        r: Reader::new(body),
        limits,
        actions: Table::default(),
        references: Table::default(),
        connectors: Vec::new(),
        steps: 0,
        subflow_start: 0,
    };
    let name = d.text(|| "the flow's name".into())?;
    d.actions = d.table("actions", |d, i| {
        Ok((d.text(|| format!("action id {i}"))?, None))
    })?;
    d.references = d.table("connection references", |d, i| {
        let place = || format!("connection reference {i}");
        let logical = d.text(place)?;
        let connector = d.text(place)?;
        Ok((logical, Some((connector, d.text(place)?))))
    })?;
    d.connectors = vec![None; d.references.entries.len()];
    let at = d.r.pos();
    let count = d.r.count("subflows")?;
    if count == 0 {
        return Err(d
            .r
            .invalid(at, "the flow has no subflows; it needs at least Main"));
    }
    let mut subflows = Vec::with_capacity(count.min(64));
    for i in 0..count {
        let name = d.text(|| format!("the name of subflow {}", i + 1))?;
        d.subflow_start = d.steps;
        let steps = d.steps(name, 1)?;
        subflows.push(Subflow {
            name: name.to_string(),
            steps,
        });
    }
    if d.r.remaining() > 0 {
        return Err(d.r.invalid(d.r.pos(), "bytes follow the last subflow"));
    }
    d.finish()?;
    // A plain loop: `collect::<Result<..>>` compiles an adapter of its own into the wasm.
    let mut references = Vec::with_capacity(d.references.entries.len());
    for (e, derived) in d.references.entries.iter().zip(&d.connectors) {
        let (connector, display) = e.extra.unwrap_or_default();
        if connector != derived.unwrap_or("") {
            let steps = match derived {
                Some(c) => format!("the first connector step naming it uses {c:?}"),
                None => "no connector step names it".into(),
            };
            let name = e.text;
            return Err(d.r.invalid(
                e.at,
                format!("connection reference {name} is for connector {connector:?}, but {steps}"),
            ));
        }
        references.push(SharedReference {
            logical_name: e.text.to_string(),
            connector_id: connector.to_string(),
            display_name: display.to_string(),
        });
    }
    Ok(SharedFlow {
        flow: Flow {
            schema: SCHEMA_VERSION,
            id: Uuid::new_v4(),
            name: name.to_string(),
            subflows,
        },
        references,
    })
}

/// One table entry: its text, where it starts, and (references) connector and display name.
struct Entry<'a> {
    text: &'a str,
    at: usize,
    extra: Extra<'a>,
}

/// A reference's connector id and display name (an action has neither).
type Extra<'a> = Option<(&'a str, &'a str)>;

/// A table of the body, and how many of its entries steps have used so far: steps must use
/// them in table order, each one first by the next index.
#[derive(Default)]
struct Table<'a> {
    entries: Vec<Entry<'a>>,
    used: usize,
}

impl Table<'_> {
    /// Check that index `i` is a known entry or the next new one.
    fn use_index(&mut self, i: usize, what: &str) -> Result<(), String> {
        match i.cmp(&self.used) {
            std::cmp::Ordering::Less => Ok(()),
            std::cmp::Ordering::Equal => {
                self.used += 1;
                Ok(())
            }
            std::cmp::Ordering::Greater => Err(format!(
                "{what} index {i} is used before index {}",
                self.used
            )),
        }
    }
}

struct Decoder<'a, 'l> {
    r: Reader<'a>,
    limits: &'l LinkLimits,
    actions: Table<'a>,
    references: Table<'a>,
    /// Per reference, the connector of the first connector step naming it.
    connectors: Vec<Option<&'a str>>,
    /// Steps read so far, in every subflow.
    steps: usize,
    /// `steps` when the current subflow began (its steps are numbered from 1 in messages).
    subflow_start: usize,
}

impl<'a> Decoder<'a, '_> {
    /// A text within `max_string`, measured as the flow file writes it (escapes included), so
    /// a flow opened from a link can be exported and imported again.
    fn text(&mut self, place: impl FnOnce() -> String) -> Result<&'a str, ShareError> {
        let s = self.r.text()?;
        let bytes = json_len(s);
        if bytes > self.limits.flow.max_string {
            return Err(ShareError::TextTooLong {
                place: place(),
                bytes,
                limit: self.limits.flow.max_string,
            });
        }
        Ok(s)
    }

    /// The actions or references table: a count, then each entry (all different).
    fn table(
        &mut self,
        what: &str,
        mut entry: impl FnMut(&mut Self, usize) -> Result<(&'a str, Extra<'a>), ShareError>,
    ) -> Result<Table<'a>, ShareError> {
        let n = self.r.count(what)?;
        let mut seen = HashSet::with_capacity(n.min(1024));
        let mut entries = Vec::with_capacity(n.min(1024));
        for i in 0..n {
            let at = self.r.pos();
            let (text, extra) = entry(self, i + 1)?;
            if !seen.insert(text) {
                return Err(self
                    .r
                    .invalid(at, format!("{text:?} is listed twice in the {what}")));
            }
            entries.push(Entry { text, at, extra });
        }
        Ok(Table { entries, used: 0 })
    }

    /// Every table entry was used by some step.
    fn finish(&self) -> Result<(), ShareError> {
        for (table, what) in [(&self.actions, "action"), (&self.references, "reference")] {
            if let Some(e) = table.entries.get(table.used) {
                return Err(self.r.invalid(
                    e.at,
                    format!("{what} {:?} is listed but no step uses it", e.text),
                ));
            }
        }
        Ok(())
    }

    /// A step list at `depth` (1 = a subflow's top level) of subflow `sub`.
    fn steps(&mut self, sub: &str, depth: usize) -> Result<Vec<Step>, ShareError> {
        let n = self.r.count("steps")?;
        if n > 0 && depth > self.limits.flow.max_depth {
            return Err(ShareError::TooDeep {
                subflow: sub.to_string(),
                limit: self.limits.flow.max_depth,
            });
        }
        let mut steps = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            self.steps += 1;
            if self.steps > self.limits.flow.max_steps {
                return Err(ShareError::TooManySteps {
                    limit: self.limits.flow.max_steps,
                });
            }
            steps.push(self.step(sub, depth)?);
        }
        Ok(steps)
    }

    fn step(&mut self, sub: &str, depth: usize) -> Result<Step, ShareError> {
        let number = self.steps - self.subflow_start;
        let place = |what: &str| format!("{sub}, step {number}: {what}");
        let at = self.r.pos();
        let head = self.r.uint()?;
        let action = (head >> FLAG_BITS) as usize;
        let Some(entry) = self.actions.entries.get(action) else {
            let n = self.actions.entries.len();
            return Err(self.r.invalid(
                at,
                format!("action index {action} is out of range (the table has {n})"),
            ));
        };
        let action_id = entry.text;
        self.actions
            .use_index(action, "action")
            .map_err(|m| self.r.invalid(at, m))?;
        let inputs = self.map(|| place("an input"))?;
        let outputs = self.map(|| place("an output"))?;
        let reference = if head & REFERENCE != 0 {
            let at = self.r.pos();
            let i = self
                .r
                .index(self.references.entries.len(), "connection reference")?;
            self.references
                .use_index(i, "connection reference")
                .map_err(|m| self.r.invalid(at, m))?;
            if self.connectors[i].is_none() {
                self.connectors[i] = connector_of(action_id).map(|(c, _)| c);
            }
            Some(self.references.entries[i].text.to_string())
        } else {
            None
        };
        let on_error = if head & ON_ERROR != 0 {
            let retries = self.r.uint()? as u32;
            let interval_secs = self.r.uint()? as u32;
            let at = self.r.pos();
            let (continue_flow, go_to_label) = match self.r.uint()? {
                0 => (false, None),
                1 => (true, None),
                2 => {
                    let label = self.text(|| "an on-error label".to_string())?;
                    (true, Some(label.to_string()))
                }
                other => {
                    return Err(self
                        .r
                        .invalid(at, format!("on error is {other}, not 0, 1 or 2")))
                }
            };
            Some(OnError {
                retries,
                interval_secs,
                continue_flow,
                go_to_label,
            })
        } else {
            None
        };
        let children = if head & CHILDREN != 0 {
            let at = self.r.pos();
            let children = self.steps(sub, depth + 1)?;
            if children.is_empty() {
                return Err(self.r.invalid(at, "a step said to hold steps holds none"));
            }
            children
        } else {
            Vec::new()
        };
        Ok(Step {
            id: Uuid::new_v4(),
            action: action_id.to_string(),
            inputs,
            outputs,
            enabled: head & DISABLED == 0,
            reference,
            on_error,
            children,
        })
    }

    /// Inputs or outputs: a count, then (name, value) pairs with names in strictly rising order.
    fn map(&mut self, place: impl Fn() -> String) -> Result<BTreeMap<String, String>, ShareError> {
        let n = self.r.count("names")?;
        let mut map = BTreeMap::new();
        let mut last: Option<&str> = None;
        for _ in 0..n {
            let at = self.r.pos();
            let key = self.text(&place)?;
            if last.is_some_and(|last| last >= key) {
                return Err(self
                    .r
                    .invalid(at, format!("{}: names out of order at {key:?}", place())));
            }
            let value = self.text(&place)?;
            map.insert(key.to_string(), value.to_string());
            last = Some(key);
        }
        Ok(map)
    }
}

/// Bytes `s` takes inside a JSON string as serde_json writes it: `"` and `\` and the control
/// characters with a short escape take 2, the other control characters 6 (`\u00XX`).
fn json_len(s: &str) -> usize {
    s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\x08' | b'\x0c' | b'\n' | b'\r' | b'\t' => 1,
                0..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_len_is_the_length_serde_json_writes() {
        for s in [
            "",
            "plain",
            "é ü 中",
            "a\"b\\c",
            "\n\r\t\x08\x0c",
            "\x00\x01\x1f\x7f",
            "%A%",
        ] {
            let written = serde_json::to_string(s).unwrap();
            assert_eq!(super::json_len(s), written.len() - 2, "{s:?}");
        }
    }
}
