// SMS outreach after visits, as use cases independent of any channel format:
//  - intake: record every event with a decision, durably, before the sender is
//    acknowledged (HL7 v2/MLLP, FHIR and CSV all end here);
//  - dispatch: hand due outbox messages to the SMS gateway, throttled, with retries;
//  - replies and delivery reports from the gateway (reply-mode dialogues, opt-outs);
//  - the events list for staff.
// The channel layers parse their formats into CareEvents and call this; apps/ wires
// the gateway, the clock and the threads.
//
// PRIVACY: phone numbers and identity codes are used here only to seal the number
// into the contact store and to compute keyed hashes; they are never logged, never
// in an error message, never in a Response or an EventRecord.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/model.hpp"
#include "domain/outreach.hpp"
#include "security/sealer.hpp"
#include "service/sms_gateway.hpp"
#include "service/survey_service.hpp"
#include "storage/outreach_store.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

class CommentProcessor;  // service/comment_processor.hpp

struct OutreachOptions {
  // Absolute public base URL without trailing slash; link-mode texts carry
  // base_url + "/i/" + token. Required when any touchpoint uses link mode.
  std::string base_url;
  // Dispatch: at most `rate_per_s` hand-overs per second (token bucket), claimed in
  // batches of `claim_batch`; after a gateway failure the message waits
  // backoff_min * 2^(attempts-1), at most backoff_max.
  double rate_per_s = 20.0;
  int claim_batch = 50;
  std::chrono::milliseconds backoff_min{5000};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(10)};
  // A message in flight at a crash (state uncertain after restart) is sent again
  // when no delivery report told of it within this time.
  std::chrono::milliseconds uncertain_grace{std::chrono::minutes(10)};
  // Person history kept for contact caps and follow-up rules at least this long.
  int history_days = 400;
  // Analyses and redacts the open-text answers of SMS replies before they are
  // stored (originals sealed). Optional (null: stored as given, analysed later by
  // backfill_comments); not owned, must outlive the service.
  const CommentProcessor* comments = nullptr;
};

// One event as a door delivers it: parsed, or unreadable with the reason.
struct IntakeItem {
  domain::EventSource source = domain::EventSource::mllp;
  std::string sender;          // as far as known ("" when even that was unreadable)
  std::string message_id;      // as far as known
  std::string content_digest;  // hex SHA-256 of the message as received (raw bytes)
  std::optional<domain::CareEvent> event;  // nullopt: unreadable
  std::string error;           // unreadable: what and where, no personal data
  // unreadable: the reason recorded (unreadable, or unsupported_event for a
  // well-formed message of a type outreach does not use, e.g. ADT^A28)
  domain::Reason reject_reason = domain::Reason::unreadable;
};

struct IntakeResult {
  std::int64_t event_id = 0;
  domain::Decision decision = domain::Decision::rejected;
  std::vector<domain::Reason> reasons;
  std::string unit;
  std::string touchpoint;
  std::optional<TimePoint> send_at;  // scheduled only
  std::int64_t duplicate_of = 0;     // duplicate only
  // A readable event that could not be decided for a reason other than storage
  // (e.g. configuration: a link-mode touchpoint without base URL). It is recorded as
  // rejected ("could not be decided: ..."), but never as the first of its dedup key,
  // so that a resend after the fix is decided afresh: the door should ask the sender
  // to retry later (HL7 AE, HTTP 503) rather than acknowledge it.
  bool retry_later = false;
};

