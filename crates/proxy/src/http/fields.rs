//! Request parts that several resources read the same way: a list's `?connector=` filter and a
//! display name.

use crate::error::{ApiError, ApiResult};
use serde::Deserialize;

/// `?connector=ID` on a list: only that connector's entries (absent or empty: all).
#[derive(Deserialize)]
pub struct ConnectorFilter {
    connector: Option<String>,
}

impl ConnectorFilter {
    /// The connector id to bind in `($n = '' OR … = $n)`: empty when there is no filter.
    pub fn bind_value(self) -> String {
        self.connector.unwrap_or_default()
    }
}

/// A display name: trimmed, 1–200 characters.
pub fn display_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::Validation(
            "display_name: 1–200 characters".into(),
        ));
    }
    Ok(name.to_string())
}
