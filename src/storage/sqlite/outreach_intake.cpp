// SqliteOutreach::intake: many intake works in one writer job (one durable,
// group-committed transaction), each in its own nested savepoint, with an
// IntakeTransaction bound to the writer's connection.
#include <boost/json.hpp>
#include <exception>

#include "domain/language.hpp"
#include "storage/sqlite/outreach.hpp"

namespace kaiku::storage::sqlite {
namespace {

// An optional time from a nullable integer column.
std::optional<TimePoint> opt_time(const Query& q, int col) {
  if (auto v = q.opt_int64(col)) return from_ms(*v);
  return std::nullopt;
}

class SqliteIntakeTransaction final : public IntakeTransaction {
 public:
  // `history_after_ms`: person history scheduled before this is ignored (retention).
  SqliteIntakeTransaction(Connection& c, std::int64_t now_ms, std::int64_t history_after_ms)
      : c_(c), now_ms_(now_ms), history_after_ms_(history_after_ms) {}

  Result<std::optional<EventRecord>> find_by_dedup_key(const std::string& dedup_key) override {
    static const std::string sql = std::string("SELECT ") + kEventColumns +
                                   " FROM events WHERE dedup_key = ?1 AND decision <> 'duplicate' ORDER BY id LIMIT 1";
    return first_event(sql, dedup_key);
  }

  Result<bool> opted_out(const std::string& person_key, const std::vector<std::string>& number_keys) override {
    boost::json::array numbers;
    for (const auto& k : number_keys) {
      if (!k.empty()) numbers.emplace_back(k);
    }
    auto q = c_.query(
        "SELECT EXISTS(SELECT 1 FROM opt_outs WHERE ?1 <> '' AND person_key = ?1)"
        " OR EXISTS(SELECT 1 FROM opt_outs WHERE number_key IN (SELECT value FROM json_each(?2)))");
    if (!q) return fail(q.error());
    q->bind(1, person_key).bind(2, boost::json::serialize(numbers));
    auto row = q->step();
    if (!row) return fail(row.error());
    return q->int64(0) != 0;
  }

  Result<std::optional<TimePoint>> last_contacted(const std::string& person_key,
                                                  const std::vector<std::string>& number_keys) override {
    return latest(false, person_key, number_keys, nullptr);
  }

  Result<std::optional<TimePoint>> last_surveyed_visit(const std::string& person_key, const std::string& touchpoint,
                                                       const std::vector<std::string>& number_keys) override {
    return latest(true, person_key, number_keys, &touchpoint);
  }

  Result<std::optional<EventRecord>> scheduled_for_visit(const std::string& visit_key) override {
    static const std::string sql = std::string("SELECT ") + kEventColumns +
                                   " FROM events WHERE visit_key = ?1 AND decision = 'scheduled' ORDER BY id LIMIT 1";
    return first_event(sql, visit_key);
  }

  Result<int> scheduled_on(const std::string& touchpoint, const std::string& day) override {
    auto q = c_.query("SELECT coalesce(max(scheduled), 0) FROM daily_counts WHERE touchpoint = ?1 AND send_day = ?2");
    if (!q) return fail(q.error());
    q->bind(1, touchpoint).bind(2, day);
    auto row = q->step();
    if (!row) return fail(row.error());
    return static_cast<int>(q->int64(0));
  }

