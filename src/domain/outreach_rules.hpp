// The county's outreach rules as configured in the model (the `outreach:` section
// and each touchpoint's `sms:` block); plain data, standard library only. The
// decisions that use them are in domain/outreach.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaiku::domain {

// Per sending system: which trigger codes mean what, and how it names units.
struct SenderRule {
  std::string sender;                 // exact CareEvent::sender, or "*" for every sender
  std::vector<std::string> completed; // triggers meaning "visit completed" (default A03, A04, finished, completed)
  std::vector<std::string> cancels;   // triggers that cancel (default A11, A13, S15, S26, cancelled, entered-in-error)
  // Code system of the sender's unit codes when the event does not say it
  // (e.g. "oid"); "" = match on the value under any system.
  std::string unit_code_system;
};

// Event -> touchpoint mapping beyond the default. The default maps the event's
// unit to the touchpoint measured by SMS at that unit or its nearest ancestor;
// a rule narrows by visit type or service, first match wins.
struct TouchpointRule {
  std::string touchpoint;                 // a touchpoint with the sms channel
  std::vector<std::string> units;         // org nodes (subtrees); empty = the touchpoint's units
  std::vector<std::string> visit_types;   // empty = any
  std::vector<std::string> services;      // empty = any
};

// The county's outreach rules (the model's `outreach:` section). Defaults follow
// what Finnish counties publish (see BRIEF).
struct OutreachRules {
  bool enabled = false;             // false: events are recorded and decided, nothing is sent
  int min_age = 18;                 // under_age below this (touchpoints may override)
  bool consent_required = false;    // no_consent unless CareEvent::consent == true
  std::vector<std::string> sensitive_services;  // service codes never surveyed
  std::vector<std::string> sensitive_units;     // org nodes whose subtrees are never surveyed
  int follow_up_days = 30;          // follow_up_visit within this many days (0 = off)
  int contact_cap_days = 30;        // contact_cap: at most one survey per person per N days (0 = off)
  // When: the send day is the visit day (Europe/Helsinki) + send_delay_days, at
  // send_from_hour:00 local time at the earliest; sending only between
  // send_from_hour and send_until_hour (quiet hours otherwise); a message not sent
  // within send_window_days of its first moment expires.
  int send_delay_days = 1;
  int send_from_hour = 12;
  int send_until_hour = 20;
  int send_window_days = 3;
  int reply_days = 14;              // replies accepted, contacts kept, links valid for this long
  std::string sender_id = "Kaiku";  // SMS sender (from=), alphanumeric <= 11 or a number
  std::vector<SenderRule> senders;  // empty = one "*" rule with the defaults
  std::vector<TouchpointRule> mappings;
};

// Per touchpoint (the touchpoint's `sms:` block).
struct TouchpointSms {
  enum class Mode { link, reply };
  Mode mode = Mode::link;           // link: SMS with /i/{token}; reply: NPS by reply, then the open question
  int daily_cap = 0;                // invitations per send day; 0 = no cap
  std::optional<int> min_age;       // overrides OutreachRules::min_age (children's services)
  std::string followup_question;    // reply mode: key of the open question asked after the score
                                    // ("" = the survey's first open_text question)
};
std::string_view sms_mode_name(TouchpointSms::Mode m) noexcept;  // "link", "reply"

}  // namespace kaiku::domain
