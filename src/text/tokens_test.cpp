// Tokeniser, lower-casing, Snowball stems and Finnish lemma keys (Voikko).
#include "text/tokens.hpp"
#include "text/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

const Voikko* voikko() { return testing::shared_voikko(); }

bool has_key(const Token& t, std::string_view k) {
  return std::find(t.keys.begin(), t.keys.end(), k) != t.keys.end();
}

std::vector<std::string> surfaces(const std::vector<Token>& ts) {
  std::vector<std::string> out;
  for (const Token& t : ts) out.push_back(t.surface);
  return out;
}

TEST(ToLowerTest, AsciiLatin1AndBeyond) {
  EXPECT_EQ(to_lower("HELLO World"), "hello world");
  EXPECT_EQ(to_lower("ÄITI ÖLJY ÅLAND É"), "äiti öljy åland é");
  EXPECT_EQ(to_lower("Jonossa"), "jonossa");
  EXPECT_EQ(to_lower("×"), "×");           // U+00D7 is not a letter: unchanged
  EXPECT_EQ(to_lower("ŠAKKI ΣΟΦΙΑ"), "šakki σοφια");
  EXPECT_EQ(to_lower(""), "");
}

TEST(ToLowerTest, InvalidBytesAreKept) {
  std::string s = "AB\xFF" "CĐ";
  EXPECT_EQ(to_lower(s), "ab\xFF" "cđ");
  std::string t = "\xC3";  // truncated sequence
  EXPECT_EQ(to_lower(t), "\xC3");
}

TEST(SnowballTest, Stems) {
  EXPECT_EQ(snowball_stem(Language::sv, "väntetiden"), "väntetid");
  EXPECT_EQ(snowball_stem(Language::en, "waited"), "wait");
  EXPECT_EQ(snowball_stem(Language::en, "waiting"), "wait");
  EXPECT_EQ(snowball_stem(Language::fi, "jonossa"), "jono");
  EXPECT_EQ(snowball_stem(Language::other, "Whatever"), "Whatever");
}

TEST(SnowballTest, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&ok, k] {
      for (int i = 0; i < 500; ++i)
        if (snowball_stem(Language::en, "waiting") == "wait" && snowball_stem(Language::sv, "tiden") == "tid")
          ++ok[k];
    });
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(ok[k], 500);
}

TEST(StemKeysTest, SwedishEndings) {
  auto k = stem_keys(Language::sv, "telefonkön");
  EXPECT_NE(std::find(k.begin(), k.end(), "telefonkö"), k.end());
  k = stem_keys(Language::sv, "köerna");
  EXPECT_NE(std::find(k.begin(), k.end(), "kö"), k.end());
  // Neuter -t after a consonant: the stem without it.
  k = stem_keys(Language::sv, "professionellt");
  EXPECT_NE(std::find(k.begin(), k.end(), "professionell"), k.end());
  k = stem_keys(Language::sv, "noggrant");
  EXPECT_NE(std::find(k.begin(), k.end(), snowball_stem(Language::sv, "noggrann")), k.end());
  k = stem_keys(Language::sv, "bokat");  // a vowel before -t: no extra key
  EXPECT_EQ(std::find(k.begin(), k.end(), "boka"), k.end());
  k = stem_keys(Language::en, "queues");
  EXPECT_NE(std::find(k.begin(), k.end(), "queue"), k.end());
  EXPECT_EQ(stem_keys(Language::fi, "jonossa"), std::vector<std::string>{"jonossa"});
}

TEST(TokenizeTest, WordsBoundariesAndPlaceholders) {
  Lemmatizer lem(nullptr);
  auto ts = lem.tokenize("Anna-Liisa soitti [puhelin]:ään, mutta ei vastannut. Klo 10.30 (ehkä) O'Brien", Language::other);
  EXPECT_EQ(surfaces(ts), (std::vector<std::string>{"Anna-Liisa", "soitti", "[puhelin]", "mutta", "ei", "vastannut",
                                                    "Klo", "10.30", "ehkä", "O'Brien"}));
  ASSERT_EQ(ts.size(), 10u);
  EXPECT_EQ(ts[0].boundary, Boundary::sentence);
  EXPECT_EQ(ts[1].boundary, Boundary::none);
  EXPECT_TRUE(ts[2].placeholder);
  EXPECT_TRUE(ts[2].keys.empty());
  EXPECT_EQ(ts[3].boundary, Boundary::comma);
  EXPECT_EQ(ts[6].boundary, Boundary::sentence);
  EXPECT_TRUE(ts[7].number);
  EXPECT_EQ(ts[8].boundary, Boundary::comma);
  EXPECT_EQ(ts[9].boundary, Boundary::comma);
  EXPECT_EQ(ts[0].lower, "anna-liisa");
  // Byte ranges point into the text.
  std::string_view text = "Äiti – hyvä!\nKyllä";
  ts = lem.tokenize(text, Language::other);
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_EQ(text.substr(ts[0].begin, ts[0].end - ts[0].begin), "Äiti");
  EXPECT_EQ(ts[1].boundary, Boundary::comma);
  EXPECT_EQ(ts[2].boundary, Boundary::sentence);
  EXPECT_EQ(ts[0].keys, std::vector<std::string>{"äiti"});
  // A hyphen ending a truncated compound is not a dash.
  ts = lem.tokenize("sosiaali- ja terveyspalvelut - hyvät", Language::other);
  ASSERT_EQ(ts.size(), 4u);
  EXPECT_EQ(ts[1].boundary, Boundary::none);
  EXPECT_EQ(ts[3].boundary, Boundary::comma);
}

