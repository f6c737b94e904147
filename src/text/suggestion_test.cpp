// SuggestionDetector: cue-file parsing, hand-built tokens, and realistic comments
// (suggestions and traps such as counterfactual praise) through the real Lemmatizer.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "text/sentiment.hpp"
#include "text/voikko.hpp"
#include "text/test_support.hpp"

namespace kaiku::text {
namespace {

using testing::hand_token;

TEST(SuggestionParse, ErrorsNameLine) {
  auto kind = SuggestionDetector::create("# x\nfi\tconditional\tvoida\nfi\twhatever\tx\n");
  ASSERT_FALSE(kind.has_value());
  EXPECT_NE(kind.error().message.find("suggestion_cues.tsv:3: unknown kind 'whatever'"), std::string::npos)
      << kind.error().message;
  auto lang = SuggestionDetector::create("de\tphrase\tsollte\n");
  ASSERT_FALSE(lang.has_value());
  EXPECT_NE(lang.error().message.find("suggestion_cues.tsv:1"), std::string::npos);
  auto fields = SuggestionDetector::create("en\tphrase\n");
  ASSERT_FALSE(fields.has_value());
  auto cond_sv = SuggestionDetector::create("sv\tconditional\tkunna\n");
  ASSERT_FALSE(cond_sv.has_value());
  EXPECT_NE(cond_sv.error().message.find("fi only"), std::string::npos);
  auto upper = SuggestionDetector::create("en\tphrase\tShould\n");
  ASSERT_FALSE(upper.has_value());
  EXPECT_TRUE(SuggestionDetector::create_builtin().has_value());
}

TEST(SuggestionTokens, FinnishConditional) {
  auto d = SuggestionDetector::create(
      "fi\tconditional\tvoida\nfi\tconditional\tolla\tkiva\nfi\tphrase\tkunpa\n");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  // "Parkkipaikkoja voisi olla enemmän"
  std::vector<Token> yes = {hand_token("parkkipaikkoja", {"parkkipaikka"}, Boundary::sentence),
                            hand_token("voisi", {"voida", "voi"}, Boundary::none, false, true), hand_token("olla"),
                            hand_token("enemmän", {"enemmän", "paljon"})};
  EXPECT_TRUE((*d)->is_suggestion(yes, Language::fi));
  // "Voi olla" (indicative): no cue.
  std::vector<Token> no = {hand_token("voi", {"voida", "voi"}, Boundary::sentence), hand_token("olla")};
  EXPECT_FALSE((*d)->is_suggestion(no, Language::fi));
  // "olisi kiva" yes, "olisi ollut" alone no.
  std::vector<Token> kiva = {hand_token("olisi", {"olla"}, Boundary::sentence, false, true), hand_token("kiva")};
  EXPECT_TRUE((*d)->is_suggestion(kiva, Language::fi));
  std::vector<Token> ollut = {hand_token("olisi", {"olla"}, Boundary::sentence, false, true), hand_token("ollut", {"olla"})};
  EXPECT_FALSE((*d)->is_suggestion(ollut, Language::fi));
  // "En voisi olla tyytyväisempi": counterfactual praise.
  std::vector<Token> praise = {hand_token("en", {"ei"}, Boundary::sentence, true),
                               hand_token("voisi", {"voida"}, Boundary::none, false, true), hand_token("olla"),
                               hand_token("tyytyväisempi", {"tyytyväinen"})};
  EXPECT_FALSE((*d)->is_suggestion(praise, Language::fi));
  EXPECT_FALSE((*d)->is_suggestion({}, Language::fi));
}

struct Case {
  const char* text;
  Language lang;
  bool want;
};
constexpr Language F = Language::fi, S = Language::sv, E = Language::en;

TEST(SuggestionReal, RealisticComments) {
  auto voikko = Voikko::open();
  if (!voikko) GTEST_SKIP() << "voikko-fi not installed";
  Lemmatizer lem(voikko.get());
  auto d = SuggestionDetector::create_builtin();
  ASSERT_TRUE(d.has_value()) << d.error().message;
  const std::vector<Case> cases = {
      {"Toivoisin, että takaisinsoitto toimisi paremmin.", F, true},
      {"Parkkipaikkoja voisi olla enemmän.", F, true},
      {"Aulaan pitäisi saada lisää tuoleja.", F, true},
      {"Kunpa ajanvaraus onnistuisi netissä.", F, true},
      {"Olisi kiva, jos tekstiviestimuistutus tulisi päivää ennen.", F, true},
      {"Ehdotan, että ruotsinkielistä palvelua lisätään.", F, true},
      {"Toivon, että jonotusaikoja lyhennetään.", F, true},
      {"Kannattaisi panostaa opasteisiin.", F, true},
      {"Henkilökuntaa tulisi olla enemmän iltaisin.", F, true},
      {"Lisätkää parkkipaikkoja!", F, true},
      {"Kehitysehdotus: chat myös viikonloppuisin.", F, true},
      {"Lisää henkilökuntaa päivystykseen!", F, true},
      {"Kiitos hyvästä palvelusta!", F, false},
      {"En voisi olla tyytyväisempi.", F, false},
      {"Parempaa hoitoa ei voisi toivoa.", F, false},
      {"Lääkäri ei kuunnellut minua.", F, false},
      {"Jouduin odottamaan kaksi tuntia.", F, false},
      {"Hoitaja sanoi, että voin soittaa huomenna.", F, false},
      {"Suosittelisin tätä terveysasemaa kaikille.", F, false},
      {"Olisin voinut kuolla odotellessa.", F, false},
      {"Man borde få service på svenska.", S, true},
      {"Det skulle vara bra med fler parkeringsplatser.", S, true},
      {"Ni skulle kunna skicka påminnelse per sms.", S, true},
      {"Det vore trevligt med kaffe i väntrummet.", S, true},
      {"Jag önskar bättre skyltning.", S, true},
      {"Mitt förslag är att öppna tidigare.", S, true},
      {"Fler tider på kvällen!", S, true},
      {"Tack för gott bemötande.", S, false},
      {"Det kunde inte ha varit bättre.", S, false},
      {"Jag kunde gå hem samma dag.", S, false},
      {"Läkaren var otrevlig.", S, false},
      {"Personalen var snäll och trevlig.", S, false},
      {"You should open earlier in the mornings.", E, true},
      {"It would be nice to have more parking.", E, true},
      {"Please add an option to book online.", E, true},
      {"I suggest a call-back service.", E, true},
      {"Could you send reminders by text?", E, true},
      {"The waiting room needs more chairs.", E, true},
      {"It could not have been better.", E, false},
      {"I couldn't be happier.", E, false},
      {"Great service, thank you!", E, false},
      {"I was pleased with the care.", E, false},
      {"I could see a doctor the same day.", E, false},
      {"I would recommend this clinic.", E, false},
      {"The nurse should have told me earlier.", E, false},
      // --- Blind batch (written after the cues were tuned; scored once, see docs/text.md)
      {"Voisitteko lähettää tulokset myös kirjeellä?", F, true},
      {"Puhelinpalvelun aukioloaikoja pitäisi pidentää.", F, true},
      {"Olisi hyvä, jos odotusaulassa olisi vesiautomaatti.", F, true},
      {"Toivoisimme enemmän ruotsinkielistä materiaalia.", F, true},
      {"Korjatkaa nettisivujen linkit.", F, true},
      {"Hoitaja oli ihana ja hoito sujui hyvin.", F, false},
      {"Voin lämpimästi suositella.", F, false},
      {"Jos olisin tiennyt, olisin tullut aiemmin.", F, false},
      {"Det borde finnas fler parkeringsplatser vid entrén.", S, true},
      {"Önskemål: längre öppettider.", S, true},
      {"Kunde ni ringa tillbaka snabbare?", S, true},
      {"Jag fick snabbt en tid och allt fungerade.", S, false},
      {"Jag skulle vilja tacka personalen.", S, false},
      {"Would be great if the app showed queue times.", E, true},
      {"They need to hire more nurses.", E, true},
      {"I wish the signs were clearer.", E, true},
      {"The doctor could not find anything wrong.", E, false},
      {"Best wishes to the whole team!", E, false},
      {"I would have liked more time with the doctor.", E, true},
      {"Everything worked well, thanks.", E, false},
      // Added after the blind batch: the noun "toive" in praise is no cue.
      {"Vastaanotossa oli mukava hoitaja, joka otti huomioon toiveeni.", F, false},
      {"Toive: chat myös iltaisin.", F, true},
      // Added by the second tuning round (general cues, own sentences).
      {"Tarkistakaa osoitteet ennen lähettämistä.", F, true},
      {"Siisteyteen pitää kiinnittää enemmän huomiota.", F, true},
      {"Selkeämmät opasteet pysäköintihalliin!", F, true},
      {"Parempi kuin viime kerralla.", F, false},
      {"Ni måste anställa fler sjukskötare.", S, true},
      {"Städa väntrummet oftare!", S, true},
      {"Make the forms shorter, please.", E, true},
      {"Please call me back tomorrow.", E, false},
      {"I need to change my appointment.", E, false},
      {"Call me if you need more information.", E, false},
      {"En tiedä, mitä lääkettä minun pitäisi ottaa.", F, false},
      {"Minun mielestäni pitäisi olla enemmän hoitajia.", F, true},
  };
  int tp = 0, fp = 0, fn = 0, tn = 0;
  for (const Case& c : cases) {
    bool got = (*d)->is_suggestion(lem.tokenize(c.text, c.lang), c.lang);
    if (got && c.want) ++tp;
    else if (got) ++fp;
    else if (c.want) ++fn;
    else ++tn;
    if (got != c.want) std::printf("  miss: want %d got %d: %s\n", c.want, got, c.text);
  }
  double precision = tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp);
  double recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn);
  std::printf("  suggestions: tp %d fp %d fn %d tn %d  precision %.3f recall %.3f\n", tp, fp, fn, tn,
              precision, recall);
  EXPECT_GE(precision, 0.9);
  EXPECT_GE(recall, 0.9);
}

}  // namespace
}  // namespace kaiku::text
