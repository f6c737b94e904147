// SqliteMail: the mail outbox (schema 10).
#include "storage/sqlite/mail.hpp"

#include <algorithm>

namespace kaiku::storage {

std::string_view mail_kind_name(MailKind k) noexcept {
  switch (k) {
    case MailKind::reply: return "reply";
    case MailKind::alert: return "alert";
  }
  return "reply";
}

std::string_view mail_state_name(MailState s) noexcept {
  switch (s) {
    case MailState::pending: return "pending";
    case MailState::sending: return "sending";
    case MailState::sent: return "sent";
    case MailState::failed: return "failed";
  }
  return "pending";
}

namespace sqlite {
namespace {

constexpr const char* kMailColumns =
    "id, kind, case_id, user_id, dedup_key, sealed_to, subject, sealed_body, state, attempts, created_at,"
    " next_attempt_at, sent_at, last_detail, updated_at";

std::optional<MailKind> parse_kind(std::string_view name) {
  for (MailKind k : {MailKind::reply, MailKind::alert}) {
    if (mail_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

std::optional<MailState> parse_state(std::string_view name) {
  for (MailState s : {MailState::pending, MailState::sending, MailState::sent, MailState::failed}) {
    if (mail_state_name(s) == name) return s;
  }
  return std::nullopt;
}

Result<MailMessage> row_to_mail(const Query& q) {
  MailMessage m;
  m.id = q.int64(0);
  const std::string where = "mail " + std::to_string(m.id);
  auto kind = parse_kind(q.text(1));
  if (!kind) return fail(Error::internal(where + ": unknown kind '" + q.text(1) + "'"));
  m.kind = *kind;
  m.case_id = q.int64(2);
  m.user_id = q.int64(3);
  m.dedup_key = q.text(4);
  m.sealed_to = q.blob(5);
  m.subject = q.text(6);
  m.sealed_body = q.blob(7);
  auto state = parse_state(q.text(8));
  if (!state) return fail(Error::internal(where + ": unknown state '" + q.text(8) + "'"));
  m.state = *state;
  m.attempts = static_cast<int>(q.int64(9));
  m.created_at = from_ms(q.int64(10));
  m.next_attempt_at = from_ms(q.int64(11));
  if (auto sent = q.opt_int64(12)) m.sent_at = from_ms(*sent);
  m.last_detail = q.text(13);
  m.updated_at = from_ms(q.int64(14));
  return m;
}

Result<std::vector<MailMessage>> read_mail_rows(Query& q) {
  std::vector<MailMessage> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto m = row_to_mail(q);
    if (!m) return fail(m.error());
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace

Result<std::int64_t> SqliteMail::enqueue(const MailMessage& m) {
  if (m.sealed_to.empty()) return fail(Error::invalid("mail: sealed_to must not be empty"));
  if (m.sealed_body.empty()) return fail(Error::invalid("mail: sealed_body must not be empty"));
  const std::int64_t now = to_ms(ctx_.clock.now());
  const std::int64_t created = m.created_at.time_since_epoch().count() != 0 ? to_ms(m.created_at) : now;
  const std::int64_t due = m.next_attempt_at.time_since_epoch().count() != 0 ? to_ms(m.next_attempt_at) : created;
  std::int64_t id = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    if (!m.dedup_key.empty()) {
      auto q = c.query("SELECT id FROM mail WHERE dedup_key = ?1");
      if (!q) return fail(q.error());
      q->bind(1, m.dedup_key);
      auto row = q->step();
      if (!row) return fail(row.error());
      if (*row) {
        id = q->int64(0);
        return {};
      }
    }
    auto q = c.query(
        "INSERT INTO mail(kind, case_id, user_id, dedup_key, sealed_to, subject, sealed_body, state, attempts,"
        " created_at, next_attempt_at, last_detail, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?9, '', ?10)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, mail_kind_name(m.kind))
                 .bind(2, m.case_id)
                 .bind(3, m.user_id)
                 .bind(4, m.dedup_key)
                 .bind_blob(5, m.sealed_to)
                 .bind(6, m.subject)
                 .bind_blob(7, m.sealed_body)
                 .bind(8, created)
                 .bind(9, due)
                 .bind(10, now)
                 .run();
    if (!n) return fail(n.error());
    id = c.last_insert_rowid();
    return {};
  });
  if (!s) return fail(s.error());
  return id;
}

Result<std::vector<MailMessage>> SqliteMail::claim_due(TimePoint now, int limit) {
  if (limit < 1 || limit > 1000) return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(limit)));
  const std::int64_t now_ms = to_ms(now);
  std::vector<MailMessage> out;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    out.clear();
    static const std::string sql =
        std::string(
            "UPDATE mail SET state = 'sending', attempts = attempts + 1, updated_at = ?1"
            " WHERE id IN (SELECT id FROM mail WHERE state = 'pending' AND next_attempt_at <= ?1"
            " ORDER BY next_attempt_at, id LIMIT ?2) AND state = 'pending' RETURNING ") +
        kMailColumns;
    auto q = c.query(sql.c_str());
    if (!q) return fail(q.error());
    q->bind(1, now_ms).bind(2, std::int64_t{limit});
    auto rows = read_mail_rows(*q);
    if (!rows) return fail(rows.error());
    out = std::move(*rows);
    return {};
  });
  if (!s) return fail(s.error());
  std::sort(out.begin(), out.end(), [](const MailMessage& a, const MailMessage& b) {
    return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at : a.id < b.id;
  });
  return out;
}

Status SqliteMail::move_from_sending(std::int64_t id, MailState to, std::int64_t at_ms, std::int64_t retry_ms,
                                     const std::string& detail) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    {
      auto q = c.query("SELECT state FROM mail WHERE id = ?1");
      if (!q) return fail(q.error());
      q->bind(1, id);
      auto row = q->step();
      if (!row) return fail(row.error());
      if (!*row) return fail(Error::not_found("no mail message " + std::to_string(id)));
      const std::string state = q->text(0);
      if (state != "sending") {
        return fail(Error::conflict("mail message " + std::to_string(id) + " is " + state + ", not sending: cannot mark it " +
                                    std::string(mail_state_name(to))));
      }
    }
    const char* sql = nullptr;
    switch (to) {
      case MailState::sent:
        sql = "UPDATE mail SET state = 'sent', sent_at = ?2, updated_at = ?2, last_detail = ?3,"
              " sealed_to = NULL, sealed_body = NULL WHERE id = ?1";
        break;
      case MailState::failed:
        sql = "UPDATE mail SET state = 'failed', updated_at = ?2, last_detail = ?3,"
              " sealed_to = NULL, sealed_body = NULL WHERE id = ?1";
        break;
      case MailState::pending:
        sql = "UPDATE mail SET state = 'pending', next_attempt_at = ?4, updated_at = ?2, last_detail = ?3"
              " WHERE id = ?1";
        break;
      case MailState::sending:
        return fail(Error::internal("mail: cannot move sending to sending"));
    }
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    q->bind(1, id).bind(2, at_ms).bind(3, detail);
    if (to == MailState::pending) q->bind(4, retry_ms);
    auto n = q->run();
    if (!n) return fail(n.error());
    return {};
  });
}

