CREATE TABLE feature_flags (
  name TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL DEFAULT 0
);
INSERT INTO feature_flags (name, enabled) VALUES ('new_feed', 1);
