// The text layer's front door: redaction, language, themes, sentiment, suggestions.
#include "text/analyzer.hpp"

#include "text/sentiment.hpp"
#include "text/sentiment_model.hpp"
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
  std::unique_ptr<SentimentModel> model;  // null: the rules' label is final

  // Redaction, language and tokens of a comment (the first steps of analyze()).
  struct Prepared {
    Analysis analysis;
    std::vector<Token> tokens;
  };
  Prepared prepare(std::string_view utf8, const RedactOptions& options) const;
};

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::create(const std::vector<domain::Theme>& themes, const Voikko* voikko,
                                                   AnalyzerOptions analyzer_options) {
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
  if (analyzer_options.learned_sentiment) {
    auto model = analyzer_options.sentiment_model_tsv
                     ? SentimentModel::parse(*analyzer_options.sentiment_model_tsv,
                                             analyzer_options.sentiment_model_name)
                     : SentimentModel::create_builtin();
    if (!model) return fail(model.error());
    impl->model = std::move(*model);
  }
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

Analyzer::Impl::Prepared Analyzer::Impl::prepare(std::string_view utf8, const RedactOptions& options) const {
  Prepared p;
  Analysis& a = p.analysis;
  RedactOptions o = options;
  o.voikko = voikko;
  // The language of the raw text tells the name rules which sentence starts to trust.
  if (!o.language) o.language = identify_language(utf8);
  a.redacted = redact(utf8, o);
  if (!a.redacted.valid_utf8) return p;
  a.language = identify_language(a.redacted.text);
  // A comment in no recognised language is read as Finnish (the county's main
  // language; Voikko simply does not know foreign words); matching and scoring then
  // use every language's terms.
  const Language token_lang = a.language == Language::other ? Language::fi : a.language;
  p.tokens = lemmatizer->tokenize(a.redacted.text, token_lang);
  return p;
}

Analysis Analyzer::analyze(std::string_view utf8, const RedactOptions& options) const {
  Impl::Prepared p = impl_->prepare(utf8, options);
  Analysis& a = p.analysis;
  if (!a.redacted.valid_utf8) return a;
  a.themes = impl_->themes.match(p.tokens, a.language);
  SentimentScore s = impl_->sentiment->score(p.tokens, a.language);
  a.rules_sentiment = s.label;
  a.sentiment = impl_->model
                    ? impl_->model->predict(text::sentiment_features(a.redacted.text, p.tokens, a.language, s))
                    : s.label;
  a.positive = s.positive;
  a.negative = s.negative;
  a.suggestion = impl_->suggestions->is_suggestion(p.tokens, a.language);
  return a;
}

Features Analyzer::sentiment_features(std::string_view utf8, const RedactOptions& options) const {
  Impl::Prepared p = impl_->prepare(utf8, options);
  if (!p.analysis.redacted.valid_utf8) return {};
  SentimentScore s = impl_->sentiment->score(p.tokens, p.analysis.language);
  return text::sentiment_features(p.analysis.redacted.text, p.tokens, p.analysis.language, s);
}

bool Analyzer::uses_learned_sentiment() const { return impl_->model != nullptr; }

}  // namespace kaiku::text
