// Internal: the SQLite implementation of storage/outreach_store.hpp (schema 4).
// Writes go through the shared Writer (group commit); reads through the ReadPool.
// Split over outreach.cpp (names, row mapping, events, contacts, opt-outs,
// dialogues, purge), outreach_intake.cpp (intake and its transaction) and
// outbox.cpp (the outbox state machine).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/outreach_store.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

// Column lists (for "SELECT <cols> FROM t" and "RETURNING <cols>") and the
// readers of rows selected with them.
extern const char* const kEventColumns;
extern const char* const kOutboxColumns;
extern const char* const kDialogueColumns;
Result<EventRecord> row_to_event(const Query& q);
Result<OutboxMessage> row_to_message(const Query& q);
Result<Dialogue> row_to_dialogue(const Query& q);

// Every remaining row of `q` read with `read`.
template <class T, class Read>
Result<std::vector<T>> read_rows(Query& q, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto v = read(q);
    if (!v) return fail(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

// Reason names joined by ',' and back (unknown names: internal error naming `where`).
std::string join_reasons(const std::vector<domain::Reason>& reasons);
Result<std::vector<domain::Reason>> split_reasons(const std::string& text, const std::string& where);

// Inserts a contact; returns its id. invalid_input when the key or the sealed number is empty.
Result<std::int64_t> insert_contact(Connection& c, const ContactRecord& contact, std::int64_t now_ms);
// Inserts an outbox message in state pending (attempts 0, next_attempt_at at least
// not_before, a random reference when `m.reference` is empty); returns its id.
// invalid_input when it has no contact or no text.
Result<std::int64_t> insert_message(Connection& c, const OutboxMessage& m, std::int64_t now_ms);

// The body of the privacy purge (purge_outreach, and the writer's periodic
// maintenance): adds the number of rows deleted (or whose sealed text was
// deleted) to `deleted`. Dialogues are deleted only when they expired before
// `dialogues_before_ms` (SqliteOptions::dialogue_retention after expiry).
Status purge_outreach_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t history_before_ms,
                                     std::int64_t dialogues_before_ms, std::int64_t& deleted);

class SqliteOutreach final : public OutreachRepository {
 public:
  explicit SqliteOutreach(Context& ctx) : ctx_(ctx) {}

  Result<std::vector<Status>> intake(std::vector<IntakeWork> works) override;

  Result<std::vector<EventRecord>> list_events(const EventQuery& q) override;
  Result<EventRecord> get_event(std::int64_t id) override;
  Result<std::vector<std::int64_t>> count_events_by_decision() override;

  Result<std::vector<OutboxMessage>> claim_due(TimePoint now, int limit) override;
  Status mark_sent(std::int64_t id, TimePoint now, const std::string& detail) override;
  Status mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) override;
  Status mark_failed(std::int64_t id, TimePoint now, const std::string& detail) override;
  Status mark_uncertain(std::int64_t id, TimePoint now, const std::string& detail) override;
  Status defer(std::int64_t id, TimePoint until, const std::string& detail) override;
  Result<OutboxMessage> delivery_report(const std::string& reference, int dlr_type, TimePoint now) override;
  Result<int> recover_in_flight(TimePoint now) override;
  Result<int> resolve_uncertain(TimePoint before) override;
  Result<std::int64_t> enqueue(const OutboxMessage& m) override;
  Result<OutboxMessage> get_message(std::int64_t id) override;
  Result<std::vector<OutboxMessage>> messages_for_event(std::int64_t event_id) override;
  Result<std::vector<std::int64_t>> count_messages_by_state() override;

  Result<ContactRecord> get_contact(std::int64_t id) override;
  Result<std::int64_t> add_contact(const ContactRecord& c) override;

  Status add_opt_out(const std::string& number_key, const std::string& person_key, TimePoint now) override;
  Result<bool> is_opted_out(const std::string& number_key) override;

  Result<std::optional<Dialogue>> dialogue_for_number(const std::string& number_key) override;
  Result<Dialogue> get_dialogue(std::int64_t id) override;
  Status update_dialogue(const Dialogue& d) override;
  Result<ReplyOutcome> apply_reply(const ReplyStep& step) override;

  Result<std::int64_t> purge_outreach(TimePoint now, TimePoint history_before) override;

 private:
  // A guarded transition of message `id` (see outbox.cpp).
  // `sql` moves it from sending with ?1 id, ?2 `time_ms`, ?3 `detail`, ?4 `now_ms`.
  Status transition(std::int64_t id, const char* sql, std::int64_t time_ms, std::int64_t now_ms,
                    const std::string& detail, const char* to);

  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
