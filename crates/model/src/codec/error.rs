//! Why a flow text was refused: `DecodeError`, whose Display says what is wrong and where.

use crate::flow::{StepId, SCHEMA_VERSION};
use std::fmt;

/// Why a text is not an acceptable flow. The Display says what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The text is longer than `Limits::max_bytes`.
    TooLarge { bytes: usize, limit: usize },
    /// JSON arrays/objects nest deeper than the step depth limit allows.
    TooDeep {
        line: usize,
        column: usize,
        limit: usize,
    },
    /// One JSON string is longer than `Limits::max_string`.
    StringTooLong {
        line: usize,
        column: usize,
        bytes: usize,
        limit: usize,
    },
    /// Not JSON at all (syntax error, truncated text, empty text).
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not shaped like a flow (unknown field, wrong type, missing field).
    Invalid {
        line: usize,
        column: usize,
        message: String,
    },
    /// No `schema` field: probably not a Plugboard flow.
    MissingSchema,
    /// A `schema` other than the one this build reads.
    WrongSchema { found: String },
    /// `subflows` is empty (a flow needs at least Main).
    NoSubflows,
    /// More steps than `Limits::max_steps`.
    TooManySteps { count: usize, limit: usize },
    /// Steps nest deeper than `Limits::max_depth`; `path` names the first too-deep step.
    StepsTooDeep { path: String, limit: usize },
    /// Two steps share an id; `path` names the second.
    DuplicateStepId { id: StepId, path: String },
}

/// `bytes` in MiB to one decimal, as `format!("{:.1}", bytes as f64 / 1048576.0)` writes it
/// (ties to even), in integers: the designer's wasm then carries no float formatting.
pub(crate) fn mib(bytes: usize) -> String {
    const MIB: u128 = 1024 * 1024;
    let scaled = bytes as u128 * 10;
    let (mut tenths, rest) = (scaled / MIB, scaled % MIB);
    if rest * 2 > MIB || (rest * 2 == MIB && tenths % 2 == 1) {
        tenths += 1;
    }
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge { bytes, limit } => write!(
                f,
                "the flow file is {} ({bytes} bytes); the limit is {}",
                mib(*bytes),
                mib(*limit)
            ),
            DecodeError::TooDeep {
                line,
                column,
                limit,
            } => write!(
                f,
                "line {line}, column {column}: the JSON nests deeper than a flow can \
                 (blocks at most {limit} deep)"
            ),
            DecodeError::StringTooLong {
                line,
                column,
                bytes,
                limit,
            } => write!(
                f,
                "line {line}, column {column}: a text of {bytes} bytes is longer than the \
                 limit of {limit} bytes"
            ),
            DecodeError::NotJson {
                line,
                column,
                message,
            } => write!(f, "not valid JSON: line {line}, column {column}: {message}"),
            DecodeError::Invalid {
                line,
                column,
                message,
            } => write!(
                f,
                "not a valid flow: line {line}, column {column}: {message}"
            ),
            DecodeError::MissingSchema => write!(
                f,
                "not a Plugboard flow: the \"schema\" version field is missing"
            ),
            DecodeError::WrongSchema { found } => write!(
                f,
                "schema version {found} is not supported; this version of Plugboard reads \
                 schema version {SCHEMA_VERSION}"
            ),
            DecodeError::NoSubflows => {
                write!(f, "the flow has no subflows; it needs at least Main")
            }
            DecodeError::TooManySteps { count, limit } => {
                write!(f, "the flow has {count} steps; the limit is {limit}")
            }
            DecodeError::StepsTooDeep { path, limit } => {
                write!(f, "{path}: blocks are nested more than {limit} deep")
            }
            DecodeError::DuplicateStepId { id, path } => {
                write!(f, "{path}: step id {id} is already used by an earlier step")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    #[test]
    fn mib_matches_float_formatting() {
        // Every tie (x.x5 MiB exactly) and its neighbours, plus a spread of sizes.
        let mut sizes: Vec<usize> = (0..5_000).map(|i| i * 997).collect();
        for k in 0..200usize {
            // bytes * 10 = (2k + 1) * 2^19 exactly when bytes = (2k + 1) * 2^18 / 5 is whole.
            let n = (2 * k + 1) * (1 << 18);
            if n % 5 == 0 {
                sizes.extend([n / 5 - 1, n / 5, n / 5 + 1]);
            }
        }
        sizes.extend([10 * 1024 * 1024, 64 * 1024 * 1024, usize::MAX >> 12]);
        for b in sizes {
            assert_eq!(
                super::mib(b),
                format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
                "{b} bytes"
            );
        }
    }
}
