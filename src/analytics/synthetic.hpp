// Deterministic synthetic responses for a model, with a realistic shape: used by
// `kaiku gen`, the tests and the benchmarks. Never used for real data.
#pragma once

#include <cstdint>
#include <functional>

#include "analytics/calendar.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::analytics {

struct SyntheticOptions {
  std::int64_t responses = 1000;  // how many to generate
  std::uint64_t seed = 1;         // the same seed, model and options give the same responses
  Day from = 0;                   // first answer date (Europe/Helsinki), inclusive
  Day to = 0;                     // last answer date, inclusive; from <= to
  bool open_text = true;          // fill open questions from the phrase bank (some answers)
};

// Generates `options.responses` responses, valid for their surveys, in ascending
// answered_at order, and passes each to `sink`. The shape:
//  - channels: mostly SMS (about 80 %) where a touchpoint has the sms channel,
//    then web/QR, kiosk taps at kiosk touchpoints, some free-form feedback;
//  - NPS around 40-85 varying by unit (a stable per-unit effect from the seed) and
//    higher by SMS than on the web; agreement statements correlated with the NPS,
//    about 5 % "can't say";
//  - volume with a weekly rhythm (fewer at weekends) and a seasonal one (summer
//    and Christmas dips); a few units with very low volume (so that suppression
//    and the adaptive period have something to do);
//  - languages in the shares of a bilingual county (fi ~ 78 %, sv ~ 18 %, en ~ 4 %,
//    only those the model enables), age groups and respondent types (mostly self,
//    some on behalf, relatives through the relatives' survey);
//  - open comments from a varied phrase bank in fi/sv/en (praise, complaints,
//    suggestions) on a share of the answers, each with a CommentInsight in
//    `insights` (the response's language, the phrase's tone, one or two themes of
//    the model's taxonomy, suggestion for proposals). These labels are synthetic,
//    written by hand with the phrases; real ones come from the text analyser in
//    the service layer. The texts are as a redactor leaves them (no personal data).
// Fields set: submission_key ("gen-<seed>-<index>"), model_version (model.version),
// touchpoint, unit, survey, channel, language, respondent, age_group, answered_at,
// answers, insights (feedback_kind for free-form feedback). id, invitation and contact are
// left empty. Requires a model with at least one touchpoint.
void generate_responses(const domain::Model& model, const SyntheticOptions& options,
                        const std::function<void(domain::Response&&)>& sink);

}  // namespace kaiku::analytics
