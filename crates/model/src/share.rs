//! Share links: a whole flow in a link (`…/#/s/pb1.…`) that fits a chat message and carries
//! nothing secret. Flow → canonical body (`body.rs`) → checksum (`frame.rs`) → raw deflate
//! (`deflate.rs`) → `pb1.` + base64url (`text.rs`), and back, every step bounded.
//!
//! The body holds the flow without its ids and, per connection reference its steps name, the
//! logical name, connector id and display name; it has no field for a connection, an owner, a
//! secret or run data. Raw deflate is the format the browser's `CompressionStream("deflate-raw")`
//! reads and writes too: the designer may compress `pack`'s bytes there and write them with
//! `text::write`, and open a link with `Payload::read`, `DecompressionStream` on its `stream`
//! (stopping once the output passes `Limits::max_bytes`, as `deflate::inflate` does) and
//! `Payload::open`.

pub mod body;
pub mod deflate;
mod error;
pub mod frame;
pub mod short;
pub mod text;
mod wire;

pub use error::ShareError;

use crate::codec::Limits;
use crate::connector::ConnectionReference;
use crate::flow::Flow;

/// The link format this build writes and reads; a link names it before its data (`pb1.`).
pub const VERSION: u32 = 1;

/// What precedes the payload in a share link: `https://host/#/s/<payload>`. The fragment never
/// reaches a server, so no server sees the flow.
pub const MARK: &str = "#/s/";

/// A connection reference as a link carries it: what the opener needs to map it to one of its
/// own environment's references (never its connection).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedReference {
    pub logical_name: String,
    /// The connector of the first connector step naming it (empty if no connector step does).
    pub connector_id: String,
    /// As the sharer's environment names it; empty when that environment had no such reference.
    pub display_name: String,
}

/// What a link opens to: a flow with fresh ids, and the references its steps name, in order of
/// first use.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedFlow {
    pub flow: Flow,
    pub references: Vec<SharedReference>,
}

impl SharedFlow {
    /// The link payload for this flow with these references' display names.
    pub fn link(&self) -> String {
        text::write(&deflate::compress(&frame::seal(&self.body())))
    }

    /// The body `link` writes (the fuzz target compares it with the body this was read from).
    pub fn body(&self) -> Vec<u8> {
        body::encode(&self.flow, |name| {
            self.references
                .iter()
                .find(|r| r.logical_name == name)
                .map(|r| r.display_name.as_str())
        })
    }
}

/// Bounds on what `decode_link_with` reads: the link's length, and a flow file's bounds (one
/// codec, one set of bounds: a flow opened from a link can be exported and imported again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkLimits {
    /// Characters of the payload (what follows `#/s/`).
    pub max_link: usize,
    /// The flow's bounds; `max_bytes` bounds what the payload inflates to (the body is smaller
    /// than the flow's file), `max_string` counts a text as the file writes it.
    pub flow: Limits,
}

impl LinkLimits {
    /// A flow file's bounds, and a link of at most 4 MiB, twice what Chromium takes in its
    /// address bar.
    pub const DEFAULT: LinkLimits = LinkLimits {
        max_link: 4 * 1024 * 1024,
        flow: Limits::DEFAULT,
    };
}

impl Default for LinkLimits {
    fn default() -> Self {
        LinkLimits::DEFAULT
    }
}

/// The link payload (`pb1.…`, to put after `MARK`) for `flow`; each reference's display name
/// is taken from `environment` (the references of the environment it is shared from).
pub fn encode_link(flow: &Flow, environment: &[ConnectionReference]) -> String {
    text::write(&deflate::compress(&pack(flow, environment)))
}

/// What `encode_link` compresses: the body behind its checksum.
pub fn pack(flow: &Flow, environment: &[ConnectionReference]) -> Vec<u8> {
    frame::seal(&body::encode(flow, |name| {
        environment
            .iter()
            .find(|r| r.logical_name == name)
            .map(|r| r.display_name.as_str())
    }))
}

/// The flow in a link within `LinkLimits::DEFAULT`: a whole link (`https://…/#/s/pb1.…`), its
/// fragment, or the payload alone.
pub fn decode_link(text: &str) -> Result<SharedFlow, ShareError> {
    decode_link_with(text, &LinkLimits::DEFAULT)
}

/// The flow in a link within `limits`.
pub fn decode_link_with(text: &str, limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
    let payload = Payload::read(text, limits)?;
    let framed = deflate::inflate(&payload.stream, limits.flow.max_bytes)?;
    payload.open(&framed, limits)
}

/// A link's compressed frame, read from its text but not inflated yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// The raw deflate stream.
    pub stream: Vec<u8>,
    /// Whether the last character is the one `text::write` gives for these bytes.
    canonical: bool,
}

impl Payload {
    /// The payload of a whole link (`https://…/#/s/pb1.…`), its fragment, or the payload
    /// alone: checked for length, format version and characters.
    pub fn read(text: &str, limits: &LinkLimits) -> Result<Payload, ShareError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ShareError::NotALink);
        }
        let payload = text.find(MARK).map_or(text, |i| &text[i + MARK.len()..]);
        if payload.len() > limits.max_link {
            // A payload is ASCII: its bytes are its characters.
            return Err(ShareError::LinkTooLong {
                chars: payload.len(),
                limit: limits.max_link,
            });
        }
        let (stream, canonical) = text::read(payload)?;
        Ok(Payload { stream, canonical })
    }

    /// The flow in `inflated`, what `stream` inflated to (a cut-off link has already said so
    /// while inflating; only now is a stray last character a change).
    pub fn open(&self, inflated: &[u8], limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
        if !self.canonical {
            return Err(ShareError::Damaged {
                detail: "its last character was changed".into(),
            });
        }
        unpack(inflated, limits)
    }
}

/// The flow in inflated link bytes (`pack`'s output): checksum, then body.
pub fn unpack(framed: &[u8], limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
    body::decode(frame::open(framed)?, limits)
}
