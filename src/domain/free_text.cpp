#include "domain/free_text.hpp"

namespace kaiku::domain {

std::string_view sentiment_name(Sentiment s) noexcept {
  switch (s) {
    case Sentiment::positive: return "positive";
    case Sentiment::neutral: return "neutral";
    case Sentiment::negative: return "negative";
    case Sentiment::mixed: return "mixed";
  }
  return "neutral";
}

std::optional<Sentiment> parse_sentiment(std::string_view name) noexcept {
  for (Sentiment s : {Sentiment::positive, Sentiment::neutral, Sentiment::negative, Sentiment::mixed})
    if (sentiment_name(s) == name) return s;
  return std::nullopt;
}

}  // namespace kaiku::domain
