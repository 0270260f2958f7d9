-- The id of the key every secret in this database is sealed under: written by the first replica
-- to start, checked by every other (one with another key file refuses to start), moved by key
-- rotation in the transaction that re-encrypts the secrets.
CREATE TABLE secret_key (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    key_id TEXT NOT NULL
);
