#include "storage/sqlite/schema.hpp"

#include <string>

namespace kaiku::storage::sqlite {
namespace {

// Version 1: the foundation schema. Times are integer milliseconds since the Unix
// epoch, UTC. Enumerations are stored by their stable names (channel_name,
// language_tag, respondent_name, role_name).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE model_versions (
  version       TEXT PRIMARY KEY,
  model_json    TEXT NOT NULL,
  remembered_at INTEGER NOT NULL
);

CREATE TABLE invitations (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  touchpoint  TEXT NOT NULL,
  unit        TEXT NOT NULL,
  event_ref   TEXT NOT NULL,
  language    TEXT NOT NULL,
  channel     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);

-- Append-only: see the triggers below. Contact details are NOT here.
CREATE TABLE responses (
  id             INTEGER PRIMARY KEY,
  submission_key TEXT NOT NULL UNIQUE,
  model_version  TEXT NOT NULL,
  touchpoint     TEXT NOT NULL,
  unit           TEXT NOT NULL,
  survey         TEXT NOT NULL,
  channel        TEXT NOT NULL,
  language       TEXT NOT NULL,
  respondent     TEXT NOT NULL,
  answered_at    INTEGER NOT NULL,
  answers        TEXT NOT NULL CHECK (json_valid(answers)),
  invitation     TEXT REFERENCES invitations(id),
  supplements    INTEGER REFERENCES responses(id),
  feedback_kind  TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL
);
CREATE INDEX responses_unit_id ON responses(unit, id);
CREATE INDEX responses_touchpoint_id ON responses(touchpoint, id);
CREATE INDEX responses_answered_at ON responses(answered_at);
CREATE UNIQUE INDEX responses_invitation ON responses(invitation) WHERE invitation IS NOT NULL;

CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses
BEGIN SELECT RAISE(ABORT, 'responses are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER responses_no_delete BEFORE DELETE ON responses
BEGIN SELECT RAISE(ABORT, 'responses are append-only: DELETE is not allowed'); END;

-- Contact details a respondent left: kept apart from the answers, and deleted
-- when they expire (purge_expired_contacts).
CREATE TABLE contact_requests (
  response_id INTEGER PRIMARY KEY REFERENCES responses(id),
  name        TEXT NOT NULL,
  phone       TEXT NOT NULL,
  email       TEXT NOT NULL,
  consent     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX contact_requests_expires_at ON contact_requests(expires_at);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,
  scope_unit    TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Who read which response data when. Append-only like responses.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  login   TEXT NOT NULL,
  action  TEXT NOT NULL,
  object  TEXT NOT NULL,
  count   INTEGER NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;
)sql";

// Version 2: submission-key reuse and kiosk follow-ups.
// - `fingerprint`: SHA-256 of the response's canonical content
//   (storage/fingerprint.hpp). A submission key seen again with the same
//   fingerprint is a duplicate; with another fingerprint a conflict. Rows stored
//   before version 2 have none (NULL) and keep the old rule (any reuse = duplicate).
// - A used invitation forgets its outside event (event_ref = ''): append() clears
//   it when it consumes one; this migration clears it for those used before.
// - At most one follow-up per kiosk tap. append() looks for an existing
//   follow-up through `responses_supplements` (every follow-up, old or new), and
//   a partial UNIQUE index backs it up structurally. The UNIQUE index covers the
//   rows that have a fingerprint, i.e. every row written since version 2, so a
//   database written before it (which might already hold two follow-ups of one
//   tap: responses are append-only and cannot be cleaned up) still migrates.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE responses ADD COLUMN fingerprint TEXT;
CREATE INDEX responses_supplements ON responses(supplements) WHERE supplements IS NOT NULL;
CREATE UNIQUE INDEX responses_one_followup ON responses(supplements)
  WHERE supplements IS NOT NULL AND fingerprint IS NOT NULL;
UPDATE invitations SET event_ref = '' WHERE used_at IS NOT NULL;
)sql";

// Version 3: reporting (issue 3).
// - `age_group` on responses and invitations: the respondent's coarse age group
//   by its stable name (domain::age_group_name); rows from before are 'unknown'.
//   Adding a column with a constant default rewrites no row, so the append-only
//   triggers do not fire.
// - An invitation's sequence number (for the reporting engine's catch-up) is its
//   rowid: invitations is an ordinary rowid table, and rows are never deleted, so
//   rowids only grow. No new column is needed for it.
// - `store_meta`: facts about the database itself. `instance_id` (Store::instance_id)
//   is 128 random bits in lowercase hex, drawn once here: a copy of the file keeps
//   it, another database has another, so caches derived from the database (the
//   reporting engine's snapshot) can tell which database they belong to.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE responses ADD COLUMN age_group TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE invitations ADD COLUMN age_group TEXT NOT NULL DEFAULT 'unknown';
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO store_meta(key, value) VALUES('instance_id', lower(hex(randomblob(16))));
)sql";

}  // namespace

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all{kV1, kV2, kV3};
  return all;
}

Result<int> current_schema_version(Connection& conn) {
  auto exists = conn.query("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='schema_migrations'");
  if (!exists) return fail(exists.error());
  auto row = exists->step();
  if (!row) return fail(row.error());
  if (exists->int64(0) == 0) return 0;
  auto q = conn.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!q) return fail(q.error());
  row = q->step();
  if (!row) return fail(row.error());
  return static_cast<int>(q->int64(0));
}

Result<int> migrate(Connection& conn, std::int64_t now_ms) {
  Status s = conn.exec("BEGIN IMMEDIATE");
  if (!s) return fail(s.error());
  auto rollback_with = [&conn](Error e) -> Result<int> {
    (void)conn.exec("ROLLBACK");
    return fail(std::move(e));
  };
  s = conn.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  if (!s) return rollback_with(s.error());
  auto current = current_schema_version(conn);
  if (!current) return rollback_with(current.error());
  const int known = static_cast<int>(migrations().size());
  if (*current > known) {
    return rollback_with(Error::unavailable(
        "database schema version " + std::to_string(*current) + " is newer than this Kaiku understands (" +
        std::to_string(known) + "); upgrade Kaiku or use a matching data directory"));
  }
  for (int v = *current + 1; v <= known; ++v) {
    std::string sql(migrations()[static_cast<std::size_t>(v - 1)]);
    s = conn.exec(sql.c_str());
    if (!s) {
      Error e = s.error();
      e.message = "schema migration " + std::to_string(v) + " failed: " + e.message;
      return rollback_with(std::move(e));
    }
    auto ins = conn.query("INSERT INTO schema_migrations(version, applied_at) VALUES(?1, ?2)");
    if (!ins) return rollback_with(ins.error());
    auto done = ins->bind(1, static_cast<std::int64_t>(v)).bind(2, now_ms).run();
    if (!done) return rollback_with(done.error());
  }
  s = conn.exec("COMMIT");
  if (!s) return rollback_with(s.error());
  return known;
}

}  // namespace kaiku::storage::sqlite
