//! Short links' stored form (`/api/shares`): only a ciphertext the browser made under a key that
//! stays in the link, so the proxy holds shared flows it cannot read.

use serde::{Deserialize, Serialize};

/// `POST /api/shares`: the encrypted payload (base64url, no padding), and what
/// `GET /api/shares/{id}` answers with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareCiphertext {
    pub ciphertext: String,
}

/// `POST /api/shares`'s answer: the id the ciphertext is stored under (derived from its hash,
/// so the same ciphertext always gets the same id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareId {
    pub id: String,
}

impl ShareCiphertext {
    /// The largest ciphertext stored, in bytes (decoded): room for a flow of several thousand
    /// steps, the short link is for links too long for a chat message, not for backups.
    pub const MAX_BYTES: usize = 512 * 1024;
    /// The smallest: an AES-GCM nonce (12 bytes) and tag (16 bytes) around at least one byte.
    pub const MIN_BYTES: usize = 12 + 16 + 1;
}

/// Characters of a short link's id: 16 bytes of the ciphertext's SHA-256 in base64url.
pub const SHARE_ID_LEN: usize = 22;

/// Whether `id` has a short link id's form (what `GET /api/shares/{id}` checks before asking
/// the database, and what the designer checks before asking the proxy).
pub fn is_share_id(id: &str) -> bool {
    id.len() == SHARE_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_ids_are_22_base64url_characters() {
        assert!(is_share_id("AAAAAAAAAAAAAAAAAAAA-_"));
        assert!(!is_share_id("AAAAAAAAAAAAAAAAAAAA-"));
        assert!(!is_share_id("AAAAAAAAAAAAAAAAAAAA+/"));
        assert!(!is_share_id("AAAAAAAAAAAAAAAAAAAAé"));
        assert!(serde_json::from_str::<ShareCiphertext>(r#"{"ciphertext":"x","y":1}"#).is_err());
    }
}
