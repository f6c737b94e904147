// Storage of SMS outreach: recorded events and their decisions, the contact store
// (sealed phone numbers, expiring), the person history used by contact caps
// (keyed hashes only), opt-outs, the SMS outbox with its state machine, and SMS
// dialogues (reply mode). Part of the Store (Store::outreach()).
//
// PRIVACY: nothing here holds a plain phone number, identity code or token. The
// service seals numbers and message texts (security/sealer.hpp) before they reach
// storage and hashes identities with a secret key; storage only keeps bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/outreach.hpp"
#include "domain/response.hpp"
#include "storage/store.hpp"

namespace kaiku::storage {

// One recorded event. Holds no personal data: the visit and person are only
// keyed hashes.
struct EventRecord {
  std::int64_t id = 0;                 // assigned by insert_event
  domain::EventSource source = domain::EventSource::mllp;
  std::string sender;                  // sending system
  std::string message_id;              // the sender's message id ("" when unreadable)
  // De-duplication key computed by the service: hex SHA-256 over source, sender,
  // message id and the message content. Not unique in the table: a duplicate is
  // recorded again with decision duplicate.
  std::string dedup_key;
  std::string visit_key;               // keyed hash of (sender, visit id); "" when none
  std::string trigger;                 // e.g. "A03"
  TimePoint received_at{};
  std::optional<TimePoint> visit_time;
  std::string unit;                    // "" when unmapped
  std::string touchpoint;              // "" when none
  domain::Decision decision = domain::Decision::rejected;
  std::vector<domain::Reason> reasons;
  std::string detail;                  // rejected: what was wrong, where (no personal data)
  std::int64_t duplicate_of = 0;       // decision duplicate: the first event's id
  std::optional<TimePoint> send_at;    // scheduled: first moment to send
};

// Kinds of outgoing messages.
// Since schema 10: `reply`, an answer from staff to a customer's contact request
// (OutreachService::queue_direct_message; no event, dialogue or invitation).
enum class OutboxKind { invite, followup, thanks, reprompt, opt_out_confirm, reply };
std::string_view outbox_kind_name(OutboxKind k) noexcept;  // "invite", "followup", ...

// The outbox state machine:
//   pending --claim_due--> sending --mark_sent--> sent --delivery report--> delivered | failed
//   sending --mark_retry--> pending (next_attempt_at later; Kannel or the operator away)
//   sending --mark_failed--> failed (gateway refused the message for good)
//   sending --defer--> pending (not tried: quiet hours; the claim's attempt is undone)
//   sending --mark_uncertain--> uncertain (the gateway may have taken it: its answer
//     was lost after the request went out, or mark_sent could not be recorded)
//   pending --(expires_at passed, in claim_due)--> expired
//   pending --cancel_*--> cancelled (visit cancelled, opt-out)
//   sending --recover_in_flight (at start after a crash)--> uncertain
//   uncertain --delivery report--> sent/delivered/failed (it had been handed over)
//   uncertain --resolve_uncertain (no report within the grace period)--> pending
//   uncertain --cancel_visit, add_opt_out--> cancelled
//   pending (attempts > 0) --delivery report--> sent/delivered/failed (a late report)
//   expired, cancelled (attempts > 0) --delivery report--> sent/delivered/failed (it
//     had been handed over before it expired or was cancelled)
//   pending --(its contact deleted, in claim_due or purge_outreach)--> expired
// A message is handed to the gateway only from `sending`, and only by the claim
// that moved it there, so a restart never sends one twice unless it was in flight
// at the crash and no delivery report ever told of it (see docs/sms.md).
enum class OutboxState { pending, sending, sent, delivered, failed, expired, cancelled, uncertain };
std::string_view outbox_state_name(OutboxState s) noexcept;  // "pending", ...
std::optional<OutboxState> parse_outbox_state(std::string_view name) noexcept;

struct OutboxMessage {
  std::int64_t id = 0;                 // assigned by enqueue / schedule
  std::int64_t event_id = 0;           // the event that caused it (0 for dialogue replies to an unknown number)
  std::int64_t contact_id = 0;         // the contact (sealed number) to send to
  std::int64_t dialogue_id = 0;        // reply mode: the dialogue; else 0
  std::string invitation_id;           // the invitation (public id), "" for opt-out confirmations
  std::string touchpoint;
  std::string unit;
  OutboxKind kind = OutboxKind::invite;
  std::vector<std::uint8_t> sealed_text;  // the text, sealed (link-mode texts carry a token)
  bool ucs2 = false;                   // coding: false GSM 7-bit, true UCS-2
  OutboxState state = OutboxState::pending;
  int attempts = 0;                    // hand-overs tried
  TimePoint created_at{};
  TimePoint not_before{};              // never sent before this
  TimePoint next_attempt_at{};         // retry backoff; == not_before at first
  TimePoint expires_at{};              // pending after this -> expired
  std::optional<TimePoint> sent_at;    // handed over (accepted by the gateway)
  std::optional<TimePoint> delivered_at;
  std::string reference;               // public reference for delivery reports, unique
  std::string last_detail;             // the gateway's last answer or error
  TimePoint updated_at{};
};

// A phone number kept for a channel, sealed; deleted at `expires_at`.
struct ContactRecord {
  std::int64_t id = 0;
  std::string number_key;              // keyed hash of the normalised number
  std::vector<std::uint8_t> sealed_number;
  TimePoint created_at{};
  TimePoint expires_at{};
};

// Reply-mode dialogue with one number about one invitation.
enum class DialogueState { awaiting_score, awaiting_comment, done, expired };
std::string_view dialogue_state_name(DialogueState s) noexcept;

struct Dialogue {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;         // 0 once the contact was deleted (at expires_at)
  std::int64_t event_id = 0;           // the event it was scheduled for (0 when none)
  std::string number_key;
  std::string person_key;              // keyed hash of the person ("" when unknown), from Scheduling
  std::string invitation_id;
  std::string touchpoint;
  std::string unit;
  domain::Language language = domain::Language::fi;
  domain::AgeGroup age_group = domain::AgeGroup::unknown;
  DialogueState state = DialogueState::awaiting_score;
  bool reprompted = false;             // the one re-prompt after an unreadable reply was sent
  std::int64_t response_id = 0;        // the stored score response (awaiting_comment, done)
  TimePoint created_at{};
  TimePoint expires_at{};              // replies after this are late
  TimePoint updated_at{};
  std::string last_mo_id;              // the gateway's id of the last reply applied ("" when not given)
  // The row stays SqliteOptions::dialogue_retention after expires_at (late replies).
};

// One step of a reply-mode dialogue: everything one reply stores, queues and
// changes, applied by OutreachRepository::apply_reply in ONE transaction.
struct ReplyStep {
  std::int64_t dialogue_id = 0;
  // Compare-and-set: the step applies only while the dialogue still has the state
  // and re-prompt flag the reply was read against, and (when `mo_id` is not "")
  // its last_mo_id differs from `mo_id`.
  DialogueState from_state = DialogueState::awaiting_score;
  bool from_reprompted = false;
  // The dialogue after the step (response_id: kept, or the score's id when `score` is given).
  DialogueState to_state = DialogueState::done;
  bool to_reprompted = false;
  TimePoint updated_at{};
  std::string mo_id;                   // the gateway's id of this reply; "" when unknown (last_mo_id then kept)
  // Appended exactly as ResponseRepository::append does (submission-key
  // idempotency, invitation consumption, one follow-up per response). A response
  // whose invitation was used or expired meanwhile is stored without it.
  std::optional<domain::Response> score;
  // With `score`, its `supplements` is set to the score's id.
  std::optional<domain::Response> comment;
  std::vector<OutboxMessage> messages;  // queued as enqueue() does
};

struct ReplyOutcome {
  // false: the dialogue had moved on (a duplicate or concurrent reply for the
  // same step): nothing was written.
  bool applied = false;
  // The responses newly stored (not duplicates), with their ids, as stored, but
  // with `originals` empty: sealed originals are read only through
  // CommentRepository::originals and never reach the observers of this outcome.
  std::vector<domain::Response> stored;
  std::vector<std::int64_t> message_ids;  // the queued messages, in order
};

// What a scheduled event creates, in the intake transaction.
struct Scheduling {
  std::string person_key;              // keyed hash of the person id ("" when none)
  std::string number_key;              // keyed hash of the mobile number
  std::vector<std::uint8_t> sealed_number;
  TimePoint contact_expires_at{};      // the contact and the dialogue end then (the dialogue row is kept longer)
  TimePoint visit_time{};              // for follow_up_visit
  Invitation invitation;               // created in the same transaction (channel sms)
  OutboxMessage message;               // the first message (kind invite); ids filled by storage
  bool reply_mode = false;             // also opens a Dialogue (awaiting_score)
};

// Lookups and writes available inside one intake transaction (see
// OutreachRepository::intake). Valid only during the callback.
class IntakeTransaction {
 public:
  virtual ~IntakeTransaction() = default;
  // The first event recorded with this dedup key (decision other than duplicate), if any.
  virtual Result<std::optional<EventRecord>> find_by_dedup_key(const std::string& dedup_key) = 0;
  // True when the person (person_key, may be "") or any of the numbers (keys) opted out.
  virtual Result<bool> opted_out(const std::string& person_key, const std::vector<std::string>& number_keys) = 0;
  // When a survey was last scheduled to this person (any touchpoint): the store's
  // clock at the intake that scheduled it; nullopt if never, if `person_key` is ""
  // and no number key is given, or longer ago than the history is kept
  // (SqliteOptions::person_history_retention). A history row counts when its person
  // key is `person_key` (not "") or its number key (Scheduling::number_key) is one
  // of `number_keys` ("" entries are ignored) -- the service passes the numbers when
  // the person is unknown, so that the cap holds for events without identity code.
  virtual Result<std::optional<TimePoint>> last_contacted(const std::string& person_key,
                                                          const std::vector<std::string>& number_keys = {}) = 0;
  // The visit time of the last surveyed (scheduled) visit of this person at `touchpoint`
  // (latest visit_time; same retention; matched by person or number keys as
  // last_contacted; nullopt when neither is given).
  virtual Result<std::optional<TimePoint>> last_surveyed_visit(const std::string& person_key,
                                                               const std::string& touchpoint,
                                                               const std::vector<std::string>& number_keys = {}) = 0;
  // The first event of the visit `visit_key` whose decision is scheduled (a
  // cancelled one is excluded, so it does not count), if any; nullopt for "".
  // The service decides a second completion of a scheduled visit as its duplicate.
  virtual Result<std::optional<EventRecord>> scheduled_for_visit(const std::string& visit_key) = 0;
  // How many events were scheduled at `touchpoint` for the local send day `day`
  // ("YYYY-MM-DD", as the service computed it).
  virtual Result<int> scheduled_on(const std::string& touchpoint, const std::string& day) = 0;
  // Records an event; returns its id.
  virtual Result<std::int64_t> insert_event(const EventRecord& event) = 0;
  // For a scheduled event (already inserted, decision scheduled): stores the contact,
  // the invitation (without a seq: not visible to InvitationRepository::list, and so
  // not counted by reports, until its invite message is handed over), the outbox message, the dialogue (reply mode; with the event
  // id and s.person_key) and the person history (person_key, number_key,
  // touchpoint, visit_time, send day `day`). Returns the outbox id.
  // The message's event, contact and dialogue ids (and invitation id, touchpoint
  // and unit when empty) are filled in. Errors: not_found (no such event),
  // conflict (the event's decision is not scheduled, it was scheduled before, or
  // the invitation id / token hash exists), invalid_input (empty key, number or text).
  virtual Result<std::int64_t> schedule(std::int64_t event_id, const std::string& day, const Scheduling& s) = 0;
  // Cancels the visit `visit_key`: pending/uncertain outbox messages of events with
  // that visit key become cancelled, those events' decision becomes excluded with
  // reason cancelled, their contacts are deleted and their person history rows are
  // removed. Returns how many scheduled events were cancelled.
  // Only events none of whose messages has been handed over (sending, sent,
  // delivered, failed) are cancelled: once the person has been asked, the event
  // stays scheduled. A cancelled event's dialogue is deleted too and its
  // invitation expires at once (it is kept: invitations are never deleted).
  // An empty visit_key cancels nothing.
  virtual Result<int> cancel_visit(const std::string& visit_key) = 0;
};

// Filter for listing events; the service restricts `units` to the caller's scope
// (an event without unit is visible only when `include_unmapped`; "" in `units`
// matches nothing).
struct EventQuery {
  std::vector<std::string> units;
  bool include_unmapped = false;
  std::optional<domain::Decision> decision;
  std::optional<domain::EventSource> source;
  std::optional<TimePoint> from;      // inclusive, received_at
  std::optional<TimePoint> to;        // exclusive
  std::int64_t after_id = 0;          // cursor
  int limit = 100;                    // 1..1000
};

class OutreachRepository {
 public:
  virtual ~OutreachRepository() = default;

