// Private to the synthetic generator (synthetic.cpp): the phrase bank of
// invented open comments in fi/sv/en, each with the labels a comment analyser
// would plausibly give it. The labels are SYNTHETIC, written by hand for demo
// data and benchmarks; real insights come from the text analyser in the service
// layer (service::CommentProcessor).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/free_text.hpp"
#include "domain/language.hpp"
#include "domain/model.hpp"

namespace kaiku::analytics::detail {

// The tone a phrase was written in: praise (positive), complaint (negative),
// suggestion (neutral, proposes a change), mixed (praise and criticism).
enum Tone { praise, complaint, suggestion, mixed, kTones };

// One invented comment with one or two theme ids of the taxonomy in
// docs/model-format.md ("" when there is no second).
struct Phrase {
  std::string_view text;
  std::string_view theme1, theme2;
};

// The phrases of a tone in `lang` (fi for fi and fi_selko). Never empty.
const std::vector<Phrase>& phrases(domain::Language lang, Tone tone);

// The insight of `p` as an answer to `question_key` in a response in `lang`:
// language "fi"/"sv"/"en", the tone's sentiment, suggestion for the suggestion
// tone, the phrase's themes that `model` has (in taxonomy order), no placeholders.
domain::CommentInsight synthetic_insight(const Phrase& p, Tone tone, domain::Language lang,
                                         const std::string& question_key, const domain::Model& model);

}  // namespace kaiku::analytics::detail
