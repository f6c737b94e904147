// OutreachService: construction, send times (Europe/Helsinki) and event intake --
// every item recorded with a decision in one durable transaction.
#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "domain/sms_text.hpp"
#include "security/digest.hpp"
#include "service/outreach_internal.hpp"

namespace kaiku::service {

namespace {

constexpr std::int64_t kMsPerHour = 3'600'000;
constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::chrono::milliseconds days(int n) { return std::chrono::hours(24) * n; }

// What is computed for an item before the transaction: keys and random values, so
// that the work run inside the shared transaction only looks up, decides and writes.
struct Prepared {
  std::string dedup_key;
  std::string visit_key;
  std::string person_key;
  std::vector<std::string> number_keys;  // of every number of the event that normalises
  std::string invitation_id;
  std::string token;
  std::string reference;
  // Completed visits: the nominal first moment, the moment to send, its local day.
  TimePoint first_moment{};
  TimePoint send_at{};
  std::string send_day;
};

std::string dedup_key_of(const IntakeItem& item, const std::string& sender, const std::string& message_id) {
  std::string material;
  material += domain::event_source_name(item.source);
  material += '|';
  material += sender;
  material += '|';
  material += message_id;
  material += '|';
  material += item.content_digest;
  return security::sha256_hex(material);
}

std::string sender_of(const IntakeItem& item) {
  if (!item.sender.empty() || !item.event) return item.sender;
  return item.event->sender;
}

std::string message_id_of(const IntakeItem& item) {
  if (!item.message_id.empty() || !item.event) return item.message_id;
  return item.event->message_id;
}

// The message id as recorded. FHIR idempotency keys and CSV row hashes can carry
// personal data (an identity code in `if-none-exist:identifier=...`, a hash over a
// row's personal fields), so for those sources only a keyed hash is kept; HL7
// control ids are kept as they are. De-duplication uses the original (dedup_key_of).
std::string stored_message_id(const security::Sealer& sealer, const IntakeItem& item) {
  std::string id = message_id_of(item);
  if (id.empty()) return id;
  if (item.source != domain::EventSource::fhir && item.source != domain::EventSource::csv) return id;
  return "h:" + sealer.keyed_hash("message-id", id).substr(0, 32);
}

// The dedup key of an event recorded as "could not be decided" (see intake): one
// that no other message ever has, so that the sender's resend is decided afresh
// instead of being a duplicate of the failure.
std::string undecided_dedup_key(const Prepared& p) { return p.dedup_key + "#undecided:" + p.invitation_id; }

IntakeResult result_of(const storage::EventRecord& rec) {
  IntakeResult r;
  r.event_id = rec.id;
  r.decision = rec.decision;
  r.reasons = rec.reasons;
  r.unit = rec.unit;
  r.touchpoint = rec.touchpoint;
  r.send_at = rec.send_at;
  r.duplicate_of = rec.duplicate_of;
  return r;
}

}  // namespace

// ---- Impl helpers shared by the outreach files --------------------------------------

TimePoint OutreachService::Impl::local_moment(analytics::Day day, int hour) {
  const std::int64_t wall = static_cast<std::int64_t>(day) * kMsPerDay + hour * kMsPerHour;
  const auto& tz = zone();
  // The offset at the wall time read as UTC is at most a few hours off the true
  // one; a second step settles on the offset in force at the result.
  std::int64_t off = tz.utc_offset(at_ms(wall)).count() * 60'000;
  std::int64_t t = wall - off;
  std::int64_t off2 = tz.utc_offset(at_ms(t)).count() * 60'000;
  if (off2 != off) {
    t = wall - off2;
    // In a skipped hour (spring forward) neither offset fits: keep the later instant.
    if (tz.utc_offset(at_ms(t)).count() * 60'000 != off2) t = wall - std::min(off, off2);
  }
  return at_ms(t);
}

int OutreachService::Impl::local_hour(TimePoint t) {
  std::int64_t local = t.time_since_epoch().count() + zone().utc_offset(t).count() * 60'000;
  std::int64_t in_day = ((local % kMsPerDay) + kMsPerDay) % kMsPerDay;
  return static_cast<int>(in_day / kMsPerHour);
}

TimePoint OutreachService::Impl::next_sending_moment(const domain::OutreachRules& rules, TimePoint t) {
  const int h = local_hour(t);
  if (h >= rules.send_from_hour && h < rules.send_until_hour) return t;
  const analytics::Day today = zone().local_day(t);
  if (h < rules.send_from_hour) return local_moment(today, rules.send_from_hour);
  return local_moment(today + 1, rules.send_from_hour);
}

std::string new_outbox_reference(Random& random) { return random_token(random, 16); }

std::chrono::milliseconds OutreachService::Impl::backoff(const OutreachOptions& o, int attempts) {
  auto wait = o.backoff_min;
  for (int i = 1; i < attempts && wait < o.backoff_max; ++i) wait *= 2;
  return std::min(wait, o.backoff_max);
}

// ---- OutreachService -----------------------------------------------------------------

OutreachService::OutreachService(const domain::Model& model, storage::Store& store, const security::Sealer& sealer,
                                 Clock& clock, Random& random, StoreObserver* observer, OutreachOptions options)
    : model_(model),
      store_(store),
      sealer_(sealer),
      clock_(clock),
      random_(random),
      observer_(observer),
      options_(std::move(options)) {}

TimePoint OutreachService::Impl::first_moment(const domain::OutreachRules& rules, TimePoint visit_time) {
  return local_moment(zone().local_day(visit_time) + rules.send_delay_days, rules.send_from_hour);
}

TimePoint OutreachService::send_time(TimePoint visit_time, TimePoint now) const {
  const auto& rules = model_.outreach;
  const TimePoint first = Impl::first_moment(rules, visit_time);
  if (first >= now) return first;
  return Impl::next_sending_moment(rules, now);
}

std::string OutreachService::local_day(TimePoint t) const {
  return analytics::format_date(Impl::zone().local_day(t));
}

bool OutreachService::within_sending_hours(TimePoint t) const {
  const int h = Impl::local_hour(t);
  return h >= model_.outreach.send_from_hour && h < model_.outreach.send_until_hour;
}

namespace {

// Decides one item inside the intake transaction and records it. Fills `out`.
// Storage errors are returned as they are.
class ItemDecider {
 public:
  ItemDecider(const domain::Model& model, const security::Sealer& sealer, const OutreachOptions& options,
              TimePoint now)
      : model_(model), sealer_(sealer), options_(options), now_(now) {}

  Status run(storage::IntakeTransaction& tx, const IntakeItem& item, const Prepared& p, IntakeResult& out) const {
    storage::EventRecord rec;
    rec.source = item.source;
    rec.sender = sender_of(item);
    rec.message_id = stored_message_id(sealer_, item);
    rec.dedup_key = p.dedup_key;
    rec.visit_key = p.visit_key;
    rec.received_at = now_;
    if (!item.event) {
      rec.decision = domain::Decision::rejected;
      rec.reasons = {item.reject_reason};
      rec.detail = item.error.empty() ? "unreadable message" : item.error;
      return insert(tx, rec, out);
    }
    const domain::CareEvent& ev = *item.event;
    rec.trigger = ev.trigger;
    rec.visit_time = ev.visit_time;

    auto first = tx.find_by_dedup_key(p.dedup_key);
    if (!first) return fail(first.error());
    if (*first) {
      rec.decision = domain::Decision::duplicate;
      rec.reasons = {domain::Reason::duplicate};
      rec.duplicate_of = (*first)->id;
      rec.unit = (*first)->unit;
      rec.touchpoint = (*first)->touchpoint;
      return insert(tx, rec, out);
    }

    const domain::OutreachRules& rules = model_.outreach;
    const domain::EventMapping mapping = domain::map_event(model_, rules, ev);
    rec.unit = mapping.unit;
    rec.touchpoint = mapping.touchpoint;
    if (mapping.meaning == domain::EventMeaning::cancelled) {
      if (!p.visit_key.empty()) {
        if (auto n = tx.cancel_visit(p.visit_key); !n) return fail(n.error());
      }
      rec.decision = domain::Decision::excluded;
      rec.reasons = {domain::Reason::cancelled};
      return insert(tx, rec, out);
    }
    if (!mapping.reasons.empty() || mapping.touchpoint.empty()) {
      rec.decision = domain::Decision::unmapped;
      rec.reasons = mapping.reasons.empty() ? std::vector<domain::Reason>{domain::Reason::no_touchpoint}
                                            : mapping.reasons;
      return insert(tx, rec, out);
    }
    if (mapping.meaning != domain::EventMeaning::completed) {
      rec.decision = domain::Decision::excluded;
      rec.reasons = {domain::Reason::not_completed};
      return insert(tx, rec, out);
    }
    // One invitation per visit: another completion of a visit that is scheduled
    // already (A04 then A03, a resend with a new message id, the same visit by
    // another door) is its duplicate, whoever the person is.
    if (!p.visit_key.empty()) {
      auto earlier = tx.scheduled_for_visit(p.visit_key);
      if (!earlier) return fail(earlier.error());
      if (*earlier) {
        rec.decision = domain::Decision::duplicate;
        rec.reasons = {domain::Reason::duplicate};
        rec.duplicate_of = (*earlier)->id;
        return insert(tx, rec, out);
      }
    }
    return decide_completed(tx, ev, mapping, p, rec, out);
  }

 private:
  Status insert(storage::IntakeTransaction& tx, storage::EventRecord& rec, IntakeResult& out) const {
    auto id = tx.insert_event(rec);
    if (!id) return fail(id.error());
    rec.id = *id;
    out = result_of(rec);
    return {};
  }

  Status decide_completed(storage::IntakeTransaction& tx, const domain::CareEvent& ev,
                          const domain::EventMapping& mapping, const Prepared& p, storage::EventRecord& rec,
                          IntakeResult& out) const {
    const domain::OutreachRules& rules = model_.outreach;
    const TimePoint visit_time = ev.visit_time.value_or(now_);
    // The visit's nominal first moment judges too_old and starts the send window;
    // the message goes at send_at (the same, or the next sending moment when the
    // visit was reported late).
    const TimePoint first_moment = p.first_moment;
    const TimePoint send_at = p.send_at;
    const TimePoint window_end = first_moment + days(std::max(1, rules.send_window_days));
    const std::string& day = p.send_day;

    domain::PersonHistory history;
    auto opted = tx.opted_out(p.person_key, p.number_keys);
    if (!opted) return fail(opted.error());
    history.opted_out = *opted;
    // By the person when known, else by the event's numbers (keyed hashes), so that
    // the contact cap and the follow-up rule also hold without an identity code.
    const std::vector<std::string> none;
    const std::vector<std::string>& numbers = p.person_key.empty() ? p.number_keys : none;
    if (!p.person_key.empty() || !numbers.empty()) {
      auto last = tx.last_contacted(p.person_key, numbers);
      if (!last) return fail(last.error());
      history.last_contacted = *last;
      auto here = tx.last_surveyed_visit(p.person_key, mapping.touchpoint, numbers);
      if (!here) return fail(here.error());
      history.last_surveyed_visit_here = *here;
    }
    auto on_day = tx.scheduled_on(mapping.touchpoint, day);
    if (!on_day) return fail(on_day.error());
    history.scheduled_on_send_day = *on_day;

    domain::DecisionOutcome outcome = domain::decide(model_, rules, ev, mapping, history, now_, first_moment);
    rec.decision = outcome.decision;
    rec.reasons = outcome.reasons;
    std::string e164;
    if (rec.decision == domain::Decision::scheduled) {
      e164 = domain::normalise_msisdn(outcome.mobile);
      if (send_at >= window_end) {
        // Reported so late that the next sending moment falls outside the window.
        rec.decision = domain::Decision::excluded;
        rec.reasons = {domain::Reason::too_old};
      } else if (e164.empty()) {
        rec.decision = domain::Decision::excluded;
        rec.reasons = {domain::Reason::no_mobile};
      } else if (!rules.enabled) {
        rec.decision = domain::Decision::excluded;
        rec.reasons = {domain::Reason::outreach_off};
      }
    }
    if (rec.decision != domain::Decision::scheduled) return insert(tx, rec, out);

    const domain::Touchpoint* tp = model_.touchpoint(mapping.touchpoint);
    if (tp == nullptr) return fail(Error::internal("touchpoint '" + mapping.touchpoint + "' vanished from the model"));
    const bool reply_mode = tp->sms.mode == domain::TouchpointSms::Mode::reply;
    if (!reply_mode && options_.base_url.empty()) {
      return fail(Error::invalid("outreach: touchpoint '" + tp->id +
                                 "' sends links, but no public base URL is configured"));
    }
    rec.reasons.clear();
    rec.send_at = send_at;
    if (auto st = insert(tx, rec, out); !st) return st;

    storage::Scheduling s;
    s.person_key = p.person_key;
    s.number_key = sealer_.keyed_hash("number", e164);
    s.sealed_number = sealer_.seal(e164);
    s.contact_expires_at = send_at + days(rules.reply_days);
    s.visit_time = visit_time;
    s.reply_mode = reply_mode;

    storage::Invitation& inv = s.invitation;
    inv.id = p.invitation_id;
    inv.token_hash = security::sha256_hex(p.token);
    inv.touchpoint = tp->id;
    inv.unit = mapping.unit;
    inv.event_ref = "event-" + std::to_string(rec.id);
    inv.language = outcome.language;
    inv.channel = domain::Channel::sms;
    inv.age_group = outcome.age_group;
    inv.created_at = now_;
    inv.expires_at = s.contact_expires_at;

    const std::string text = reply_mode ? SmsTexts::invite_reply(model_, *tp, outcome.language)
                                        : SmsTexts::invite_link(model_, *tp, outcome.language,
                                                                options_.base_url + "/i/" + p.token);
    storage::OutboxMessage& m = s.message;
    m.event_id = rec.id;
    m.invitation_id = inv.id;
    m.touchpoint = tp->id;
    m.unit = mapping.unit;
    m.kind = storage::OutboxKind::invite;
    m.sealed_text = sealer_.seal(text);
    m.ucs2 = !domain::fits_gsm7(text);
    m.state = storage::OutboxState::pending;
    m.created_at = now_;
    m.not_before = send_at;
    m.next_attempt_at = send_at;
    m.expires_at = window_end;
    m.reference = p.reference;
    m.updated_at = now_;

    auto outbox_id = tx.schedule(rec.id, day, s);
    if (!outbox_id) return fail(outbox_id.error());
    return {};
  }

  const domain::Model& model_;
  const security::Sealer& sealer_;
  const OutreachOptions& options_;
  TimePoint now_;
};

}  // namespace

Result<std::vector<IntakeResult>> OutreachService::intake(const std::vector<IntakeItem>& items) {
  const TimePoint now = clock_.now();
  std::vector<Prepared> prepared(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const IntakeItem& item = items[i];
    Prepared& p = prepared[i];
    p.dedup_key = dedup_key_of(item, sender_of(item), message_id_of(item));
    if (!item.event) continue;
    const domain::CareEvent& ev = *item.event;
    if (!ev.visit_id.empty()) p.visit_key = sealer_.keyed_hash("visit", ev.sender + "|" + ev.visit_id);
    if (!ev.person_id.empty()) p.person_key = sealer_.keyed_hash("person", ev.person_id);
    for (const auto& raw : ev.mobiles) {
      std::string e164 = domain::normalise_msisdn(raw);
      if (!e164.empty()) p.number_keys.push_back(sealer_.keyed_hash("number", e164));
    }
    auto [invitation_id, token] = new_invitation_secret(random_);
    p.invitation_id = std::move(invitation_id);
    p.token = std::move(token);
    p.reference = new_outbox_reference(random_);
    const TimePoint visit_time = ev.visit_time.value_or(now);
    p.first_moment = Impl::first_moment(model_.outreach, visit_time);
    p.send_at = send_time(visit_time, now);
    p.send_day = local_day(p.send_at);
  }

  std::vector<IntakeResult> results(items.size());
  auto decider = std::make_shared<ItemDecider>(model_, sealer_, options_, now);
  std::vector<storage::OutreachRepository::IntakeWork> works;
  works.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    works.push_back([&, decider, i](storage::IntakeTransaction& tx) -> Status {
      return decider->run(tx, items[i], prepared[i], results[i]);
    });
  }
  auto statuses = store_.outreach().intake(std::move(works));
  if (!statuses) return fail(Error::unavailable("could not record the events: " + statuses.error().message));

  // A work that failed on its own (not storage) was rolled back alone: record the
  // event as rejected with what went wrong, so that it still ends in a decision.
  // A readable event gets a dedup key that never matches (the sender's resend, e.g.
  // after the configuration was fixed, is decided afresh) and retry_later; an
  // unreadable one keeps its key, as in ItemDecider::run.
  std::vector<std::size_t> failed;
  for (std::size_t i = 0; i < items.size() && i < statuses->size(); ++i) {
    if (!(*statuses)[i]) failed.push_back(i);
  }
  if (!failed.empty()) {
    std::vector<storage::OutreachRepository::IntakeWork> retry;
    for (std::size_t i : failed) {
      retry.push_back([&, i](storage::IntakeTransaction& tx) -> Status {
        storage::EventRecord rec;
        rec.source = items[i].source;
        rec.sender = sender_of(items[i]);
        rec.message_id = stored_message_id(sealer_, items[i]);
        rec.dedup_key = items[i].event ? undecided_dedup_key(prepared[i]) : prepared[i].dedup_key;
        rec.visit_key = prepared[i].visit_key;
        rec.received_at = now;
        if (items[i].event) {
          rec.trigger = items[i].event->trigger;
          rec.visit_time = items[i].event->visit_time;
        }
        rec.decision = domain::Decision::rejected;
        rec.reasons = {domain::Reason::unreadable};
        rec.detail = "could not be decided: " + (*statuses)[i].error().message;
        auto id = tx.insert_event(rec);
        if (!id) return fail(id.error());
        rec.id = *id;
        results[i] = result_of(rec);
        results[i].retry_later = items[i].event.has_value();
        return {};
      });
    }
    auto again = store_.outreach().intake(std::move(retry));
    if (!again) return fail(Error::unavailable("could not record the events: " + again.error().message));
    for (std::size_t k = 0; k < failed.size() && k < again->size(); ++k) {
      if (!(*again)[k]) {
        return fail(Error::unavailable("could not record event " + std::to_string(failed[k] + 1) +
                                       " of the batch: " + (*again)[k].error().message));
      }
    }
  }

  // The invitations made here reach reports (the observer, InvitationRepository::
  // list) only when their SMS is handed over: see OutreachService::dispatch_once.
  return results;
}

}  // namespace kaiku::service
