// SqliteOutreach: the outbox state machine (storage/outreach_store.hpp). Every
// transition is guarded in SQL by the state it leaves, so two callers can never
// both move one message, and runs on the writer thread (one transaction).
#include <algorithm>

#include "storage/sqlite/outreach.hpp"

namespace kaiku::storage::sqlite {
namespace {

// The state of message `id` and whether a delivery report has been recorded for
// it; not_found if absent.
struct StateRow {
  std::string state;
  int attempts = 0;
  bool reported = false;
};
Result<StateRow> state_of(Connection& c, std::int64_t id) {
  auto q = c.query("SELECT state, attempts, last_dlr IS NOT NULL FROM outbox WHERE id = ?1");
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("outbox message " + std::to_string(id) + " does not exist"));
  return StateRow{q->text(0), static_cast<int>(q->int64(1)), q->int64(2) != 0};
}

Result<OutboxMessage> message_by_id(Connection& c, std::int64_t id) {
  static const std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?1";
  auto q = c.query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("outbox message " + std::to_string(id) + " does not exist"));
  return row_to_message(*q);
}

// What a Kannel delivery report type means for the message; nullptr if unknown.
const char* dlr_target(int dlr_type) {
  switch (dlr_type) {
    case 1: return "delivered";
    case 2:
    case 16: return "failed";
    case 4:
    case 8: return "sent";
    default: return nullptr;
  }
}

// An invite message that has been handed over (sent_at set) releases its
// invitation to reports: it gets the next seq (schema.cpp, version 4). Idempotent.
Status release_invitation(Connection& c, std::int64_t message_id) {
  auto q = c.query(
      "UPDATE invitations SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM invitations)"
      " WHERE seq IS NULL AND id = (SELECT invitation_id FROM outbox WHERE id = ?1 AND kind = 'invite'"
      " AND sent_at IS NOT NULL)");
  if (!q) return fail(q.error());
  auto n = q->bind(1, message_id).run();
  if (!n) return fail(n.error());
  return {};
}

}  // namespace

Status SqliteOutreach::transition(std::int64_t id, const char* sql, std::int64_t time_ms, std::int64_t now_ms,
                                  const std::string& detail, const char* to) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    auto n = q->bind(1, id).bind(2, time_ms).bind(3, detail).bind(4, now_ms).run();
    if (!n) return fail(n.error());
    if (*n == 1) return std::string_view(to) == "sent" ? release_invitation(c, id) : Status{};
    auto st = state_of(c, id);
    if (!st) return fail(st.error());
    // The delivery report may overtake the gateway's answer to the send: the
    // message is already sent, delivered or failed by the report, and stays so.
    if ((std::string_view(to) == "sent" || std::string_view(to) == "uncertain") && st->reported &&
        (st->state == "sent" || st->state == "delivered" || st->state == "failed")) {
      return {};
    }
    return fail(Error::conflict("outbox message " + std::to_string(id) + " is " + st->state +
                                ", not sending: it cannot become " + to));
  });
}

Status SqliteOutreach::mark_sent(std::int64_t id, TimePoint now, const std::string& detail) {
  return transition(id,
                    "UPDATE outbox SET state = 'sent', sent_at = ?2, last_detail = ?3, updated_at = ?4"
                    " WHERE id = ?1 AND state = 'sending'",
                    to_ms(now), to_ms(now), detail, "sent");
}

Status SqliteOutreach::mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) {
  return transition(id,
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_detail = ?3, updated_at = ?4"
                    " WHERE id = ?1 AND state = 'sending'",
                    to_ms(retry_at), to_ms(ctx_.clock.now()), detail, "pending");
}

Status SqliteOutreach::mark_failed(std::int64_t id, TimePoint now, const std::string& detail) {
  return transition(id,
                    "UPDATE outbox SET state = 'failed', last_detail = ?3, updated_at = ?4"
                    " WHERE id = ?1 AND state = 'sending'",
                    to_ms(now), to_ms(now), detail, "failed");
}

