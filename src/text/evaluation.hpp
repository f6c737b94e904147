// Scoring the text analysis against hand-labelled comments: the evaluation set
// format (tests/data/text/*.tsv), and precision/recall/F1 for redaction per kind,
// language, sentiment, themes and suggestions. Used by `kaiku text eval`, the
// evaluation test and bench/text. Pure functions; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/free_text.hpp"
#include "text/analyzer.hpp"

namespace kaiku::text {

// One labelled line of an evaluation file.
struct LabelledComment {
  int line = 0;                  // 1-based line number in its file
  std::string id;                // "fi001"
  std::string language;          // fi, sv, en or other
  domain::Sentiment sentiment = domain::Sentiment::neutral;
  std::vector<std::string> themes;
  bool suggestion = false;
  std::string text;              // as the customer wrote it
  std::string redacted;          // as a careful reader would redact it (evaluation files)
  bool themes_labelled = true;   // false: a training file without a themes column
  bool from_evaluation = true;   // false: from a training file (no redacted column)
};

// Parses an evaluation file: UTF-8, tab-separated, a header line
// "id lang sentiment themes suggestion text redacted", then one comment per line
// (themes comma-separated or "-"; suggestion 0/1). Blank lines and lines starting
// with '#' are skipped. Errors (Error::invalid): "<file_name>:<line>: <what>".
Result<std::vector<LabelledComment>> parse_evaluation_file(std::string_view content,
                                                           const std::string& file_name);

// Parses an evaluation file or a training file (lexicons/train/*.tsv): the header
// "id lang sentiment text" or "id lang sentiment themes text" (training; suggestion
// false, redacted empty, themes_labelled only with a themes column) or the evaluation
// header above. Errors as parse_evaluation_file's.
Result<std::vector<LabelledComment>> parse_labelled_file(std::string_view content, const std::string& file_name);

// Whether a labelled comment may be trained on: every comment of a training file, and
// of an evaluation file only the development half (the held-out half is never trained on).
bool may_train_on(const LabelledComment& c) noexcept;

// The evaluation set is split in two halves by id: the development half (the number
// at the end of the id is odd: fi001, sv013) may be looked at while tuning lexicons,
// taxonomies and rules; the held-out half (even) is only scored. An id without a
// number is in the development half.
bool in_development_half(std::string_view id) noexcept;

// True/false positives and false negatives.
struct Counts {
  std::int64_t tp = 0, fp = 0, fn = 0;
  double precision() const;  // 1 when nothing was predicted
  double recall() const;     // 1 when nothing was expected
  double f1() const;
  Counts& operator+=(const Counts& o);
};

// Scores one redaction against the expected redacted text, per placeholder kind
// ("hetu", "puhelin", "email", "iban", "osoite", "nimi"): both texts are split on
// whitespace and aligned (longest common subsequence); a predicted placeholder
// counts as a true positive only if it and its neighbours align with the expected
// text, so a finding that eats a word too many or leaves a digit group behind is
// both a false positive and a false negative. Adds to `counts`.
void score_redaction(std::string_view predicted, std::string_view expected,
                     std::map<std::string, Counts>& counts);

// confusion[gold][predicted] of sentiment labels, indexed by domain::Sentiment.
using SentimentConfusion = std::array<std::array<std::int64_t, 4>, 4>;

// Mean over the four classes of F1 (a class with no gold and no predicted comment is
// left out of the mean); 1 for an empty matrix.
double macro_f1(const SentimentConfusion& confusion);

// The scores over a set, built one comment at a time (add) and mergeable (combine).
class EvaluationScores {
 public:
  // Adds one comment's labels and the analysis of its text. A comment from a training
  // file adds no redaction or suggestion counts, and no theme counts without themes.
  void add(const LabelledComment& gold, const Analysis& predicted);
  void combine(const EvaluationScores& other);

  std::int64_t comments() const { return comments_; }
  std::int64_t exact_redactions() const { return exact_; }
  const std::map<std::string, Counts>& pii() const { return pii_; }
  // Recall over identity codes, phone numbers and e-mail addresses together.
  double pii_recall() const;
  double name_recall() const;
  double language_accuracy() const;
  // confusion[gold][predicted], indexed by domain::Sentiment.
  const SentimentConfusion& sentiment_confusion() const { return confusion_; }
  // Mean over the four classes of F1 (a class with no gold and no predicted comment
  // is left out of the mean).
  double sentiment_macro_f1() const;
  const std::map<std::string, Counts>& themes() const { return themes_; }
  Counts theme_micro() const;  // summed over themes
  const Counts& suggestions() const { return suggestion_; }

  // A human-readable report: every table above, and the comments that went wrong
  // (id, what) when `with_errors`.
  std::string report(bool with_errors) const;

 private:
  std::int64_t comments_ = 0, exact_ = 0, language_right_ = 0;
  std::map<std::string, Counts> pii_, themes_;
  SentimentConfusion confusion_{};
  Counts suggestion_;
  std::vector<std::string> errors_;  // "fi012: sentiment negative, got mixed"
};

}  // namespace kaiku::text
