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

// Version 4: SMS outreach after visits (issue 4). Nothing here holds a plain phone
// number, identity code or token: persons, numbers and visits are keyed hashes
// (security/sealer.hpp), numbers and message texts are sealed BLOBs.
// - `responses.late`: an SMS reply stored after its dialogue had expired
//   (domain::Response::late). A constant default rewrites no row.
// - `events`: every event from the three doors with its decision and reasons
//   (reason names joined by ','). Kept; they hold no personal data.
// - `contacts`: sealed numbers the channel needs, deleted at `expires_at`
//   (purge_outreach); outbox and dialogue rows then lose their contact_id.
// - `dialogues`: reply-mode conversations; their contact goes at `expires_at`,
//   the row (keyed hashes, no number) SqliteOptions::dialogue_retention later, so
//   that late replies are recognised. `person_key` (keyed hash, '' when unknown)
//   lets an opt-out by reply block the person on other numbers too.
//   `last_mo_id` is the gateway's id of the last reply applied ('' when not
//   given), so a redelivered reply is not taken twice.
// - `outbox`: the SMS state machine (storage/outreach_store.hpp). `last_dlr` is
//   the type of the last delivery report (NULL when none came). `sealed_text` is
//   set to NULL once the message is finished and its contact is gone.
// - `person_history`: what contact caps, follow-up and daily caps look at; rows
//   older than SqliteOptions::person_history_retention are deleted. Keyed by the
//   person and by the number (`number_key`), so that the caps also hold for
//   events that carry no identity code.
// - `daily_counts`: events scheduled per touchpoint and send day (the daily cap);
//   days two days older than the history retention are deleted with it.
// - `opt_outs`: numbers and persons (keyed hashes) that refused survey messages.
// - `invitations.seq`: the sequence number the reporting engine reads invitations
//   by (InvitationRepository::list), until now the rowid. It is now assigned when
//   an invitation becomes visible to reports: at create() for invitations made
//   there, and for SMS invitations (created NULL by schedule) only when their
//   invitation SMS is handed over to the gateway -- so that the invitations of
//   cancelled visits and of messages never sent do not count in response rates.
//   Existing rows keep their rowid as seq; new ones take max(seq) + 1 in the
//   writer's transaction, so seqs grow in commit order.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE responses ADD COLUMN late INTEGER NOT NULL DEFAULT 0;

ALTER TABLE invitations ADD COLUMN seq INTEGER;
UPDATE invitations SET seq = rowid;
CREATE UNIQUE INDEX invitations_seq ON invitations(seq);

CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  source       TEXT NOT NULL,
  sender       TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  dedup_key    TEXT NOT NULL,
  visit_key    TEXT NOT NULL,
  trigger_code TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  visit_time   INTEGER,
  unit         TEXT NOT NULL,
  touchpoint   TEXT NOT NULL,
  decision     TEXT NOT NULL
    CHECK (decision IN ('scheduled', 'excluded', 'unmapped', 'duplicate', 'rejected')),
  reasons      TEXT NOT NULL,
  detail       TEXT NOT NULL,
  duplicate_of INTEGER REFERENCES events(id),
  send_at      INTEGER
);
CREATE INDEX events_dedup_key ON events(dedup_key);
CREATE INDEX events_visit_key ON events(visit_key);
CREATE INDEX events_received_at ON events(received_at);
CREATE INDEX events_unit_id ON events(unit, id);

