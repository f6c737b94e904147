// The learned part of sentiment: a multinomial logistic regression that reads the
// lexicon scorer's evidence (SentimentScore) together with the comment's lemmas and
// stems (negated ones marked), word pairs, punctuation and length, and gives the final
// label. The lexicon rules know Finnish and Swedish negation and contrast; the model
// learns from labelled comments what the rules miss (complaints told as bare facts,
// "nobody called back", irony markers) and how far to trust the rules.
//
// Weights ship as lexicons/sentiment_model.tsv, trained by `kaiku text train-sentiment`
// from the hand-written corpus in lexicons/train/ (docs/text.md, *Learned sentiment*).
// Everything here is pure: features from tokens, training from examples, prediction
// (the training itself is LinearModel's).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "domain/free_text.hpp"
#include "text/language.hpp"
#include "text/linear_model.hpp"
#include "text/sentiment.hpp"
#include "text/tokens.hpp"

namespace kaiku::text {

using SentimentFeatures = Features;

// The features of a comment: `text` is the redacted text the `tokens` came from,
// `lang` its language, `rules` the lexicon scorer's result on the same tokens.
// Deterministic; the same input always gives the same features.
SentimentFeatures sentiment_features(std::string_view text, const std::vector<Token>& tokens,
                                     Language lang, const SentimentScore& rules);

// Immutable after creation; thread-safe. A LinearModel whose outputs are the four
// labels.
class SentimentModel {
 public:
  // Probabilities of positive, neutral, negative, mixed (domain::Sentiment order); they
  // sum to 1. Unknown feature names count nothing.
  std::array<double, 4> probabilities(const SentimentFeatures& features) const;
  domain::Sentiment predict(const SentimentFeatures& features) const;

  // Trains on `examples` (features + gold label). Deterministic for the same options.
  // Error::invalid when there are no examples.
  static Result<std::unique_ptr<SentimentModel>> train(
      const std::vector<std::pair<SentimentFeatures, domain::Sentiment>>& examples,
      const LinearTrainingOptions& options);

  // LinearModel::to_tsv's format with the outputs positive, neutral, negative, mixed.
  std::string to_tsv(const std::vector<std::string>& header) const;
  // Parses it; Error::invalid "<name>:<line>: <what>", also for a model with other
  // outputs.
  static Result<std::unique_ptr<SentimentModel>> parse(std::string_view tsv, std::string_view name);
  // The built-in lexicons/sentiment_model.tsv; nullptr (no error) when the binary was
  // built without one.
  static Result<std::unique_ptr<SentimentModel>> create_builtin();

  std::size_t feature_count() const;
  ~SentimentModel();

 private:
  explicit SentimentModel(std::unique_ptr<LinearModel> model);
  std::unique_ptr<LinearModel> model_;
};

}  // namespace kaiku::text
