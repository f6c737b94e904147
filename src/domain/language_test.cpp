#include "domain/language.hpp"

#include <gtest/gtest.h>

namespace kaiku::domain {
namespace {

constexpr std::array<bool, 4> kAll{true, true, true, true};

TEST(Language, TagsRoundTrip) {
  for (Language l : kAllLanguages) EXPECT_EQ(parse_language(language_tag(l)), l);
  EXPECT_EQ(parse_language("FI-X-SELKO"), Language::fi_selko);
  EXPECT_FALSE(parse_language("de").has_value());
  EXPECT_FALSE(parse_language("").has_value());
}

TEST(Language, NegotiatesWithQValues) {
  EXPECT_EQ(negotiate_language("sv-FI,sv;q=0.9,fi;q=0.8", kAll), Language::sv);
  EXPECT_EQ(negotiate_language("de-DE, en-GB;q=0.5, fi;q=0.7", kAll), Language::fi);
  EXPECT_EQ(negotiate_language("en-US", kAll), Language::en);
  EXPECT_FALSE(negotiate_language("de, fr;q=0.5", kAll).has_value());
  EXPECT_FALSE(negotiate_language("", kAll).has_value());
  EXPECT_FALSE(negotiate_language("sv;q=0", kAll).has_value());
  EXPECT_FALSE(negotiate_language("sv;q=abc", kAll).has_value());
  // A language the county has not enabled is skipped.
  EXPECT_EQ(negotiate_language("sv, fi;q=0.1", {true, false, true, true}), Language::fi);
}

TEST(LocalizedText, FallsBackFromPlainFinnishToFinnish) {
  LocalizedText t{{{Language::fi, "Hei"}, {Language::sv, "Hej"}}};
  EXPECT_EQ(t.get(Language::fi_selko), "Hei");
  EXPECT_EQ(t.get(Language::sv), "Hej");
  EXPECT_EQ(t.get(Language::en), "Hei");
  EXPECT_EQ(LocalizedText{}.get(Language::fi), "");
}

}  // namespace
}  // namespace kaiku::domain
