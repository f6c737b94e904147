// Hostile input through the whole Analyzer: huge repetitive, hyphenated, punctuated,
// placeholder-filled and random comments. Asserts only that a sane result comes back;
// every pass is linear (or bounded) by construction, so the test is quick even under
// ASan. No timing assertions.
#include "text/analyzer.hpp"
#include "text/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

const Voikko* voikko() { return testing::shared_voikko(); }

const Analyzer* analyzer() {
  static std::unique_ptr<Analyzer> a = [] {
    domain::Theme t;
    t.id = "access_waiting";
    t.fi = {"jono", "odottaa"};
    t.sv = {"kö"};
    t.en = {"queue"};
    auto r = Analyzer::create({t}, voikko());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : nullptr;
  }();
  return a.get();
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string s;
  s.reserve(unit.size() * times);
  for (std::size_t k = 0; k < times; ++k) s.append(unit);
  return s;
}

constexpr std::size_t kMegabyte = 1 << 20;

// Analyses `text` and checks the result is well-formed; returns it.
Analysis check(const std::string& text) {
  Analysis a = analyzer()->analyze(text);
  if (!a.redacted.valid_utf8) {
    EXPECT_FALSE(a.redacted.error.empty());
    return a;
  }
  using domain::Sentiment;
  EXPECT_TRUE(a.sentiment == Sentiment::positive || a.sentiment == Sentiment::negative ||
              a.sentiment == Sentiment::neutral || a.sentiment == Sentiment::mixed);
  EXPECT_GE(a.positive, 0.0);
  EXPECT_GE(a.negative, 0.0);
  EXPECT_LE(a.themes.size(), 1u);
  domain::CommentInsight insight = a.insight("q");
  EXPECT_FALSE(insight.language.empty());
  return a;
}

TEST(HostileInputTest, OneMegabyteOfContrastWords) {
  ASSERT_NE(analyzer(), nullptr);
  Analysis a = check(repeat("mutta ", kMegabyte / 6));
  EXPECT_TRUE(a.redacted.valid_utf8);
  // The same with a sentiment word in every clause.
  check(repeat("hyvä mutta huono, ", 10'000));
  check(repeat("hyvä kuitenkin ", 10'000));
}

TEST(HostileInputTest, OneMegabyteOfOneLetter) {
  ASSERT_NE(analyzer(), nullptr);
  check(std::string(kMegabyte, 'a'));
  check(repeat("\xC3\xA4", 100'000));  // ä
}

TEST(HostileInputTest, ManyHyphenations) {
  ASSERT_NE(analyzer(), nullptr);
  check("a" + repeat("-a", 200'000));
  check(repeat("kela-", 20'000) + "kortti");
  check(repeat("sosiaali- ", 10'000));
}

TEST(HostileInputTest, ManyPunctuationMarks) {
  ASSERT_NE(analyzer(), nullptr);
  check(repeat("!?", 100'000));
  check(repeat("Parempi! ", 10'000));  // a sentence start on every word
}

TEST(HostileInputTest, LongRunOfPlaceholders) {
  ASSERT_NE(analyzer(), nullptr);
  check(repeat("[nimi]", 50'000));
  check(repeat("[nimi] ", 10'000));
  check(repeat("[puhelin]:ään ", 10'000));
}

TEST(HostileInputTest, ManyUniqueLongWords) {
  ASSERT_NE(analyzer(), nullptr);
  std::string s;
  for (int k = 0; k < 2'000; ++k) s += std::string(100, static_cast<char>('a' + k % 26)) + std::to_string(k) + "x ";
  check(s);
}

TEST(HostileInputTest, RandomBytes) {
  ASSERT_NE(analyzer(), nullptr);
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2; ++round) {
    std::string s(256 * 1024, '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    check(s);
  }
}

// Appends code point `cp` as UTF-8.
void append_utf8(std::string& s, char32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TEST(HostileInputTest, RandomValidUtf8) {
  ASSERT_NE(analyzer(), nullptr);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<std::uint32_t> ascii(0x20, 0x7E), bmp(0x80, 0xFFFD), astral(0x10000, 0x10FFFF);
  for (int round = 0; round < 2; ++round) {
    std::string s;
    while (s.size() < 128 * 1024) {
      int k = kind(rng);
      char32_t cp = k < 6 ? ascii(rng) : k < 9 ? bmp(rng) : astral(rng);
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';  // no surrogates
      append_utf8(s, cp);
    }
    Analysis a = check(s);
    EXPECT_TRUE(a.redacted.valid_utf8) << a.redacted.error;
  }
}

}  // namespace
}  // namespace kaiku::text
