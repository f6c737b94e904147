// Outgoing e-mail (schema 10): replies to customers and alerts to managers, durable
// until the SMTP relay accepted them. Part of the Store (Store::mail()).
// Contract owned by the reply work; see docs/mail.md.
//
// PRIVACY: the receiver's address and the body are sealed by the service
// (security/sealer.hpp) before they reach storage, and both are deleted when the
// message is finished (sent or failed). The subject is stored plain and must
// carry no personal data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace kaiku::storage {

// What a message is.
enum class MailKind { reply, alert };  // a reply to a customer; an alert to a manager
std::string_view mail_kind_name(MailKind k) noexcept;  // "reply", "alert"

// The mail outbox state machine:
//   pending --claim_due--> sending --mark_sent--> sent
//   sending --mark_retry--> pending (next_attempt_at later: the relay is away)
//   sending --mark_failed--> failed (refused for good, or too many attempts)
//   sending --recover_in_flight (at start, after a crash)--> pending
// Mail is delivered at least once: a message in flight at a crash is sent again.
enum class MailState { pending, sending, sent, failed };
std::string_view mail_state_name(MailState s) noexcept;  // "pending", ...

struct MailMessage {
  std::int64_t id = 0;                     // assigned by enqueue
  MailKind kind = MailKind::reply;
  std::int64_t case_id = 0;                // the case it is about (0: none)
  std::int64_t user_id = 0;                // alert: the manager it goes to; else 0
  // Idempotency: when not "", a second enqueue with the same key stores nothing and
  // returns the first message's id (e.g. "alert:<case>:<user>").
  std::string dedup_key;
  std::vector<std::uint8_t> sealed_to;     // the receiver's address, sealed; empty once finished
  std::string subject;                     // plain UTF-8, no personal data
  std::vector<std::uint8_t> sealed_body;   // the text (UTF-8), sealed; empty once finished
  MailState state = MailState::pending;
  int attempts = 0;                        // hand-overs tried
  TimePoint created_at{};
  TimePoint next_attempt_at{};             // not tried before this
  std::optional<TimePoint> sent_at;        // accepted by the relay
  std::string last_detail;                 // the relay's last answer or error (no address)
  TimePoint updated_at{};
};

class MailRepository {
 public:
  virtual ~MailRepository() = default;
  // Queues a message (state pending, attempts 0: the given state, attempts and
  // sent_at are ignored) durably before returning; returns its id. invalid_input
  // when sealed_to or sealed_body is empty. With a dedup_key used before: nothing
  // new is stored, the first message's id is returned.
  virtual Result<std::int64_t> enqueue(const MailMessage& m) = 0;
  // Moves every pending message whose next_attempt_at <= now to sending
  // (attempts + 1) and returns them, at most `limit` (1..1000), oldest due first.
  // Claims are serialised by the store: concurrent callers never get the same one.
  virtual Result<std::vector<MailMessage>> claim_due(TimePoint now, int limit) = 0;
  // Each mark_* moves a message only from sending (else conflict naming the state;
  // an unknown id is not_found).
  // sending -> sent; the sealed address and body are deleted.
  virtual Status mark_sent(std::int64_t id, TimePoint now, const std::string& detail) = 0;
  // sending -> pending, tried again at `retry_at`.
  virtual Status mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) = 0;
  // sending -> failed; the sealed address and body are deleted.
  virtual Status mark_failed(std::int64_t id, TimePoint now, const std::string& detail) = 0;
  // At start-up: every `sending` message -> pending (due now). Returns how many.
  virtual Result<int> recover_in_flight(TimePoint now) = 0;
  // One message; not_found if absent.
  virtual Result<MailMessage> get(std::int64_t id) = 0;
  // Number of messages per state (index = MailState value).
  virtual Result<std::vector<std::int64_t>> count_by_state() = 0;
};

}  // namespace kaiku::storage