CREATE TABLE contacts (
  id            INTEGER PRIMARY KEY,
  number_key    TEXT NOT NULL,
  sealed_number BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX contacts_number_key ON contacts(number_key);
CREATE INDEX contacts_expires_at ON contacts(expires_at);

CREATE TABLE dialogues (
  id            INTEGER PRIMARY KEY,
  contact_id    INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  event_id      INTEGER REFERENCES events(id),
  number_key    TEXT NOT NULL,
  person_key    TEXT NOT NULL DEFAULT '',
  invitation_id TEXT NOT NULL,
  touchpoint    TEXT NOT NULL,
  unit          TEXT NOT NULL,
  language      TEXT NOT NULL,
  age_group     TEXT NOT NULL,
  state         TEXT NOT NULL
    CHECK (state IN ('awaiting_score', 'awaiting_comment', 'done', 'expired')),
  reprompted    INTEGER NOT NULL DEFAULT 0,
  response_id   INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_mo_id    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dialogues_number_key ON dialogues(number_key, id);
CREATE INDEX dialogues_contact ON dialogues(contact_id);
CREATE INDEX dialogues_expires_at ON dialogues(expires_at);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER REFERENCES events(id),
  contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  dialogue_id     INTEGER REFERENCES dialogues(id) ON DELETE SET NULL,
  invitation_id   TEXT NOT NULL,
  touchpoint      TEXT NOT NULL,
  unit            TEXT NOT NULL,
  kind            TEXT NOT NULL
    CHECK (kind IN ('invite', 'followup', 'thanks', 'reprompt', 'opt_out_confirm')),
  sealed_text     BLOB,
  ucs2            INTEGER NOT NULL,
  state           TEXT NOT NULL
    CHECK (state IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'expired', 'cancelled', 'uncertain')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  not_before      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  delivered_at    INTEGER,
  reference       TEXT NOT NULL UNIQUE,
  last_detail     TEXT NOT NULL DEFAULT '',
  last_dlr        INTEGER,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_event ON outbox(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX outbox_contact ON outbox(contact_id);
CREATE INDEX outbox_dialogue ON outbox(dialogue_id);

CREATE TABLE person_history (
  id           INTEGER PRIMARY KEY,
  person_key   TEXT NOT NULL,
  touchpoint   TEXT NOT NULL,
  visit_time   INTEGER NOT NULL,
  send_day     TEXT NOT NULL,
  scheduled_at INTEGER NOT NULL,
  event_id     INTEGER NOT NULL REFERENCES events(id),
  number_key   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_history_person ON person_history(person_key, scheduled_at);
CREATE INDEX person_history_number ON person_history(number_key, scheduled_at);
CREATE INDEX person_history_event ON person_history(event_id);
CREATE INDEX person_history_scheduled_at ON person_history(scheduled_at);

-- Events scheduled per touchpoint and local send day (the daily cap), kept in
-- step with person_history by schedule and cancel_visit: a count that does not
-- grow with the day's volume.
CREATE TABLE daily_counts (
  touchpoint TEXT NOT NULL,
  send_day   TEXT NOT NULL,
  scheduled  INTEGER NOT NULL,
  PRIMARY KEY (touchpoint, send_day)
) WITHOUT ROWID;

CREATE TABLE opt_outs (
  id         INTEGER PRIMARY KEY,
  number_key TEXT NOT NULL,
  person_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (number_key <> '' OR person_key <> ''),
  UNIQUE (number_key, person_key)
);
CREATE INDEX opt_outs_person_key ON opt_outs(person_key);
)sql";

// Version 5: free text (issue 6). The original of an open answer never reaches a
// staff member: the service layer redacts it, analyses it (language, sentiment,
// themes, suggestion, the kinds of personal data redacted) and seals the original
// with the server's key (security::Sealer) before it reaches storage.
// - `comment_insights`: the analysis of one open-text answer, per (response,
//   question). `themes` and `placeholders` are JSON arrays of strings;
//   `sentiment` is domain::sentiment_name. Returned with the response.
// - `sealed_originals`: the sealed original of a redacted answer (opaque bytes),
//   deleted at `expires_at` (the model's original_retention_days) by
//   purge_expired_originals and the store's periodic purge. Read only through
//   CommentRepository::originals.
// - `responses.text_analysed`: 1 when every non-empty open-text answer of the
//   response has an insight (or CommentRepository::store_analysis has stored the
//   analysis), 0 when it needs analysis. The column is added with default 1 (no
//   row is rewritten), then rows whose answers hold a text (a JSON string other
//   than "cant_say" and "") are marked 0. The partial index
//   `responses_needing_analysis` holds exactly the rows still to analyse, so
//   needing_analysis is a range scan over them alone.
// - Responses stay append-only except for one step: store_analysis replaces the
//   answers (texts by their redacted form) of a row with text_analysed = 0 while
//   setting it to 1, once, and with them the fingerprint (recomputed over the
//   redacted texts, so that no hash of an original text stays). `responses_no_update`
//   now fires on an UPDATE of any other column; `responses_analysed_once` refuses
//   any other change of answers, fingerprint or text_analysed.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE responses ADD COLUMN text_analysed INTEGER NOT NULL DEFAULT 1;
DROP TRIGGER responses_no_update;
UPDATE responses SET text_analysed = 0
  WHERE EXISTS (SELECT 1 FROM json_each(responses.answers)
                WHERE type = 'text' AND value <> 'cant_say' AND value <> '');
CREATE TRIGGER responses_no_update
BEFORE UPDATE OF id, submission_key, model_version, touchpoint, unit, survey, channel, language, respondent,
  answered_at, invitation, supplements, feedback_kind, created_at, age_group, late ON responses
BEGIN SELECT RAISE(ABORT, 'responses are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER responses_analysed_once BEFORE UPDATE OF answers, fingerprint, text_analysed ON responses
WHEN OLD.text_analysed <> 0 OR NEW.text_analysed IS NOT 1
BEGIN SELECT RAISE(ABORT, 'responses are append-only: only the open-text answers of a response not yet analysed may be replaced, once'); END;
CREATE INDEX responses_needing_analysis ON responses(id) WHERE text_analysed = 0;

CREATE TABLE comment_insights (
  response_id  INTEGER NOT NULL REFERENCES responses(id),
  question_key TEXT NOT NULL,
  language     TEXT NOT NULL,
  sentiment    TEXT NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative', 'mixed')),
  themes       TEXT NOT NULL CHECK (json_valid(themes)),
  suggestion   INTEGER NOT NULL,
  placeholders TEXT NOT NULL CHECK (json_valid(placeholders)),
  PRIMARY KEY (response_id, question_key)
) WITHOUT ROWID;

CREATE TABLE sealed_originals (
  response_id  INTEGER NOT NULL REFERENCES responses(id),
  question_key TEXT NOT NULL,
  sealed       BLOB NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (response_id, question_key)
) WITHOUT ROWID;
CREATE INDEX sealed_originals_expires_at ON sealed_originals(expires_at);
)sql";

}  // namespace

// Migrations 6.. live in their own files (schema_v6_sessions.cpp, ...).
extern const std::string_view kSchemaV6Sessions;
extern const std::string_view kSchemaV7Cases;
extern const std::string_view kSchemaV8Actions;
extern const std::string_view kSchemaV9ModelPublications;
extern const std::string_view kSchemaV10Mail;

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all{kV1,
                                                 kV2,
                                                 kV3,
                                                 kV4,
                                                 kV5,
                                                 kSchemaV6Sessions,
                                                 kSchemaV7Cases,
                                                 kSchemaV8Actions,
                                                 kSchemaV9ModelPublications,
                                                 kSchemaV10Mail};
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
