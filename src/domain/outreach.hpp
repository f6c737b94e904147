// Outreach after visits: what a patient-record event says (CareEvent), the county's
// eligibility rules (OutreachRules, part of the model), and the pure decision whether
// and where to ask (map_event, decide). Standard library only; no storage, no time
// zones: the service layer looks up the person's history and computes send times.
//
// PRIVACY: a CareEvent carries personal data (identity code, phone numbers, birth
// date). Never log it or put it in an error message; only the intake service, the
// contact store and these rules see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "domain/model.hpp"
#include "domain/outreach_rules.hpp"
#include "domain/response.hpp"

namespace kaiku::domain {

// Which door an event came through.
enum class EventSource { mllp, fhir, csv };
std::string_view event_source_name(EventSource s) noexcept;  // "mllp", "fhir", "csv"
std::optional<EventSource> parse_event_source(std::string_view name) noexcept;

// What the event means for outreach, after the sender's configuration
// (SenderRule) has been applied by map_event().
enum class EventMeaning {
  completed,  // a visit was completed: may trigger a survey
  cancelled,  // cancels an earlier event of the same visit (A11, A13, S15, S26...)
  other,      // neither (an admission, an update, a booking): recorded, never surveyed
};

// A visit as a patient-record system reports it, reduced to what the rules need.
// Built by the channel parsers (HL7 v2, FHIR, CSV); neutral of the format.
struct CareEvent {
  EventSource source = EventSource::mllp;
  // Sending system, the key of SenderRule and of de-duplication, e.g.
  // "LIFECARE^KSSHP" (HL7 MSH-3^MSH-4), the FHIR client's name, the CSV file's
  // source column. Not personal data.
  std::string sender;
  std::string message_id;     // the sender's id of this message (MSH-10, Encounter.id, CSV row id)
  std::string trigger;        // the sender's event code: "A03", "S12", FHIR "finished", CSV "completed"
  std::string visit_id;       // the sender's visit id (PV1-19, Encounter identifier); cancellations refer to it
  std::optional<TimePoint> visit_time;  // end of the visit, else its start, else the event time

  // Where: candidate unit codes in priority order (PV1-3 point of care, then
  // facility; FHIR serviceProvider identifier, then locations). `system` is the
  // code system as the sender names it (an OID, "lifecare", ...) or "" if unknown.
  std::vector<UnitCode> unit_codes;
  std::string visit_type;     // PV1-2 patient class, Encounter.class code, CSV visit_type
  std::string service;        // PV1-10 hospital service, Encounter.serviceType code, CSV service

