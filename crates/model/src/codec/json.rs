//! serde_json with our errors: parsing without its recursion cap, its errors as `DecodeError`.

use super::DecodeError;
use serde::Deserialize;

/// Turn a serde_json error into ours, keeping its line and column.
fn from_serde(e: serde_json::Error) -> DecodeError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let message = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full)
        .to_string();
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            DecodeError::NotJson {
                line,
                column,
                message,
            }
        }
        _ => DecodeError::Invalid {
            line,
            column,
            message,
        },
    }
}

/// Deserialize with serde_json's own recursion limit off: `prescan` already bounded the depth
/// (serde_json's fixed 128 would otherwise cap blocks at about 60 deep).
pub(super) fn parse<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de).map_err(from_serde)?;
    de.end().map_err(from_serde)?;
    Ok(value)
}
