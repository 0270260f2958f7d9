//! A flow to a share link and back in the browser: the codec's `pack`/`Payload` with the
//! browser's raw deflate (or, built with the `links-miniz` feature, the codec's own
//! `miniz_oxide`: the alternative measured against it), and short links (AES-GCM in the
//! browser, the ciphertext stored by the proxy). Every failure is a sentence naming what is wrong.

use crate::api::{self, seg};
use crate::platform::aes;
use plugboard_model::connector::{ConnectionReference, ShareCiphertext, ShareId};
use plugboard_model::flow::Flow;
use plugboard_model::share::short::ShortLink;
use plugboard_model::share::text::{base64url, from_base64url};
use plugboard_model::share::{LinkLimits, ShareError, SharedFlow};

/// Links longer than this are offered a short link: Teams and bit.ly cut links at 2,048
/// characters, and the origin comes on top of the payload.
pub const SHORT_LINK_FROM: usize = 2_000;

/// The payload (`pb1.…`) for `flow`, with the display names of `environment`'s references.
#[cfg(not(feature = "links-miniz"))]
pub async fn encode(flow: &Flow, environment: &[ConnectionReference]) -> Result<String, String> {
    use plugboard_model::share::{pack, text};
    let packed = pack(flow, environment);
    Ok(text::write(
        &crate::platform::deflate::deflate(&packed).await?,
    ))
}

#[cfg(feature = "links-miniz")]
pub async fn encode(flow: &Flow, environment: &[ConnectionReference]) -> Result<String, String> {
    Ok(plugboard_model::share::encode_link(flow, environment))
}

/// The flow in a payload (or a whole link), within the codec's bounds.
pub async fn decode(text: &str) -> Result<SharedFlow, ShareError> {
    decode_within(text, &LinkLimits::DEFAULT).await
}

#[cfg(not(feature = "links-miniz"))]
async fn decode_within(text: &str, limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
    use crate::platform::deflate::{inflate, InflateError};
    let payload = plugboard_model::share::Payload::read(text, limits)?;
    let max = limits.flow.max_bytes;
    let framed = inflate(&payload.stream, max).await.map_err(|e| match e {
        InflateError::TooLarge => ShareError::FlowTooLarge { limit: max },
        InflateError::Truncated => ShareError::Truncated,
        InflateError::Damaged(detail) => ShareError::Damaged { detail },
    })?;
    payload.open(&framed, limits)
}

#[cfg(feature = "links-miniz")]
async fn decode_within(text: &str, limits: &LinkLimits) -> Result<SharedFlow, ShareError> {
    plugboard_model::share::decode_link_with(text, limits)
}

/// Encrypt `payload` under a fresh key, store the ciphertext and give the short link's
/// fragment (`#/k/<id>.<key>`).
pub async fn shorten(payload: &str) -> Result<String, String> {
    let (sealed, key) = aes::seal(payload.as_bytes()).await?;
    let body = ShareCiphertext {
        ciphertext: base64url(&sealed),
    };
    let stored: ShareId = api::post("/api/shares", &body)
        .await
        .map_err(|e| e.message)?;
    let key = key
        .try_into()
        .map_err(|_| "the key has the wrong size".to_string())?;
    Ok(ShortLink { id: stored.id, key }.fragment())
}

/// The flow behind a short link: fetch its ciphertext, open it with the link's key, decode.
pub async fn open_short(link: &ShortLink) -> Result<SharedFlow, String> {
    let stored: ShareCiphertext = api::get(&format!("/api/shares/{}", seg(&link.id)))
        .await
        .map_err(|e| match e.status {
            404 => "no shared flow has this id on this Plugboard: the link is wrong, or it was made on another Plugboard".to_string(),
            _ => e.message,
        })?;
    let sealed = from_base64url(&stored.ciphertext)
        .map(|(bytes, _)| bytes)
        .map_err(|_| "the stored shared flow is damaged".to_string())?;
    let plain = aes::open(&sealed, &link.key).await?.ok_or_else(|| {
        "the key in this link does not open its shared flow: the link was changed".to_string()
    })?;
    let payload =
        String::from_utf8(plain).map_err(|_| "the stored shared flow is not a link".to_string())?;
    decode(&payload).await.map_err(|e| e.to_string())
}
