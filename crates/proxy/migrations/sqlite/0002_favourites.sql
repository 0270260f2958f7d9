-- Each user's favourite actions (action ids), in the order the designer shows them.
CREATE TABLE user_favourites (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (user_id, position),
    UNIQUE (user_id, action)
);
