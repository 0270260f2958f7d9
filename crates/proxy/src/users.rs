//! User rows, shared by the resources that make or list users: a new user built from a request
//! (its display name defaulting to the user name) and inserted, and users listed, all of them or
//! those joined through a membership table (connection shares, environment members).

use crate::auth::{user_from_row, validate_username};
use crate::db::{new_id, now, Db};
use crate::error::{ApiError, ApiResult};
use crate::passwords::{self, Passwords};
use plugboard_model::connector::{NewUser, User};

/// A table that links users to something: the users a connection is shared with (use-only),
/// or the members of an environment.
#[derive(Clone, Copy)]
pub enum Link<'a> {
    SharedConnection(&'a str),
    EnvironmentMember(&'a str),
}

impl Link<'_> {
    /// The table, its column naming the thing linked, and that thing's id.
    fn parts(&self) -> (&'static str, &'static str, &str) {
        match *self {
            Link::SharedConnection(id) => ("connection_shares", "connection_id", id),
            Link::EnvironmentMember(id) => ("environment_members", "environment_id", id),
        }
    }
}

/// Every user (`None`) or those linked through `link`, ordered by user name.
pub async fn list(db: &Db, link: Option<Link<'_>>) -> ApiResult<Vec<User>> {
    const COLUMNS: &str = "SELECT u.id AS id, u.username AS username, \
        u.display_name AS display_name, u.is_owner AS is_owner";
    let (sql, key) = match link.as_ref().map(Link::parts) {
        None => (format!("{COLUMNS} FROM users u ORDER BY u.username"), None),
        Some((table, column, key)) => (
            format!(
                "{COLUMNS} FROM {table} j JOIN users u ON u.id = j.user_id \
                 WHERE j.{column} = $1 ORDER BY u.username"
            ),
            Some(key),
        ),
    };
    let mut q = sqlx::query(&sql);
    if let Some(key) = key {
        q = q.bind(key);
    }
    let rows = q.fetch_all(db).await?;
    Ok(rows
        .iter()
        .map(|r| user_from_row(r, ""))
        .collect::<Result<_, _>>()?)
}

/// Link user `user` through `to` (a share or a membership); already there is fine, an unknown user is
/// a 404.
pub async fn add(db: &Db, to: Link<'_>, user: &str) -> ApiResult<()> {
    let (table, column, key) = to.parts();
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(db)
        .await?;
    if exists == 0 {
        return Err(ApiError::not_found("user"));
    }
    sqlx::query(&format!(
        "INSERT INTO {table} ({column}, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    ))
    .bind(key)
    .bind(user)
    .execute(db)
    .await?;
    Ok(())
}

/// Unlink user `user` from `from`; `what` names the link in the 404 when there was none.
pub async fn remove(db: &Db, from: Link<'_>, user: &str, what: &str) -> ApiResult<()> {
    let (table, column, key) = from.parts();
    let done = sqlx::query(&format!(
        "DELETE FROM {table} WHERE {column} = $1 AND user_id = $2"
    ))
    .bind(key)
    .bind(user)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found(what));
    }
    Ok(())
}

/// Check a new user's name and password (before anything costly, such as hashing).
pub fn validate(body: &NewUser) -> ApiResult<()> {
    validate_username(&body.username)?;
    passwords::validate(&body.password, &body.username)
}

/// A new user from a validated request, with its password hash; the display name defaults to
/// the user name.
pub async fn build(
    passwords: &Passwords,
    body: NewUser,
    is_owner: bool,
) -> ApiResult<(User, String)> {
    let hash = passwords.hash(body.password).await?;
    let user = User {
        id: new_id(),
        display_name: body
            .display_name
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| body.username.clone()),
        username: body.username,
        is_owner,
    };
    Ok((user, hash))
}

/// Insert a user built by [`build`]; a taken user name is an [`ApiError::Conflict`].
pub async fn insert(conn: &mut sqlx::AnyConnection, user: &User, hash: &str) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, is_owner, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(hash)
    .bind(i64::from(user.is_owner))
    .bind(now())
    .execute(conn)
    .await
    .map_err(ApiError::from)?;
    Ok(())
}
