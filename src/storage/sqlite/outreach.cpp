// SqliteOutreach: enum names, row mapping, events (reads), contacts, opt-outs,
// dialogues and the privacy purge. The intake is in outreach_intake.cpp, the
// outbox in outbox.cpp.
#include "storage/sqlite/outreach.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/language.hpp"
#include "storage/answers_json.hpp"
#include "storage/fingerprint.hpp"

namespace kaiku::storage {

std::string_view outbox_kind_name(OutboxKind k) noexcept {
  switch (k) {
    case OutboxKind::invite: return "invite";
    case OutboxKind::followup: return "followup";
    case OutboxKind::thanks: return "thanks";
    case OutboxKind::reprompt: return "reprompt";
    case OutboxKind::opt_out_confirm: return "opt_out_confirm";
    case OutboxKind::reply: return "reply";
  }
  return "invite";
}

std::string_view outbox_state_name(OutboxState s) noexcept {
  switch (s) {
    case OutboxState::pending: return "pending";
    case OutboxState::sending: return "sending";
    case OutboxState::sent: return "sent";
    case OutboxState::delivered: return "delivered";
    case OutboxState::failed: return "failed";
    case OutboxState::expired: return "expired";
    case OutboxState::cancelled: return "cancelled";
    case OutboxState::uncertain: return "uncertain";
  }
  return "pending";
}

std::optional<OutboxState> parse_outbox_state(std::string_view name) noexcept {
  for (int i = 0; i <= static_cast<int>(OutboxState::uncertain); ++i) {
    auto s = static_cast<OutboxState>(i);
    if (outbox_state_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view dialogue_state_name(DialogueState s) noexcept {
  switch (s) {
    case DialogueState::awaiting_score: return "awaiting_score";
    case DialogueState::awaiting_comment: return "awaiting_comment";
    case DialogueState::done: return "done";
    case DialogueState::expired: return "expired";
  }
  return "awaiting_score";
}

namespace sqlite {
namespace {

std::optional<OutboxKind> parse_kind(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(OutboxKind::reply); ++i) {
    auto k = static_cast<OutboxKind>(i);
    if (outbox_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

std::optional<DialogueState> parse_dialogue_state(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(DialogueState::expired); ++i) {
    auto s = static_cast<DialogueState>(i);
    if (dialogue_state_name(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<TimePoint> opt_time(const Query& q, int col) {
  if (auto v = q.opt_int64(col)) return from_ms(*v);
  return std::nullopt;
}

}  // namespace

const char* const kEventColumns =
    "id, source, sender, message_id, dedup_key, visit_key, trigger_code, received_at, visit_time, unit,"
    " touchpoint, decision, reasons, detail, duplicate_of, send_at";

const char* const kOutboxColumns =
    "id, event_id, contact_id, dialogue_id, invitation_id, touchpoint, unit, kind, sealed_text, ucs2, state,"
    " attempts, created_at, not_before, next_attempt_at, expires_at, sent_at, delivered_at, reference, last_detail,"
    " updated_at";

const char* const kDialogueColumns =
    "id, contact_id, number_key, invitation_id, touchpoint, unit, language, age_group, state, reprompted,"
    " response_id, created_at, expires_at, updated_at, event_id, person_key, last_mo_id";

std::string join_reasons(const std::vector<domain::Reason>& reasons) {
  std::string out;
  for (auto r : reasons) {
    if (!out.empty()) out += ',';
    out += domain::reason_name(r);
  }
  return out;
}

Result<std::vector<domain::Reason>> split_reasons(const std::string& text, const std::string& where) {
  std::vector<domain::Reason> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string name = text.substr(start, end - start);
    auto r = domain::parse_reason(name);
    if (!r) return fail(Error::internal(where + ": unknown reason '" + name + "'"));
    out.push_back(*r);
    start = end + 1;
  }
  return out;
}

Result<EventRecord> row_to_event(const Query& q) {
  EventRecord e;
  e.id = q.int64(0);
  const std::string where = "events row " + std::to_string(e.id);
  auto source = domain::parse_event_source(q.text(1));
  if (!source) return fail(Error::internal(where + ": unknown source '" + q.text(1) + "'"));
  e.source = *source;
  e.sender = q.text(2);
  e.message_id = q.text(3);
  e.dedup_key = q.text(4);
  e.visit_key = q.text(5);
  e.trigger = q.text(6);
  e.received_at = from_ms(q.int64(7));
  e.visit_time = opt_time(q, 8);
  e.unit = q.text(9);
  e.touchpoint = q.text(10);
  auto decision = domain::parse_decision(q.text(11));
  if (!decision) return fail(Error::internal(where + ": unknown decision '" + q.text(11) + "'"));
  e.decision = *decision;
  auto reasons = split_reasons(q.text(12), where);
  if (!reasons) return fail(reasons.error());
  e.reasons = std::move(*reasons);
  e.detail = q.text(13);
  e.duplicate_of = q.opt_int64(14).value_or(0);
  e.send_at = opt_time(q, 15);
  return e;
}

Result<OutboxMessage> row_to_message(const Query& q) {
  OutboxMessage m;
  m.id = q.int64(0);
  const std::string where = "outbox row " + std::to_string(m.id);
  m.event_id = q.opt_int64(1).value_or(0);
  m.contact_id = q.opt_int64(2).value_or(0);
  m.dialogue_id = q.opt_int64(3).value_or(0);
  m.invitation_id = q.text(4);
  m.touchpoint = q.text(5);
  m.unit = q.text(6);
  auto kind = parse_kind(q.text(7));
  if (!kind) return fail(Error::internal(where + ": unknown kind '" + q.text(7) + "'"));
  m.kind = *kind;
  m.sealed_text = q.blob(8);
  m.ucs2 = q.int64(9) != 0;
  auto state = parse_outbox_state(q.text(10));
  if (!state) return fail(Error::internal(where + ": unknown state '" + q.text(10) + "'"));
  m.state = *state;
  m.attempts = static_cast<int>(q.int64(11));
  m.created_at = from_ms(q.int64(12));
  m.not_before = from_ms(q.int64(13));
  m.next_attempt_at = from_ms(q.int64(14));
  m.expires_at = from_ms(q.int64(15));
  m.sent_at = opt_time(q, 16);
  m.delivered_at = opt_time(q, 17);
  m.reference = q.text(18);
  m.last_detail = q.text(19);
  m.updated_at = from_ms(q.int64(20));
  return m;
}

Result<Dialogue> row_to_dialogue(const Query& q) {
  Dialogue d;
  d.id = q.int64(0);
  const std::string where = "dialogues row " + std::to_string(d.id);
  d.contact_id = q.opt_int64(1).value_or(0);
  d.number_key = q.text(2);
  d.invitation_id = q.text(3);
  d.touchpoint = q.text(4);
  d.unit = q.text(5);
  auto lang = domain::parse_language(q.text(6));
  if (!lang) return fail(Error::internal(where + ": unknown language '" + q.text(6) + "'"));
  d.language = *lang;
  auto age = domain::parse_age_group(q.text(7));
  if (!age) return fail(Error::internal(where + ": unknown age_group '" + q.text(7) + "'"));
  d.age_group = *age;
  auto state = parse_dialogue_state(q.text(8));
  if (!state) return fail(Error::internal(where + ": unknown state '" + q.text(8) + "'"));
  d.state = *state;
  d.reprompted = q.int64(9) != 0;
  d.response_id = q.int64(10);
  d.created_at = from_ms(q.int64(11));
  d.expires_at = from_ms(q.int64(12));
  d.updated_at = from_ms(q.int64(13));
  d.event_id = q.opt_int64(14).value_or(0);
  d.person_key = q.text(15);
  d.last_mo_id = q.text(16);
  return d;
}

Result<std::int64_t> insert_contact(Connection& c, const ContactRecord& contact, std::int64_t now_ms) {
  if (contact.number_key.empty()) return fail(Error::invalid("contact: number_key must not be empty"));
  if (contact.sealed_number.empty()) return fail(Error::invalid("contact: sealed_number must not be empty"));
  auto q = c.query(
      "INSERT INTO contacts(number_key, sealed_number, created_at, expires_at) VALUES(?1, ?2, ?3, ?4)");
  if (!q) return fail(q.error());
  const std::int64_t created = contact.created_at.time_since_epoch().count() != 0 ? to_ms(contact.created_at) : now_ms;
  auto n = q->bind(1, contact.number_key)
               .bind_blob(2, contact.sealed_number)
               .bind(3, created)
               .bind(4, to_ms(contact.expires_at))
               .run();
  if (!n) return fail(n.error());
  return c.last_insert_rowid();
}

Result<std::int64_t> insert_message(Connection& c, const OutboxMessage& m, std::int64_t now_ms) {
  if (m.contact_id <= 0) return fail(Error::invalid("outbox message: contact_id must name a stored contact"));
  if (m.sealed_text.empty()) return fail(Error::invalid("outbox message: sealed_text must not be empty"));
  auto q = c.query(
      "INSERT INTO outbox(event_id, contact_id, dialogue_id, invitation_id, touchpoint, unit, kind, sealed_text,"
      " ucs2, state, attempts, created_at, not_before, next_attempt_at, expires_at, reference, last_detail,"
      " updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', 0, ?10, ?11, max(?11, ?12), ?13,"
      " coalesce(nullif(?14, ''), lower(hex(randomblob(16)))), '', ?15)");
  if (!q) return fail(q.error());
  const std::int64_t created = m.created_at.time_since_epoch().count() != 0 ? to_ms(m.created_at) : now_ms;
  if (m.event_id > 0) q->bind(1, m.event_id); else q->bind_null(1);
  q->bind(2, m.contact_id);
  if (m.dialogue_id > 0) q->bind(3, m.dialogue_id); else q->bind_null(3);
  q->bind(4, m.invitation_id)
      .bind(5, m.touchpoint)
      .bind(6, m.unit)
      .bind(7, outbox_kind_name(m.kind))
      .bind_blob(8, m.sealed_text)
      .bind(9, std::int64_t{m.ucs2 ? 1 : 0})
      .bind(10, created)
      .bind(11, to_ms(m.not_before))
      .bind(12, to_ms(m.next_attempt_at))
      .bind(13, to_ms(m.expires_at))
      .bind(14, m.reference)
      .bind(15, now_ms);
  auto n = q->run();
  if (!n) {
    Error e = n.error();
    if (e.kind == ErrorKind::conflict && e.message.find("outbox.reference") != std::string::npos) {
      e.message = "outbox message: reference " + m.reference + " is already used";
    } else if (e.kind == ErrorKind::invalid_input && e.message.find("FOREIGN KEY") != std::string::npos) {
      e.message = "outbox message: its event, contact or dialogue does not exist (" + e.message + ")";
    }
    return fail(std::move(e));
  }
  return c.last_insert_rowid();
}

Status purge_outreach_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t history_before_ms,
                                     std::int64_t dialogues_before_ms, std::int64_t& deleted) {
  // Messages that can no longer be sent because their number goes now.
  {
    auto q = c.query(
        "UPDATE outbox SET state = 'expired', updated_at = ?1, last_detail = 'contact expired before sending'"
        " WHERE state = 'pending' AND contact_id IN (SELECT id FROM contacts WHERE expires_at <= ?1)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, now_ms).run();
    if (!n) return fail(n.error());
  }
  // Dialogues hold no number (only keyed hashes): they outlive their contact by
  // the dialogue retention, so that a late reply is still recognised.
  {
    auto q = c.query("DELETE FROM dialogues WHERE expires_at <= ?1");
    if (!q) return fail(q.error());
    auto n = q->bind(1, std::min(now_ms, dialogues_before_ms)).run();
    if (!n) return fail(n.error());
    deleted += *n;
  }
  static const char* const kDeletes[] = {
      "DELETE FROM contacts WHERE expires_at <= ?1",
      // Finished messages whose contact is gone (expired, cancelled): the text goes too.
      "UPDATE outbox SET sealed_text = NULL WHERE sealed_text IS NOT NULL AND contact_id IS NULL"
      " AND state IN ('sent', 'delivered', 'failed', 'expired', 'cancelled')",
  };
  for (const char* sql : kDeletes) {
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    if (std::string_view(sql).find("?1") != std::string_view::npos) q->bind(1, now_ms);
    auto n = q->run();
    if (!n) return fail(n.error());
    deleted += *n;
  }
  // Old history, and daily counts of days well before it (send days are local
  // dates; two days of margin cover any time zone).
  for (const char* sql : {"DELETE FROM person_history WHERE scheduled_at < ?1",
                          "DELETE FROM daily_counts WHERE send_day < date(?1 / 1000, 'unixepoch', '-2 days')"}) {
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    auto n = q->bind(1, history_before_ms).run();
    if (!n) return fail(n.error());
    deleted += *n;
  }
  return {};
}

// ---- events (reads) ----

Result<std::vector<EventRecord>> SqliteOutreach::list_events(const EventQuery& eq) {
  if (eq.limit < 1 || eq.limit > 1000) {
    return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(eq.limit)));
  }
  if (eq.units.empty() && !eq.include_unmapped) return std::vector<EventRecord>{};  // no scope, no rows
  boost::json::array units;
  for (const auto& u : eq.units) {
    if (!u.empty()) units.emplace_back(u);  // "" is the unmapped scope, asked for by include_unmapped only
  }
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  // Two plans, as for responses: a narrow scope seeks the (unit, id) index per
  // unit; a wide one walks the primary key from the cursor and stops after
  // `limit` matches (`+unit` keeps SQLite off the unit index).
  static const std::string filters =
      " AND (?3 IS NULL OR decision = ?3)"
      " AND (?4 IS NULL OR source = ?4)"
      " AND (?5 IS NULL OR received_at >= ?5)"
      " AND (?6 IS NULL OR received_at < ?6)"
      " AND id > ?7 ORDER BY id LIMIT ?8";
  static const std::string narrow =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE (unit IN (SELECT value FROM json_each(?1)) OR (?2 AND unit = ''))" + filters;
  static const std::string wide =
      std::string("SELECT ") + kEventColumns +
      " FROM events WHERE (+unit IN (SELECT value FROM json_each(?1)) OR (?2 AND +unit = ''))" + filters;
  constexpr std::size_t kWideScope = 16;
  auto q = (*conn)->query(eq.units.size() >= kWideScope ? wide.c_str() : narrow.c_str());
  if (!q) return fail(q.error());
  q->bind(1, boost::json::serialize(units)).bind(2, std::int64_t{eq.include_unmapped ? 1 : 0});
  if (eq.decision) q->bind(3, domain::decision_name(*eq.decision)); else q->bind_null(3);
  if (eq.source) q->bind(4, domain::event_source_name(*eq.source)); else q->bind_null(4);
  if (eq.from) q->bind(5, to_ms(*eq.from)); else q->bind_null(5);
  if (eq.to) q->bind(6, to_ms(*eq.to)); else q->bind_null(6);
  q->bind(7, eq.after_id).bind(8, std::int64_t{eq.limit});
  return read_rows<EventRecord>(*q, row_to_event);
}

Result<EventRecord> SqliteOutreach::get_event(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("event " + std::to_string(id) + " does not exist"));
  return row_to_event(*q);
}

Result<std::vector<std::int64_t>> SqliteOutreach::count_events_by_decision() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT decision, count(*) FROM events GROUP BY decision");
  if (!q) return fail(q.error());
  std::vector<std::int64_t> out(static_cast<std::size_t>(domain::Decision::rejected) + 1, 0);
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto d = domain::parse_decision(q->text(0));
    if (!d) return fail(Error::internal("events: unknown decision '" + q->text(0) + "'"));
    out[static_cast<std::size_t>(*d)] = q->int64(1);
  }
  return out;
}

// ---- contacts ----

Result<ContactRecord> SqliteOutreach::get_contact(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT id, number_key, sealed_number, created_at, expires_at FROM contacts WHERE id = ?1 AND expires_at > ?2");
  if (!q) return fail(q.error());
  q->bind(1, id).bind(2, to_ms(ctx_.clock.now()));
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("contact " + std::to_string(id) + " does not exist or has expired"));
  ContactRecord c;
  c.id = q->int64(0);
  c.number_key = q->text(1);
  c.sealed_number = q->blob(2);
  c.created_at = from_ms(q->int64(3));
  c.expires_at = from_ms(q->int64(4));
  return c;
}

Result<std::int64_t> SqliteOutreach::add_contact(const ContactRecord& contact) {
  const std::int64_t now = to_ms(ctx_.clock.now());
  std::int64_t id = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto r = insert_contact(c, contact, now);
    if (!r) return fail(r.error());
    id = *r;
    return {};
  });
  if (!s) return fail(s.error());
  return id;
}

// ---- opt-outs ----

Status SqliteOutreach::add_opt_out(const std::string& number_key, const std::string& person_key, TimePoint now) {
  if (number_key.empty() && person_key.empty()) {
    return fail(Error::invalid("opt-out: a number key or a person key is needed"));
  }
  const std::int64_t now_ms = to_ms(now);
  return ctx_.writer->submit([&](Connection& c) -> Status {
    {
      auto q = c.query(
          "INSERT INTO opt_outs(number_key, person_key, created_at) VALUES(?1, ?2, ?3)"
          " ON CONFLICT(number_key, person_key) DO NOTHING");
      if (!q) return fail(q.error());
      auto n = q->bind(1, number_key).bind(2, person_key).bind(3, now_ms).run();
      if (!n) return fail(n.error());
    }
    // Survey messages not yet handed over are cancelled -- also uncertain ones,
    // which would otherwise be sent again after resolve_uncertain -- except the
    // confirmation of the opt-out itself.
    auto q = c.query(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?3, last_detail = 'opted out'"
        " WHERE state IN ('pending', 'uncertain') AND kind <> 'opt_out_confirm' AND ("
        "   (?1 <> '' AND contact_id IN (SELECT id FROM contacts WHERE number_key = ?1))"
        "   OR (?2 <> '' AND event_id IN (SELECT event_id FROM person_history WHERE person_key = ?2)))");
    if (!q) return fail(q.error());
    auto n = q->bind(1, number_key).bind(2, person_key).bind(3, now_ms).run();
    if (!n) return fail(n.error());
    return {};
  });
}

Result<bool> SqliteOutreach::is_opted_out(const std::string& number_key) {
  if (number_key.empty()) return false;
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT EXISTS(SELECT 1 FROM opt_outs WHERE number_key = ?1)");
  if (!q) return fail(q.error());
  q->bind(1, number_key);
  auto row = q->step();
  if (!row) return fail(row.error());
  return q->int64(0) != 0;
}

// ---- dialogues ----

Result<std::optional<Dialogue>> SqliteOutreach::dialogue_for_number(const std::string& number_key) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  // live: open and not yet expired; handed: its invite reached the gateway.
  static const std::string sql =
      std::string("SELECT ") + kDialogueColumns +
      " FROM (SELECT *,"
      "   state IN ('awaiting_score', 'awaiting_comment') AND expires_at > ?2 AS live,"
      "   EXISTS(SELECT 1 FROM outbox o WHERE o.dialogue_id = dialogues.id AND o.kind = 'invite'"
      "          AND o.state IN ('sent', 'delivered')) AS handed"
      " FROM dialogues WHERE number_key = ?1)"
      " WHERE handed ORDER BY live DESC, id DESC LIMIT 1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, number_key).bind(2, to_ms(ctx_.clock.now()));
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Dialogue>();
  auto d = row_to_dialogue(*q);
  if (!d) return fail(d.error());
  return std::optional<Dialogue>(std::move(*d));
}

