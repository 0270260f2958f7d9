//! Connection references (per environment, by logical name), logical-name rules, and the
//! Power Platform deployment settings file that imports and exports them.

use super::ConnectionStatus;
use serde::{Deserialize, Serialize};

/// A named pointer to a connection in one environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionReference {
    pub logical_name: String,
    pub display_name: String,
    pub connector_id: String,
    /// Empty when unbound.
    #[serde(default)]
    pub connection_id: Option<String>,
    pub environment_id: String,
    /// The bound connection as the picker shows it (absent when unbound). Filled in every
    /// reference response, also when the caller may not use the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<BoundConnection>,
}

/// The connection a reference is bound to, as the reference picker shows it: never a secret,
/// nor more than Power Platform shows about someone else's connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundConnection {
    pub id: String,
    pub display_name: String,
    pub status: ConnectionStatus,
    /// The owner's display name.
    pub owner: String,
    /// Whether the caller may use it: owns it or it is shared with them.
    pub usable: bool,
}

/// `POST /api/environments/{env}/references`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConnectionReference {
    pub display_name: String,
    pub connector_id: String,
    /// Generated as `pb_<connector>_<4 hex>` when absent.
    #[serde(default)]
    pub logical_name: Option<String>,
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// `PATCH /api/environments/{env}/references/{logical_name}`. `connection_id: null` unbinds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionReferenceUpdate {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub logical_name: Option<String>,
    /// Absent: unchanged; `null` or `""`: unbind; an id: bind.
    #[serde(default, deserialize_with = "double_option")]
    pub connection_id: Option<Option<String>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A logical name for a new reference to `connector_id`: `pb_<connector>_<4 hex>`, the
/// connector part folded to lower-case letters, digits and `_` (the proxy and the designer both
/// propose names this way; `suffix` is random).
pub fn new_logical_name(connector_id: &str, suffix: u16) -> String {
    let mut base: String = connector_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    base.truncate(40);
    let base = base.trim_matches('_');
    let base = if base.is_empty() { "connector" } else { base };
    format!("pb_{base}_{suffix:04x}")
}

/// Is this a valid logical name? Letters, digits and `_`, starting with a letter, 3–64 long.
pub fn valid_logical_name(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------- deployment settings

/// The Power Platform deployment settings file (only its connection references).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentSettings {
    #[serde(rename = "ConnectionReferences", default)]
    pub connection_references: Vec<DeploymentReference>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentReference {
    #[serde(rename = "LogicalName")]
    pub logical_name: String,
    #[serde(rename = "ConnectionId", default)]
    pub connection_id: String,
    #[serde(rename = "ConnectorId")]
    pub connector_id: String,
}

/// What happened (or would have happened) to one entry of an imported settings file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentEntryReport {
    pub logical_name: String,
    /// `created`, `updated`, `unchanged` or `error`.
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// The answer to a deployment settings import: applied only when every entry is fine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentImportReport {
    pub applied: bool,
    pub entries: Vec<DeploymentEntryReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_logical_names_are_valid() {
        assert_eq!(
            new_logical_name("office365outlook", 0x7f3a),
            "pb_office365outlook_7f3a"
        );
        assert_eq!(
            new_logical_name("Contoso-Tickets", 1),
            "pb_contoso_tickets_0001"
        );
        assert_eq!(new_logical_name("--", 0xffff), "pb_connector_ffff");
        assert!(valid_logical_name(&new_logical_name(&"x".repeat(100), 9)));
    }

    #[test]
    fn logical_names() {
        assert!(valid_logical_name("pb_outlook_7f3a"));
        assert!(!valid_logical_name("1abc"));
        assert!(!valid_logical_name("pb outlook"));
        assert!(!valid_logical_name("pb"));
    }

    #[test]
    fn reference_update_distinguishes_null_from_absent() {
        let u: ConnectionReferenceUpdate =
            serde_json::from_str(r#"{"connection_id":null}"#).unwrap();
        assert_eq!(u.connection_id, Some(None));
        let u: ConnectionReferenceUpdate = serde_json::from_str("{}").unwrap();
        assert_eq!(u.connection_id, None);
        assert!(serde_json::from_str::<ConnectionReferenceUpdate>(r#"{"x":1}"#).is_err());
    }

    #[test]
    fn unbound_references_carry_no_connection() {
        let r = ConnectionReference {
            logical_name: "pb_x_0000".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(&r).unwrap();
        assert!(v.get("connection").is_none());
        let back: ConnectionReference = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn deployment_settings_shape() {
        let s: DeploymentSettings = serde_json::from_str(
            r#"{"ConnectionReferences":[{"LogicalName":"pb_x_0000","ConnectionId":"","ConnectorId":"x"}]}"#,
        )
        .unwrap();
        assert_eq!(s.connection_references[0].logical_name, "pb_x_0000");
    }
}
