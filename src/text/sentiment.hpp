// Sentiment of a comment (positive, neutral, negative, mixed) from lexicons of
// lemmas/stems with weights, Finnish and Swedish negation ("ei ollut hyvä", "inte
// bra"), intensifiers and contrast ("mutta", "men", "but"). Lexicons and cue lists
// are data files (lexicons/, see lexicons/README.md), built into the binary.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/free_text.hpp"
#include "text/language.hpp"
#include "text/tokens.hpp"

namespace kaiku::text {

struct SentimentScore {
  domain::Sentiment label = domain::Sentiment::neutral;
  double positive = 0;  // summed positive evidence (>= 0)
  double negative = 0;  // summed negative evidence (>= 0)
};

// Immutable after creation; thread-safe.
class SentimentScorer {
 public:
  // From the built-in data files (builtin_data("sentiment_fi.tsv") …). Error::invalid
  // naming file:line when a file is malformed.
  static Result<std::unique_ptr<SentimentScorer>> create_builtin();
  // From data given as text, in the same formats (for tests); a name is used in errors.
  struct Sources {
    std::string_view sentiment_fi, sentiment_sv, sentiment_en, modifiers;
  };
  static Result<std::unique_ptr<SentimentScorer>> create(const Sources& sources);

  // Scores the tokens of a comment in language `lang` (other: every lexicon).
  SentimentScore score(const std::vector<Token>& tokens, Language lang) const;

  ~SentimentScorer();

 private:
  struct Impl;
  explicit SentimentScorer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Whether a comment proposes a change ("voisi", "pitäisi", "toivoisin", "kunpa",
// "borde", "skulle kunna", "should", "would be nice"). Cue lists from the built-in
// data file suggestion_cues.tsv. Immutable after creation; thread-safe.
class SuggestionDetector {
 public:
  static Result<std::unique_ptr<SuggestionDetector>> create_builtin();
  static Result<std::unique_ptr<SuggestionDetector>> create(std::string_view cues);
  bool is_suggestion(const std::vector<Token>& tokens, Language lang) const;
  ~SuggestionDetector();

 private:
  struct Impl;
  explicit SuggestionDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::text
