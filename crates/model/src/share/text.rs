//! The payload's text: `pb<version>.`, then the compressed frame in base64url without padding
//! (RFC 4648 §5), whose characters a URL fragment carries as they are. The version stands before
//! the data, so a link of a newer format (even one compressed another way) says so.

use super::{ShareError, VERSION};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// What every payload of this build starts with: `pb1.`.
fn head() -> String {
    format!("pb{VERSION}.")
}

/// The payload for a compressed frame.
pub fn write(stream: &[u8]) -> String {
    let mut out = head();
    push_base64url(&mut out, stream);
    out
}

/// `bytes` in base64url without padding (a short link's id and key, its ciphertext).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    push_base64url(&mut out, bytes);
    out
}

fn push_base64url(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // 1, 2 or 3 bytes make 2, 3 or 4 characters.
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
}

/// The bytes of base64url text without padding and whether its last character is the one
/// `base64url` gives for them (unused low bits zero), or the byte offset of the first
/// character that is not base64url.
pub fn from_base64url(data: &str) -> Result<(Vec<u8>, bool), usize> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, &b) in data.as_bytes().iter().enumerate() {
        let v = sextet(b).ok_or(i)?;
        acc = (acc << 6 | u32::from(v)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok((out, acc & ((1 << bits) - 1) == 0))
}

/// The compressed frame in a payload, and whether its last character is the one `write` gives
/// for those bytes (unused low bits zero). A cut-off link usually ends in a character that is not,
/// so the caller first lets inflation report the cut, and only then calls a stray one a change.
pub fn read(payload: &str) -> Result<(Vec<u8>, bool), ShareError> {
    let data = version(payload)?;
    if data.is_empty() || data.len() % 4 == 1 {
        // No whole byte in the last character: base64 never ends so; a cut often does.
        return Err(ShareError::Truncated);
    }
    let start = payload.len() - data.len();
    from_base64url(data).map_err(|i| {
        let c = payload[start + i..].chars().next().unwrap_or('?');
        ShareError::Damaged {
            detail: format!(
                "the character {c:?} at position {} cannot be part of a link",
                start + i + 1
            ),
        }
    })
}

/// The data after `pb<version>.`, when the version is this build's.
fn version(payload: &str) -> Result<&str, ShareError> {
    if head().starts_with(payload) {
        return Err(ShareError::Truncated);
    }
    let rest = payload.strip_prefix("pb").ok_or(ShareError::NotALink)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (number, after) = rest.split_at(digits);
    let Some(data) = after.strip_prefix('.') else {
        return Err(if after.is_empty() {
            ShareError::Truncated
        } else {
            ShareError::NotALink
        });
    };
    // Written in decimal, without leading zeros, from 1 up.
    match number.parse::<u32>() {
        Ok(v) if v == VERSION && number == VERSION.to_string() => Ok(data),
        Ok(v) if v > VERSION && !number.starts_with('0') => {
            Err(ShareError::NewerVersion { found: v })
        }
        _ => Err(ShareError::NotALink),
    }
}

fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_reads_back_every_length() {
        let bytes: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        for n in 0..bytes.len() {
            let text = write(&bytes[..n]);
            assert!(text.starts_with("pb1."));
            assert_eq!(text.len(), 4 + (n * 4).div_ceil(3), "{n}");
            if n > 0 {
                assert_eq!(read(&text).unwrap(), (bytes[..n].to_vec(), true), "{n}");
            }
        }
        // RFC 4648's test vectors, in the URL alphabet.
        assert_eq!(write(b"foobar"), "pb1.Zm9vYmFy");
        assert_eq!(write(b"fooba"), "pb1.Zm9vYmE");
        assert_eq!(write(&[0xfb, 0xff]), "pb1.-_8");
    }

    #[test]
    fn a_stray_last_character_is_flagged() {
        // "Zm8" holds "fo" and two zero bits; "Zm9" sets one of them.
        assert_eq!(read("pb1.Zm8").unwrap(), (b"fo".to_vec(), true));
        assert_eq!(read("pb1.Zm9").unwrap(), (b"fo".to_vec(), false));
    }

    #[test]
    fn versions_and_characters_are_named() {
        let err = |t: &str| read(t).unwrap_err();
        assert_eq!(err("pb2.Zm9v"), ShareError::NewerVersion { found: 2 });
        assert_eq!(err("pb10.Zm9v"), ShareError::NewerVersion { found: 10 });
        for not_ours in [
            "hello",
            "pb.Zm9v",
            "pb0.Zm9v",
            "pb01.Zm9v",
            "pbx",
            "pb99999999999.x",
        ] {
            assert_eq!(err(not_ours), ShareError::NotALink, "{not_ours}");
        }
        for cut in ["", "p", "pb", "pb1", "pb1.", "pb12", "pb1.Z", "pb1.Zm9vY"] {
            assert_eq!(err(cut), ShareError::Truncated, "{cut}");
        }
        assert_eq!(
            err("pb1.Zm9v\u{200b}").to_string(),
            "the link is damaged or was changed: the character '\\u{200b}' at position 9 cannot \
             be part of a link"
        );
        assert_eq!(
            err("pb1.Zm=v").to_string(),
            "the link is damaged or was changed: the character '=' at position 7 cannot be part \
             of a link"
        );
    }
}
