//! Serving the built designer: hashed assets cached for a year, index.html revalidated, gzip
//! or brotli served precompressed when the browser accepts it, unknown paths falling back to the app.

use crate::common::{each_backend, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::io::Write;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A stored-block gzip member is enough for the server, which passes it through untouched.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.push(1);
    let len = bytes.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(bytes);
    out.extend_from_slice(&crc32(bytes).to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn get(path: &str, gzip_ok: bool) -> Request<Body> {
    let mut b = Request::builder()
        .uri(path)
        .header("host", "127.0.0.1:8080");
    if gzip_ok {
        b = b.header(header::ACCEPT_ENCODING, "gzip");
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn designer_files_have_cache_headers_and_precompressed_brotli_and_gzip() {
    each_backend(async |t| {
        let dist = t.dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Plugboard</title>",
        )
        .unwrap();
        let wasm = b"\0asm\x01\0\0\0 pretend module";
        let name = "plugboard-designer-0123456789abcdef_bg.wasm";
        std::fs::write(dist.join(name), wasm).unwrap();
        std::fs::File::create(dist.join(format!("{name}.gz")))
            .unwrap()
            .write_all(&gzip(wasm))
            .unwrap();

        let r = send(&t.app, get(&format!("/{name}"), true)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(
            r.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );

        // With a brotli file beside it, a browser that accepts br gets that (passed through:
        // these bytes only stand in for brotli output).
        let br = b"pretend brotli stream";
        std::fs::write(dist.join(format!("{name}.br")), br).unwrap();
        let mut req = get(&format!("/{name}"), true);
        req.headers_mut().insert(
            header::ACCEPT_ENCODING,
            "gzip, deflate, br".parse().unwrap(),
        );
        let r = send(&t.app, req).await;
        assert_eq!(r.headers[header::CONTENT_ENCODING], "br");
        assert_eq!(r.text.as_bytes(), br);
        let r = send(&t.app, get(&format!("/{name}"), true)).await;
        assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");

        let r = send(&t.app, get(&format!("/{name}"), false)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(r.text.as_bytes(), wasm);

        for path in ["/", "/index.html", "/some/deep/link"] {
            let r = send(&t.app, get(path, false)).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert_eq!(r.headers[header::CACHE_CONTROL], "no-cache", "{path}");
            assert!(r.text.contains("<title>Plugboard</title>"), "{path}");
        }
    })
    .await;
}
