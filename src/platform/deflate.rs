//! Raw deflate in the browser: `CompressionStream("deflate-raw")` and
//! `DecompressionStream("deflate-raw")`, which cost the wasm nothing (the codec's `miniz_oxide`
//! writes and reads the same streams natively). Inflating reads chunk by chunk and stops past
//! a size limit, so a decompression bomb costs no more than the limit.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, WritableStream,
};

// Declared here rather than through web-sys, which puts these behind
// `--cfg=web_sys_unstable_apis` (a flag that would rebuild every web-sys user).
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// Why inflating failed.
#[derive(Debug, PartialEq, Eq)]
pub enum InflateError {
    /// More than the limit came out.
    TooLarge,
    /// The stream ended before its last block.
    Truncated,
    /// Bytes after the last block, or data that is not deflate.
    Damaged(String),
}

/// `bytes` as a raw deflate stream.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let stream = CompressionStream::new("deflate-raw")
        .map_err(|_| "this browser cannot compress (CompressionStream)".to_string())?;
    let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
    read_all(&source(bytes)?.pipe_through(&pair), usize::MAX)
        .await
        .map_err(|e| format!("compressing failed: {e:?}"))
}

/// What the raw deflate `stream` inflates to, at most `limit` bytes.
pub async fn inflate(stream: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let inflater = DecompressionStream::new("deflate-raw").map_err(|_| {
        InflateError::Damaged("this browser cannot decompress (DecompressionStream)".into())
    })?;
    let pair = ReadableWritablePair::new(&inflater.readable(), &inflater.writable());
    let input = source(stream).map_err(InflateError::Damaged)?;
    read_all(&input.pipe_through(&pair), limit).await
}

fn source(bytes: &[u8]) -> Result<ReadableStream, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence(&parts)
        .map(|b| b.stream())
        .map_err(|_| "cannot read the data".to_string())
}

/// Every chunk of `stream`, stopping (and cancelling it) once more than `limit` bytes came.
async fn read_all(stream: &ReadableStream, limit: usize) -> Result<Vec<u8>, InflateError> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failure)?;
        if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
            return Ok(out);
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let bytes: Uint8Array = value.unchecked_into();
        if out.len() + bytes.length() as usize > limit {
            let _ = reader.cancel();
            return Err(InflateError::TooLarge);
        }
        let start = out.len();
        out.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[start..]);
    }
}

/// The browser's reason, sorted as the codec sorts it (Chromium: "Compressed input was
/// truncated.", "Junk found after end of compressed data.", otherwise bad data).
fn failure(e: JsValue) -> InflateError {
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default();
    if message.contains("truncated") {
        InflateError::Truncated
    } else if message.contains("Junk") {
        InflateError::Damaged("data follows the end of the compressed flow".into())
    } else {
        InflateError::Damaged("its compressed data is not valid".into())
    }
}
