// Per-kind precision and recall of redact() over the hand-labelled evaluation set
// tests/data/redaction/eval.tsv (original<TAB>expected redacted text).
//
// Scoring: both texts are split on whitespace; the predicted and expected token
// sequences are aligned by longest common subsequence. A predicted placeholder token
// (e.g. "[puhelin]:ään") counts as a true positive when it is aligned with the same
// expected token and its neighbouring tokens are aligned too, so a finding that eats
// a word too many or leaves a digit group behind is both a false positive and a
// false negative. Unaligned expected placeholders are false negatives.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "text/redact.hpp"
#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

std::vector<std::string> tokens(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> t;
  for (std::string w; in >> w;) t.push_back(w);
  return t;
}

// Placeholder kinds inside a token: "[hetu],"  -> {"hetu"}.
std::vector<std::string> kinds_in(const std::string& tok) {
  std::vector<std::string> k;
  for (const char* name : {"hetu", "puhelin", "email", "iban", "osoite", "nimi"}) {
    std::string ph = std::string("[") + name + "]";
    for (std::size_t p = tok.find(ph); p != std::string::npos; p = tok.find(ph, p + 1)) k.push_back(name);
  }
  return k;
}

struct Counts {
  int tp = 0, fp = 0, fn = 0;
};

// matched_pred[i] = index in expected aligned with predicted token i, or -1.
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

TEST(RedactEvalTest, PrecisionAndRecallPerKind) {
  const char* root = std::getenv("KAIKU_SOURCE_DIR");
  std::string path = std::string(root ? root : KAIKU_SOURCE_DIR) + "/tests/data/redaction/eval.tsv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  std::string voikko_error;
  std::unique_ptr<Voikko> voikko = Voikko::open(&voikko_error);
  ASSERT_NE(voikko, nullptr) << voikko_error;
  RedactOptions options;
  options.voikko = voikko.get();
  std::map<std::string, Counts> counts;
  int lines = 0, exact = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << "no tab in: " << line;
    std::string original = line.substr(0, tab), expected = line.substr(tab + 1);
    Redacted r = redact(original, options);
    ASSERT_TRUE(r.valid_utf8) << original;
    ++lines;
    if (r.text == expected) ++exact;
    else std::printf("MISMATCH\n  got:      %s\n  expected: %s\n", r.text.c_str(), expected.c_str());
    auto pt = tokens(r.text), et = tokens(expected);
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
  ASSERT_GE(lines, 150);
  std::printf("redaction eval: %d comments, %d redacted exactly as labelled\n", lines, exact);
  std::printf("%-8s %5s %5s %5s %9s %7s\n", "kind", "tp", "fp", "fn", "precision", "recall");
  for (const char* k : {"hetu", "puhelin", "email", "iban", "osoite", "nimi"}) {
    const Counts& c = counts[k];
    double p = c.tp + c.fp ? static_cast<double>(c.tp) / (c.tp + c.fp) : 1.0;
    double r = c.tp + c.fn ? static_cast<double>(c.tp) / (c.tp + c.fn) : 1.0;
    std::printf("%-8s %5d %5d %5d %9.3f %7.3f\n", k, c.tp, c.fp, c.fn, p, r);
    EXPECT_GT(c.tp + c.fn, 5) << k << ": too few labelled examples";
    bool name = std::string(k) == "nimi";
    EXPECT_GE(p, name ? 0.85 : 0.9) << k << " precision";
    double floor = name ? 0.8 : (std::string(k) == "puhelin" || std::string(k) == "osoite") ? 0.9 : 0.95;
    EXPECT_GE(r, floor) << k << " recall";
  }
}

}  // namespace
}  // namespace kaiku::text
