// The whole analysis of a comment: redaction, language, themes, tone, suggestions.
#include "text/analyzer.hpp"
#include "text/test_support.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

const Voikko* voikko() { return testing::shared_voikko(); }

domain::Theme theme(std::string id, std::vector<std::string> fi, std::vector<std::string> sv,
                    std::vector<std::string> en) {
  domain::Theme t;
  t.id = std::move(id);
  t.fi = std::move(fi);
  t.sv = std::move(sv);
  t.en = std::move(en);
  return t;
}

// A small taxonomy in the shape of models/demo/themes.yaml.
std::vector<domain::Theme> taxonomy() {
  return {
      theme("access_waiting", {"jono", "odottaa", "odotusaika"}, {"kö", "vänta", "väntetid"}, {"queue", "wait"}),
      theme("phone_callback", {"puhelin", "takaisinsoitto", "soittaa takaisin"}, {"telefon*", "ring tillbaka"},
            {"phone", "call back"}),
      theme("booking", {"ajanvaraus", "varata", "peruuttaa"}, {"tidsbokning", "boka"}, {"appointment", "book"}),
      theme("staff_kindness", {"ystävällinen", "tyly", "kohdella"}, {"vänlig", "bemötande"}, {"kind", "rude"}),
      theme("signage_parking", {"parkkipaikka", "pysäköinti", "opaste"}, {"parkering*", "skylt"},
            {"parking", "signs*"}),
  };
}

// Null (and a failure) when the analyzer cannot be created.
const Analyzer* shared_analyzer() {
  static std::unique_ptr<Analyzer> a = [] {
    auto r = Analyzer::create(taxonomy(), voikko());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : nullptr;
  }();
  return a.get();
}

#define WITH_ANALYZER()                 \
  ASSERT_NE(shared_analyzer(), nullptr); \
  const Analyzer& analyzer_ref = *shared_analyzer()

using Ids = std::vector<std::string>;

TEST(AnalyzerTest, FinnishComplaintWithPersonalData) {
  WITH_ANALYZER();
  Analysis a = analyzer_ref.analyze(
      "Jonotin puhelinjonossa tunnin eikä kukaan soittanut takaisin. Numeroni on 040-1234567 ja hetu 131052-308T.");
  EXPECT_TRUE(a.redacted.valid_utf8);
  EXPECT_EQ(a.redacted.text,
            "Jonotin puhelinjonossa tunnin eikä kukaan soittanut takaisin. Numeroni on [puhelin] ja hetu [hetu].");
  EXPECT_EQ(a.language, Language::fi);
  EXPECT_EQ(a.themes, (Ids{"access_waiting", "phone_callback"}));
  domain::CommentInsight in = a.insight("q_open");
  EXPECT_EQ(in.question_key, "q_open");
  EXPECT_EQ(in.language, "fi");
  EXPECT_EQ(in.themes, a.themes);
  EXPECT_EQ(in.placeholders, (Ids{"puhelin", "hetu"}));
  EXPECT_EQ(in.sentiment, a.sentiment);
  EXPECT_EQ(in.suggestion, a.suggestion);
}

TEST(AnalyzerTest, ThemesInEachLanguage) {
  WITH_ANALYZER();
  EXPECT_EQ(analyzer_ref.analyze("Hoitaja oli todella ystävällinen, mutta parkkipaikkoja ei löytynyt.").themes,
            (Ids{"staff_kindness", "signage_parking"}));
  Analysis sv = analyzer_ref.analyze("Väntetiden i telefonkön var lång och parkeringen var full.");
  EXPECT_EQ(sv.language, Language::sv);
  EXPECT_EQ(sv.themes, (Ids{"access_waiting", "phone_callback", "signage_parking"}));
  Analysis en = analyzer_ref.analyze("We waited two hours and the receptionist was rude.");
  EXPECT_EQ(en.language, Language::en);
  EXPECT_EQ(en.themes, (Ids{"access_waiting", "staff_kindness"}));
}

