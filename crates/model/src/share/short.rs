//! Short links (`…/#/k/<id>.<key>`): the id the proxy stores a link's ciphertext under and the
//! AES-GCM key that opens it, both in the fragment so no server sees the key. Which kind of
//! link a fragment holds, and a short link's parts, read with clear errors.

use super::text::{base64url, from_base64url};
use super::{ShareError, MARK};
use crate::connector::{is_share_id, SHARE_ID_LEN};

/// What precedes a short link's id: `https://host/#/k/<id>.<key>`.
pub const SHORT_MARK: &str = "#/k/";

/// Bytes of a short link's AES-GCM key (AES-128: 22 characters in the link).
pub const KEY_BYTES: usize = 16;

/// A short link's parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortLink {
    pub id: String,
    pub key: [u8; KEY_BYTES],
}

impl ShortLink {
    /// The fragment to put after the origin: `#/k/<id>.<key>`.
    pub fn fragment(&self) -> String {
        format!("{SHORT_MARK}{}.{}", self.id, base64url(&self.key))
    }

    /// The short link in a whole link, its fragment, or `<id>.<key>` alone.
    pub fn parse(text: &str) -> Result<ShortLink, ShareError> {
        let text = text.trim();
        let rest = text
            .find(SHORT_MARK)
            .map_or(text, |i| &text[i + SHORT_MARK.len()..]);
        let Some((id, key)) = rest.split_once('.') else {
            return Err(if rest.len() <= SHARE_ID_LEN {
                ShareError::Truncated
            } else {
                ShareError::NotALink
            });
        };
        let key_chars = KEY_BYTES.div_ceil(3) * 4 - 2;
        if id.len() < SHARE_ID_LEN || key.len() < key_chars {
            return Err(ShareError::Truncated);
        }
        if !is_share_id(id) {
            return Err(ShareError::Damaged {
                detail: "its id is not one a short link has".into(),
            });
        }
        let damaged = || ShareError::Damaged {
            detail: "its key is not one a short link has".into(),
        };
        match from_base64url(key) {
            Ok((bytes, true)) if key.len() == key_chars => {
                let key = bytes.try_into().map_err(|_| damaged())?;
                Ok(ShortLink {
                    id: id.to_string(),
                    key,
                })
            }
            _ => Err(damaged()),
        }
    }
}

/// What a URL fragment opens, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fragment<'a> {
    /// `#/s/<payload>`: the whole flow in the link (not read yet).
    Link(&'a str),
    /// `#/k/<id>.<key>`: a short link, or why its parts are wrong.
    Short(Result<ShortLink, ShareError>),
}

/// The link in `location.hash`; `None` for a fragment that is no share link.
pub fn fragment(hash: &str) -> Option<Fragment<'_>> {
    if let Some(payload) = hash.strip_prefix(MARK) {
        return Some(Fragment::Link(payload));
    }
    hash.strip_prefix(SHORT_MARK)
        .map(|rest| Fragment::Short(ShortLink::parse(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_link_reads_back_and_bad_ones_say_why() {
        let link = ShortLink {
            id: "AbCdEfGhIjKlMnOpQrStUv".into(),
            key: [7; KEY_BYTES],
        };
        let frag = link.fragment();
        assert_eq!(frag.len(), 4 + 22 + 1 + 22);
        assert_eq!(ShortLink::parse(&frag), Ok(link.clone()));
        assert_eq!(
            ShortLink::parse(&format!("https://pb.example/{frag}")),
            Ok(link.clone())
        );
        assert_eq!(fragment(&frag), Some(Fragment::Short(Ok(link))));
        assert_eq!(fragment("#/s/pb1.abc"), Some(Fragment::Link("pb1.abc")));
        assert_eq!(fragment("#/elsewhere"), None);
        assert_eq!(fragment(""), None);

        // Cut short anywhere: incomplete, never a panic.
        for cut in 0..frag.len() {
            let err = ShortLink::parse(&frag[..cut]).unwrap_err();
            assert!(
                matches!(err, ShareError::Truncated | ShareError::NotALink),
                "{cut}: {err}"
            );
        }
        // A changed character in the key or id.
        let bad_key = format!("{}!", &frag[..frag.len() - 1]);
        assert!(matches!(
            ShortLink::parse(&bad_key),
            Err(ShareError::Damaged { .. })
        ));
        let bad_id = frag.replacen("AbC", "A+C", 1);
        assert!(matches!(
            ShortLink::parse(&bad_id),
            Err(ShareError::Damaged { .. })
        ));
        // A key with a non-canonical last character or of another length.
        let stray = format!("{}B", &frag[..frag.len() - 1]);
        assert!(matches!(
            ShortLink::parse(&stray),
            Err(ShareError::Damaged { .. })
        ));
        assert!(ShortLink::parse(&format!("{frag}AAAA")).is_err());
    }
}
