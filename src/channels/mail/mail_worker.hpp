// The mail worker of `kaiku serve`: one thread that, every `poll`, queues alert
// e-mails (service::AlertNotifier, when given) and sends the mail outbox
// (service::MailDispatcher) to the SMTP relay. Stops cleanly: stop() wakes the
// thread, lets the hand-over in progress finish (the rest of the claimed batch goes
// back to the outbox unsent) and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/result.hpp"
#include "service/alert_notifier.hpp"
#include "service/mail_dispatch.hpp"

namespace kaiku::channels::mail {

class MailWorker {
 public:
  // `dispatcher` and `alerts` (may be null) must outlive the worker. `poll` is
  // real time between passes.
  MailWorker(service::MailDispatcher& dispatcher, service::AlertNotifier* alerts,
             std::chrono::milliseconds poll = std::chrono::seconds(1));
  ~MailWorker();  // stop()
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  // Recovers messages in flight at a crash and starts the thread. Errors: unavailable.
  Status start();
  // One pass (alerts, then the outbox) on the caller's thread; what the thread runs.
  void run_once();
  // Asks for a pass as soon as possible (e.g. after a reply was queued).
  void wake();
  // Stops the thread (idempotent).
  void stop();

 private:
  void loop();

  service::MailDispatcher& dispatcher_;
  service::AlertNotifier* alerts_;
  std::chrono::milliseconds poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace kaiku::channels::mail
