-- Failed sign-ins per account ('user:<name>') and per client address ('addr:<ip>'), where every
-- replica sees them. An attempt is counted when it starts; past a few, each waits longer.
CREATE TABLE sign_in_throttle (
    key TEXT PRIMARY KEY,
    -- attempts that failed (or are being checked) since the window began
    failures INTEGER NOT NULL,
    -- when the last counted attempt started (the window restarts after an hour without one)
    last_at INTEGER NOT NULL,
    -- no attempt is checked before this time
    locked_until INTEGER NOT NULL
);
