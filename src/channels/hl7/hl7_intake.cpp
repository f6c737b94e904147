#include "channels/hl7/hl7_intake.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>

#include "channels/hl7/ack.hpp"
#include "channels/hl7/care_event.hpp"
#include "channels/hl7/message.hpp"
#include "channels/hl7/visit_event.hpp"
#include "security/digest.hpp"

namespace kaiku::channels::hl7 {

struct Hl7Intake::Counters {
  std::atomic<std::uint64_t> frames{0}, accepted{0}, rejected{0}, errors{0};
};

namespace {

// An HL7 TS of `t` in UTC, e.g. "20261125013000+0000".
std::string hl7_timestamp(TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d+0000", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// One frame on its way: what the intake records and how to answer it.
struct Pending {
  std::optional<Message> message;     // parsed (for the ACK's addressing)
  std::string raw;                    // the payload, for reject ACKs of unparseable frames
  bool answer = true;                 // false: a decoder error with no message behind it
  AckCondition condition = AckCondition::application_internal_error;
  std::string error;                  // AR text when rejected before intake
  std::size_t item = 0;               // index into the intake items
};

}  // namespace

Hl7Intake::Hl7Intake(service::OutreachService& outreach, Clock& clock, Random& random)
    : outreach_(outreach), clock_(clock), random_(random), counters_(std::make_shared<Counters>()) {}

Hl7IntakeStats Hl7Intake::stats() const {
  return {counters_->frames.load(), counters_->accepted.load(), counters_->rejected.load(), counters_->errors.load()};
}

std::vector<std::string> Hl7Intake::handle(const std::vector<Result<std::string>>& frames) {
  std::vector<Pending> pending;
  std::vector<service::IntakeItem> items;
  pending.reserve(frames.size());
  items.reserve(frames.size());
  for (const auto& frame : frames) {
    Pending p;
    if (!frame) {
      // Bytes outside a frame have no sender waiting; an oversized frame does.
      p.answer = frame.error().kind == ErrorKind::too_large;
      p.error = frame.error().message;
      if (p.answer) {
        service::IntakeItem item;
        item.source = domain::EventSource::mllp;
        item.error = "MLLP: " + frame.error().message;
        p.item = items.size();
        items.push_back(std::move(item));
      }
      pending.push_back(std::move(p));
      continue;
    }
    p.raw = *frame;
    service::IntakeItem item;
    item.source = domain::EventSource::mllp;
    item.content_digest = security::sha256_hex(*frame);
    auto message = parse_message(*frame);
    if (!message) {
      item.error = message.error().message;
      p.error = item.error;
    } else {
      item.sender = message->sending_application() + "^" + message->sending_facility();
      item.message_id = message->control_id();
      const std::string type = message->message_type();
      const std::string trigger = message->trigger_event();
      if (!is_supported_event(type, trigger)) {
        item.error = "MSH-9: message type " + type + "^" + trigger + " is not used for outreach";
        item.reject_reason = domain::Reason::unsupported_event;
        p.condition = type == "ADT" || type == "SIU" ? AckCondition::unsupported_event_code
                                                     : AckCondition::unsupported_message_type;
        p.error = item.error;
      } else if (auto visit = extract_visit(*message); !visit) {
        item.error = visit.error().message;
        p.condition = AckCondition::required_field_missing;
        p.error = item.error;
      } else {
        item.event = to_care_event(*visit);
        item.sender = item.event->sender;
        item.message_id = item.event->message_id;
      }
      p.message = std::move(*message);
    }
    p.item = items.size();
    items.push_back(std::move(item));
    pending.push_back(std::move(p));
  }

  auto results = items.empty() ? Result<std::vector<service::IntakeResult>>(std::vector<service::IntakeResult>{})
                               : outreach_.intake(items);
  const std::string now = hl7_timestamp(clock_.now());
  std::vector<std::string> acks;
  for (const Pending& p : pending) {
    if (!p.answer) continue;
    counters_->frames++;
    const std::string control = "K" + random_token(random_, 9);
    if (!results) {
      counters_->errors++;
      const std::string text = "storage unavailable; not recorded, please resend";
      acks.push_back(p.message ? build_ack(*p.message, AckCode::AE, text, control, now,
                                           AckCondition::application_internal_error)
                               : build_reject_ack(p.raw, text, control, now));
      continue;
    }
    const service::IntakeItem& item = items[p.item];
    if ((*results)[p.item].retry_later) {
      // Recorded, but it could not be decided (e.g. a configuration problem): the
      // sender should resend once it is fixed.
      counters_->errors++;
      acks.push_back(build_ack(*p.message, AckCode::AE, "could not be decided; recorded, please resend later",
                               control, now, AckCondition::application_internal_error));
      continue;
    }
    // A well-formed message of a type outreach does not use is recorded and
    // acknowledged AA: on a shared ADT feed an AR would make many interface
    // engines hold their queue. Unusable messages are rejected AR.
    const bool rejected = !item.event.has_value() && item.reject_reason != domain::Reason::unsupported_event;
    if (rejected) {
      counters_->rejected++;
      acks.push_back(p.message ? build_ack(*p.message, AckCode::AR, p.error, control, now, p.condition)
                               : build_reject_ack(p.raw, p.error, control, now, p.condition));
    } else {
      counters_->accepted++;
      acks.push_back(build_ack(*p.message, AckCode::AA, "", control, now));
    }
  }
  return acks;
}

}  // namespace kaiku::channels::hl7
