#include "text/evaluation.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "text/data_lines.hpp"

namespace kaiku::text {
namespace {

constexpr std::array<const char*, 6> kKinds{"hetu", "puhelin", "email", "iban", "osoite", "nimi"};

using detail::split;

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Placeholder kinds inside a whitespace-separated token: "[hetu]," -> {"hetu"}.
std::vector<std::string> kinds_in(const std::string& tok) {
  std::vector<std::string> k;
  for (const char* name : kKinds) {
    std::string ph = std::string("[") + name + "]";
    for (std::size_t p = tok.find(ph); p != std::string::npos; p = tok.find(ph, p + 1)) k.push_back(name);
  }
  return k;
}

// match[i] = index in `exp` aligned with pred[i], or -1 (longest common subsequence).
std::vector<int> align(const std::vector<std::string>& pred, const std::vector<std::string>& exp) {
  std::size_t n = pred.size(), m = exp.size();
  std::vector<std::vector<int>> L(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      L[i][j] = pred[i] == exp[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
  std::vector<int> match(n, -1);
  std::size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (pred[i] == exp[j]) {
      match[i] = static_cast<int>(j);
      ++i;
      ++j;
    } else if (L[i + 1][j] >= L[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  return match;
}

double ratio(std::int64_t a, std::int64_t b) { return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b); }

bool valid_theme_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string join(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

bool in_development_half(std::string_view id) noexcept {
  if (id.empty() || id.back() < '0' || id.back() > '9') return true;
  return ((id.back() - '0') % 2) == 1;
}

bool may_train_on(const LabelledComment& c) noexcept { return !c.from_evaluation || in_development_half(c.id); }

double Counts::precision() const { return ratio(tp, tp + fp); }
double Counts::recall() const { return ratio(tp, tp + fn); }
double Counts::f1() const {
  double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}
Counts& Counts::operator+=(const Counts& o) {
  tp += o.tp;
  fp += o.fp;
  fn += o.fn;
  return *this;
}

namespace {

// The evaluation format only (`evaluation_only`), or that and the training formats.
Result<std::vector<LabelledComment>> parse_labelled(std::string_view content, const std::string& file_name,
                                                    bool evaluation_only) {
  std::vector<LabelledComment> out;
  std::set<std::string> ids;
  // Column of each field; -1 when the header has none.
  int id = -1, lang = -1, sentiment = -1, themes = -1, suggestion = -1, text = -1, redacted = -1;
  std::size_t columns = 0;
  int number = 0;
  for (std::string_view line : split(content, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto where = [&](const std::string& what) {
      return fail(Error::invalid(file_name + ":" + std::to_string(number) + ": " + what));
    };
    auto fields = split(line, '\t');
    if (columns == 0) {
      static const std::vector<std::vector<std::string_view>> headers{
          {"id", "lang", "sentiment", "themes", "suggestion", "text", "redacted"},
          {"id", "lang", "sentiment", "themes", "text"},
          {"id", "lang", "sentiment", "text"}};
      if (evaluation_only ? fields != headers.front()
                          : std::find(headers.begin(), headers.end(), fields) == headers.end())
        return where(evaluation_only
                         ? "expected the header \"id<TAB>lang<TAB>sentiment<TAB>themes<TAB>suggestion<TAB>text<TAB>redacted\""
                         : "expected the header \"id<TAB>lang<TAB>sentiment<TAB>themes<TAB>suggestion<TAB>text<TAB>redacted\" "
                     "(evaluation) or \"id<TAB>lang<TAB>sentiment[<TAB>themes]<TAB>text\" (training)");
      for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string_view f = fields[i];
        int c = static_cast<int>(i);
        (f == "id" ? id : f == "lang" ? lang : f == "sentiment" ? sentiment : f == "themes" ? themes
         : f == "suggestion" ? suggestion : f == "text" ? text : redacted) = c;
      }
      columns = fields.size();
      continue;
    }
    if (fields.size() != columns)
      return where("expected " + std::to_string(columns) + " tab-separated fields, found " +
                   std::to_string(fields.size()));
    LabelledComment c;
    c.line = number;
    c.id = std::string(fields[id]);
    if (c.id.empty()) return where("id: empty");
    if (!ids.insert(c.id).second) return where("id: \"" + c.id + "\" appears twice");
    c.language = std::string(fields[lang]);
    if (c.language != "fi" && c.language != "sv" && c.language != "en" && c.language != "other")
      return where("lang: expected fi, sv, en or other, found \"" + c.language + "\"");
    auto s = domain::parse_sentiment(fields[sentiment]);
    if (!s) return where("sentiment: expected positive, neutral, negative or mixed, found \"" + std::string(fields[sentiment]) + "\"");
    c.sentiment = *s;
    c.themes_labelled = themes >= 0;
    c.from_evaluation = redacted >= 0;
    if (themes >= 0 && fields[themes] != "-") {
      for (std::string_view t : split(fields[themes], ',')) {
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        if (!valid_theme_id(t)) return where("themes: \"" + std::string(t) + "\" is not a theme id ([a-z0-9_]+)");
        c.themes.emplace_back(t);
      }
    }
    if (suggestion >= 0) {
      if (fields[suggestion] != "0" && fields[suggestion] != "1") return where("suggestion: expected 0 or 1");
      c.suggestion = fields[suggestion] == "1";
    }
    c.text = std::string(fields[text]);
    if (redacted >= 0) c.redacted = std::string(fields[redacted]);
    if (c.text.empty()) return where("text: empty");
    out.push_back(std::move(c));
  }
  if (columns == 0) return fail(Error::invalid(file_name + ": no header line"));
  return out;
}

}  // namespace

Result<std::vector<LabelledComment>> parse_labelled_file(std::string_view content, const std::string& file_name) {
  return parse_labelled(content, file_name, false);
}

Result<std::vector<LabelledComment>> parse_evaluation_file(std::string_view content, const std::string& file_name) {
  return parse_labelled(content, file_name, true);
}

void score_redaction(std::string_view predicted, std::string_view expected, std::map<std::string, Counts>& counts) {
  auto pt = words(predicted), et = words(expected);
  auto match = align(pt, et);
  std::vector<bool> exp_hit(et.size(), false);
  for (std::size_t i = 0; i < pt.size(); ++i) {
    auto ks = kinds_in(pt[i]);
    if (ks.empty()) continue;
    bool ok = match[i] >= 0;
    if (ok && i > 0) ok = match[i - 1] == match[i] - 1;
    if (ok && i + 1 < pt.size()) ok = match[i + 1] == match[i] + 1;
    if (ok && i == 0) ok = match[i] == 0;
    if (ok && i + 1 == pt.size()) ok = match[i] + 1 == static_cast<int>(et.size());
    for (const auto& k : ks) (ok ? counts[k].tp : counts[k].fp)++;
    if (ok) exp_hit[static_cast<std::size_t>(match[i])] = true;
  }
  for (std::size_t j = 0; j < et.size(); ++j)
    if (!exp_hit[j])
      for (const auto& k : kinds_in(et[j])) counts[k].fn++;
}

void EvaluationScores::add(const LabelledComment& gold, const Analysis& predicted) {
  ++comments_;
  // A training file has no redacted text or suggestion label, maybe no themes: those
  // are not scored for it.
  if (gold.from_evaluation) {
    std::map<std::string, Counts> pii;
    score_redaction(predicted.redacted.text, gold.redacted, pii);
    for (const auto& [k, c] : pii) pii_[k] += c;
    if (predicted.redacted.text == gold.redacted) {
      ++exact_;
    } else {
      errors_.push_back(gold.id + ": redacted \"" + predicted.redacted.text + "\", expected \"" + gold.redacted + "\"");
    }
  }
  std::string lang(language_code(predicted.language));
  if (lang == gold.language) ++language_right_;
  else errors_.push_back(gold.id + ": language " + gold.language + ", got " + lang);

  confusion_[static_cast<int>(gold.sentiment)][static_cast<int>(predicted.sentiment)]++;
  if (gold.sentiment != predicted.sentiment)
    errors_.push_back(gold.id + ": sentiment " + std::string(domain::sentiment_name(gold.sentiment)) + ", got " +
                      std::string(domain::sentiment_name(predicted.sentiment)) + " (+" +
                      std::to_string(predicted.positive) + " -" + std::to_string(predicted.negative) + ")");

  if (gold.themes_labelled) {
    std::set<std::string> g(gold.themes.begin(), gold.themes.end()), p(predicted.themes.begin(), predicted.themes.end());
    for (const auto& t : g) (p.count(t) ? themes_[t].tp : themes_[t].fn)++;
    for (const auto& t : p)
      if (!g.count(t)) themes_[t].fp++;
    if (g != p) errors_.push_back(gold.id + ": themes " + join(gold.themes) + ", got " + join(predicted.themes));
  }

  if (!gold.from_evaluation) return;
  if (gold.suggestion && predicted.suggestion) suggestion_.tp++;
  if (!gold.suggestion && predicted.suggestion) suggestion_.fp++;
  if (gold.suggestion && !predicted.suggestion) suggestion_.fn++;
  if (gold.suggestion != predicted.suggestion)
    errors_.push_back(gold.id + ": suggestion " + (gold.suggestion ? "1" : "0") + ", got " +
                      (predicted.suggestion ? "1" : "0"));
}

void EvaluationScores::combine(const EvaluationScores& o) {
  comments_ += o.comments_;
  exact_ += o.exact_;
  language_right_ += o.language_right_;
  for (const auto& [k, c] : o.pii_) pii_[k] += c;
  for (const auto& [k, c] : o.themes_) themes_[k] += c;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) confusion_[i][j] += o.confusion_[i][j];
  suggestion_ += o.suggestion_;
  errors_.insert(errors_.end(), o.errors_.begin(), o.errors_.end());
}

double EvaluationScores::pii_recall() const {
  Counts sum;
  for (const char* k : {"hetu", "puhelin", "email"}) {
    auto it = pii_.find(k);
    if (it != pii_.end()) sum += it->second;
  }
  return sum.recall();
}

double EvaluationScores::name_recall() const {
  auto it = pii_.find("nimi");
  return it == pii_.end() ? 1.0 : it->second.recall();
}

double EvaluationScores::language_accuracy() const { return ratio(language_right_, comments_); }

double EvaluationScores::sentiment_macro_f1() const { return macro_f1(confusion_); }

double macro_f1(const SentimentConfusion& confusion_) {
  double sum = 0;
  int classes = 0;
  for (int c = 0; c < 4; ++c) {
    Counts k;
    for (int o = 0; o < 4; ++o) {
      if (o == c) k.tp += confusion_[c][c];
      else {
        k.fn += confusion_[c][o];
        k.fp += confusion_[o][c];
      }
    }
    if (k.tp + k.fn + k.fp == 0) continue;
    sum += k.f1();
    ++classes;
  }
  return classes == 0 ? 1.0 : sum / classes;
}

Counts EvaluationScores::theme_micro() const {
  Counts sum;
  for (const auto& [k, c] : themes_) sum += c;
  return sum;
}

std::string EvaluationScores::report(bool with_errors) const {
  std::ostringstream out;
  char buf[256];
  out << "comments: " << comments_ << ", redacted exactly as labelled: " << exact_ << "\n\n";
  out << "redaction   kind      tp    fp    fn  precision  recall\n";
  for (const char* k : kKinds) {
    auto it = pii_.find(k);
    Counts c = it == pii_.end() ? Counts{} : it->second;
    std::snprintf(buf, sizeof buf, "            %-8s %4lld  %4lld  %4lld  %9.3f  %6.3f\n", k,
                  static_cast<long long>(c.tp), static_cast<long long>(c.fp), static_cast<long long>(c.fn),
                  c.precision(), c.recall());
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "pii recall (hetu+puhelin+email): %.3f, name recall: %.3f\n\n", pii_recall(),
                name_recall());
  out << buf;
  std::snprintf(buf, sizeof buf, "language accuracy: %.3f\n\n", language_accuracy());
  out << buf;
  out << "sentiment (rows gold, columns predicted)\n            positive  neutral negative    mixed\n";
  for (int g = 0; g < 4; ++g) {
    std::snprintf(buf, sizeof buf, "%-10s %9lld %8lld %8lld %8lld\n",
                  std::string(domain::sentiment_name(static_cast<domain::Sentiment>(g))).c_str(),
                  static_cast<long long>(confusion_[g][0]), static_cast<long long>(confusion_[g][1]),
                  static_cast<long long>(confusion_[g][2]), static_cast<long long>(confusion_[g][3]));
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "sentiment macro-F1: %.3f\n\n", sentiment_macro_f1());
  out << buf;
  out << "themes                  tp    fp    fn  precision  recall     F1\n";
  for (const auto& [k, c] : themes_) {
    std::snprintf(buf, sizeof buf, "%-20s %5lld %5lld %5lld  %9.3f  %6.3f  %5.3f\n", k.c_str(),
                  static_cast<long long>(c.tp), static_cast<long long>(c.fp), static_cast<long long>(c.fn),
                  c.precision(), c.recall(), c.f1());
    out << buf;
  }
  Counts m = theme_micro();
  std::snprintf(buf, sizeof buf, "theme micro          %5lld %5lld %5lld  %9.3f  %6.3f  %5.3f\n\n",
                static_cast<long long>(m.tp), static_cast<long long>(m.fp), static_cast<long long>(m.fn),
                m.precision(), m.recall(), m.f1());
  out << buf;
  std::snprintf(buf, sizeof buf, "suggestions: tp %lld fp %lld fn %lld, precision %.3f, recall %.3f, F1 %.3f\n",
                static_cast<long long>(suggestion_.tp), static_cast<long long>(suggestion_.fp),
                static_cast<long long>(suggestion_.fn), suggestion_.precision(), suggestion_.recall(),
                suggestion_.f1());
  out << buf;
  if (with_errors && !errors_.empty()) {
    out << "\nwhat went wrong (" << errors_.size() << "):\n";
    for (const auto& e : errors_) out << "  " << e << "\n";
  }
  return out.str();
}

}  // namespace kaiku::text
