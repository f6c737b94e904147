// Schema migration 10: outgoing e-mail (replies to customers, alerts to managers)
// and SMS replies to customers in the outbox.
// - `mail`: the mail outbox (storage/mail_store.hpp). The receiver's address and the
//   body are sealed BLOBs, set to NULL when the message is finished. `dedup_key`
//   ('' = none) makes alert queueing idempotent.
// - `outbox.kind` gains 'reply' (an SMS answer from staff to a customer's contact
//   request). SQLite cannot change a CHECK constraint in place, so the table is
//   rebuilt with the same columns in the same order (nothing references it).
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {

extern const std::string_view kSchemaV10Mail;
const std::string_view kSchemaV10Mail = R"sql(
CREATE TABLE mail (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('reply', 'alert')),
  case_id         INTEGER NOT NULL DEFAULT 0,
  user_id         INTEGER NOT NULL DEFAULT 0,
  dedup_key       TEXT NOT NULL DEFAULT '',
  sealed_to       BLOB,
  subject         TEXT NOT NULL,
  sealed_body     BLOB,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  last_detail     TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL
);
CREATE INDEX mail_due ON mail(state, next_attempt_at);
CREATE UNIQUE INDEX mail_dedup ON mail(dedup_key) WHERE dedup_key <> '';
CREATE INDEX mail_case ON mail(case_id);

CREATE TABLE outbox_v10 (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER REFERENCES events(id),
  contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  dialogue_id     INTEGER REFERENCES dialogues(id) ON DELETE SET NULL,
  invitation_id   TEXT NOT NULL,
  touchpoint      TEXT NOT NULL,
  unit            TEXT NOT NULL,
  kind            TEXT NOT NULL
    CHECK (kind IN ('invite', 'followup', 'thanks', 'reprompt', 'opt_out_confirm', 'reply')),
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
INSERT INTO outbox_v10(id, event_id, contact_id, dialogue_id, invitation_id, touchpoint, unit, kind, sealed_text,
  ucs2, state, attempts, created_at, not_before, next_attempt_at, expires_at, sent_at, delivered_at, reference,
  last_detail, last_dlr, updated_at)
SELECT id, event_id, contact_id, dialogue_id, invitation_id, touchpoint, unit, kind, sealed_text,
  ucs2, state, attempts, created_at, not_before, next_attempt_at, expires_at, sent_at, delivered_at, reference,
  last_detail, last_dlr, updated_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v10 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_event ON outbox(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX outbox_contact ON outbox(contact_id);
CREATE INDEX outbox_dialogue ON outbox(dialogue_id);
)sql";

}  // namespace kaiku::storage::sqlite
