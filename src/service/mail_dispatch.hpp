// Sending the mail outbox (storage/mail_store.hpp): claims due messages, opens the
// sealed address and body, hands each to a MailTransport and records the outcome,
// with retries and exponential backoff, and failure after max_attempts. The mail
// worker thread (channels/mail/mail_worker.hpp) calls dispatch_once periodically.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "security/sealer.hpp"
#include "service/mail_transport.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

struct MailDispatchOptions {
  std::string from;  // the From header (--smtp-from)
  int batch = 20;    // messages claimed per pass (1..1000)
  // After a failed attempt n (1, 2, ...) the message waits
  // backoff_min * 2^(n-1), at most backoff_max; after max_attempts it fails.
  std::chrono::milliseconds backoff_min{std::chrono::seconds(30)};
  std::chrono::milliseconds backoff_max{std::chrono::hours(1)};
  int max_attempts = 10;
};

struct MailDispatchStats {
  int claimed = 0;
  int sent = 0;
  int retried = 0;  // back to pending with backoff (the relay was away; the rest of the pass untried)
  int failed = 0;   // refused for good, too many attempts, or unreadable (sealed with another key)
};

class MailDispatcher {
 public:
  // All references must outlive the dispatcher.
  MailDispatcher(storage::Store& store, const security::Sealer& sealer, Clock& clock, MailTransport& transport,
                 MailDispatchOptions options);
  // At start-up: messages in flight at a crash are sent again. Returns how many.
  Result<int> recover();
  // One pass at clock.now(). When the transport is unavailable the rest of the
  // claimed batch goes back untried (counted as retried). The stop flag is
  // checked before each message: once it is set, the rest of the claimed batch
  // goes back to pending, due at once (counted as retried), so a stop waits for
  // at most the message being handed over.
  MailDispatchStats dispatch_once();
  // Sets or clears the stop flag (any thread; the mail worker sets it in stop()).
  void set_stopping(bool stopping) noexcept { stopping_.store(stopping); }
  // The wait after `attempts` failed attempts.
  std::chrono::milliseconds backoff(int attempts) const;

 private:
  storage::Store& store_;
  const security::Sealer& sealer_;
  Clock& clock_;
  MailTransport& transport_;
  MailDispatchOptions options_;
  std::atomic<bool> stopping_{false};
};

}  // namespace kaiku::service
