//! Everything that crosses the wire between the designer and the connector proxy, one file per
//! part: the API error body, the connector catalog (index and detail), users and sessions,
//! environments, connections, OAuth sign-in, connection references and deployment settings, and
//! short links' stored form. Request bodies refuse unknown fields. Every type is re-exported here,
//! so `connector::X` is the one path.

mod catalog;
mod connections;
mod environments;
mod errors;
mod oauth;
mod references;
mod shares;
mod users;

pub use catalog::*;
pub use connections::*;
pub use environments::*;
pub use errors::*;
pub use oauth::*;
pub use references::*;
pub use shares::*;
pub use users::*;
