//! OAuth 2.0 for connections (authorization code with PKCE S256): the owner's app registrations
//! (`app`), the provider's endpoints for a connector (`provider`), the state and verifier of a
//! sign-in (`pkce`), the token endpoint (`token`), and tokens kept fresh across replicas
//! (`refresh`). Tokens are sealed with the connection's other secrets, under the names below.

pub mod app;
pub mod pkce;
pub mod provider;
pub mod refresh;
pub mod token;

/// The access token's name among a connection's sealed secrets.
pub const ACCESS_TOKEN: &str = "oauth:access_token";
/// The refresh token's name among a connection's sealed secrets.
pub const REFRESH_TOKEN: &str = "oauth:refresh_token";

/// Whether a sealed secret's name is one of the sign-in's tokens (not a field the user typed).
pub fn is_token(name: &str) -> bool {
    name == ACCESS_TOKEN || name == REFRESH_TOKEN
}
