// Learned sentiment: the features of a comment, and the four-label model.
#include "text/sentiment_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "text/builtin_data.hpp"

namespace kaiku::text {
namespace {

// How many words after a negator are read as negated (within the clause).
constexpr int kNegationScope = 3;

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool finnish_negator(const Token& t) {
  return t.negation_verb || is_one_of(t.lower, {"ilman", "vailla", "eikä", "ettei", "ettekä", "emmekä"});
}

bool swedish_negator(const Token& t) {
  return is_one_of(t.lower, {"inte", "int", "ej", "icke", "aldrig", "ingen", "inget", "inga", "ingenting",
                             "utan", "varken"});
}

bool english_negator(const Token& t) {
  std::string_view w = t.lower;
  auto ends = [&](std::string_view s) { return w.size() > s.size() && w.substr(w.size() - s.size()) == s; };
  return is_one_of(w, {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without",
                       "cannot", "nowhere"}) ||
         ends("n't") || ends("n\xE2\x80\x99t");
}

bool is_negator(const Token& t, Language lang) {
  switch (lang) {
    case Language::fi: return finnish_negator(t);
    case Language::sv: return swedish_negator(t);
    case Language::en: return english_negator(t);
    default: return finnish_negator(t) || swedish_negator(t) || english_negator(t);
  }
}

bool is_contrast(const Token& t, Language lang) {
  auto fi = [&] { return is_one_of(t.lower, {"mutta", "mut", "kuitenkin", "vaikka", "silti"}); };
  auto sv = [&] { return is_one_of(t.lower, {"men", "fast", "dock", "ändå"}); };
  auto en = [&] { return is_one_of(t.lower, {"but", "however", "although", "though"}); };
  switch (lang) {
    case Language::fi: return fi();
    case Language::sv: return sv();
    case Language::en: return en();
    default: return fi() || sv() || en();
  }
}

// Counts a punctuation mark or emoticon in `text`.
int count_of(std::string_view text, std::string_view what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool all_caps_word(const Token& t) {
  if (t.surface.size() < 3 || t.placeholder || t.number) return false;
  return t.surface != t.lower && to_lower(t.surface) == t.lower &&
         std::none_of(t.surface.begin(), t.surface.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

SentimentFeatures sentiment_features(std::string_view text, const std::vector<Token>& tokens, Language lang,
                                     const SentimentScore& rules) {
  std::map<std::string, double> f;
  f["bias"] = 1;
  f["lang=" + std::string(language_code(lang))] = 1;
  f["rules=" + std::string(domain::sentiment_name(rules.label))] = 1;
  f["score:positive"] = std::log1p(rules.positive);
  f["score:negative"] = std::log1p(rules.negative);
  f["score:both"] = std::log1p(std::min(rules.positive, rules.negative));

  int negated_left = 0;
  bool after_contrast = false;
  int words = 0, caps = 0, negators = 0;
  std::string previous;  // main key of the word before, within the clause
  for (const Token& t : tokens) {
    if (t.boundary != Boundary::none) {
      negated_left = 0;
      previous.clear();
    }
    if (t.boundary == Boundary::sentence) after_contrast = false;
    if (t.placeholder) {
      f["w:" + t.surface] = 1;
      previous.clear();
      continue;
    }
    ++words;
    if (all_caps_word(t)) ++caps;
    if (t.number) {
      f["number"] = 1;
      previous = "#";
      continue;
    }
    if (is_negator(t, lang)) {
      ++negators;
      negated_left = kNegationScope;
      if (!previous.empty()) f["b:" + previous + "_¬"] = 1;
      previous = "¬";
      continue;
    }
    const bool contrast = is_contrast(t, lang);
    if (contrast) {
      f["contrast"] = 1;
      after_contrast = true;
    }
    const char* prefix = negated_left > 0 ? "n:" : "w:";
    for (const std::string& key : t.keys) f[prefix + key] = 1;
    if (after_contrast && !contrast)
      for (const std::string& key : t.keys) f["c:" + key] = 1;
    const std::string& main = t.keys.empty() ? t.lower : t.keys.front();
    if (!previous.empty()) f["b:" + previous + "_" + main] = 1;
    previous = main;
    if (negated_left > 0) --negated_left;
  }
  if (negators > 0) f["negator"] = std::min(negators, 3) / 3.0;
  f["length"] = std::log1p(words) / 4.0;
  if (caps >= 2) f["caps"] = 1;
  if (int n = count_of(text, "!")) f["exclamation"] = std::min(n, 3) / 3.0;
  if (count_of(text, "?") > 0) f["question"] = 1;
  if (count_of(text, ":)") + count_of(text, ":-)") + count_of(text, ":D") + count_of(text, "\xF0\x9F\x98\x8A") +
          count_of(text, "\xF0\x9F\x99\x82") + count_of(text, "\xE2\x9D\xA4") >
      0)
    f["smiley"] = 1;
  if (count_of(text, ":(") + count_of(text, ":-(") + count_of(text, "\xF0\x9F\x98\xA1") +
          count_of(text, "\xF0\x9F\x99\x81") + count_of(text, "\xF0\x9F\x98\xA0") >
      0)
    f["frown"] = 1;

  SentimentFeatures out;
  out.values.assign(f.begin(), f.end());
  return out;
}

namespace {
const std::vector<std::string>& label_names() {
  static const std::vector<std::string> names{"positive", "neutral", "negative", "mixed"};
  return names;
}
}  // namespace

SentimentModel::SentimentModel(std::unique_ptr<LinearModel> model) : model_(std::move(model)) {}
SentimentModel::~SentimentModel() = default;
std::size_t SentimentModel::feature_count() const { return model_->feature_count(); }

std::array<double, 4> SentimentModel::probabilities(const SentimentFeatures& features) const {
  auto p = model_->probabilities(features);
  return {p[0], p[1], p[2], p[3]};
}

domain::Sentiment SentimentModel::predict(const SentimentFeatures& features) const {
  return static_cast<domain::Sentiment>(model_->best(features));
}

Result<std::unique_ptr<SentimentModel>> SentimentModel::train(
    const std::vector<std::pair<SentimentFeatures, domain::Sentiment>>& examples,
    const LinearTrainingOptions& options) {
  std::vector<LinearExample> rows;
  rows.reserve(examples.size());
  for (const auto& [features, label] : examples) {
    rows.push_back(LinearExample{features, static_cast<std::size_t>(label)});
  }
  auto model = LinearModel::train(rows, label_names(), options);
  if (!model) return fail(model.error());
  return std::unique_ptr<SentimentModel>(new SentimentModel(std::move(*model)));
}

std::string SentimentModel::to_tsv(const std::vector<std::string>& header) const { return model_->to_tsv(header); }

Result<std::unique_ptr<SentimentModel>> SentimentModel::parse(std::string_view tsv, std::string_view name) {
  auto model = LinearModel::parse(tsv, name);
  if (!model) return fail(model.error());
  if ((*model)->outputs() != label_names())
    return fail(Error::invalid(std::string(name) +
                               ": not a sentiment model (expected @outputs positive, neutral, negative, mixed)"));
  return std::unique_ptr<SentimentModel>(new SentimentModel(std::move(*model)));
}

Result<std::unique_ptr<SentimentModel>> SentimentModel::create_builtin() {
  auto data = builtin_data("sentiment_model.tsv");
  if (!data) return std::unique_ptr<SentimentModel>();
  return parse(*data, "sentiment_model.tsv");
}

}  // namespace kaiku::text
