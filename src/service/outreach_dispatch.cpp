// OutreachService: handing due outbox messages to the SMS gateway (quiet hours,
// retries with backoff, restart recovery) and delivery reports.
#include <algorithm>
#include <chrono>

#include "domain/sms_text.hpp"
#include "service/outreach_internal.hpp"

namespace kaiku::service {

namespace {

// Dialogue replies go out right away even in quiet hours when the customer wrote
// this recently (they are answers, not invitations).
constexpr std::chrono::minutes kReplyWindow{10};

bool is_dialogue_reply(storage::OutboxKind k) { return k != storage::OutboxKind::invite; }

}  // namespace

storage::OutboxMessage reply_message(const security::Sealer& sealer, Random& random, TimePoint now,
                                     storage::OutboxKind kind, const std::string& text, std::int64_t contact_id,
                                     TimePoint expires_at) {
  storage::OutboxMessage m;
  m.contact_id = contact_id;
  m.kind = kind;
  m.sealed_text = sealer.seal(text);
  m.ucs2 = !domain::fits_gsm7(text);
  m.state = storage::OutboxState::pending;
  m.created_at = now;
  m.not_before = now;
  m.next_attempt_at = now;
  // A reply nobody could send within a day has lost its point.
  m.expires_at = std::max(now + std::chrono::minutes(1), std::min(expires_at, now + std::chrono::hours(24)));
  m.reference = new_outbox_reference(random);
  m.updated_at = now;
  return m;
}

void OutreachService::Impl::invitation_handed_over(OutreachService& s, const std::string& invitation_id) {
  if (s.observer_ == nullptr || invitation_id.empty()) return;
  // Read back with the seq the store assigned when the message was handed over. If
  // that fails the engine still finds it at its next catch-up (list by seq).
  auto inv = s.store_.invitations().get(invitation_id);
  if (inv && inv->seq > 0) s.observer_->invitation_created(*inv);
}

Result<int> OutreachService::recover() {
  auto n = store_.outreach().recover_in_flight(clock_.now());
  if (!n) return fail(Error::unavailable("could not recover the outbox: " + n.error().message));
  return *n;
}

DispatchStats OutreachService::dispatch_once(SmsGateway& gateway, int budget) {
  DispatchStats stats;
  const TimePoint now = clock_.now();
  storage::OutreachRepository& repo = store_.outreach();
  // Messages in flight at a crash that no delivery report told of: send again.
  (void)repo.resolve_uncertain(now - options_.uncertain_grace);
  if (budget <= 0) return stats;
  auto claimed = repo.claim_due(now, std::min(budget, std::max(1, options_.claim_batch)));
  if (!claimed) return stats;
  stats.claimed = static_cast<int>(claimed->size());

  const bool in_hours = within_sending_hours(now);
  const TimePoint next_moment = Impl::next_sending_moment(model_.outreach, now);
  bool gateway_down = false;
  for (const storage::OutboxMessage& m : *claimed) {
    if (gateway_down) {
      // Not tried: the gateway just failed; try again with the next pass after a pause.
      (void)repo.mark_retry(m.id, now + options_.backoff_min, "not tried: the gateway was unavailable");
      ++stats.retried;
      continue;
    }
    // Quiet hours: invitations (and replies the customer is no longer waiting for)
    // wait for the next sending moment. Not tried, so not an attempt: defer undoes
    // the claim's attempt (which would otherwise grow the backoff).
    if (!in_hours && !(is_dialogue_reply(m.kind) && now - m.created_at <= kReplyWindow)) {
      (void)repo.defer(m.id, next_moment, "quiet hours");
      ++stats.deferred;
      continue;
    }
    auto contact = repo.get_contact(m.contact_id);
    if (!contact) {
      if (contact.error().kind == ErrorKind::not_found) {
        (void)repo.mark_failed(m.id, now, "contact gone (expired or deleted)");
        ++stats.skipped;
      } else {
        (void)repo.mark_retry(m.id, now + options_.backoff_min, "storage: could not read the contact");
        ++stats.retried;
      }
      continue;
    }
    if (m.kind != storage::OutboxKind::opt_out_confirm) {
      auto opted = repo.is_opted_out(contact->number_key);
      if (opted && *opted) {
        (void)repo.mark_failed(m.id, now, "opted out");
        ++stats.skipped;
        continue;
      }
    }
    auto number = sealer_.open(contact->sealed_number);
    auto text = m.sealed_text.empty() ? Result<std::string>(fail(Error::invalid("no text")))
                                      : sealer_.open(m.sealed_text);
    if (!number || !text) {
      (void)repo.mark_failed(m.id, now, !number ? "the sealed number cannot be opened"
                                                : "the sealed text cannot be opened");
      ++stats.skipped;
      continue;
    }
    OutgoingSms sms;
    sms.to = *number;
    sms.from = model_.outreach.sender_id;
    sms.text = *text;
    sms.coding = m.ucs2 ? SmsCoding::ucs2 : SmsCoding::gsm7;
    sms.reference = m.reference;
    const SendOutcome outcome = gateway.send(sms);
    const TimePoint after = clock_.now();
    switch (outcome.kind) {
      case SendOutcome::Kind::accepted: {
        ++stats.sent;
        Status recorded = repo.mark_sent(m.id, after, outcome.detail);
        // Once more for a passing storage failure (a conflict will not pass).
        if (!recorded && recorded.error().kind != ErrorKind::conflict)
          recorded = repo.mark_sent(m.id, after, outcome.detail);
        if (recorded) {
          if (m.kind == storage::OutboxKind::invite) Impl::invitation_handed_over(*this, m.invitation_id);
          break;
        }
        // The gateway has it but the outbox does not say so. Never back to pending
        // (that would send it again at once): uncertain, settled by its delivery
        // report (which also releases the invitation), or, failing that too, left
        // in sending until a restart's recover_in_flight makes it uncertain.
        ++stats.unrecorded;
        (void)repo.mark_uncertain(m.id, after, "accepted by the gateway, but not recorded as sent: " +
                                                   recorded.error().message);
        break;
      }
      case SendOutcome::Kind::rejected:
        (void)repo.mark_failed(m.id, after, outcome.detail);
        ++stats.failed;
        break;
      case SendOutcome::Kind::unavailable:
        (void)repo.mark_retry(m.id, after + Impl::backoff(options_, std::max(1, m.attempts)), outcome.detail);
        ++stats.retried;
        gateway_down = true;
        break;
      case SendOutcome::Kind::unknown:
        // The gateway may have the message: not again before a delivery report or
        // the grace period (resolve_uncertain). The gateway is in trouble, too.
        if (!repo.mark_uncertain(m.id, after, outcome.detail)) ++stats.unrecorded;
        ++stats.uncertain;
        gateway_down = true;
        break;
    }
  }
  return stats;
}

Status OutreachService::on_delivery_report(const std::string& reference, int dlr_type) {
  auto m = store_.outreach().delivery_report(reference, dlr_type, clock_.now());
  if (!m) {
    const ErrorKind kind = m.error().kind;
    if (kind == ErrorKind::not_found || kind == ErrorKind::conflict) {
      // A report for a message that is no longer ours (purged) or that was never
      // handed over (cancelled or expired unsent): acknowledged and ignored,
      // or the gateway would retry it forever. (The service layer does not log;
      // nothing is lost: the message's state already says what happened.)
      return {};
    }
    if (kind == ErrorKind::invalid_input) return fail(m.error());
    return fail(Error::unavailable("could not record the delivery report: " + m.error().message));
  }
  // A report can be the first sign that an invitation was handed over (after a
  // restart); telling the observer again is harmless (the engine adds by id).
  if (m->kind == storage::OutboxKind::invite && m->sent_at) Impl::invitation_handed_over(*this, m->invitation_id);
  return {};
}

}  // namespace kaiku::service
