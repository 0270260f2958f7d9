//! A sign-in's secrets: the `state` that comes back with the provider's answer (the database
//! keeps only its hash) and the PKCE code verifier with its S256 challenge (RFC 7636).

use crate::crypto::{random_bytes, random_token};
use base64::Engine;
use sha2::{Digest, Sha256};

/// A new state value: 32 random bytes, URL-safe base64.
pub fn state() -> String {
    random_token()
}

/// A new code verifier: 32 random bytes as 43 URL-safe base64 characters (RFC 7636 §4.1).
pub fn verifier() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// The S256 code challenge of `verifier`: URL-safe base64 of its SHA-256.
pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_rfc7636_s256() {
        // RFC 7636 appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_43_unreserved_characters_and_differ() {
        let (a, b) = (verifier(), verifier());
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, b);
    }
}