Status SqliteOutreach::mark_uncertain(std::int64_t id, TimePoint now, const std::string& detail) {
  return transition(id,
                    "UPDATE outbox SET state = 'uncertain', last_detail = ?3, updated_at = ?4"
                    " WHERE id = ?1 AND state = 'sending'",
                    to_ms(now), to_ms(now), detail, "uncertain");
}

Status SqliteOutreach::defer(std::int64_t id, TimePoint until, const std::string& detail) {
  return transition(id,
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_detail = ?3, updated_at = ?4,"
                    " attempts = max(attempts - 1, 0)"
                    " WHERE id = ?1 AND state = 'sending'",
                    to_ms(until), to_ms(ctx_.clock.now()), detail, "pending");
}

Result<std::vector<OutboxMessage>> SqliteOutreach::claim_due(TimePoint now, int limit) {
  if (limit < 1 || limit > 10000) return fail(Error::invalid("limit: must be 1..10000, got " + std::to_string(limit)));
  const std::int64_t now_ms = to_ms(now);
  std::vector<OutboxMessage> out;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    out.clear();
    {
      // Too late to send, or the number is gone (cancelled or expired contact).
      auto q = c.query(
          "UPDATE outbox SET state = 'expired', updated_at = ?1,"
          " last_detail = CASE WHEN contact_id IS NULL THEN 'contact deleted before sending'"
          "                    ELSE 'not sent before it expired' END"
          " WHERE state = 'pending' AND (expires_at <= ?1 OR contact_id IS NULL)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, now_ms).run();
      if (!n) return fail(n.error());
    }
    static const std::string sql =
        std::string(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?1"
            " WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1"
            " AND not_before <= ?1 ORDER BY next_attempt_at, id LIMIT ?2) AND state = 'pending' RETURNING ") +
        kOutboxColumns;
    auto q = c.query(sql.c_str());
    if (!q) return fail(q.error());
    q->bind(1, now_ms).bind(2, std::int64_t{limit});
    auto rows = read_rows<OutboxMessage>(*q, row_to_message);
    if (!rows) return fail(rows.error());
    out = std::move(*rows);
    return {};
  });
  if (!s) return fail(s.error());
  // RETURNING gives no order: oldest due first, then by id.
  std::sort(out.begin(), out.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
    return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at : a.id < b.id;
  });
  return out;
}

