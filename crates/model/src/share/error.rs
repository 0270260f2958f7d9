//! Why a share link was refused: `ShareError`, whose Display tells the maker what is wrong with
//! the link (cut short, altered, not ours, too new, too large) and, for a bad flow, where.

use super::VERSION;
use crate::codec::mib;
use std::fmt;

/// Why a text is not a share link this build can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// No `pb<version>.` payload: some other link or text.
    NotALink,
    /// A link format newer than `VERSION`: made by a newer Plugboard.
    NewerVersion { found: u32 },
    /// The payload is longer than `LinkLimits::max_link`.
    LinkTooLong { chars: usize, limit: usize },
    /// The flow inflates to more than `Limits::max_bytes` (a decompression bomb stops here).
    FlowTooLarge { limit: usize },
    /// The link ends early: cut off when it was copied or sent.
    Truncated,
    /// A character, the compressed data or the checksum is wrong: the link was changed.
    Damaged { detail: String },
    /// The checksum holds but the content is not a flow this format writes (a crafted link or
    /// an encoder bug); `at` is the byte of the uncompressed body where reading failed.
    Invalid { at: usize, message: String },
    /// More steps than `Limits::max_steps`.
    TooManySteps { limit: usize },
    /// Blocks nest deeper than `Limits::max_depth` in subflow `subflow`.
    TooDeep { subflow: String, limit: usize },
    /// One text is longer than `Limits::max_string` (measured as the flow file writes it).
    TextTooLong {
        place: String,
        bytes: usize,
        limit: usize,
    },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(
                f,
                "this is not a Plugboard flow link (its flow part starts with pb{VERSION}.)"
            ),
            ShareError::NewerVersion { found } => write!(
                f,
                "this link was made by a newer version of Plugboard (link format {found}); this \
                 version opens link format {VERSION}"
            ),
            ShareError::LinkTooLong { chars, limit } => write!(
                f,
                "the link is {chars} characters long; the limit is {limit}"
            ),
            ShareError::FlowTooLarge { limit } => write!(
                f,
                "the flow in this link is larger than the limit of {}",
                mib(*limit)
            ),
            ShareError::Truncated => write!(
                f,
                "the link is incomplete: its end is missing (copy the whole link again)"
            ),
            ShareError::Damaged { detail } => {
                write!(f, "the link is damaged or was changed: {detail}")
            }
            ShareError::Invalid { at, message } => {
                write!(f, "the link holds no valid flow: byte {at}: {message}")
            }
            ShareError::TooManySteps { limit } => {
                write!(f, "the flow in this link has more than {limit} steps")
            }
            ShareError::TooDeep { subflow, limit } => {
                write!(f, "{subflow}: blocks are nested more than {limit} deep")
            }
            ShareError::TextTooLong {
                place,
                bytes,
                limit,
            } => write!(
                f,
                "{place}: a text of {bytes} bytes is longer than the limit of {limit} bytes"
            ),
        }
    }
}

impl std::error::Error for ShareError {}
