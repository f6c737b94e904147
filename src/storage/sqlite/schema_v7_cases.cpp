// Schema migration: The feedback inbox (schema 7): cases opened with responses, their handling state, history (notes, status changes, replies) and full-text search.
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {

extern const std::string_view kSchemaV7Cases;
const std::string_view kSchemaV7Cases = R"sql(
-- One case per response that has an open comment, is free-form feedback or
-- carries a contact request (docs/workspace-api.md). The facts the inbox filters
-- on are copied from the response and its analysis; the texts here (excerpt,
-- cases_fts) are only ever the REDACTED texts: a response stored before its
-- analysis gets them when store_analysis replaces its texts.
CREATE TABLE cases (
  response_id       INTEGER PRIMARY KEY REFERENCES responses(id),
  unit              TEXT NOT NULL,
  touchpoint        TEXT NOT NULL,
  channel           TEXT NOT NULL,
  language          TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('contact_request', 'feedback', 'comment')),
  band              TEXT NOT NULL CHECK (band IN ('none', 'detractor', 'passive', 'promoter')),
  nps               INTEGER NOT NULL DEFAULT -1,
  has_contact       INTEGER NOT NULL DEFAULT 0,
  safety            INTEGER NOT NULL DEFAULT 0,
  alert             INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_handling', 'answered', 'closed', 'muistutus')),
  assignee_user     INTEGER REFERENCES users(id),
  assignee_unit     TEXT,
  opened_at         INTEGER NOT NULL,   -- the response's answered_at (ms UTC)
  due_at            INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  closed_at         INTEGER,
  alert_notified_at INTEGER,
  sentiment         TEXT NOT NULL DEFAULT '',
  themes            TEXT NOT NULL DEFAULT '[]',
  suggestion        INTEGER NOT NULL DEFAULT 0,
  excerpt           TEXT NOT NULL DEFAULT '',
  text_indexed      INTEGER NOT NULL DEFAULT 0   -- the redacted text is in excerpt and cases_fts
);
CREATE INDEX cases_unit_status_opened ON cases(unit, status, opened_at);
CREATE INDEX cases_opened ON cases(opened_at, response_id);
CREATE INDEX cases_open_due ON cases(due_at) WHERE status IN ('new', 'in_handling');
CREATE INDEX cases_alert_pending ON cases(response_id) WHERE alert = 1 AND alert_notified_at IS NULL;

-- The handling history of a case, oldest first; append-only like audit_log.
CREATE TABLE case_events (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases(response_id),
  at       INTEGER NOT NULL,
  user_id  INTEGER NOT NULL DEFAULT 0,   -- 0: the system (alerts)
  login    TEXT NOT NULL DEFAULT '',
  kind     TEXT NOT NULL CHECK (kind IN ('status', 'assign', 'note', 'reply', 'muistutus', 'alert')),
  text     TEXT NOT NULL DEFAULT '',
  status   TEXT NOT NULL DEFAULT ''      -- the case's status after the event
);
CREATE INDEX case_events_case ON case_events(case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: DELETE is not allowed'); END;

-- Full-text search over the redacted comment text; rowid = cases.response_id.
-- unicode61 without diacritics removal: 'ä' and 'ö' are letters of their own.
CREATE VIRTUAL TABLE cases_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 0');

-- Backfill: the responses stored before the inbox existed. Score band unknown
-- ('none', -1); due from the time stored: 14 days for contact requests, 30 otherwise.
INSERT INTO cases(response_id, unit, touchpoint, channel, language, kind, band, nps, has_contact,
                  status, opened_at, due_at, updated_at)
SELECT r.id, r.unit, r.touchpoint, r.channel, r.language,
       CASE WHEN c.response_id IS NOT NULL THEN 'contact_request'
            WHEN r.feedback_kind <> '' THEN 'feedback' ELSE 'comment' END,
       'none', -1, c.response_id IS NOT NULL, 'new', r.answered_at,
       r.created_at + (CASE WHEN c.response_id IS NOT NULL THEN 14 ELSE 30 END) * 86400000,
       r.created_at
FROM responses r LEFT JOIN contact_requests c ON c.response_id = r.id
WHERE c.response_id IS NOT NULL OR r.feedback_kind <> ''
   OR EXISTS (SELECT 1 FROM json_each(r.answers) WHERE type = 'text' AND value <> 'cant_say' AND value <> '');
-- Their analyses, where the response has been analysed (texts redacted).
UPDATE cases SET
  themes = coalesce((SELECT json_group_array(DISTINCT j.value)
                     FROM comment_insights i, json_each(i.themes) j WHERE i.response_id = cases.response_id), '[]'),
  sentiment = coalesce((SELECT sentiment FROM comment_insights i WHERE i.response_id = cases.response_id
                        ORDER BY question_key LIMIT 1), ''),
  suggestion = EXISTS (SELECT 1 FROM comment_insights i WHERE i.response_id = cases.response_id AND i.suggestion = 1),
  excerpt = substr(coalesce((SELECT group_concat(j.value, ' / ') FROM responses r, json_each(r.answers) j
                             WHERE r.id = cases.response_id AND j.type = 'text' AND j.value <> 'cant_say'
                               AND j.value <> ''), ''), 1, 200),
  text_indexed = 1
WHERE (SELECT text_analysed FROM responses r WHERE r.id = cases.response_id) = 1;
INSERT INTO cases_fts(rowid, text)
SELECT c.response_id, (SELECT group_concat(j.value, ' / ') FROM json_each(r.answers) j
                       WHERE j.type = 'text' AND j.value <> 'cant_say' AND j.value <> '')
FROM cases c JOIN responses r ON r.id = c.response_id
WHERE c.text_indexed = 1 AND EXISTS (SELECT 1 FROM json_each(r.answers) j
                                     WHERE j.type = 'text' AND j.value <> 'cant_say' AND j.value <> '');
)sql";

}  // namespace kaiku::storage::sqlite