Result<Dialogue> SqliteOutreach::get_dialogue(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string("SELECT ") + kDialogueColumns + " FROM dialogues WHERE id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("dialogue " + std::to_string(id) + " does not exist"));
  return row_to_dialogue(*q);
}

Status SqliteOutreach::update_dialogue(const Dialogue& d) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "UPDATE dialogues SET state = ?2, reprompted = ?3, response_id = ?4, updated_at = ?5 WHERE id = ?1");
    if (!q) return fail(q.error());
    auto n = q->bind(1, d.id)
                 .bind(2, dialogue_state_name(d.state))
                 .bind(3, std::int64_t{d.reprompted ? 1 : 0})
                 .bind(4, d.response_id)
                 .bind(5, to_ms(d.updated_at))
                 .run();
    if (!n) return fail(n.error());
    if (*n == 0) return fail(Error::not_found("dialogue " + std::to_string(d.id) + " does not exist"));
    return {};
  });
}

namespace {

// Appends one response of a reply step as ResponseRepository::append does; when
// its invitation was used or expired meanwhile, without the invitation. A new
// response goes to `out.stored`, without its sealed originals. Sets `id`.
Status append_reply_response(Connection& c, domain::Response r, std::int64_t now_ms, std::int64_t contact_expires_ms,
                             std::int64_t& id, ReplyOutcome& out) {
  if (r.submission_key.empty()) return fail(Error::invalid("reply step: a response needs a submission_key"));
  AppendOutcome ao;
  Status st = append_in_transaction(c, r, answers_to_json(r.answers), response_fingerprint(r), now_ms,
                                    contact_expires_ms, ao);
  if (!st && st.error().kind == ErrorKind::conflict && !r.invitation.empty() &&
      st.error().message.rfind("invitation ", 0) == 0) {
    // The failed attempt wrote nothing (the invitation is checked before the insert).
    r.invitation.clear();
    st = append_in_transaction(c, r, answers_to_json(r.answers), response_fingerprint(r), now_ms,
                               contact_expires_ms, ao);
  }
  if (!st) return st;
  id = ao.id;
  r.id = ao.id;
  if (!ao.duplicate) {
    r.originals.clear();  // read only through CommentRepository::originals; never handed on
    out.stored.push_back(std::move(r));
  }
  return {};
}

}  // namespace