// Counts of one dispatch pass.
struct DispatchStats {
  int claimed = 0;
  int sent = 0;         // accepted by the gateway
  int retried = 0;      // gateway unavailable (or not tried after it failed): back to
                        // pending with backoff
  int deferred = 0;     // claimed in quiet hours and put back, untried, until the next
                        // sending moment (the claim's attempt undone: no backoff growth)
  int failed = 0;       // refused for good
  int skipped = 0;      // contact gone (expired/purged) or text unreadable: failed without sending
  int uncertain = 0;    // the gateway's answer was lost after the request went out: moved
                        // to uncertain (settled by a delivery report, else sent again
                        // after OutreachOptions::uncertain_grace); never resent at once
  int unrecorded = 0;   // an outcome the outbox could not record (mark_sent failed twice
                        // after the gateway accepted -- then moved to uncertain if
                        // possible --, or mark_uncertain failed): worth a log line; the
                        // message stays out of pending (a restart makes it uncertain)
};

// A page of events for staff.
struct EventPage {
  std::vector<storage::EventRecord> items;
  std::optional<std::string> next_cursor;
};
struct EventListRequest {
  std::optional<std::string> unit;         // subtree; default the caller's scope
  std::optional<domain::Decision> decision;
  std::optional<domain::EventSource> source;
  std::optional<TimePoint> from, to;
  std::string cursor;
  int limit = 100;
  std::string query_text;                  // for the audit entry
};

class OutreachService {
 public:
  // All references must outlive the service. `observer` (may be null) hears of
  // responses stored from SMS replies and of invitations whose SMS was handed over
  // to the gateway (not at scheduling: an invitation never sent is no invitation
  // for response rates).
  OutreachService(const domain::Model& model, storage::Store& store, const security::Sealer& sealer,
                  Clock& clock, Random& random, StoreObserver* observer, OutreachOptions options);

  // Records and decides every item, in order, in ONE durable transaction (group
  // commit with other callers); returns after the commit. For each item:
  //  - unreadable -> decision rejected, reason item.reject_reason, detail = item.error;
  //  - the dedup key (source, sender, message id, content digest) seen before ->
  //    decision duplicate, duplicate_of = the first event;
  //  - map_event: unmapped (unknown_unit / no_touchpoint); a cancellation ->
  //    excluded/cancelled and the visit's scheduled messages cancelled; not a
  //    completed visit -> excluded/not_completed;
  //  - else the send moment (send_time()), the person's history (keyed hashes),
  //    domain::decide(); scheduled -> contact sealed, invitation created (link mode:
  //    token in the sealed text; reply mode: a dialogue), outbox message queued.
  // Outreach disabled in the model (outreach.enabled false): decided as usual, but an
  // event that would be scheduled is excluded with reason outreach_off (nothing queued).
  // Errors: unavailable (nothing stored; the sender must retry).
  Result<std::vector<IntakeResult>> intake(const std::vector<IntakeItem>& items);

  // The first moment to send for a visit at `visit_time`: the visit's
  // Europe/Helsinki day + send_delay_days at send_from_hour:00 local time; when that
  // is already past at `now`, the next moment within sending hours
  // [send_from_hour, send_until_hour) local time. Correct across DST changes.
  TimePoint send_time(TimePoint visit_time, TimePoint now) const;
  // The local (Europe/Helsinki) day of `t` as "YYYY-MM-DD".
  std::string local_day(TimePoint t) const;
  // True when `t` is within sending hours (local).
  bool within_sending_hours(TimePoint t) const;

  // At start-up: in-flight messages of a crashed run become uncertain. Returns how many.
  Result<int> recover();
  // One dispatch pass at clock.now(): resolves uncertain messages past the grace,
  // claims due messages, opens each sealed number and text, and hands it to
  // `gateway`, at most `budget` messages claimed (the caller's rate limiter).
  // Outside sending hours claimed messages are not sent but deferred to the next
  // sending moment without counting an attempt (stats.deferred), except dialogue
  // replies within 10 minutes of the customer's reply, which go at once.
  // Outcomes update the outbox: accepted -> sent (mark_sent tried twice; if it
  // still fails, uncertain, never pending); rejected -> failed; unavailable ->
  // pending with backoff (the rest of the batch too, untried); unknown ->
  // uncertain (the rest of the batch back to pending, untried).
  DispatchStats dispatch_once(SmsGateway& gateway, int budget);

