//! AES-GCM through WebCrypto for short links: a fresh random 128-bit key per link, a random
//! 96-bit nonce before the ciphertext. The key never leaves the browser except in the link.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, SubtleCrypto};

/// Bytes of the nonce stored before the ciphertext.
const NONCE: usize = 12;

fn crypto() -> Result<web_sys::Crypto, String> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| "this browser has no WebCrypto".to_string())
}

fn subtle() -> Result<SubtleCrypto, String> {
    Ok(crypto()?.subtle())
}

/// `n` random bytes from the browser's secure generator.
fn random(n: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0u8; n];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| "no secure random numbers".to_string())?;
    Ok(bytes)
}

async fn key(raw: &[u8]) -> Result<CryptoKey, String> {
    let algorithm = Object::new();
    let _ = Reflect::set(&algorithm, &"name".into(), &"AES-GCM".into());
    let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
    let promise = subtle()?
        .import_key_with_object("raw", &Uint8Array::from(raw), &algorithm, false, &usages)
        .map_err(|_| "the key cannot be used".to_string())?;
    JsFuture::from(promise)
        .await
        .map(JsValue::unchecked_into)
        .map_err(|_| "the key cannot be used".to_string())
}

fn params(nonce: &[u8]) -> AesGcmParams {
    AesGcmParams::new("AES-GCM", &Uint8Array::from(nonce))
}

/// `plain` sealed under a fresh key: (nonce + ciphertext + tag, the key).
pub async fn seal(plain: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let raw = random(16)?;
    let nonce = random(NONCE)?;
    let promise = subtle()?
        .encrypt_with_object_and_u8_array(&params(&nonce), &key(&raw).await?, plain)
        .map_err(|_| "encrypting failed".to_string())?;
    let sealed = JsFuture::from(promise)
        .await
        .map_err(|_| "encrypting failed".to_string())?;
    let mut out = nonce;
    out.extend(Uint8Array::new(&sealed).to_vec());
    Ok((out, raw))
}

/// What `seal` sealed, or `None` when the key is not the one it was sealed under (or the
/// ciphertext was changed: AES-GCM cannot tell the two apart).
pub async fn open(sealed: &[u8], raw_key: &[u8]) -> Result<Option<Vec<u8>>, String> {
    if sealed.len() <= NONCE {
        return Ok(None);
    }
    let (nonce, data) = sealed.split_at(NONCE);
    let promise = subtle()?
        .decrypt_with_object_and_u8_array(&params(nonce), &key(raw_key).await?, data)
        .map_err(|_| "decrypting failed".to_string())?;
    Ok(JsFuture::from(promise)
        .await
        .ok()
        .map(|plain| Uint8Array::new(&plain).to_vec()))
}
