//! OAuth 2.0 for connections (authorization code with PKCE S256): the owner's app registrations
//! (`app`), the provider's endpoints for a connector (`provider`), the state and verifier of a
//! sign-in (`pkce`), the token endpoint (`token`), and tokens kept fresh across replicas
//! (`refresh`). Tokens are sealed with the connection's other secrets (`secrets.rs` names them).

pub mod app;
pub mod pkce;
pub mod provider;
pub mod refresh;
pub mod token;

pub use crate::secrets::{is_token, ACCESS_TOKEN, REFRESH_TOKEN};