  // A reply (MO) from `from` (as the gateway gives it) to the service number.
  // Reply mode: a score is stored as a Response (channel sms, the invitation's
  // touchpoint/unit/language/age group, answers {nps}) and the follow-up question
  // is queued; an unreadable reply gets one re-prompt; the follow-up's text reply is
  // stored as a Response supplementing the score (answer = the open question) and
  // thanks are queued. A reply after the dialogue expired is stored with late = true.
  // Opt-out words at any time: the number (and the person) opted out, pending
  // messages cancelled, a confirmation queued. A reply from an unknown number is
  // ignored (ok). Returns after everything is durable.
  // Each reply step (responses, queued messages, the dialogue's new state) is one
  // transaction, applied only if the dialogue is still where the reply found it,
  // so a reply delivered twice (or a crash between steps) never queues a second
  // follow-up. `message_id`: the gateway's id of the MO (Kannel's %I), "" when not
  // known; a redelivery with the same id is not taken again.
  Status on_reply(const std::string& from, const std::string& text, const std::string& message_id = "");

  // A delivery report from the gateway for our `reference`. A report for a message
  // handed over that later expired or was cancelled applies (and its invitation
  // counts, unless its visit was cancelled). A report for an unknown (purged)
  // reference or for a message that takes none (never handed over: a storage
  // conflict) is acknowledged and ignored (ok). Errors: invalid_input (the dlr type),
  // unavailable (storage failed; the gateway should retry).
  Status on_delivery_report(const std::string& reference, int dlr_type);

  // Events visible to `who` (roles that may read responses; scope subtree; events
  // without a unit only for principals scoped at the county root). Audited
  // ("events.list"). Errors: forbidden, invalid_input (unit, cursor, limit), unavailable.
  Result<EventPage> list_events(const domain::Principal& who, const EventListRequest& req);

  // Since issue 5 (outreach_direct.cpp): queues `text` as one SMS to `phone` (any
  // form normalise_msisdn accepts) outside any survey: an answer from staff to a
  // customer's contact request (outbox kind `reply`). The number is sealed into the
  // contact store (expiring at `expires_at`), the text sealed into the outbox, both
  // durably before this returns; the dispatcher sends it through the gateway like
  // any outbox message (delivery reports, retries; in quiet hours only within 10
  // minutes of queueing). The text is sent as given (the caller limits its length;
  // gsm7 when it fits). Returns the outbox id. Errors: invalid_input (not a phone
  // number, empty text, expires_at not after now), conflict (the number opted out
  // of SMS: STOP), unavailable (storage).
  Result<std::int64_t> queue_direct_message(const std::string& phone, const std::string& text,
                                            const std::string& unit, TimePoint expires_at);

  const OutreachOptions& options() const { return options_; }

 private:
  struct Impl;
  const domain::Model& model_;
  storage::Store& store_;
  const security::Sealer& sealer_;
  Clock& clock_;
  Random& random_;
  StoreObserver* observer_;
  OutreachOptions options_;
  // Serialises replies (a dialogue's state is read, then written).
  std::mutex reply_mutex_;
};

// The texts of outreach SMS in `lang` (fi, sv, en; fi-x-selko falls back to fi),
// built from the model where it has texts (the survey's nps question) and fixed
// templates otherwise. All stay within GSM 7-bit where the model's text allows
// (domain::gsm7_safe).
struct SmsTexts {
  static std::string invite_link(const domain::Model& model, const domain::Touchpoint& tp,
                                 domain::Language lang, const std::string& url);
  static std::string invite_reply(const domain::Model& model, const domain::Touchpoint& tp,
                                  domain::Language lang);
  static std::string followup(const domain::Model& model, const domain::Touchpoint& tp, domain::Language lang);
  static std::string reprompt(domain::Language lang);
  static std::string thanks(domain::Language lang);
  static std::string opt_out_confirm(domain::Language lang);
};

}  // namespace kaiku::service
