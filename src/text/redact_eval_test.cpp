// Per-kind precision and recall of redact() over the hand-labelled evaluation set
// tests/data/redaction/eval.tsv (original<TAB>expected redacted text).
//
// Scoring (text::score_redaction): both texts are split on whitespace; the predicted and expected token
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

#include "text/evaluation.hpp"
#include "text/language.hpp"
#include "text/redact.hpp"
#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

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
    // As text::Analyzer does: the comment's language from the raw text.
    options.language = identify_language(original);
    Redacted r = redact(original, options);
    ASSERT_TRUE(r.valid_utf8) << original;
    ++lines;
    if (r.text == expected) ++exact;
    else std::printf("MISMATCH\n  got:      %s\n  expected: %s\n", r.text.c_str(), expected.c_str());
    score_redaction(r.text, expected, counts);
  }
  ASSERT_GE(lines, 150);
  std::printf("redaction eval: %d comments, %d redacted exactly as labelled\n", lines, exact);
  std::printf("%-8s %5s %5s %5s %9s %7s\n", "kind", "tp", "fp", "fn", "precision", "recall");
  for (const char* k : {"hetu", "puhelin", "email", "iban", "osoite", "nimi"}) {
    const Counts& c = counts[k];
    double p = c.precision();
    double r = c.recall();
    std::printf("%-8s %5lld %5lld %5lld %9.3f %7.3f\n", k, static_cast<long long>(c.tp),
                static_cast<long long>(c.fp), static_cast<long long>(c.fn), p, r);
    EXPECT_GT(c.tp + c.fn, 5) << k << ": too few labelled examples";
    bool name = std::string(k) == "nimi";
    EXPECT_GE(p, name ? 0.85 : 0.9) << k << " precision";
    double floor = name ? 0.8 : (std::string(k) == "puhelin" || std::string(k) == "osoite") ? 0.9 : 0.95;
    EXPECT_GE(r, floor) << k << " recall";
  }
}

}  // namespace
}  // namespace kaiku::text
