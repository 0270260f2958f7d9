//! Users, owner set-up, sessions, API tokens and each user's favourite actions.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub is_owner: bool,
}

/// `GET /api/setup`: whether the designer must show "Create owner account".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupStatus {
    pub needs_owner: bool,
}

/// `POST /api/setup/owner` and `POST /api/users`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// The signed-in user and the token to send as `X-CSRF-Token` on state-changing requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: User,
    #[serde(default)]
    pub csrf_token: String,
}

/// `POST /api/tokens`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    /// The token itself: only in the response that creates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

// ---------------------------------------------------------------- favourites

/// `GET`/`PUT /api/me/favourites`: the caller's favourite actions, by action id
/// (`connector:<connector>/<operation>` or a standard action's id), in the order shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Favourites {
    pub actions: Vec<String>,
}

impl Favourites {
    /// The most favourites a user keeps.
    pub const MAX: usize = 500;
    /// The longest action id a favourite may be, in characters.
    pub const MAX_LEN: usize = 300;

    /// What is wrong with the list, naming the entry by index (never echoing its value).
    pub fn check(&self) -> Result<(), String> {
        if self.actions.len() > Self::MAX {
            return Err(format!(
                "actions: at most {} entries, not {}",
                Self::MAX,
                self.actions.len()
            ));
        }
        let mut seen = std::collections::HashMap::new();
        for (i, a) in self.actions.iter().enumerate() {
            let len = a.chars().count();
            if len == 0 || len > Self::MAX_LEN {
                return Err(format!(
                    "actions[{i}]: 1–{} characters, not {len}",
                    Self::MAX_LEN
                ));
            }
            if let Some(first) = seen.insert(a.as_str(), i) {
                return Err(format!("actions[{i}]: the same action as actions[{first}]"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn favourites_name_the_bad_entry() {
        let f = |v: &[&str]| Favourites {
            actions: v.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(f(&[]).check(), Ok(()));
        assert_eq!(f(&["connector:x/op", "variables.set"]).check(), Ok(()));
        assert!(f(&["a", ""])
            .check()
            .unwrap_err()
            .starts_with("actions[1]:"));
        let long = "é".repeat(301);
        assert!(f(&[&long]).check().unwrap_err().starts_with("actions[0]:"));
        assert_eq!(f(&[&"é".repeat(300)]).check(), Ok(()));
        assert_eq!(
            f(&["a", "b", "a"]).check(),
            Err("actions[2]: the same action as actions[0]".into())
        );
        let many: Vec<String> = (0..501).map(|i| format!("a{i}")).collect();
        assert!(Favourites { actions: many }.check().is_err());
        assert!(serde_json::from_str::<Favourites>(r#"{"actions":[],"x":1}"#).is_err());
    }
}
