-- Plugboard proxy schema. Times are Unix seconds; flags are 0/1 integers (the same on PostgreSQL).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_owner BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- At most one owner: two concurrent "Create owner account" requests cannot both win.
CREATE UNIQUE INDEX users_one_owner ON users(is_owner) WHERE is_owner = 1;

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE environment_members (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (environment_id, user_id)
);

-- Secrets live only in `secret` (AEAD ciphertext, base64 of nonce || ciphertext, the connection id
-- as associated data) under the key named by `key_id`. `oauth_expires_at` is for token refresh.
CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connector_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    parameter_set TEXT NOT NULL,
    settings TEXT NOT NULL,
    secret TEXT,
    key_id TEXT,
    status TEXT NOT NULL,
    status_message TEXT,
    oauth_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX connections_owner ON connections(owner_id);

CREATE TABLE connection_shares (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (connection_id, user_id)
);

CREATE TABLE connection_references (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    logical_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    connector_id TEXT NOT NULL,
    connection_id TEXT REFERENCES connections(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (environment_id, logical_name)
);
CREATE INDEX references_connection ON connection_references(connection_id);

-- OAuth 2.0 sign-in in flight (the later execution/OAuth issue): state and PKCE verifier.
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    verifier TEXT NOT NULL,
    key_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
