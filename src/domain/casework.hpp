// Feedback handling in the domain: the case a comment, free-form feedback or
// contact request opens, its handling workflow (new -> in handling -> answered ->
// closed), the county's service levels (model file section `handling:`), and the
// development actions ("you said, we did") managers record. Standard library only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/language.hpp"

namespace kaiku::domain {

struct Model;
struct Response;

using CaseTime = std::chrono::sys_time<std::chrono::milliseconds>;

// Where a case is in its handling. A muistutus (formal complaint) is its own end
// state: the customer is told how to file one, and it is not handled as feedback.
enum class CaseStatus : std::uint8_t { new_case, in_handling, answered, closed, muistutus };
// "new", "in_handling", "answered", "closed", "muistutus".
std::string_view case_status_name(CaseStatus s) noexcept;
// Parses case_status_name's output exactly; nullopt otherwise.
std::optional<CaseStatus> parse_case_status(std::string_view name) noexcept;
// The moves staff may make: new -> in_handling | closed | muistutus;
// in_handling -> answered | closed | muistutus | new; answered -> closed | in_handling;
// closed -> in_handling (reopen); muistutus -> nothing. True when `from -> to` is one.
bool case_transition_allowed(CaseStatus from, CaseStatus to) noexcept;

// Why the response is in the inbox (the strongest reason when several hold).
enum class CaseKind : std::uint8_t { contact_request, feedback, comment };
// "contact_request", "feedback", "comment".
std::string_view case_kind_name(CaseKind k) noexcept;
std::optional<CaseKind> parse_case_kind(std::string_view name) noexcept;

// NPS score band of the response's likelihood-to-recommend answer.
enum class ScoreBand : std::uint8_t { none, detractor, passive, promoter };  // none: no 0-10 answer
// "none", "detractor" (0-6), "passive" (7-8), "promoter" (9-10).
std::string_view score_band_name(ScoreBand b) noexcept;
std::optional<ScoreBand> parse_score_band(std::string_view name) noexcept;
ScoreBand score_band(int nps_score) noexcept;  // 0..10; none outside

// The county's service levels (model file section `handling:`; every key optional).
struct HandlingSettings {
  int contact_reply_days = 14;      // a contact request is answered within this many days
  int feedback_handling_days = 30;  // other cases are handled (closed) within this many days
  // Theme ids whose comments are flagged as a possible safety concern (alert).
  std::vector<std::string> safety_themes{"safety"};
  // Roles (domain::role_name) that get alerts of the units in their scope.
  std::vector<std::string> alert_roles{"unit_manager"};
};

// What the service decides about a response as it is stored: whether it opens a
// case, and the facts the inbox filters on. Computed by open_case, stored by the
// storage layer with the response in the same transaction.
struct CaseOpening {
  CaseKind kind = CaseKind::comment;
  ScoreBand band = ScoreBand::none;
  int nps_score = -1;              // 0..10, -1 when unanswered
  bool has_contact = false;        // the customer asked to be contacted
  bool safety = false;             // a comment has one of handling.safety_themes
  bool alert = false;              // (detractor and contact) or safety: notify the unit's managers
  CaseTime due_at{};               // received + contact_reply_days / feedback_handling_days
};

// The case `r` opens under `model`, or nullopt when it opens none. A response opens
// a case when it has a non-empty open-text answer, is free-form feedback
// (feedback_kind set), or carries a contact request. The NPS score is the answer to
// the survey's question of type nps; `r.insights` must already be filled
// (service::CommentProcessor) for `safety` to be set. Pure.
std::optional<CaseOpening> open_case(const Model& model, const Response& r);

// A development action: what a unit changed because of feedback ("you said, we did").
struct DevelopmentAction {
  std::int64_t id = 0;                 // assigned by the store
  std::string unit;                    // org node where the change was made
  LocalizedText title;                 // what was changed (fi required; sv for the public page)
  LocalizedText description;           // what, where and how, in a few sentences
  LocalizedText reason;                // why: what customers said
  std::string done_on;                 // YYYY-MM-DD the change took effect
  std::vector<std::string> themes;     // theme ids it answers
  std::vector<std::int64_t> cases;     // response ids of the feedback that led to it
  bool published = false;              // shown on the public page
  std::int64_t created_by = 0;         // user id
  CaseTime created_at{};
  CaseTime updated_at{};
};

}  // namespace kaiku::domain
