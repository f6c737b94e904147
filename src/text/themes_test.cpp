// Theme matching on Voikko lemmas (Finnish) and Snowball stems (Swedish, English).
#include "text/themes.hpp"
#include "text/test_support.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "text/voikko.hpp"

namespace kaiku::text {
namespace {

const Voikko* voikko() { return testing::shared_voikko(); }

domain::Theme theme(std::string id, std::vector<std::string> fi, std::vector<std::string> sv = {},
                    std::vector<std::string> en = {}) {
  domain::Theme t;
  t.id = std::move(id);
  t.fi = std::move(fi);
  t.sv = std::move(sv);
  t.en = std::move(en);
  return t;
}

std::vector<domain::Theme> taxonomy() {
  return {
      theme("access_waiting", {"jono", "odottaa", "odotusaika", "jonot*"}, {"kö", "vänta", "väntetid"},
            {"queue", "wait", "waiting list"}),
      theme("phone_callback", {"puhelin*", "takaisinsoitto", "soittaa takaisin"}, {"*telefon", "ring tillbaka"},
            {"phone", "call back"}),
      theme("signage_parking", {"*paikka", "pysäköinti"}, {"parkering*"}, {"parking"}),
      theme("booking", {"ajanvaraus"}, {"tidsbokning"}, {"appointment"}),
      theme("queue_suffix", {"*jono"}, {"*kö"}, {}),
  };
}

class ThemesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = ThemeMatcher::compile(taxonomy());
    ASSERT_TRUE(m.has_value()) << m.error().message;
    matcher_ = std::move(*m);
  }
  std::vector<std::string> match(std::string_view text, Language lang) const {
    return matcher_.match(lem_.tokenize(text, lang == Language::other ? Language::fi : lang), lang);
  }
  Lemmatizer lem_{voikko()};
  ThemeMatcher matcher_;
};

using Ids = std::vector<std::string>;

TEST_F(ThemesTest, FinnishInflectedFormsAndCompoundParts) {
  // "*jono" matches "jono" itself too.
  EXPECT_EQ(match("Jouduin odottamaan jonossa tunnin.", Language::fi), (Ids{"access_waiting", "queue_suffix"}));
  EXPECT_EQ(match("Jouduin odottamaan tunnin.", Language::fi), (Ids{"access_waiting"}));
  EXPECT_EQ(match("Jonotin turhaan", Language::fi), (Ids{"access_waiting"}));  // jonot* -> jonottaa
  // "jono" as a compound part; puhelin* on the compound's base form; *jono too.
  EXPECT_EQ(match("Puhelinjonossa meni ikuisuus", Language::fi),
            (Ids{"access_waiting", "phone_callback", "queue_suffix"}));
  EXPECT_EQ(match("Odotusajat ovat liian pitkiä", Language::fi), (Ids{"access_waiting"}));
  EXPECT_EQ(match("Ei ollut tilaa parkkipaikoille", Language::fi), (Ids{"signage_parking"}));
  EXPECT_EQ(match("Ajanvarauksessa oli vikaa", Language::fi), (Ids{"booking"}));
}

TEST_F(ThemesTest, FinnishWordsVoikkoDoesNotKnowMatchOnStems) {
  EXPECT_EQ(match("Takaisinsoittoa ei tullut", Language::fi), (Ids{"phone_callback"}));
}

TEST_F(ThemesTest, PhrasesNeedAdjacentWordsInOneClause) {
  EXPECT_EQ(match("Lupasivat soittaa takaisin", Language::fi), (Ids{"phone_callback"}));
  EXPECT_EQ(match("Soitin takaisin", Language::fi), (Ids{"phone_callback"}));
  EXPECT_EQ(match("Piti soittaa. Takaisin en mennyt", Language::fi), Ids{});
  EXPECT_EQ(match("Takaisin soittaa", Language::fi), Ids{});
  EXPECT_EQ(match("Ingen ringde tillbaka", Language::sv), (Ids{"phone_callback"}));
  EXPECT_EQ(match("They never called back", Language::en), (Ids{"phone_callback"}));
  EXPECT_EQ(match("I was put on the waiting list", Language::en), (Ids{"access_waiting"}));
}

TEST_F(ThemesTest, FinnishParticiplesMatchTheirVerb) {
  // "odottanut" and "odotettu" are base forms of their own for Voikko; the verb
  // comes from WORDBASES, so the term "odottaa" matches them.
  EXPECT_EQ(match("Olin odottanut tunnin", Language::fi), (Ids{"access_waiting"}));
  EXPECT_EQ(match("Kauan odotettu aika", Language::fi), (Ids{"access_waiting"}));
}

