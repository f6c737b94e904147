// Private to the outreach_*.cpp files of the service layer: helpers shared by
// intake, dispatch, replies and the events list. Not part of any public contract.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analytics/calendar.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::service {

struct OutreachService::Impl {
  // Europe/Helsinki.
  static const analytics::TimeZone& zone() { return analytics::TimeZone::helsinki(); }

  // The instant at `hour`:00 local time on local day `day` (hours of the day that a
  // DST change skips are moved forward by the change; repeated hours take the first).
  static TimePoint local_moment(analytics::Day day, int hour);

  // The visit's nominal first send moment: its local day + send_delay_days at
  // send_from_hour:00 local time.
  static TimePoint first_moment(const domain::OutreachRules& rules, TimePoint visit_time);

  // Local hour of the day (0-23) of `t`.
  static int local_hour(TimePoint t);

  // The first moment at or after `t` within the sending hours of `rules`.
  static TimePoint next_sending_moment(const domain::OutreachRules& rules, TimePoint t);

  // Keyed hash of a number already in international form.
  static std::string number_key(const security::Sealer& sealer, const std::string& e164) {
    return sealer.keyed_hash("number", e164);
  }

  // The wait after `attempts` hand-overs that found the gateway unavailable.
  static std::chrono::milliseconds backoff(const OutreachOptions& o, int attempts);

  // An invitation's SMS was handed over: the store released the invitation to
  // reports; tell the observer (outreach_dispatch.cpp).
  static void invitation_handed_over(OutreachService& s, const std::string& invitation_id);

  // Reply handling (outreach_replies.cpp).
  static Status handle_reply(OutreachService& s, const std::string& e164, const std::string& text,
                             const std::string& mo_id = "");
};

// A fresh public reference for an outbox message ([A-Za-z0-9_-], 22 characters).
std::string new_outbox_reference(Random& random);

// A dialogue reply or confirmation at `now`, sealed and ready for enqueue (state
// pending, due now, expiring at `expires_at` but within a day).
storage::OutboxMessage reply_message(const security::Sealer& sealer, Random& random, TimePoint now,
                                     storage::OutboxKind kind, const std::string& text, std::int64_t contact_id,
                                     TimePoint expires_at);

// The open question a reply-mode dialogue asks after the score: the touchpoint's
// sms.followup_question when it names an open_text question of its survey, else the
// survey's first open_text question; nullptr when it has none.
const domain::Question* followup_question(const domain::Model& model, const domain::Touchpoint& tp);

// The language fixed texts are written in: plain Finnish uses the Finnish ones.
inline domain::Language sms_language(domain::Language lang) {
  return lang == domain::Language::fi_selko ? domain::Language::fi : lang;
}

}  // namespace kaiku::service