Result<OutboxMessage> SqliteOutreach::delivery_report(const std::string& reference, int dlr_type, TimePoint now) {
  const char* target = dlr_target(dlr_type);
  if (target == nullptr) {
    return fail(Error::invalid("delivery report type " + std::to_string(dlr_type) +
                               " is not one of 1 (delivered), 2 (failed), 4 (buffered), 8 (SMSC ack), 16 (SMSC reject)"));
  }
  const std::int64_t now_ms = to_ms(now);
  OutboxMessage out;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    std::int64_t id = 0;
    {
      auto q = c.query("SELECT id FROM outbox WHERE reference = ?1");
      if (!q) return fail(q.error());
      q->bind(1, reference);
      auto row = q->step();
      if (!row) return fail(row.error());
      if (!*row) return fail(Error::not_found("no outbox message has the reference " + reference));
      id = q->int64(0);
    }
    auto st = state_of(c, id);
    if (!st) return fail(st.error());
    const std::string& from = st->state;
    if (from == "delivered" || from == "failed") {
      // Final: a later (or repeated) report changes nothing.
    } else if (from == "sending" || from == "uncertain" || from == "sent" ||
               ((from == "pending" || from == "expired" || from == "cancelled") && st->attempts > 0)) {
      // pending with attempts: a report after resolve_uncertain or a retry says it
      // was handed over after all; taking it out of the queue avoids a second send.
      // expired or cancelled with attempts: handed over (answer lost, or a retry
      // pending) before it expired or its visit was cancelled; it did go out, and
      // its invitation counts for response rates.
      auto q = c.query(
          "UPDATE outbox SET state = ?2,"
          " sent_at = coalesce(sent_at, ?3),"
          " delivered_at = CASE WHEN ?2 = 'delivered' THEN ?3 ELSE delivered_at END,"
          " last_dlr = ?4, last_detail = 'delivery report ' || ?4, updated_at = ?3 WHERE id = ?1");
      if (!q) return fail(q.error());
      auto n = q->bind(1, id).bind(2, target).bind(3, now_ms).bind(4, std::int64_t{dlr_type}).run();
      if (!n) return fail(n.error());
      // A message cancelled with its visit (the event is excluded, the invitation
      // closed) stays out of the response rates; one cancelled by an opt-out counts.
      bool release = true;
      if (from == "cancelled") {
        auto q2 = c.query(
            "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id"
            " WHERE o.id = ?1 AND e.decision = 'scheduled'");
        if (!q2) return fail(q2.error());
        q2->bind(1, id);
        auto row = q2->step();
        if (!row) return fail(row.error());
        release = *row && q2->int64(0) > 0;
      }
      if (release) {
        if (auto released = release_invitation(c, id); !released) return released;
      }
    } else {
      return fail(Error::conflict("outbox message " + std::to_string(id) + " is " + from +
                                  ": a delivery report cannot apply to it"));
    }
    auto m = message_by_id(c, id);
    if (!m) return fail(m.error());
    out = std::move(*m);
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<int> SqliteOutreach::recover_in_flight(TimePoint now) {
  int changed = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "UPDATE outbox SET state = 'uncertain', updated_at = ?1, last_detail = 'in flight when the server stopped'"
        " WHERE state = 'sending'");
    if (!q) return fail(q.error());
    auto n = q->bind(1, to_ms(now)).run();
    if (!n) return fail(n.error());
    changed = *n;
    return {};
  });
  if (!s) return fail(s.error());
  return changed;
}

Result<int> SqliteOutreach::resolve_uncertain(TimePoint before) {
  const std::int64_t now_ms = to_ms(ctx_.clock.now());
  int changed = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "UPDATE outbox SET state = 'pending', updated_at = ?2,"
        " last_detail = 'no delivery report after a restart: to be sent again'"
        " WHERE state = 'uncertain' AND updated_at < ?1");
    if (!q) return fail(q.error());
    auto n = q->bind(1, to_ms(before)).bind(2, now_ms).run();
    if (!n) return fail(n.error());
    changed = *n;
    return {};
  });
  if (!s) return fail(s.error());
  return changed;
}

Result<std::int64_t> SqliteOutreach::enqueue(const OutboxMessage& m) {
  const std::int64_t now_ms = to_ms(ctx_.clock.now());
  std::int64_t id = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto r = insert_message(c, m, now_ms);
    if (!r) return fail(r.error());
    id = *r;
    return {};
  });
  if (!s) return fail(s.error());
  return id;
}

Result<OutboxMessage> SqliteOutreach::get_message(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  return message_by_id(**conn, id);
}

Result<std::vector<OutboxMessage>> SqliteOutreach::messages_for_event(std::int64_t event_id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql =
      std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE event_id = ?1 ORDER BY id";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, event_id);
  return read_rows<OutboxMessage>(*q, row_to_message);
}

Result<std::vector<std::int64_t>> SqliteOutreach::count_messages_by_state() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT state, count(*) FROM outbox GROUP BY state");
  if (!q) return fail(q.error());
  std::vector<std::int64_t> out(static_cast<std::size_t>(OutboxState::uncertain) + 1, 0);
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto st = parse_outbox_state(q->text(0));
    if (!st) return fail(Error::internal("outbox: unknown state '" + q->text(0) + "'"));
    out[static_cast<std::size_t>(*st)] = q->int64(1);
  }
  return out;
}

}  // namespace kaiku::storage::sqlite
