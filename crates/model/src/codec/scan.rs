//! The cheap pass over the bytes before serde sees them: nesting depth and string lengths.

use super::{DecodeError, Limits};

/// One pass over the bytes: JSON nesting depth and string lengths, with line and column.
pub(super) fn prescan(text: &str, limits: &Limits) -> Result<(), DecodeError> {
    let max_depth = limits.json_depth();
    let bytes = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(DecodeError::TooDeep {
                        line,
                        column: i - line_start + 1,
                        limit: limits.max_depth,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    // A newline inside a string is invalid JSON; serde reports it.
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let len = i.min(bytes.len()) - start - 1;
                if len > limits.max_string {
                    return Err(DecodeError::StringTooLong {
                        line,
                        column: start - line_start + 1,
                        bytes: len,
                        limit: limits.max_string,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}
