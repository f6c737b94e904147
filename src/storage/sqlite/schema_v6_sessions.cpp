// Schema migration: Staff sign-in (schema 6): browser sessions, login failures and lock-out, TOTP second
// factors, users' e-mail addresses.
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {

extern const std::string_view kSchemaV6Sessions;
const std::string_view kSchemaV6Sessions = R"sql(
-- Staff browser sessions. Only the SHA-256 of the session id (the cookie) is
-- stored; the CSRF token is sent to the signed-in app and echoed in X-CSRF-Token.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  id_hash      TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

-- Failed sign-ins per login as typed (also unknown logins), and the lock-outs
-- they caused.
CREATE TABLE login_failures (
  id    INTEGER PRIMARY KEY,
  login TEXT NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX login_failures_login_at ON login_failures(login, at);
CREATE TABLE login_locks (
  login        TEXT PRIMARY KEY,
  locked_until INTEGER NOT NULL
);

-- Users: e-mail for alerts; the TOTP secret sealed with the server key
-- (nonce || box), enabled once confirmed; the last time step used (no replay).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_secret BLOB;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
)sql";

}  // namespace kaiku::storage::sqlite
