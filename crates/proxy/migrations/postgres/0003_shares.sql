-- Short links: ciphertexts the browser made (base64url); the key is only in the link. The id is
-- derived from the ciphertext's hash; a row never changes. A share outlives its creator (links
-- already sent keep opening).
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    ciphertext TEXT NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- Shares each user stored in an hour (Unix hours): the rate limit, shared by every replica.
CREATE TABLE share_quota (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hour BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (user_id, hour)
);
