// [nimi] redaction: Voikko's proper-noun classes plus context (docs/text.md, "Names").
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "text/redact.hpp"
#include "text/voikko.hpp"
#include "text/test_support.hpp"

namespace kaiku::text {
namespace {

const Voikko* voikko() { return testing::shared_voikko(); }

std::string red(std::string_view s, bool staff = true, bool with_voikko = true) {
  RedactOptions o;
  o.voikko = with_voikko ? voikko() : nullptr;
  o.redact_staff_names = staff;
  return redact(s, o).text;
}

// With the comment's language known, as text::Analyzer passes it.
std::string redl(std::string_view s, Language lang, bool staff = true) {
  RedactOptions o;
  o.voikko = voikko();
  o.redact_staff_names = staff;
  o.language = lang;
  return redact(s, o).text;
}

TEST(VoikkoTest, AnalysesCarryProperNounClasses) {
  ASSERT_NE(voikko(), nullptr);
  auto rs = voikko()->analyze("Virtaselle");
  ASSERT_FALSE(rs.empty());
  EXPECT_EQ(rs[0].word_class, "sukunimi");
  EXPECT_EQ(rs[0].baseform, "Virtanen");
  EXPECT_TRUE(voikko()->analyze("xqzzv").empty());
  EXPECT_TRUE(voikko()->analyze("").empty());
}

TEST(VoikkoTest, UsableFromSeveralThreads) {
  ASSERT_NE(voikko(), nullptr);
  std::vector<std::thread> ts;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([t, &ok] {
      for (int i = 0; i < 50; ++i)
        if (red("Kiitos hoitaja Virtaselle!") == "Kiitos hoitaja [nimi]!") ++ok[static_cast<std::size_t>(t)];
    });
  for (auto& t : ts) t.join();
  for (int n : ok) EXPECT_EQ(n, 50);
}

TEST(NamesTest, InflectedFinnishNames) {
  EXPECT_EQ(red("Annoin palautetta Virtaselle eilen."), "Annoin palautetta [nimi] eilen.");
  EXPECT_EQ(red("Soitin Liisan kanssa."), "Soitin [nimi] kanssa.");
  EXPECT_EQ(red("Kiitos Mattia ja Pekkaa!"), "Kiitos [nimi] ja [nimi]!");
  EXPECT_EQ(red("Terveisiä Virtaselle Matille."), "Terveisiä [nimi].");
  EXPECT_EQ(red("Lapseni Anna-Liisalle annettiin lääkettä."), "Lapseni [nimi] annettiin lääkettä.");
}

TEST(NamesTest, TitlesInFinnishSwedishEnglish) {
  EXPECT_EQ(red("Kiitos hoitaja Virtaselle!"), "Kiitos hoitaja [nimi]!");
  EXPECT_EQ(red("Lääkäri Matti Mäkinen kuunteli."), "Lääkäri [nimi] kuunteli.");
  EXPECT_EQ(red("Sairaanhoitajalle Tuulille iso kiitos."), "Sairaanhoitajalle [nimi] iso kiitos.");
  // A name Voikko does not know, right after a title.
  EXPECT_EQ(red("Fysioterapeutti Ahmed oli taitava."), "Fysioterapeutti [nimi] oli taitava.");
  EXPECT_EQ(red("Sjuksköterskan Anna Berg var snäll."), "Sjuksköterskan [nimi] var snäll.");
  EXPECT_EQ(red("Tack till läkaren Lindqvist."), "Tack till läkaren [nimi].");
  EXPECT_EQ(red("The nurse Mary was kind. Dr. Smith too."), "The nurse [nimi] was kind. Dr. [nimi] too.");
  EXPECT_EQ(red("Thanks to doctor John Brown!"), "Thanks to doctor [nimi]!");
  // Titles without a name, or followed by an ordinary word, stay.
  EXPECT_EQ(red("Hoitaja oli ystävällinen."), "Hoitaja oli ystävällinen.");
  EXPECT_EQ(red("The nurse was kind."), "The nurse was kind.");
}

TEST(NamesTest, MoreStaffTitles) {
  // Swedish compounds by suffix, names Voikko does not know.
  EXPECT_EQ(red("Tandläkaren Bengt var snäll."), "Tandläkaren [nimi] var snäll.");
  EXPECT_EQ(red("Tack till sjukskötaren Mats!"), "Tack till sjukskötaren [nimi]!");
  EXPECT_EQ(red("Hälsovårdaren Svea gav råd."), "Hälsovårdaren [nimi] gav råd.");
  EXPECT_EQ(red("Socialarbetaren Mats Berg ringde."), "Socialarbetaren [nimi] ringde.");
  EXPECT_EQ(red("The physiotherapist Ahmed helped."), "The physiotherapist [nimi] helped.");
  EXPECT_EQ(red("Avustaja Ahmed on kultaakin kalliimpi."), "Avustaja [nimi] on kultaakin kalliimpi.");
  EXPECT_EQ(red("Sosiaaliohjaaja Ahmed neuvoi."), "Sosiaaliohjaaja [nimi] neuvoi.");
  // Titles followed by an ordinary word or an inflected place stay.
  EXPECT_EQ(red("Tandläkaren var snäll."), "Tandläkaren var snäll.");
  EXPECT_EQ(red("Kuraattori Helsingissä auttoi."), "Kuraattori Helsingissä auttoi.");
}

TEST(NamesTest, SwedishEnglishTitlesWorkWithoutVoikko) {
  EXPECT_EQ(red("Sjuksköterskan Anna var snäll.", true, false), "Sjuksköterskan [nimi] var snäll.");
  EXPECT_EQ(red("Nurse Kelly helped me.", true, false), "Nurse [nimi] helped me.");
  // Finnish names need Voikko.
  EXPECT_EQ(red("Soitin Liisan kanssa.", true, false), "Soitin Liisan kanssa.");
}

TEST(NamesTest, OrdinaryWordsThatAreNamesNeedContext) {
  EXPECT_EQ(red("Tänään oli kova tuuli."), "Tänään oli kova tuuli.");
  // Sentence-initial: capitals carry no information there, so an ambiguous word stays.
  EXPECT_EQ(red("Tuuli oli kova."), "Tuuli oli kova.");
  EXPECT_EQ(red("Anna palautetta rohkeasti."), "Anna palautetta rohkeasti.");
  EXPECT_EQ(red("Onni oli, että ehdin ajoissa."), "Onni oli, että ehdin ajoissa.");
  EXPECT_EQ(red("Lahja oli kiva yllätys."), "Lahja oli kiva yllätys.");
  EXPECT_EQ(red("Usko ja into palasivat."), "Usko ja into palasivat.");
  EXPECT_EQ(red("suuri onni ja hyvä lahja"), "suuri onni ja hyvä lahja");
  // With context they go.
  EXPECT_EQ(red("Kätilö Tuuli auttoi."), "Kätilö [nimi] auttoi.");
  EXPECT_EQ(red("Onni Laine auttoi meitä."), "[nimi] auttoi meitä.");
  EXPECT_EQ(red("Kiitos Onnille ja Tuulille."), "Kiitos [nimi] ja [nimi].");
}

TEST(NamesTest, PlaceNamesStay) {
  EXPECT_EQ(red("Kävin Helsingissä ja Tampereella."), "Kävin Helsingissä ja Tampereella.");
  EXPECT_EQ(red("Hoitaja Oulussa oli kiva."), "Hoitaja Oulussa oli kiva.");
  EXPECT_EQ(red("Kaisa Nieminen oli paikalla."), "[nimi] oli paikalla.");
}

TEST(NamesTest, SentenceInitialNameWithSurname) {
  EXPECT_EQ(red("Matti Virtanen vastasi puhelimeen."), "[nimi] vastasi puhelimeen.");
  EXPECT_EQ(red("Hyvä palvelu. Pekka Korhonen auttoi."), "Hyvä palvelu. [nimi] auttoi.");
  // A lone first name at the start of a sentence needs the comment's language (below).
  EXPECT_EQ(red("Pekka oli ihana."), "Pekka oli ihana.");
}

TEST(NamesTest, LoneSentenceInitialNameInFinnishText) {
  EXPECT_EQ(redl("Pekka oli ihana.", Language::fi), "[nimi] oli ihana.");
  EXPECT_EQ(redl("Virtaselta sain hyvät ohjeet.", Language::fi), "[nimi] sain hyvät ohjeet.");
  EXPECT_EQ(redl("Hyvä hoito. Heikkinen oli kiireinen.", Language::fi), "Hyvä hoito. [nimi] oli kiireinen.");
  EXPECT_EQ(redl("Anna-Maija oli rauhallinen.", Language::fi), "[nimi] oli rauhallinen.");
  // Words that are also ordinary words, places and service names stay.
  EXPECT_EQ(redl("Tuuli oli kova.", Language::fi), "Tuuli oli kova.");
  EXPECT_EQ(redl("Onni oli, että ehdin ajoissa.", Language::fi), "Onni oli, että ehdin ajoissa.");
  EXPECT_EQ(redl("Lahja oli kiva yllätys.", Language::fi), "Lahja oli kiva yllätys.");
  EXPECT_EQ(redl("Satu jäi kesken.", Language::fi), "Satu jäi kesken.");
  EXPECT_EQ(redl("Anna palautetta rohkeasti.", Language::fi), "Anna palautetta rohkeasti.");
  EXPECT_EQ(redl("Kai se siitä.", Language::fi), "Kai se siitä.");
  EXPECT_EQ(redl("Helsingissä oli jonoa.", Language::fi), "Helsingissä oli jonoa.");
  EXPECT_EQ(redl("Tampere on kaukana.", Language::fi), "Tampere on kaukana.");
  EXPECT_EQ(redl("Maisa ei toiminut.", Language::fi), "Maisa ei toiminut.");
  EXPECT_EQ(redl("Kävin Maisassa.", Language::fi), "Kävin Maisassa.");
  EXPECT_EQ(redl("Wilma ei toiminut.", Language::fi), "Wilma ei toiminut.");
  // Without a language (the default) the rule is off.
  EXPECT_EQ(red("Pekka oli ihana."), "Pekka oli ihana.");
}

TEST(NamesTest, HospitalNamesAreNotPeople) {
  EXPECT_EQ(redl("Olin Auroran sairaalassa viikon.", Language::fi), "Olin Auroran sairaalassa viikon.");
  EXPECT_EQ(redl("Aurora sairaala oli siisti.", Language::fi), "Aurora sairaala oli siisti.");
  EXPECT_EQ(redl("Jag låg på Maria sjukhus.", Language::sv), "Jag låg på Maria sjukhus.");
  // A person's name before other words still goes.
  EXPECT_EQ(redl("Kiitos Auroralle sairaalan puolesta.", Language::fi), "Kiitos [nimi] sairaalan puolesta.");
}

TEST(NamesTest, EnglishAndSwedishSentenceStartsStay) {
  EXPECT_EQ(redl("Will you call me back?", Language::en), "Will you call me back?");
  EXPECT_EQ(redl("May I ask something.", Language::en), "May I ask something.");
  EXPECT_EQ(redl("Mark the date.", Language::en), "Mark the date.");
  EXPECT_EQ(redl("Maisa shows the wrong date.", Language::en), "Maisa shows the wrong date.");
  EXPECT_EQ(redl("Hans fru var där.", Language::sv), "Hans fru var där.");
  EXPECT_EQ(redl("Ingen ringde.", Language::sv), "Ingen ringde.");
  EXPECT_EQ(redl("Rose was there.", Language::en), "Rose was there.");
  EXPECT_EQ(redl("Hope you fix it.", Language::en), "Hope you fix it.");
  // A Finnish-spelled name at a sentence start goes.
  EXPECT_EQ(redl("Great care. Leena was wonderful.", Language::en), "Great care. [nimi] was wonderful.");
  EXPECT_EQ(redl("Tiina var otrevlig.", Language::sv), "[nimi] var otrevlig.");
  EXPECT_EQ(redl("Heikkinen ringde aldrig.", Language::sv), "[nimi] ringde aldrig.");
}

TEST(NamesTest, GenitivesAndPossessives) {
  EXPECT_EQ(redl("Jonnas och Emmas omtanke är ovärderlig.", Language::sv), "[nimi] och [nimi] omtanke är ovärderlig.");
  EXPECT_EQ(redl("Tack för Emmas hjälp.", Language::sv), "Tack för [nimi] hjälp.");
  EXPECT_EQ(redl("Great clinic. Rose's advice was gold.", Language::en), "Great clinic. [nimi] advice was gold.");
  EXPECT_EQ(redl("I liked Pekka's approach.", Language::en), "I liked [nimi] approach.");
  // Ordinary words ending in s stay.
  EXPECT_EQ(redl("Personalens bemötande var bra.", Language::sv), "Personalens bemötande var bra.");
  EXPECT_EQ(redl("Ward's staff were kind.", Language::en), "Ward's staff were kind.");
}

TEST(NamesTest, KinshipWordsActAsTitles) {
  EXPECT_EQ(redl("Min bror Mats blev utskriven.", Language::sv), "Min bror [nimi] blev utskriven.");
  EXPECT_EQ(redl("Dammet ligger i mamma Sveas rum.", Language::sv), "Dammet ligger i mamma [nimi] rum.");
  EXPECT_EQ(redl("My wife Olga Petrova will come.", Language::en), "My wife [nimi] will come.");
  EXPECT_EQ(redl("My husband Mark had surgery.", Language::en), "My husband [nimi] had surgery.");
  EXPECT_EQ(redl("Veljeni Mats kotiutettiin liian aikaisin.", Language::fi), "Veljeni [nimi] kotiutettiin liian aikaisin.");
  // Not staff: kept names stay redacted when staff names are kept.
  EXPECT_EQ(redl("My wife Olga came.", Language::en, false), "My wife [nimi] came.");
  // Not a name after a kinship word: days, months, languages, inflected places.
  EXPECT_EQ(redl("My son Monday had a fever.", Language::en), "My son Monday had a fever.");
  EXPECT_EQ(redl("My mother English is poor.", Language::en), "My mother English is poor.");
  EXPECT_EQ(redl("Äiti Oulussa odotti.", Language::fi), "Äiti Oulussa odotti.");
  EXPECT_EQ(redl("Äiti oli tyytyväinen.", Language::fi), "Äiti oli tyytyväinen.");
  // Text in capitals: the word after a title is not a name for its capital alone.
  EXPECT_EQ(redl("ÄITI OLI TYYTYVÄINEN.", Language::fi), "ÄITI OLI TYYTYVÄINEN.");
  EXPECT_EQ(red("HOITAJA OLI TÖYKEÄ"), "HOITAJA OLI TÖYKEÄ");
  // A short comment read as English still takes Swedish kinship words.
  EXPECT_EQ(redl("Dammet ligger i mamma Sveas rum.", Language::en), "Dammet ligger i mamma [nimi] rum.");
}

TEST(NamesTest, NamesInHyphenCompounds) {
  EXPECT_EQ(redl("Kiitos Mari-tädille avusta.", Language::fi), "Kiitos [nimi]-tädille avusta.");
  EXPECT_EQ(redl("Pekka-setä tuli mukaan.", Language::fi), "[nimi]-setä tuli mukaan.");
  EXPECT_EQ(redl("Ahmed-hoitaja oli ystävällinen.", Language::fi), "[nimi]-hoitaja oli ystävällinen.");
  EXPECT_EQ(red("Hoitaja Anna-Maija oli rauhallinen."), "Hoitaja [nimi] oli rauhallinen.");
  // A hyphen compound of ordinary words stays.
  EXPECT_EQ(redl("Kela-kortti unohtui.", Language::fi), "Kela-kortti unohtui.");
  EXPECT_EQ(redl("Tuuli-tunneli oli kylmä.", Language::fi), "Tuuli-tunneli oli kylmä.");
  EXPECT_EQ(redl("Lapsi-isä suhde on tärkeä.", Language::fi), "Lapsi-isä suhde on tärkeä.");
}

TEST(NamesTest, StaffNameOption) {
  const char* text = "Kiitos hoitaja Virtaselle, ja terveisiä Liisalle!";
  EXPECT_EQ(red(text, true), "Kiitos hoitaja [nimi], ja terveisiä [nimi]!");
  EXPECT_EQ(red(text, false), "Kiitos hoitaja Virtaselle, ja terveisiä [nimi]!");
  EXPECT_EQ(red("Lääkäri Matti Mäkinen kuunteli.", false), "Lääkäri Matti Mäkinen kuunteli.");
  EXPECT_EQ(red("Sjuksköterskan Anna Berg var snäll.", false), "Sjuksköterskan Anna Berg var snäll.");
  // Courtesy titles are not staff.
  EXPECT_EQ(red("Rouva Virtanen odotti pitkään.", false), "Rouva [nimi] odotti pitkään.");
  EXPECT_EQ(red("Mrs Smith waited.", false), "Mrs [nimi] waited.");
}

TEST(NamesTest, NamesDoNotBreakOtherFindings) {
  EXPECT_EQ(red("Soita Liisalle 040-1234567."), "Soita [nimi] [puhelin].");
  EXPECT_EQ(red("Posti: matti.virtanen@example.fi"), "Posti: [email]");
  EXPECT_EQ(red("Asun Virtasenkatu 5:ssä."), "Asun [osoite]:ssä.");
  RedactOptions o;
  o.voikko = voikko();
  Redacted r = redact("Hei Matti, soita.", o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, PiiKind::name);
  EXPECT_EQ(placeholder_name(r.findings[0].kind), "nimi");
  o.names = false;
  EXPECT_EQ(redact("Hei Matti, soita.", o).text, "Hei Matti, soita.");
}

TEST(NamesTest, OddInputDoesNotCrash) {
  for (const std::string& s : std::vector<std::string>{"", " ", "-", "'", "A", "a-", "-A", "Hoitaja", "hoitaja ", "Dr.", "Dr. ",
                        "Matti-", "O'", "ÄÖÅ äöå", "Matti\tVirtanen", "Matti  Virtanen",
                        "\xC2\xA0Matti\xC2\xA0Virtanen", "nurse\nMary", std::string(500, 'a'),
                        "Matti" + std::string(300, 'x')})
  {
    RedactOptions o;
    o.voikko = voikko();
    EXPECT_TRUE(redact(s, o).valid_utf8) << s;
  }
  std::mt19937 rng(7);
  const std::vector<std::string> pieces{"Matti", "Virtanen", " ", ".", "hoitaja", "Dr", "-", "ä",
                                        "Tuuli", "\xC3\x96", "'", "@", "5", "\n", "Liisan"};
  for (int round = 0; round < 300; ++round) {
    std::string s;
    for (int k = 0; k < 12; ++k) s += pieces[rng() % pieces.size()];
    RedactOptions o;
    o.voikko = voikko();
    Redacted r = redact(s, o);
    ASSERT_TRUE(r.valid_utf8);
    for (std::size_t k = 1; k < r.findings.size(); ++k)
      EXPECT_LE(r.findings[k - 1].end, r.findings[k].begin) << s;
  }
}

}  // namespace
}  // namespace kaiku::text