TEST(TokenizeTest, UnknownPlaceholderAndOddInput) {
  Lemmatizer lem(nullptr);
  auto ts = lem.tokenize("[sic] [nimi] -- [x", Language::other);
  EXPECT_EQ(surfaces(ts), (std::vector<std::string>{"sic", "[nimi]", "x"}));
  EXPECT_FALSE(ts[0].placeholder);
  EXPECT_TRUE(ts[1].placeholder);
  EXPECT_TRUE(lem.tokenize("", Language::fi).empty());
  EXPECT_TRUE(lem.tokenize(" ...!? ", Language::fi).empty());
  std::string bad = "hyv\xFF\xFE" "ä";
  ts = lem.tokenize(bad, Language::other);
  EXPECT_EQ(ts.size(), 2u);
}

TEST(LemmaTest, FinnishBaseFormsAndCompoundParts) {
  ASSERT_NE(voikko(), nullptr);
  Lemmatizer lem(voikko());
  auto ts = lem.tokenize("Puhelinjonossa odotusajat parkkipaikoille Terveyskeskuslääkärille ajanvaraus", Language::fi);
  ASSERT_EQ(ts.size(), 5u);
  EXPECT_TRUE(ts[0].known);
  EXPECT_TRUE(has_key(ts[0], "puhelinjono"));
  EXPECT_TRUE(has_key(ts[0], "puhelin"));
  EXPECT_TRUE(has_key(ts[0], "jono"));
  EXPECT_TRUE(has_key(ts[1], "odotusaika"));
  EXPECT_TRUE(has_key(ts[1], "odotus"));
  EXPECT_TRUE(has_key(ts[1], "aika"));
  EXPECT_FALSE(has_key(ts[1], "ajat"));
  EXPECT_TRUE(has_key(ts[2], "parkkipaikka"));
  EXPECT_TRUE(has_key(ts[2], "paikka"));
  EXPECT_TRUE(has_key(ts[3], "terveyskeskuslääkäri"));
  EXPECT_TRUE(has_key(ts[3], "terveyskeskus"));
  EXPECT_TRUE(has_key(ts[3], "keskuslääkäri"));
  EXPECT_TRUE(has_key(ts[3], "lääkäri"));
  EXPECT_TRUE(has_key(ts[4], "ajanvaraus"));
  EXPECT_TRUE(has_key(ts[4], "varaus"));
  EXPECT_TRUE(has_key(ts[4], "aika"));  // the genitive part "ajan" via WORDBASES
}

TEST(LemmaTest, ParticiplesAlsoGiveTheirVerb) {
  ASSERT_NE(voikko(), nullptr);
  Lemmatizer lem(voikko());
  // Voikko gives participles as their own base forms; WORDBASES names the verb.
  auto ts = lem.tokenize("odottanut kuunneltu otettu tehty odottava hoitaja auttavainen kultaisia", Language::fi);
  ASSERT_EQ(ts.size(), 8u);
  EXPECT_TRUE(has_key(ts[0], "odottanut"));
  EXPECT_TRUE(has_key(ts[0], "odottaa"));
  EXPECT_TRUE(has_key(ts[1], "kuunneltu"));
  EXPECT_TRUE(has_key(ts[1], "kuunnella"));
  EXPECT_TRUE(has_key(ts[2], "ottaa"));
  EXPECT_TRUE(has_key(ts[3], "tehdä"));
  EXPECT_TRUE(has_key(ts[4], "odottava"));
  EXPECT_TRUE(has_key(ts[4], "odottaa"));
  // Derivations are not participles: "hoitaja" is not "hoitaa", "auttavainen" not "auttaa".
  EXPECT_FALSE(has_key(ts[5], "hoitaa"));
  EXPECT_FALSE(has_key(ts[6], "auttaa"));
  EXPECT_EQ(ts[7].keys.front(), "kultainen");
}

TEST(LemmaTest, HyphenCompoundsAndUnknownWords) {
  Lemmatizer lem(voikko());
  auto ts = lem.tokenize("sote-keskuksessa kela-kortti takaisinsoittoa", Language::fi);
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_TRUE(has_key(ts[0], "sote-keskus"));
  EXPECT_TRUE(has_key(ts[0], "sote"));
  EXPECT_TRUE(has_key(ts[0], "keskus"));
  EXPECT_FALSE(ts[1].known);  // Voikko does not know kela-kortti: its parts are analysed
  EXPECT_TRUE(has_key(ts[1], "kela-kortti"));
  EXPECT_TRUE(has_key(ts[1], "kortti"));
  EXPECT_FALSE(ts[2].known);
  EXPECT_TRUE(has_key(ts[2], "takaisinsoittoa"));
  EXPECT_TRUE(has_key(ts[2], "takaisinsoito"));  // Finnish Snowball stem
}

