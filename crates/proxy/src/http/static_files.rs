//! The built designer (`dist/`): Trunk names assets by content hash, so those are cached for a year;
//! `index.html` (and any unknown path, which falls back to it) is revalidated on every visit.
//! Files are served precompressed (brotli, else gzip) when the build left `.br`/`.gz` beside them.

use axum::http::{header, HeaderValue, Request};
use axum::response::Response;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Does a file name carry Trunk's content hash (`name-0123456789abcdef.ext`)?
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    // wasm-bindgen's output is `name-<hash>_bg.wasm`.
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn service(dir: &Path) -> axum::routing::MethodRouter {
    let index = dir.join("index.html");
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    axum::routing::get_service(CacheControl { inner: files })
}

/// Sets `Cache-Control` from the request path once the response is known.
#[derive(Clone)]
struct CacheControl<S> {
    inner: S,
}

impl<S, B> tower::Service<Request<B>> for CacheControl<S>
where
    S: tower::Service<
            Request<B>,
            Response = Response<tower_http::services::fs::ServeFileSystemResponseBody>,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<tower_http::services::fs::ServeFileSystemResponseBody>;
    type Error = S::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, S::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let hashed = is_hashed(req.uri().path());
        let fut = self.inner.call(req);
        Box::pin(async move {
            let mut res = fut.await?;
            let value = if hashed && res.status().is_success() {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
            Ok(res)
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_names() {
        assert!(super::is_hashed(
            "/plugboard-designer-5c2b7e1f0a9d3e4b_bg.wasm"
        ));
        assert!(super::is_hashed("/style-0123456789abcdef.css"));
        assert!(!super::is_hashed("/index.html"));
        assert!(!super::is_hashed("/"));
    }
}
