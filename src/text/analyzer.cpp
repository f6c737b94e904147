// The text layer's front door: redaction, language, themes, sentiment, suggestions.
#include "text/analyzer.hpp"

#include "text/sentiment.hpp"
#include "text/themes.hpp"
#include "text/tokens.hpp"

namespace kaiku::text {

domain::CommentInsight Analysis::insight(std::string question_key) const {
  domain::CommentInsight c;
  c.question_key = std::move(question_key);
  c.language = std::string(language_code(language));
  c.sentiment = sentiment;
  c.themes = themes;
  c.suggestion = suggestion;
  c.placeholders.reserve(redacted.findings.size());
  for (const Finding& f : redacted.findings) c.placeholders.emplace_back(placeholder_name(f.kind));
  return c;
}

struct Analyzer::Impl {
  const Voikko* voikko = nullptr;
  std::unique_ptr<Lemmatizer> lemmatizer;
  ThemeMatcher themes;
  std::unique_ptr<SentimentScorer> sentiment;
  std::unique_ptr<SuggestionDetector> suggestions;
};

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::create(const std::vector<domain::Theme>& themes, const Voikko* voikko) {
  auto impl = std::make_unique<Impl>();
  impl->voikko = voikko;
  impl->lemmatizer = std::make_unique<Lemmatizer>(voikko);
  auto matcher = ThemeMatcher::compile(themes);
  if (!matcher) return fail(matcher.error());
  impl->themes = std::move(*matcher);
  auto scorer = SentimentScorer::create_builtin();
  if (!scorer) return fail(scorer.error());
  impl->sentiment = std::move(*scorer);
  auto detector = SuggestionDetector::create_builtin();
  if (!detector) return fail(detector.error());
  impl->suggestions = std::move(*detector);
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

Analysis Analyzer::analyze(std::string_view utf8, const RedactOptions& options) const {
  Analysis a;
  RedactOptions o = options;
  o.voikko = impl_->voikko;
  // The language of the raw text tells the name rules which sentence starts to trust.
  if (!o.language) o.language = identify_language(utf8);
  a.redacted = redact(utf8, o);
  if (!a.redacted.valid_utf8) return a;
  a.language = identify_language(a.redacted.text);
  // A comment in no recognised language is read as Finnish (the county's main
  // language; Voikko simply does not know foreign words); matching and scoring then
  // use every language's terms.
  const Language token_lang = a.language == Language::other ? Language::fi : a.language;
  std::vector<Token> tokens = impl_->lemmatizer->tokenize(a.redacted.text, token_lang);
  a.themes = impl_->themes.match(tokens, a.language);
  SentimentScore s = impl_->sentiment->score(tokens, a.language);
  a.sentiment = s.label;
  a.positive = s.positive;
  a.negative = s.negative;
  a.suggestion = impl_->suggestions->is_suggestion(tokens, a.language);
  return a;
}

}  // namespace kaiku::text