Result<ReplyOutcome> SqliteOutreach::apply_reply(const ReplyStep& step) {
  if (step.dialogue_id <= 0) return fail(Error::invalid("reply step: dialogue_id must name a dialogue"));
  const std::int64_t now = to_ms(ctx_.clock.now());
  const std::int64_t contact_expires = now + ctx_.options.contact_retention.count();
  ReplyOutcome out;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    out = ReplyOutcome{};
    {
      // Compare-and-set first: a duplicate or concurrent reply for the same step
      // finds the dialogue moved on and writes nothing.
      auto q = c.query(
          "UPDATE dialogues SET state = ?4, reprompted = ?5, updated_at = ?6,"
          " last_mo_id = CASE WHEN ?7 = '' THEN last_mo_id ELSE ?7 END"
          " WHERE id = ?1 AND state = ?2 AND reprompted = ?3 AND (?7 = '' OR last_mo_id <> ?7)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, step.dialogue_id)
                   .bind(2, dialogue_state_name(step.from_state))
                   .bind(3, std::int64_t{step.from_reprompted ? 1 : 0})
                   .bind(4, dialogue_state_name(step.to_state))
                   .bind(5, std::int64_t{step.to_reprompted ? 1 : 0})
                   .bind(6, to_ms(step.updated_at))
                   .bind(7, step.mo_id)
                   .run();
      if (!n) return fail(n.error());
      if (*n == 0) {
        auto e = c.query("SELECT 1 FROM dialogues WHERE id = ?1");
        if (!e) return fail(e.error());
        e->bind(1, step.dialogue_id);
        auto row = e->step();
        if (!row) return fail(row.error());
        if (!*row) return fail(Error::not_found("dialogue " + std::to_string(step.dialogue_id) + " does not exist"));
        return {};  // already applied (or moved on): nothing written
      }
    }
    out.applied = true;
    std::int64_t score_id = 0;
    if (step.score) {
      if (Status st = append_reply_response(c, *step.score, now, contact_expires, score_id, out); !st) return st;
      auto q = c.query("UPDATE dialogues SET response_id = ?2 WHERE id = ?1");
      if (!q) return fail(q.error());
      auto n = q->bind(1, step.dialogue_id).bind(2, score_id).run();
      if (!n) return fail(n.error());
    }
    if (step.comment) {
      domain::Response r = *step.comment;
      if (step.score) r.supplements = score_id;
      std::int64_t id = 0;
      if (Status st = append_reply_response(c, std::move(r), now, contact_expires, id, out); !st) return st;
    }
    for (const auto& m : step.messages) {
      auto id = insert_message(c, m, now);
      if (!id) return fail(id.error());
      out.message_ids.push_back(*id);
    }
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

// ---- privacy ----

Result<std::int64_t> SqliteOutreach::purge_outreach(TimePoint now, TimePoint history_before) {
  std::int64_t deleted = 0;
  Status s = ctx_.writer->submit([&](Connection& c) {
    deleted = 0;
    const std::int64_t now_ms = to_ms(now);
    return purge_outreach_in_transaction(c, now_ms, to_ms(history_before),
                                         now_ms - ctx_.options.dialogue_retention.count(), deleted);
  });
  if (!s) return fail(s.error());
  return deleted;
}

}  // namespace sqlite
}  // namespace kaiku::storage
