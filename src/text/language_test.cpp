// Language identification on short, realistic customer comments.
#include "text/language.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace kaiku::text {
namespace {

TEST(LanguageTest, Codes) {
  EXPECT_EQ(language_code(Language::fi), "fi");
  EXPECT_EQ(language_code(Language::sv), "sv");
  EXPECT_EQ(language_code(Language::en), "en");
  EXPECT_EQ(language_code(Language::other), "other");
}

TEST(LanguageTest, ShortRealisticComments) {
  const std::vector<std::pair<const char*, Language>> cases = {
      {"Kiitos!", Language::fi},
      {"Tack!", Language::sv},
      {"Thanks", Language::en},
      {"Kiitos hyvästä palvelusta.", Language::fi},
      {"Jonotin puhelimessa yli tunnin.", Language::fi},
      {"Lääkäri oli todella ystävällinen ja kuunteli.", Language::fi},
      {"Ei soitettu takaisin vaikka luvattiin.", Language::fi},
      {"Parkkipaikkoja on liian vähän.", Language::fi},
      {"Hoitaja selitti kaiken selkeästi.", Language::fi},
      {"Ajanvaraus netissä ei toiminut.", Language::fi},
      {"Odotusaula oli siisti ja rauhallinen", Language::fi},
      {"Kaikki meni hyvin, kiitos!", Language::fi},
      {"Huono kokemus.", Language::fi},
      {"Toivoisin että takaisinsoitto toimisi paremmin", Language::fi},
      {"Opasteet olivat epäselviä, eksyin käytävillä.", Language::fi},
      {"Ystävällistä ja ammattitaitoista palvelua", Language::fi},
      {"Tosi kiva hammashoitaja", Language::fi},
      {"Tack för gott bemötande.", Language::sv},
      {"Jag väntade i två timmar.", Language::sv},
      {"Personalen var trevlig och hjälpsam.", Language::sv},
      {"Ingen ringde tillbaka.", Language::sv},
      {"Det var svårt att hitta parkering.", Language::sv},
      {"Läkaren lyssnade inte på mig.", Language::sv},
      {"Snabb och bra service, tack!", Language::sv},
      {"Tidsbokningen på nätet fungerade inte", Language::sv},
      {"Jättebra!", Language::sv},
      {"Man borde få service på svenska.", Language::sv},
      {"Sjuksköterskan var underbar", Language::sv},
      {"Tusen tack", Language::sv},
      {"The nurse was very kind.", Language::en},
      {"I waited two hours for my appointment.", Language::en},
      {"Nobody called me back.", Language::en},
      {"Great service, thank you!", Language::en},
      {"The doctor did not speak English.", Language::en},
      {"Parking was difficult to find", Language::en},
      {"Call me: [puhelin].", Language::en},
      {"Thank you so much", Language::en},
      {"Maksoin 150 € laskun vaikka käynnin piti olla maksuton.", Language::fi},
      {"Ensi kerralla toivoisin tulkkipalvelua.", Language::fi},
      {"Adressen [osoite] är fel i era papper.", Language::sv},
      {"Hemadress [osoite].", Language::sv},
      {"Sehr gut, danke schön", Language::other},
      {"12345", Language::other},
      {"", Language::other},
      {":)", Language::other},
      // Mixed: the dominant language wins.
      {"Palvelu oli hyvää ja hoitaja ystävällinen, thanks!", Language::fi},
      {"Personalen var trevlig och snabb, kiitos.", Language::sv},
      {"Everything was fine and the staff were great, kiitos", Language::en},
  };
  int wrong = 0;
  for (const auto& [text, expected] : cases) {
    Language got = identify_language(text);
    if (got != expected) {
      ++wrong;
      ADD_FAILURE() << "'" << text << "': expected " << language_code(expected) << ", got "
                    << language_code(got);
    }
  }
  EXPECT_EQ(wrong, 0);
}

TEST(LanguageTest, PlaceholdersAndInvalidBytesDoNotCrash) {
  EXPECT_EQ(identify_language("Soitin numeroon [puhelin] eikä kukaan vastannut"), Language::fi);
  EXPECT_EQ(identify_language(std::string_view("\xFF\xFE kiitos", 9)), Language::fi);
}

}  // namespace
}  // namespace kaiku::text