Status SqliteMail::mark_sent(std::int64_t id, TimePoint now, const std::string& detail) {
  return move_from_sending(id, MailState::sent, to_ms(now), 0, detail);
}

Status SqliteMail::mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) {
  return move_from_sending(id, MailState::pending, to_ms(ctx_.clock.now()), to_ms(retry_at), detail);
}

Status SqliteMail::mark_failed(std::int64_t id, TimePoint now, const std::string& detail) {
  return move_from_sending(id, MailState::failed, to_ms(now), 0, detail);
}

Result<int> SqliteMail::recover_in_flight(TimePoint now) {
  const std::int64_t now_ms = to_ms(now);
  int moved = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "UPDATE mail SET state = 'pending', next_attempt_at = ?1, updated_at = ?1,"
        " last_detail = 'in flight when the server stopped: sent again' WHERE state = 'sending'");
    if (!q) return fail(q.error());
    auto n = q->bind(1, now_ms).run();
    if (!n) return fail(n.error());
    moved = *n;
    return {};
  });
  if (!s) return fail(s.error());
  return moved;
}

Result<MailMessage> SqliteMail::get(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string("SELECT ") + kMailColumns + " FROM mail WHERE id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto rows = read_mail_rows(*q);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return fail(Error::not_found("no mail message " + std::to_string(id)));
  return std::move(rows->front());
}

Result<std::vector<std::int64_t>> SqliteMail::count_by_state() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT state, count(*) FROM mail GROUP BY state");
  if (!q) return fail(q.error());
  std::vector<std::int64_t> out(4, 0);
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto st = parse_state(q->text(0));
    if (st) out[static_cast<std::size_t>(*st)] = q->int64(1);
  }
  return out;
}

}  // namespace sqlite
}  // namespace kaiku::storage
