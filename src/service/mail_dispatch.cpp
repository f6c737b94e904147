// MailDispatcher: the mail outbox to the SMTP relay.
#include "service/mail_dispatch.hpp"

#include <algorithm>

#include "storage/mail_store.hpp"

namespace kaiku::service {

namespace {

// The domain of the From address (for Message-IDs); "kaiku.invalid" when none.
std::string from_domain(const std::string& from) {
  std::string addr = from;
  const auto lt = addr.rfind('<');
  const auto gt = addr.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) addr = addr.substr(lt + 1, gt - lt - 1);
  const auto at = addr.rfind('@');
  if (at == std::string::npos || at + 1 >= addr.size()) return "kaiku.invalid";
  return addr.substr(at + 1);
}

}  // namespace

MailDispatcher::MailDispatcher(storage::Store& store, const security::Sealer& sealer, Clock& clock,
                               MailTransport& transport, MailDispatchOptions options)
    : store_(store), sealer_(sealer), clock_(clock), transport_(transport), options_(std::move(options)) {}

Result<int> MailDispatcher::recover() {
  auto n = store_.mail().recover_in_flight(clock_.now());
  if (!n) return fail(Error::unavailable("could not recover the mail outbox: " + n.error().message));
  return *n;
}

std::chrono::milliseconds MailDispatcher::backoff(int attempts) const {
  auto wait = options_.backoff_min;
  for (int i = 1; i < attempts && wait < options_.backoff_max; ++i) wait *= 2;
  return std::min(wait, options_.backoff_max);
}

MailDispatchStats MailDispatcher::dispatch_once() {
  MailDispatchStats stats;
  storage::MailRepository& repo = store_.mail();
  auto claimed = repo.claim_due(clock_.now(), std::clamp(options_.batch, 1, 1000));
  if (!claimed) return stats;
  stats.claimed = static_cast<int>(claimed->size());
  const std::string domain = from_domain(options_.from);
  bool relay_down = false;
  for (const storage::MailMessage& m : *claimed) {
    const TimePoint now = clock_.now();
    if (stopping_.load()) {
      (void)repo.mark_retry(m.id, now, "not tried: the mail worker was stopping");
      ++stats.retried;
      continue;
    }
    if (relay_down) {
      (void)repo.mark_retry(m.id, now + options_.backoff_min, "not tried: the relay was unavailable");
      ++stats.retried;
      continue;
    }
    auto to = sealer_.open(m.sealed_to);
    auto body = sealer_.open(m.sealed_body);
    if (!to || !body) {
      (void)repo.mark_failed(m.id, now, !to ? "the sealed address cannot be opened" : "the sealed body cannot be opened");
      ++stats.failed;
      continue;
    }
    OutgoingMail mail;
    mail.from = options_.from;
    mail.to = *to;
    mail.subject = m.subject;
    mail.body = *body;
    mail.message_id = "<kaiku." + std::string(storage::mail_kind_name(m.kind)) + "." + std::to_string(m.id) + "." +
                      std::to_string(m.created_at.time_since_epoch().count()) + "@" + domain + ">";
    mail.date = now;
    const MailOutcome out = transport_.send(mail);
    const TimePoint after = clock_.now();
    switch (out.kind) {
      case MailOutcome::Kind::accepted:
        if (Status st = repo.mark_sent(m.id, after, out.detail); !st) {
          (void)repo.mark_sent(m.id, after, out.detail);  // once more; a failure leaves it in sending
        }
        ++stats.sent;
        break;
      case MailOutcome::Kind::rejected:
        (void)repo.mark_failed(m.id, after, out.detail);
        ++stats.failed;
        break;
      case MailOutcome::Kind::unavailable:
        relay_down = true;
        if (m.attempts >= options_.max_attempts) {
          (void)repo.mark_failed(m.id, after, "gave up after " + std::to_string(m.attempts) + " attempts: " + out.detail);
          ++stats.failed;
        } else {
          (void)repo.mark_retry(m.id, after + backoff(m.attempts), out.detail);
          ++stats.retried;
        }
        break;
    }
  }
  return stats;
}

}  // namespace kaiku::service