  using IntakeWork = std::function<Status(IntakeTransaction&)>;
  // Runs each work in order inside ONE durable transaction shared with other
  // writers (group commit), each in its own savepoint: a work failing with a
  // non-storage error is rolled back alone and its error is returned in its slot
  // (a work that throws: ErrorKind::internal in its slot).
  // Returns after the commit (fsync'd) -- only then may the sender be acknowledged.
  // unavailable: nothing was committed.
  virtual Result<std::vector<Status>> intake(std::vector<IntakeWork> works) = 0;

  // Events matching `q`, ascending by id.
  virtual Result<std::vector<EventRecord>> list_events(const EventQuery& q) = 0;
  // One event; not_found if absent.
  virtual Result<EventRecord> get_event(std::int64_t id) = 0;
  // Number of events per decision (index = domain::Decision value), all units.
  virtual Result<std::vector<std::int64_t>> count_events_by_decision() = 0;

  // Outbox. Moves every pending message whose not_before and next_attempt_at are
  // <= now to sending (attempts + 1) and returns them, at most `limit`, oldest first;
  // in the same transaction pending messages whose expires_at <= now, or whose
  // contact has been deleted, become expired. Order: next_attempt_at, then id.
  // `limit` 1..10000. Claims are serialised by the store: concurrent callers never
  // receive the same message.
  virtual Result<std::vector<OutboxMessage>> claim_due(TimePoint now, int limit) = 0;
  // Each mark_* moves the message only from sending; from any other state it fails
  // with ErrorKind::conflict naming the state ("outbox message 7 is sent, not
  // sending: ..."); an unknown id is not_found.
  // sending -> sent (detail = the gateway's answer). If a delivery report got there
  // first (the message is sent, delivered or failed by a report), succeeds and
  // changes nothing. An invite message handed over (here, or by a delivery report
  // that sets sent_at) releases its invitation in the same transaction: the
  // invitation gets its seq (Invitation::seq) and is listed from then on.
  virtual Status mark_sent(std::int64_t id, TimePoint now, const std::string& detail) = 0;
  // sending -> pending with next_attempt_at = retry_at.
  virtual Status mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) = 0;
  // sending -> failed.
  virtual Status mark_failed(std::int64_t id, TimePoint now, const std::string& detail) = 0;
  // sending -> uncertain (updated_at = now, so resolve_uncertain's grace runs from
  // now): the gateway may have taken the message (its answer was lost after the
  // request had been written, or mark_sent failed after it accepted). A delivery
  // report settles it; without one it is sent again after the grace period. If a
  // delivery report got there first, succeeds and changes nothing (as mark_sent).
  virtual Status mark_uncertain(std::int64_t id, TimePoint now, const std::string& detail) = 0;
  // sending -> pending with next_attempt_at = until, and the attempt counted by the
  // claim undone (attempts - 1, not below 0): the message was put back without being
  // tried (quiet hours), so it neither grows the retry backoff nor counts as handed
  // over for delivery reports.
  virtual Status defer(std::int64_t id, TimePoint until, const std::string& detail) = 0;
  // A delivery report for `reference` (Kannel dlr types: 1 delivered, 2 failed,
  // 4 buffered, 8 SMSC ack, 16 SMSC reject): sending/uncertain/sent -> sent (4, 8),
  // delivered (1), failed (2, 16). Unknown references: not_found. Returns the message after.
  // Also: delivered and failed are final (a later report changes nothing and
  // returns the message); a pending message that had been claimed before
  // (attempts > 0: re-queued by resolve_uncertain or mark_retry) takes the report
  // too, which keeps it from being sent a second time; so does an expired or
  // cancelled message with attempts > 0 (handed over, then expired or cancelled
  // before its report came); any other state (pending, expired or cancelled never
  // claimed) is a conflict; another type invalid_input.
  // A report that makes an invite message handed over releases its invitation as
  // mark_sent does -- except for a message cancelled with its visit (cancel_visit:
  // the event is no longer scheduled), whose invitation stays out of the reports.
  virtual Result<OutboxMessage> delivery_report(const std::string& reference, int dlr_type, TimePoint now) = 0;
  // At start-up: every `sending` message -> uncertain. Returns how many.
  virtual Result<int> recover_in_flight(TimePoint now) = 0;
  // uncertain messages last updated before `before` -> pending (to be sent again).
  virtual Result<int> resolve_uncertain(TimePoint before) = 0;
  // Queues a dialogue or confirmation message (state pending, attempts 0: the given
  // state and attempts are ignored); returns its id. contact_id must name a stored
  // contact and sealed_text must not be empty (invalid_input); an empty
  // `reference` is replaced by 32 random hex digits; a used one is a conflict.
  virtual Result<std::int64_t> enqueue(const OutboxMessage& m) = 0;
  // One message by id; not_found if absent.
  virtual Result<OutboxMessage> get_message(std::int64_t id) = 0;
  // Messages of an event, ascending by id (for tests and the events API).
  virtual Result<std::vector<OutboxMessage>> messages_for_event(std::int64_t event_id) = 0;
  // Number of messages per state (index = OutboxState value).
  virtual Result<std::vector<std::int64_t>> count_messages_by_state() = 0;

