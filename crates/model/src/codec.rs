//! Flow JSON: export (`encode`), bounded import (`decode`), and the clipboard format (a flow named
//! "Clipboard" whose Main holds the copied steps, so a paste and an import read the same text).
//!
//! Every decode is bounded before serde sees the text: the size first, then one cheap pass over
//! the bytes for nesting depth and string length, so hostile input (10^6 nested brackets, a 100 MB
//! string) fails fast with a message instead of exhausting the stack or memory.

mod error;
mod invariants;
mod json;
mod limits;
mod scan;
mod schema;

pub(crate) use error::mib;
pub use error::DecodeError;
pub use limits::Limits;

use crate::flow::{Flow, Step};
use invariants::check_flow;
use json::parse;
use scan::prescan;
use schema::{check_schema, NOT_A_FLOW};

/// Name of the flow the clipboard text holds.
pub const CLIPBOARD_NAME: &str = "Clipboard";

/// The flow as pretty-printed JSON (what export writes and `decode` reads).
pub fn encode(flow: &Flow) -> String {
    serde_json::to_string_pretty(flow).expect("a flow always serializes")
}

/// Read a flow from JSON within `Limits::DEFAULT`.
pub fn decode(text: &str) -> Result<Flow, DecodeError> {
    decode_with(text, &Limits::DEFAULT)
}

/// Read a flow from JSON within `limits`.
pub fn decode_with(text: &str, limits: &Limits) -> Result<Flow, DecodeError> {
    if text.len() > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            bytes: text.len(),
            limit: limits.max_bytes,
        });
    }
    // Files saved by some editors start with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DecodeError::NotJson {
            line: 1,
            column: 1,
            message: "the text is empty".into(),
        });
    }
    prescan(text, limits)?;
    if !text.trim_start().starts_with('{') {
        // serde would read a struct from an array too; a flow file is always an object.
        parse::<serde::de::IgnoredAny>(text)?;
        let at = text.len() - text.trim_start().len();
        let line = 1 + text[..at].matches('\n').count();
        let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        return Err(DecodeError::Invalid {
            line,
            column,
            message: NOT_A_FLOW.into(),
        });
    }
    check_schema(text)?;
    let flow: Flow = parse(text)?;
    check_flow(&flow, limits)?;
    Ok(flow)
}

/// The clipboard text for `steps`: a flow named "Clipboard" whose Main holds them.
pub fn encode_steps(steps: &[Step]) -> String {
    let mut flow = Flow::new(CLIPBOARD_NAME);
    flow.subflows[0].steps = steps.to_vec();
    encode(&flow)
}

/// The steps of clipboard text (or of any flow's Main), with fresh ids so they can be pasted
/// next to the originals.
pub fn decode_steps(text: &str) -> Result<Vec<Step>, DecodeError> {
    let flow = decode(text)?;
    Ok(flow.subflows[0]
        .steps
        .iter()
        .map(Step::fresh_copy)
        .collect())
}
