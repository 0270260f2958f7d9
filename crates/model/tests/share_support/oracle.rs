//! What must hold for any input to the share-link decoder: the fuzz target runs it on every
//! input AFL++ makes, and `tests/share.rs` replays the saved corpus through it.
//!
//! The first byte picks the layer: even, the rest is link text (`decode_link_with`: prefix,
//! base64url, inflate, checksum, body); odd, the rest is a body (`share::body::decode`), so the
//! fuzzer reaches the body reader without having to forge a checksum.

use plugboard_model::codec::{self, Limits};
use plugboard_model::share::{self, body, LinkLimits, SharedFlow};

/// Small bounds, so that inputs of a few hundred bytes reach every limit.
pub const LIMITS: LinkLimits = LinkLimits {
    max_link: 64 * 1024,
    flow: Limits {
        max_bytes: 64 * 1024,
        max_depth: 8,
        max_steps: 200,
        max_string: 64,
    },
};

/// Decode `data` and check what came out; panics (a finding) when something does not hold.
pub fn check(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let opened = if mode & 1 == 0 {
        share::decode_link_with(&String::from_utf8_lossy(rest), &LIMITS)
    } else {
        body::decode(rest, &LIMITS).inspect(|shared| {
            // One flow, one body: what was read writes back to the very same bytes.
            assert_eq!(shared.body(), rest, "a body reads back to other bytes");
        })
    };
    match opened {
        Ok(shared) => check_opened(&shared),
        // Every refusal has a sentence to show.
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// What a link opens to can be shared again, and exported and imported as a file.
fn check_opened(shared: &SharedFlow) {
    let again = share::decode_link_with(&shared.link(), &LIMITS)
        .unwrap_or_else(|e| panic!("the link of an opened flow does not open: {e}"));
    assert_eq!(
        again.body(),
        shared.body(),
        "sharing again changed the flow"
    );
    assert_eq!(again.references, shared.references);
    let file = codec::encode(&shared.flow);
    let imported = codec::decode(&file)
        .unwrap_or_else(|e| panic!("an opened flow does not import from its file: {e}"));
    assert_eq!(imported, shared.flow);
    let ids: std::collections::HashSet<_> = shared.flow.walk().iter().map(|(_, s)| s.id).collect();
    assert_eq!(
        ids.len(),
        shared.flow.step_count(),
        "step ids are not fresh"
    );
}