TEST(AnalyzerTest, SentimentAndSuggestionAreFilledIn) {
  WITH_ANALYZER();
  Analysis pos = analyzer_ref.analyze("Kiitos, hoitaja oli todella ystävällinen ja palvelu erinomaista!");
  EXPECT_EQ(pos.sentiment, domain::Sentiment::positive);
  EXPECT_GT(pos.positive, 0);
  Analysis neg = analyzer_ref.analyze("Palvelu ei ollut hyvää, odotin kaksi tuntia ja lääkäri oli tyly.");
  EXPECT_EQ(neg.sentiment, domain::Sentiment::negative);
  EXPECT_GT(neg.negative, 0);
  EXPECT_TRUE(analyzer_ref.analyze("Ajanvarausta voisi parantaa, toivoisin takaisinsoittoa.").suggestion);
  EXPECT_FALSE(analyzer_ref.analyze("Sain ajan nopeasti.").suggestion);
  EXPECT_TRUE(analyzer_ref.analyze("Ni borde ha fler parkeringsplatser.").suggestion);
}

TEST(AnalyzerTest, StaffNamesFollowTheOptionAndVoikkoIsTheAnalyzers) {
  WITH_ANALYZER();
  RedactOptions keep;
  keep.redact_staff_names = false;
  keep.voikko = nullptr;  // replaced by the analyzer's own
  Analysis a = analyzer_ref.analyze("Kiitos hoitaja Virtaselle ja terveisiä Liisalle!", keep);
  EXPECT_EQ(a.redacted.text, "Kiitos hoitaja Virtaselle ja terveisiä [nimi]!");
  Analysis b = analyzer_ref.analyze("Kiitos hoitaja Virtaselle ja terveisiä Liisalle!");
  EXPECT_EQ(b.redacted.text, "Kiitos hoitaja [nimi] ja terveisiä [nimi]!");
  EXPECT_EQ(b.insight("q").placeholders, (Ids{"nimi", "nimi"}));
}

TEST(AnalyzerTest, ThemesAreMatchedOnTheRedactedText) {
  WITH_ANALYZER();
  // An e-mail address that contains a theme word does not give the theme.
  Analysis a = analyzer_ref.analyze("Kirjoita osoitteeseen jono.parkkipaikka@example.fi");
  EXPECT_EQ(a.redacted.text, "Kirjoita osoitteeseen [email]");
  EXPECT_TRUE(a.themes.empty());
}

TEST(AnalyzerTest, InvalidUtf8AndEmptyText) {
  WITH_ANALYZER();
  Analysis bad = analyzer_ref.analyze("jono\xFF");
  EXPECT_FALSE(bad.redacted.valid_utf8);
  EXPECT_TRUE(bad.redacted.text.empty());
  EXPECT_TRUE(bad.themes.empty());
  EXPECT_FALSE(bad.suggestion);
  EXPECT_EQ(bad.sentiment, domain::Sentiment::neutral);
  Analysis empty = analyzer_ref.analyze("");
  EXPECT_TRUE(empty.redacted.valid_utf8);
  EXPECT_EQ(empty.language, Language::other);
  EXPECT_TRUE(empty.themes.empty());
  EXPECT_EQ(empty.sentiment, domain::Sentiment::neutral);
}

TEST(AnalyzerTest, BadThemeTermIsAnError) {
  auto r = Analyzer::create({theme("a", {"jono", "*"}, {}, {})}, voikko());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("themes[0] (a).fi[1]"), std::string::npos) << r.error().message;
}

TEST(AnalyzerTest, WithoutVoikkoFinnishIsMatchedOnStems) {
  auto r = Analyzer::create(taxonomy(), nullptr);
  ASSERT_TRUE(r.has_value());
  Analysis a = (*r)->analyze("Jonossa meni kauan.");
  EXPECT_EQ(a.themes, (Ids{"access_waiting"}));
}

TEST(AnalyzerTest, SameResultsFromManyThreads) {
  WITH_ANALYZER();
  const std::vector<std::string> texts = {
      "Jonotin puhelinjonossa tunnin.", "Väntetiden var lång.", "The nurse was kind.",
      "Parkkipaikkoja ei ole tarpeeksi, opasteet puuttuvat.", "Ajanvaraus peruttiin kahdesti."};
  std::vector<Analysis> expected;
  for (const auto& t : texts) expected.push_back(analyzer_ref.analyze(t));
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 40; ++i) {
        const auto& t = texts[static_cast<std::size_t>(i + k) % texts.size()];
        const auto& e = expected[static_cast<std::size_t>(i + k) % texts.size()];
        Analysis a = analyzer_ref.analyze(t);
        same[k] += a.themes == e.themes && a.sentiment == e.sentiment && a.redacted.text == e.redacted.text &&
                   a.language == e.language && a.suggestion == e.suggestion;
      }
    });
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(same[k], 40);
}

}  // namespace
}  // namespace kaiku::text
