// The whole analysis of one comment: redaction first, then language, themes,
// sentiment and whether it is a development suggestion, all on the REDACTED text.
// This is the text layer's front door (service::CommentProcessor, `kaiku text analyze`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/free_text.hpp"
#include "text/language.hpp"
#include "text/linear_model.hpp"
#include "text/redact.hpp"

namespace kaiku::text {

class Voikko;

struct Analysis {
  Redacted redacted;                  // text + findings; see redact()
  Language language = Language::other;
  domain::Sentiment sentiment = domain::Sentiment::neutral;  // the final label
  double positive = 0, negative = 0;  // the lexicon rules' evidence (for tuning and --json)
  domain::Sentiment rules_sentiment = domain::Sentiment::neutral;  // the lexicon rules' label
  std::vector<std::string> themes;    // theme ids, taxonomy order
  bool suggestion = false;

  // The storable summary for the answer to `question_key` (placeholders from the
  // findings, in text order).
  domain::CommentInsight insight(std::string question_key) const;
};

struct AnalyzerOptions {
  // Final sentiment from the learned model (lexicons/sentiment_model.tsv, fed with the
  // lexicon rules' evidence) when one is built in; false: the lexicon rules' label.
  bool learned_sentiment = true;
  // With learned_sentiment: a model in SentimentModel::to_tsv's format to use instead of
  // the built-in one (kaiku text eval --sentiment-model); nullopt: the built-in one.
  std::optional<std::string> sentiment_model_tsv;
  std::string sentiment_model_name = "sentiment model";  // names it in errors (a path)
};

// Thread-safe; one instance serves every thread.
class Analyzer {
 public:
  // `themes`: the model's taxonomy (may be empty). `voikko`: Finnish morphology for
  // names, lemmas, negation and mood; may be null (then Finnish names are found only
  // after titles and Finnish words are matched on Snowball stems). Not owned.
  // Errors: a bad theme term, a malformed built-in data file or sentiment model (or the
  // one given in `analyzer_options`).
  static Result<std::unique_ptr<Analyzer>> create(const std::vector<domain::Theme>& themes,
                                                  const Voikko* voikko, AnalyzerOptions analyzer_options = {});
  ~Analyzer();

  // Analyses one comment. `options` chooses what is redacted (its `voikko` is
  // replaced by the analyzer's). Invalid UTF-8: redacted.valid_utf8 = false and
  // nothing else is computed. Never throws.
  Analysis analyze(std::string_view utf8, const RedactOptions& options = {}) const;

  // The learned sentiment model's input for one comment, computed exactly as analyze()
  // computes it (redaction, language, tokens, lexicon rules): what `kaiku text
  // train-sentiment` trains on. Invalid UTF-8 gives no features.
  Features sentiment_features(std::string_view utf8, const RedactOptions& options = {}) const;

  // Whether analyze() labels sentiment with the learned model.
  bool uses_learned_sentiment() const;

 private:
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::text