  // Contacts. The contact; not_found when absent, deleted, or past its expires_at
  // (even before the purge has deleted it).
  virtual Result<ContactRecord> get_contact(std::int64_t id) = 0;
  // Stores a contact (an opt-out confirmation to a number without dialogue).
  virtual Result<std::int64_t> add_contact(const ContactRecord& c) = 0;

  // Opt-outs: records that the number (and the person, when known) refuses survey
  // messages, and cancels their pending messages (except opt_out_confirm). Idempotent.
  // "Their messages": pending and uncertain (an uncertain one would otherwise be
  // sent again) messages to a contact with this number key, and, when person_key is
  // not "", of events scheduled for that person. At least one key must be given.
  virtual Status add_opt_out(const std::string& number_key, const std::string& person_key, TimePoint now) = 0;
  virtual Result<bool> is_opted_out(const std::string& number_key) = 0;

  // Dialogues. The dialogue a reply from the number belongs to; nullopt if none.
  // Only dialogues whose invite message has been handed over (sent or delivered)
  // are considered: a reply never goes to a dialogue whose question the person has
  // not received yet (e.g. tomorrow's, while they answer last month's survey or a
  // link-mode SMS). Among them: "live" ones (awaiting_score or awaiting_comment and
  // expires_at after the store's clock) newest first; else the newest other one
  // (done, expired, or open past its expiry: the reply is then late). So with two
  // persons sharing a number, a reply goes to the one who was actually asked.
  virtual Result<std::optional<Dialogue>> dialogue_for_number(const std::string& number_key) = 0;
  virtual Result<Dialogue> get_dialogue(std::int64_t id) = 0;
  // Replaces the mutable fields (state, reprompted, response_id, updated_at);
  // not_found if the dialogue does not exist (or was purged).
  virtual Status update_dialogue(const Dialogue& d) = 0;
  // Applies one reply step (see ReplyStep) in ONE writer transaction: the
  // compare-and-set on the dialogue, the responses, the messages. When the
  // dialogue no longer matches the step's `from_*` (or already took `mo_id`),
  // nothing is written and applied = false. Errors (nothing written): not_found
  // (no such dialogue, e.g. purged), conflict (a response's submission key reused
  // with other content, or the score already has a comment), invalid_input.
  virtual Result<ReplyOutcome> apply_reply(const ReplyStep& step) = 0;

  // Privacy: deletes contacts whose expires_at <= now, dialogues whose expires_at is
  // more than SqliteOptions::dialogue_retention before now, sealed texts of
  // messages that are finished (sent, delivered, failed, expired, cancelled) and older
  // than the contact, and person history older than `history_before`. Returns rows deleted.
  // Precisely: pending messages whose contact expires now become expired first;
  // "older than the contact" = finished messages whose contact has been deleted
  // (their sealed_text is set to empty; counted as rows deleted).
  virtual Result<std::int64_t> purge_outreach(TimePoint now, TimePoint history_before) = 0;
};

}  // namespace kaiku::storage
