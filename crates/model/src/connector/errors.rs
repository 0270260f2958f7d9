//! The body of every API error response, shared by the proxy (which writes it) and the designer.

use serde::{Deserialize, Serialize};

/// The body of every error response: `{"error":{"code":"…","message":"…"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiError,
}

/// A machine-readable code (`not_found`, `conflict`, `validation`, …) and a human sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// Extra facts for some codes, e.g. the references that bind a connection (`connection_in_use`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}
