#include "domain/casework.hpp"

#include <algorithm>
#include <array>

#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::domain {
namespace {

constexpr std::array<std::string_view, 5> kStatusNames{"new", "in_handling", "answered", "closed", "muistutus"};
constexpr std::array<std::string_view, 3> kKindNames{"contact_request", "feedback", "comment"};
constexpr std::array<std::string_view, 4> kBandNames{"none", "detractor", "passive", "promoter"};

template <typename E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool has_open_text(const Response& r) {
  return std::any_of(r.answers.begin(), r.answers.end(), [](const Answer& a) {
    return !a.cant_say && !a.number && a.choices.empty() && !a.text.empty();
  });
}

}  // namespace

std::string_view case_status_name(CaseStatus s) noexcept { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<CaseStatus> parse_case_status(std::string_view name) noexcept {
  return parse_name<CaseStatus>(kStatusNames, name);
}

bool case_transition_allowed(CaseStatus from, CaseStatus to) noexcept {
  using S = CaseStatus;
  switch (from) {
    case S::new_case:
      return to == S::in_handling || to == S::closed || to == S::muistutus;
    case S::in_handling:
      return to == S::answered || to == S::closed || to == S::muistutus || to == S::new_case;
    case S::answered:
      return to == S::closed || to == S::in_handling;
    case S::closed:
      return to == S::in_handling;
    case S::muistutus:
      return false;
  }
  return false;
}

std::string_view case_kind_name(CaseKind k) noexcept { return kKindNames[static_cast<std::size_t>(k)]; }
std::optional<CaseKind> parse_case_kind(std::string_view name) noexcept {
  return parse_name<CaseKind>(kKindNames, name);
}

std::string_view score_band_name(ScoreBand b) noexcept { return kBandNames[static_cast<std::size_t>(b)]; }
std::optional<ScoreBand> parse_score_band(std::string_view name) noexcept {
  return parse_name<ScoreBand>(kBandNames, name);
}

ScoreBand score_band(int nps_score) noexcept {
  if (nps_score < 0 || nps_score > 10) return ScoreBand::none;
  if (nps_score <= 6) return ScoreBand::detractor;
  if (nps_score <= 8) return ScoreBand::passive;
  return ScoreBand::promoter;
}

std::optional<CaseOpening> open_case(const Model& model, const Response& r) {
  const bool contact = r.contact.has_value();
  const bool feedback = !r.feedback_kind.empty();
  if (!contact && !feedback && !has_open_text(r)) return std::nullopt;

  CaseOpening c;
  c.kind = contact ? CaseKind::contact_request : feedback ? CaseKind::feedback : CaseKind::comment;
  c.has_contact = contact;
  if (const Survey* survey = model.survey(r.survey)) {
    for (const auto& a : r.answers) {
      const Question* q = survey->question(a.key);
      if (q != nullptr && q->type == QuestionType::nps && a.number) {
        c.nps_score = *a.number;
        break;
      }
    }
  }
  c.band = score_band(c.nps_score);
  const auto& safety = model.handling.safety_themes;
  for (const auto& insight : r.insights) {
    for (const auto& theme : insight.themes) {
      if (std::find(safety.begin(), safety.end(), theme) != safety.end()) c.safety = true;
    }
  }
  c.alert = c.safety || (contact && c.band == ScoreBand::detractor);
  const int days = contact ? model.handling.contact_reply_days : model.handling.feedback_handling_days;
  c.due_at = r.answered_at + std::chrono::hours(24 * days);
  return c;
}

}  // namespace kaiku::domain
