-- OAuth 2.0 sign-in (issue 10 section 2).
-- The owner's app registration per connector. `secret` is the client secret sealed like a
-- connection's secrets (AEAD, `oauth-app:<connector id>` as associated data) under `key_id`.
-- `tenant` overrides an aad connector's tenant or authority; `extra_scopes` is space separated.
CREATE TABLE oauth_apps (
    connector_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    secret TEXT,
    key_id TEXT,
    tenant TEXT NOT NULL DEFAULT '',
    extra_scopes TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- Sign-ins in flight: single-use (deleted by the callback that uses them), expiring, bound to
-- the user and the connection; the PKCE verifier sealed under `key_id` (the state hash as
-- associated data). Kept in the database so that any replica can finish the dance.
DROP TABLE oauth_states;
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    verifier TEXT NOT NULL,
    key_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states(expires_at);

-- Token refresh across replicas: `oauth_generation` counts token changes (compare-and-set), and
-- `oauth_lease_until` is the time until which one replica holds the right to call the token
-- endpoint for the connection.
ALTER TABLE connections ADD COLUMN oauth_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connections ADD COLUMN oauth_lease_until BIGINT;