  // Who (personal data):
  std::string person_id;      // identity code (henkilötunnus) or the sender's patient id
  std::optional<std::chrono::year_month_day> birth_date;
  std::optional<int> age;     // in whole years at the visit, when the sender gives an age instead
  bool deceased = false;
  bool non_disclosure = false;      // turvakielto
  std::optional<bool> consent;      // consent to survey messages; nullopt when not recorded
  std::vector<std::string> mobiles; // mobile numbers as the sender wrote them (may be empty or several)
  std::string language;       // as recorded: "fi", "fin", "sv", "swe", "en", "FI", ...
  std::string municipality;   // home municipality code, coarse, may go to reports
};

// The reason codes of outreach decisions (stable names, see reason_name).
enum class Reason {
  // unmapped
  unknown_unit,        // "unknown_unit": no unit of the model has any of the event's codes
  no_touchpoint,       // "no_touchpoint": the unit has no touchpoint measured by SMS for this visit
  // rejected
  unreadable,          // "unreadable": the message could not be parsed or lacks required fields
  unsupported_event,   // "unsupported_event": a well-formed message of a type outreach does not use
  // excluded
  not_completed,       // "not_completed": the event is not a completed visit for its sender
  cancelled,           // "cancelled": a cancellation event, or a visit cancelled after it was scheduled
  under_age,           // "under_age"
  turvakielto,         // "turvakielto": non-disclosure order, never contacted
  deceased,            // "deceased"
  no_mobile,           // "no_mobile"
  several_mobiles,     // "several_mobiles"
  opted_out,           // "opted_out": the person or the number refused survey messages
  no_consent,          // "no_consent": the county requires consent and none was recorded
  sensitive_service,   // "sensitive_service": a service or unit configured as sensitive
  follow_up_visit,     // "follow_up_visit": within follow_up_days of a surveyed visit here
  contact_cap,         // "contact_cap": asked already within contact_cap_days (any touchpoint)
  not_sampled,         // "not_sampled": outside the touchpoint's sampling share
  daily_cap,           // "daily_cap": the touchpoint's daily cap is full for the send day
  too_old,             // "too_old": the visit is older than the send window allows
  outreach_off,        // "outreach_off": the model's outreach.enabled is false (decided, not sent)
  // duplicate
  duplicate,           // "duplicate": the same message (sender, id and content) was recorded before
};
std::string_view reason_name(Reason r) noexcept;
std::optional<Reason> parse_reason(std::string_view name) noexcept;

// The decision recorded for every event.
enum class Decision { scheduled, excluded, unmapped, duplicate, rejected };
std::string_view decision_name(Decision d) noexcept;  // "scheduled", ...
std::optional<Decision> parse_decision(std::string_view name) noexcept;

// Where an event lands.
struct EventMapping {
  EventMeaning meaning = EventMeaning::other;
  std::string unit;        // org node id, "" when unknown
  std::string touchpoint;  // "" when none
  std::vector<Reason> reasons;  // unknown_unit / no_touchpoint when unmapped
};

// Finds the meaning (the sender's rule; triggers compared case-insensitively), the
// unit and the touchpoint. Pure.
// Unit: the first of the event's unit codes, in order, that names a unit: by
// (code.system, value); else by (the sender rule's unit_code_system, value); else by
// the value under any code system of the model (the first unit in model order that
// has it). None -> reasons {unknown_unit}.
// Touchpoint: the first TouchpointRule (rules.mappings) whose touchpoint has the sms
// channel and whose units (empty = the touchpoint's units; subtrees), visit_types
// and services (exact, empty = any) match; else the first touchpoint (model order)
// with the sms channel whose units contain the unit, else its nearest ancestor.
// None -> reasons {no_touchpoint}. Units under sensitive_units map normally
// (decide() excludes them).
EventMapping map_event(const Model& model, const OutreachRules& rules, const CareEvent& event);

// What the service looked up about the person (by keyed hashes) before deciding.
struct PersonHistory {
  bool opted_out = false;                    // the person or one of the numbers
  std::optional<TimePoint> last_contacted;   // last survey scheduled to this person, any touchpoint
  std::optional<TimePoint> last_surveyed_visit_here;  // visit time of the last surveyed visit at this touchpoint
  int scheduled_on_send_day = 0;             // invitations already scheduled at this touchpoint that day
};

struct DecisionOutcome {
  Decision decision = Decision::excluded;
  std::vector<Reason> reasons;   // empty only for scheduled
  std::string mobile;            // scheduled: the one mobile number to use (as given)
  Language language = Language::en;  // fi or sv from the record, else en
  AgeGroup age_group = AgeGroup::unknown;
};

// Decides a mapped, completed event at `now` (the visit's send moment is
// `send_at`, computed by the caller). Every hard rule that applies is listed
// (under_age, turvakielto, deceased, no_mobile, several_mobiles, opted_out,
// no_consent, sensitive_service, too_old); only when none applies are the soft
// rules checked in order follow_up_visit, contact_cap, not_sampled, daily_cap and
// the first that applies is the reason. Sampling is deterministic: a hash of
// (sender, visit_id or message_id, touchpoint) against the touchpoint's
// frequency.sample_share, so replays decide the same.
// Details: the age is taken on the UTC day of the visit time (else of `now`); an
// unknown age counts as under_age whenever the minimum age is above 0 (an adult
// cannot be shown). Mobiles: a number counts when it is digits after removing
// spaces, dashes, brackets and a leading + (7-15 digits; a national 0... number is
// taken as Finnish), and equal numbers written differently count once. too_old
// when now > send_at + send_window_days. follow_up_visit when the visit is within
// follow_up_days of last_surveyed_visit_here (either side); contact_cap when
// now - last_contacted < contact_cap_days; daily_cap when scheduled_on_send_day >=
// the touchpoint's sms.daily_cap (> 0). sensitive_service: the event's service is
// in sensitive_services (case-insensitive) or its unit lies under a sensitive unit.
// When the mapping is not a completed visit at a touchpoint, the outcome says so:
// excluded {cancelled} or {not_completed}, or unmapped with the mapping's reasons.
DecisionOutcome decide(const Model& model, const OutreachRules& rules, const CareEvent& event,
                       const EventMapping& mapping, const PersonHistory& history, TimePoint now,
                       TimePoint send_at);

// The person's age in whole years on `day` from birth_date, else CareEvent::age,
// else the birth date in person_id when it is a valid henkilötunnus (control
// character checked); nullopt when none is known or the birth date is after `day`.
// Born on 29 February: a year older on 1 March in common years.
std::optional<int> age_at(const CareEvent& event, std::chrono::year_month_day day);

// fi for "fi", "fin", "FI", "suomi"...; sv for "sv", "swe", "sve", "svenska"...; en otherwise.
Language outreach_language(std::string_view recorded);

// The rules that apply to `sender`: its own rule, else the "*" rule, else the
// defaults; an empty completed or cancels list is filled with the default list.
SenderRule sender_rule(const OutreachRules& rules, std::string_view sender);

}  // namespace kaiku::domain
