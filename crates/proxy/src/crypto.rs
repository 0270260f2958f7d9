//! Secrets at rest: XChaCha20-Poly1305 with a random 192-bit nonce and the owning record's id as
//! associated data, under a 256-bit key kept in a file created with mode 0600. Each ciphertext
//! records the id of its key (a hash prefix), so a key rotation interrupted after the database
//! commit still decrypts with the pending key.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// One key and its id.
#[derive(Clone)]
pub struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Key {
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Key {
        let id = hex(&Sha256::digest(bytes)[..6]);
        Key {
            id,
            cipher: XChaCha20Poly1305::new(bytes.into()),
        }
    }

    pub fn random() -> Key {
        Key::from_bytes(&random_bytes::<KEY_LEN>())
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The keys the proxy can decrypt with; new ciphertexts use the first.
#[derive(Clone)]
pub struct Crypto {
    keys: Vec<Key>,
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("no key with id {0}")]
    UnknownKey(String),
    #[error("the secret cannot be decrypted (wrong key or tampered data)")]
    Decrypt,
    #[error("the secret is malformed")]
    Malformed,
}

impl Crypto {
    pub fn new(key: Key) -> Crypto {
        Crypto { keys: vec![key] }
    }

    pub fn with_fallback(mut self, key: Key) -> Crypto {
        self.keys.push(key);
        self
    }

    pub fn key_id(&self) -> &str {
        self.keys[0].id()
    }

    /// Whether one of the keys has this id.
    pub fn knows(&self, key_id: &str) -> bool {
        self.keys.iter().any(|k| k.id == key_id)
    }

    /// The same keys with `key_id`'s first (new ciphertexts use it), when it is one of them.
    pub fn preferring(mut self, key_id: &str) -> Crypto {
        if let Some(i) = self.keys.iter().position(|k| k.id == key_id) {
            let k = self.keys.remove(i);
            self.keys.insert(0, k);
        }
        self
    }

    /// Encrypt `plain` bound to `aad` (the record id). Returns base64(nonce || ciphertext).
    pub fn encrypt(&self, plain: &[u8], aad: &str) -> String {
        let nonce = random_bytes::<NONCE_LEN>();
        let ct = self.keys[0]
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        B64.encode(out)
    }

    pub fn decrypt(&self, blob: &str, key_id: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
        let key = self
            .keys
            .iter()
            .find(|k| k.id == key_id)
            .ok_or_else(|| CryptoError::UnknownKey(key_id.to_string()))?;
        let raw = B64.decode(blob).map_err(|_| CryptoError::Malformed)?;
        if raw.len() < NONCE_LEN + 16 {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        key.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Decrypt)
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).expect("the operating system's random source failed");
    b
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random token, URL-safe base64 of 32 bytes.
pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// SHA-256 of a token, hex: what the database keeps of sessions and API tokens.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The pending key file of a rotation: `<key file>.new`.
pub fn pending_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".new");
    PathBuf::from(p)
}

/// Read a key file (64 hex characters).
pub fn read_key(path: &Path) -> Result<Key, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
    let text = text.trim();
    if text.len() != KEY_LEN * 2 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "{}: the key file must hold 64 hexadecimal characters",
            path.display()
        ));
    }
    let mut bytes = [0u8; KEY_LEN];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).unwrap_or(0);
    }
    Ok(Key::from_bytes(&bytes))
}

/// Write a new random key file with mode 0600 (refusing to overwrite one) and return the key.
pub fn create_key_file(path: &Path) -> Result<Key, String> {
    let bytes = random_bytes::<KEY_LEN>();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| format!("cannot create the key file {}: {e}", path.display()))?;
    use std::io::Write;
    f.write_all(format!("{}\n", hex(&bytes)).as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write the key file {}: {e}", path.display()))?;
    Ok(Key::from_bytes(&bytes))
}

/// Load the key file (creating it when absent), plus a pending rotation key if one is left over.
pub fn load_or_create(path: &Path) -> Result<Crypto, String> {
    let key = if path.exists() {
        read_key(path)?
    } else {
        create_key_file(path)?
    };
    let mut crypto = Crypto::new(key);
    let pending = pending_path(path);
    if pending.exists() {
        crypto = crypto.with_fallback(read_key(&pending)?);
    }
    Ok(crypto)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_aad_binding() {
        let c = Crypto::new(Key::random());
        let blob = c.encrypt(b"hunter2", "conn-1");
        assert_eq!(c.decrypt(&blob, c.key_id(), "conn-1").unwrap(), b"hunter2");
        assert!(c.decrypt(&blob, c.key_id(), "conn-2").is_err());
        let other = Crypto::new(Key::random());
        assert!(other.decrypt(&blob, c.key_id(), "conn-1").is_err());
        assert!(c.decrypt("AAAA", c.key_id(), "conn-1").is_err());
    }

    #[test]
    fn key_file_is_private() {
        let dir = std::env::temp_dir().join(format!("pbkey-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("k");
        let k = create_key_file(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(read_key(&path).unwrap().id(), k.id());
        assert!(create_key_file(&path).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