TEST_F(ThemesTest, SwedishAndEnglishStems) {
  EXPECT_EQ(match("Väntetiden var lång", Language::sv), (Ids{"access_waiting"}));
  EXPECT_EQ(match("Jag väntade länge i telefonkön", Language::sv), (Ids{"access_waiting", "queue_suffix"}));
  EXPECT_EQ(match("Parkeringen var full", Language::sv), (Ids{"signage_parking"}));
  EXPECT_EQ(match("We waited for hours", Language::en), (Ids{"access_waiting"}));
  EXPECT_EQ(match("Parking was impossible and the queues long", Language::en),
            (Ids{"access_waiting", "signage_parking"}));
  EXPECT_EQ(match("Appointments were cancelled", Language::en), (Ids{"booking"}));
}

TEST_F(ThemesTest, OnlyTheCommentLanguagesTermsUnlessOther) {
  EXPECT_EQ(match("parking", Language::fi), Ids{});
  EXPECT_EQ(match("jonossa", Language::en), Ids{});
  // other: every language's terms (English stems computed on the fly).
  EXPECT_EQ(match("parking jonossa", Language::other), (Ids{"access_waiting", "signage_parking", "queue_suffix"}));
}

TEST_F(ThemesTest, NothingMatchedInNeutralText) {
  EXPECT_EQ(match("Kiitos hyvästä palvelusta!", Language::fi), Ids{});
  EXPECT_EQ(match("[nimi] soitti [puhelin]:een", Language::fi), Ids{});
  EXPECT_EQ(match("", Language::fi), Ids{});
  ThemeMatcher empty;
  EXPECT_TRUE(empty.match(lem_.tokenize("jonossa", Language::fi), Language::fi).empty());
}

TEST(ThemesCompileTest, ErrorsNameTheTerm) {
  auto bad = [](std::vector<std::string> sv) {
    auto r = ThemeMatcher::compile({theme("a", {"jono"}), theme("parking", {}, {}, {}), theme("x", {}, sv)});
    return r.has_value() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(bad({"kö", "", "x"}), "themes[2] (x).sv[1] \"\": empty term");
  EXPECT_NE(bad({"a b c"}).find("one word or two words"), std::string::npos);
  EXPECT_NE(bad({"a  b"}).find("exactly one space"), std::string::npos);
  EXPECT_NE(bad({"*"}).find("needs a word"), std::string::npos);
  EXPECT_NE(bad({"*kö*"}).find("both ends"), std::string::npos);
  EXPECT_NE(bad({"k*ö"}).find("only at the start or the end"), std::string::npos);
  EXPECT_EQ(bad({"Kö", "vänta tid", "*kö", "parker*"}), "ok");
  auto dup = ThemeMatcher::compile({theme("a", {"jono"}), theme("a", {"jono"})});
  ASSERT_FALSE(dup.has_value());
  EXPECT_NE(dup.error().message.find("duplicate id"), std::string::npos);
  std::vector<domain::Theme> many;
  for (int i = 0; i < 65; ++i) many.push_back(theme("t" + std::to_string(i), {"x"}));
  EXPECT_FALSE(ThemeMatcher::compile(many).has_value());
  many.pop_back();
  EXPECT_TRUE(ThemeMatcher::compile(many).has_value());
}

TEST(ThemesCompileTest, UpperCaseTermsAreLowerCased) {
  auto m = ThemeMatcher::compile({theme("a", {"Jono"}, {}, {"Queue"})});
  ASSERT_TRUE(m.has_value());
  Lemmatizer lem(voikko());
  EXPECT_EQ(m->match(lem.tokenize("JONOSSA", Language::fi), Language::fi), (Ids{"a"}));
  EXPECT_EQ(m->match(lem.tokenize("Queues", Language::en), Language::en), (Ids{"a"}));
}

TEST(ThemesCompileTest, SixtyFourthThemeMatches) {
  std::vector<domain::Theme> many;
  for (int i = 0; i < 63; ++i) many.push_back(theme("t" + std::to_string(i), {"x" + std::to_string(i)}));
  many.push_back(theme("last", {"jono"}));
  auto m = ThemeMatcher::compile(many);
  ASSERT_TRUE(m.has_value());
  Lemmatizer lem(voikko());
  EXPECT_EQ(m->match(lem.tokenize("jonossa", Language::fi), Language::fi), (Ids{"last"}));
}

}  // namespace
}  // namespace kaiku::text
