// MailWorker: the thread that queues alerts and sends the mail outbox.
#include "channels/mail/mail_worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace kaiku::channels::mail {

MailWorker::MailWorker(service::MailDispatcher& dispatcher, service::AlertNotifier* alerts,
                       std::chrono::milliseconds poll)
    : dispatcher_(dispatcher), alerts_(alerts), poll_(poll) {}

MailWorker::~MailWorker() { stop(); }

Status MailWorker::start() {
  auto recovered = dispatcher_.recover();
  if (!recovered) return fail(recovered.error());
  if (*recovered > 0) spdlog::warn("mail: {} message(s) were in flight when the server stopped; sent again", *recovered);
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return {};
  stopping_ = false;
  dispatcher_.set_stopping(false);
  thread_ = std::thread([this] { loop(); });
  return {};
}

void MailWorker::run_once() {
  try {
    if (alerts_ != nullptr) {
      auto a = alerts_->run_once();
      if (!a) {
        spdlog::warn("mail: alerts: {}", a.error().message);
      } else if (a->cases > 0 || a->failed > 0) {
        spdlog::info("mail: {} alert(s): {} e-mail(s) queued, {} left for the next pass", a->cases, a->queued, a->failed);
      }
    }
    const service::MailDispatchStats s = dispatcher_.dispatch_once();
    if (s.claimed > 0) {
      spdlog::info("mail: {} claimed, {} sent, {} to retry, {} failed", s.claimed, s.sent, s.retried, s.failed);
    }
  } catch (const std::exception& e) {
    spdlog::error("mail: pass failed: {}", e.what());
  }
}

void MailWorker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void MailWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  dispatcher_.set_stopping(true);  // the pass in progress leaves the rest of its batch to the next start
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailWorker::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    run_once();
    lock.lock();
    cv_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
  }
}

}  // namespace kaiku::channels::mail