  Result<std::int64_t> insert_event(const EventRecord& e) override {
    auto q = c_.query(
        "INSERT INTO events(source, sender, message_id, dedup_key, visit_key, trigger_code, received_at, visit_time,"
        " unit, touchpoint, decision, reasons, detail, duplicate_of, send_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    if (!q) return fail(q.error());
    q->bind(1, domain::event_source_name(e.source))
        .bind(2, e.sender)
        .bind(3, e.message_id)
        .bind(4, e.dedup_key)
        .bind(5, e.visit_key)
        .bind(6, e.trigger)
        .bind(7, to_ms(e.received_at));
    if (e.visit_time) q->bind(8, to_ms(*e.visit_time)); else q->bind_null(8);
    q->bind(9, e.unit)
        .bind(10, e.touchpoint)
        .bind(11, domain::decision_name(e.decision))
        .bind(12, join_reasons(e.reasons))
        .bind(13, e.detail);
    if (e.duplicate_of > 0) q->bind(14, e.duplicate_of); else q->bind_null(14);
    if (e.send_at) q->bind(15, to_ms(*e.send_at)); else q->bind_null(15);
    auto n = q->run();
    if (!n) {
      Error err = n.error();
      if (err.kind == ErrorKind::invalid_input && e.duplicate_of > 0) {
        err.message = "event: duplicate_of " + std::to_string(e.duplicate_of) + " does not exist (" + err.message + ")";
      }
      return fail(std::move(err));
    }
    return c_.last_insert_rowid();
  }

  Result<std::int64_t> schedule(std::int64_t event_id, const std::string& day, const Scheduling& s) override {
    const std::string what = "schedule event " + std::to_string(event_id);
    std::string touchpoint;
    {
      auto q = c_.query(
          "SELECT decision, touchpoint, EXISTS(SELECT 1 FROM person_history WHERE event_id = ?1) FROM events"
          " WHERE id = ?1");
      if (!q) return fail(q.error());
      q->bind(1, event_id);
      auto row = q->step();
      if (!row) return fail(row.error());
      if (!*row) return fail(Error::not_found(what + ": no such event"));
      if (q->text(0) != "scheduled") {
        return fail(Error::conflict(what + ": its decision is " + q->text(0) + ", not scheduled"));
      }
      if (q->int64(2) != 0) return fail(Error::conflict(what + ": it has been scheduled already"));
      touchpoint = q->text(1);
    }
    const Invitation& inv = s.invitation;
    if (inv.id.empty() || inv.token_hash.empty()) {
      return fail(Error::invalid(what + ": the invitation needs an id and a token hash"));
    }
    if (touchpoint.empty()) touchpoint = inv.touchpoint;

    ContactRecord contact;
    contact.number_key = s.number_key;
    contact.sealed_number = s.sealed_number;
    contact.expires_at = s.contact_expires_at;
    auto contact_id = insert_contact(c_, contact, now_ms_);
    if (!contact_id) return fail(contact_id.error());

    {
      auto q = c_.query(
          "INSERT INTO invitations(id, token_hash, touchpoint, unit, event_ref, language, channel, created_at,"
          " expires_at, age_group) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, inv.id)
                   .bind(2, inv.token_hash)
                   .bind(3, inv.touchpoint)
                   .bind(4, inv.unit)
                   .bind(5, inv.event_ref)
                   .bind(6, domain::language_tag(inv.language))
                   .bind(7, domain::channel_name(inv.channel))
                   .bind(8, to_ms(inv.created_at))
                   .bind(9, to_ms(inv.expires_at))
                   .bind(10, domain::age_group_name(inv.age_group))
                   .run();
      if (!n) {
        Error e = n.error();
        if (e.kind == ErrorKind::conflict) e.message = what + ": the invitation id or token hash exists already";
        return fail(std::move(e));
      }
    }

    std::int64_t dialogue_id = 0;
    if (s.reply_mode) {
      auto q = c_.query(
          "INSERT INTO dialogues(contact_id, number_key, invitation_id, touchpoint, unit, language, age_group, state,"
          " reprompted, response_id, created_at, expires_at, updated_at, event_id, person_key)"
          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'awaiting_score', 0, 0, ?8, ?9, ?8, ?10, ?11)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, *contact_id)
                   .bind(2, s.number_key)
                   .bind(3, inv.id)
                   .bind(4, inv.touchpoint)
                   .bind(5, inv.unit)
                   .bind(6, domain::language_tag(inv.language))
                   .bind(7, domain::age_group_name(inv.age_group))
                   .bind(8, now_ms_)
                   .bind(9, to_ms(s.contact_expires_at))
                   .bind(10, event_id)
                   .bind(11, s.person_key)
                   .run();
      if (!n) return fail(n.error());
      dialogue_id = c_.last_insert_rowid();
    }

    OutboxMessage m = s.message;
    m.event_id = event_id;
    m.contact_id = *contact_id;
    m.dialogue_id = dialogue_id;
    if (m.invitation_id.empty()) m.invitation_id = inv.id;
    if (m.touchpoint.empty()) m.touchpoint = inv.touchpoint;
    if (m.unit.empty()) m.unit = inv.unit;
    auto message_id = insert_message(c_, m, now_ms_);
    if (!message_id) return fail(message_id.error());

    auto q = c_.query(
        "INSERT INTO person_history(person_key, touchpoint, visit_time, send_day, scheduled_at, event_id, number_key)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, s.person_key)
                 .bind(2, touchpoint)
                 .bind(3, to_ms(s.visit_time))
                 .bind(4, day)
                 .bind(5, now_ms_)
                 .bind(6, event_id)
                 .bind(7, s.number_key)
                 .run();
    if (!n) return fail(n.error());
    auto count = c_.query(
        "INSERT INTO daily_counts(touchpoint, send_day, scheduled) VALUES(?1, ?2, 1)"
        " ON CONFLICT(touchpoint, send_day) DO UPDATE SET scheduled = scheduled + 1");
    if (!count) return fail(count.error());
    n = count->bind(1, touchpoint).bind(2, day).run();
    if (!n) return fail(n.error());
    return *message_id;
  }

  Result<int> cancel_visit(const std::string& visit_key) override {
    if (visit_key.empty()) return 0;
    std::vector<std::int64_t> events;
    {
      // Scheduled events of the visit whose messages have not been handed over.
      auto q = c_.query(
          "SELECT e.id FROM events e WHERE e.visit_key = ?1 AND e.decision = 'scheduled' AND NOT EXISTS("
          " SELECT 1 FROM outbox o WHERE o.event_id = e.id AND o.state IN ('sending', 'sent', 'delivered', 'failed'))"
          " ORDER BY e.id");
      if (!q) return fail(q.error());
      q->bind(1, visit_key);
      for (;;) {
        auto row = q->step();
        if (!row) return fail(row.error());
        if (!*row) break;
        events.push_back(q->int64(0));
      }
    }
    // Each step binds ?1 (the event id) and, when `now` is set, ?2 (now).
    struct Step {
      const char* sql;
      bool now;
    };
    static const Step kSteps[] = {
        {"UPDATE outbox SET state = 'cancelled', updated_at = ?2, last_detail = 'visit cancelled'"
         " WHERE event_id = ?1 AND state IN ('pending', 'uncertain')",
         true},
        // The invitation can no longer be used (it is kept: invitations are never deleted).
        {"UPDATE invitations SET expires_at = min(expires_at, ?2) WHERE used_at IS NULL"
         " AND id IN (SELECT invitation_id FROM outbox WHERE event_id = ?1)",
         true},
        {"DELETE FROM dialogues WHERE id IN (SELECT dialogue_id FROM outbox WHERE event_id = ?1)", false},
        {"DELETE FROM contacts WHERE id IN (SELECT contact_id FROM outbox WHERE event_id = ?1)", false},
        {"UPDATE events SET decision = 'excluded', reasons = 'cancelled' WHERE id = ?1", false},
        {"UPDATE daily_counts SET scheduled = max(scheduled - 1, 0)"
         " WHERE (touchpoint, send_day) = (SELECT touchpoint, send_day FROM person_history WHERE event_id = ?1)",
         false},
        {"DELETE FROM person_history WHERE event_id = ?1", false},
    };
    for (std::int64_t id : events) {
      for (const Step& step : kSteps) {
        auto q = c_.query(step.sql);
        if (!q) return fail(q.error());
        q->bind(1, id);
        if (step.now) q->bind(2, now_ms_);
        auto n = q->run();
        if (!n) return fail(n.error());
      }
    }
    return static_cast<int>(events.size());
  }

 private:
  // The event of `sql` (one ?1 parameter bound to `key`, at most one row);
  // nullopt when `key` is empty or no row matches.
  Result<std::optional<EventRecord>> first_event(const std::string& sql, const std::string& key) {
    if (key.empty()) return std::optional<EventRecord>();
    auto q = c_.query(sql.c_str());
    if (!q) return fail(q.error());
    q->bind(1, key);
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<EventRecord>();
    auto e = row_to_event(*q);
    if (!e) return fail(e.error());
    return std::optional<EventRecord>(std::move(*e));
  }

  // The latest scheduled_at (or visit_time when `visits`) of the person history rows
  // within retention that belong to the person (key not "") or to one of the
  // numbers, at `touchpoint` when given.
  Result<std::optional<TimePoint>> latest(bool visits, const std::string& person_key,
                                          const std::vector<std::string>& number_keys, const std::string* touchpoint) {
    boost::json::array numbers;
    for (const auto& k : number_keys) {
      if (!k.empty()) numbers.emplace_back(k);
    }
    if (person_key.empty() && numbers.empty()) return std::optional<TimePoint>();
    // Two index lookups (person, number) rather than one OR over both columns.
#define KAIKU_LATEST_SQL(column)                                                                            \
  "SELECT max(m) FROM (SELECT max(" column ") AS m FROM person_history WHERE ?1 <> '' AND person_key = ?1" \
  " AND scheduled_at >= ?3 AND (?4 IS NULL OR touchpoint = ?4)"                                          \
  " UNION ALL SELECT max(" column ") FROM person_history WHERE number_key IN"                             \
  " (SELECT value FROM json_each(?2)) AND scheduled_at >= ?3 AND (?4 IS NULL OR touchpoint = ?4))"
    static const char* const kContacted = KAIKU_LATEST_SQL("scheduled_at");
    static const char* const kVisited = KAIKU_LATEST_SQL("visit_time");
#undef KAIKU_LATEST_SQL
    const char* sql = visits ? kVisited : kContacted;
    auto q = c_.query(sql);
    if (!q) return fail(q.error());
    q->bind(1, person_key).bind(2, boost::json::serialize(numbers)).bind(3, history_after_ms_);
    if (touchpoint != nullptr) q->bind(4, *touchpoint); else q->bind_null(4);
    auto row = q->step();
    if (!row) return fail(row.error());
    return opt_time(*q, 0);
  }

  Connection& c_;
  const std::int64_t now_ms_;
  const std::int64_t history_after_ms_;
};

}  // namespace

Result<std::vector<Status>> SqliteOutreach::intake(std::vector<IntakeWork> works) {
  std::vector<Status> out(works.size());
  if (works.empty()) return out;
  const std::int64_t now_ms = to_ms(ctx_.clock.now());
  const std::int64_t history_after_ms = now_ms - ctx_.options.person_history_retention.count();
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    for (std::size_t i = 0; i < works.size(); ++i) {
      Status st = c.exec("SAVEPOINT intake_work");
      if (!st) return st;
      SqliteIntakeTransaction tx(c, now_ms, history_after_ms);
      Status result;
      try {
        result = works[i] ? works[i](tx) : Status(fail(Error::internal("intake: empty work")));
      } catch (const std::exception& e) {  // the writer thread is a boundary
        result = fail(Error::internal(std::string("intake work failed: ") + e.what()));
      }
      if (!result && (result.error().kind == ErrorKind::unavailable || c.autocommit())) {
        return result;  // storage failure: the whole transaction goes
      }
      st = c.exec(result ? "RELEASE intake_work" : "ROLLBACK TO intake_work; RELEASE intake_work");
      if (!st) return st;
      out[i] = std::move(result);
    }
    return {};
  });
  if (!s) {
    Error e = s.error();
    if (e.kind != ErrorKind::unavailable) e = Error::unavailable("intake not stored: " + e.message);
    return fail(std::move(e));
  }
  return out;
}

}  // namespace kaiku::storage::sqlite