TEST(LemmaTest, LongAndManyPartWordsAreBounded) {
  Lemmatizer lem(voikko());
  // An unknown hyphenated word gives the keys of its first 8 parts only.
  const std::string word = "kela-kortti-jono-talo-auto-kissa-koira-lintu-kala-puu";
  for (int round = 0; round < 2; ++round) {  // the second time the same (not cached: > 64 bytes)
    auto ts = lem.tokenize(word, Language::fi);
    ASSERT_EQ(ts.size(), 1u);
    EXPECT_TRUE(has_key(ts[0], word));
    EXPECT_TRUE(has_key(ts[0], "kortti"));
    EXPECT_TRUE(has_key(ts[0], "lintu"));  // the 8th part
    EXPECT_FALSE(has_key(ts[0], "puu"));   // the 10th
  }
  // A word far longer than any real one: analysed each time, same keys, bounded count.
  std::string huge;
  for (int k = 0; k < 5'000; ++k) huge += "a" + std::to_string(k) + "-";
  huge += "b";
  auto a = lem.tokenize(huge, Language::fi);
  auto b = lem.tokenize(huge, Language::fi);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].keys, b[0].keys);
  EXPECT_LE(a[0].keys.size(), 64u);
  EXPECT_TRUE(has_key(a[0], to_lower(huge)));
}

TEST(LemmaTest, NegationAndConditional) {
  Lemmatizer lem(voikko());
  auto ts = lem.tokenize("Ei ollut hyvä, en tiedä. Voisi olla parempi, toivoisin että älkää", Language::fi);
  ASSERT_EQ(ts.size(), 11u);
  EXPECT_TRUE(ts[0].negation_verb);
  EXPECT_FALSE(ts[1].negation_verb);
  EXPECT_TRUE(ts[3].negation_verb);
  EXPECT_TRUE(ts[5].conditional);
  EXPECT_TRUE(has_key(ts[5], "voida"));
  EXPECT_FALSE(ts[6].conditional);
  EXPECT_TRUE(ts[8].conditional);
  EXPECT_TRUE(has_key(ts[8], "toivoa"));
  EXPECT_TRUE(ts[10].negation_verb);
  // Without Voikko: lower form and stem only, no flags.
  Lemmatizer bare(nullptr);
  ts = bare.tokenize("Ei jonossa", Language::fi);
  EXPECT_FALSE(ts[0].negation_verb);
  EXPECT_TRUE(has_key(ts[1], "jonossa"));
  EXPECT_TRUE(has_key(ts[1], "jono"));
}

TEST(LemmaTest, SwedishAndEnglishStems) {
  Lemmatizer lem(voikko());
  auto ts = lem.tokenize("Väntetiden i telefonkön", Language::sv);
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_TRUE(has_key(ts[0], "väntetid"));
  EXPECT_TRUE(has_key(ts[2], "telefonkö"));
  EXPECT_FALSE(ts[0].known);
  ts = lem.tokenize("We waited for ages", Language::en);
  EXPECT_TRUE(has_key(ts[1], "wait"));
}

TEST(LemmaTest, CacheGivesSameAnswersAcrossThreads) {
  Lemmatizer lem(voikko());
  const std::string text = "Puhelinjonossa jonotin tunnin, eikä kukaan vastannut. Hoitaja oli ystävällinen.";
  auto expected = lem.tokenize(text, Language::fi);
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 50; ++i) {
        auto got = lem.tokenize(text, Language::fi);
        bool eq = got.size() == expected.size();
        for (std::size_t j = 0; eq && j < got.size(); ++j)
          eq = got[j].keys == expected[j].keys && got[j].negation_verb == expected[j].negation_verb;
        same[k] += eq;
      }
    });
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(same[k], 50);
  EXPECT_TRUE(expected[3].negation_verb);  // "eikä"
}

}  // namespace
}  // namespace kaiku::text

namespace kaiku::text {
namespace {

TEST(VoikkoCacheTest, CachedReadingsEqualFreshOnesAcrossThreads) {
  ASSERT_NE(voikko(), nullptr);
  auto first = voikko()->analyze("puhelinjonossa");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].baseform, "puhelinjono");
  EXPECT_EQ(first[0].structure, "=ppppppp=ppppppp");
  EXPECT_EQ(first[0].wordbases, "+puhelin(puhelin)+jono(jono)");
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 100; ++i) {
        auto r = voikko()->analyze(i % 2 ? "puhelinjonossa" : "voisi");
        same[k] += i % 2 ? (r.size() == 1 && r[0].baseform == "puhelinjono")
                         : (r.size() == 2 && r[0].mood == "conditional");
      }
    });
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(same[k], 100);
}

}  // namespace
}  // namespace kaiku::text
