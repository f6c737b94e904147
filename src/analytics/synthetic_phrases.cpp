// The phrase bank of synthetic comments with their synthetic labels
// (synthetic_phrases.hpp). Invented comments, no real persons or places.
#include "analytics/synthetic_phrases.hpp"

#include <algorithm>
#include <array>

namespace kaiku::analytics::detail {
namespace {

using Bank = std::array<std::vector<Phrase>, kTones>;

const Bank& bank(domain::Language lang) {
  static const Bank fi{{
      {{"Erittäin ystävällinen ja asiantunteva kohtaaminen, kiitos!", "staff_kindness", "professional_skill"},
       {"Pääsin vastaanotolle nopeasti ja asiani hoidettiin kerralla.", "access_waiting", ""},
       {"Hoitaja kuunteli ja selitti kaiken rauhallisesti.", "staff_kindness", "information"},
       {"Lääkäri otti huoleni vakavasti. Tunsin itseni kuulluksi.", "staff_kindness", "professional_skill"},
       {"Kaikki sujui jouhevasti ajanvarauksesta kotiinlähtöön.", "booking", ""},
       {"Kiitos lämpimästä vastaanotosta ja selkeistä ohjeista.", "staff_kindness", "information"},
       {"Henkilökunta oli kiireestä huolimatta ystävällistä.", "staff_kindness", ""},
       {"Sain hyvät jatko-ohjeet kirjallisena, se auttoi paljon.", "information", ""},
       {"Turvallinen olo koko käynnin ajan.", "safety", ""},
       {"Tekstiviestimuistutus oli kätevä.", "digital", "booking"}},
      {{"Jonotin puhelimessa yli puoli tuntia.", "phone_callback", "access_waiting"},
       {"Odotusaika päivystyksessä oli todella pitkä, eikä kukaan kertonut syytä.", "access_waiting", "information"},
       {"En saanut tietoa siitä, miten hoito jatkuu.", "information", ""},
       {"Ohjeet olivat ristiriitaisia ja jäin epätietoiseksi.", "information", ""},
       {"Lääkäri ei katsonut minuun kertaakaan, vaan koko ajan näyttöön.", "staff_kindness", ""},
       {"Aika peruttiin kahdesti ilman selitystä.", "booking", "information"},
       {"Takaisinsoittoa ei koskaan tullut.", "phone_callback", ""},
       {"Pysäköintipaikkoja ei ollut ja myöhästyin siksi.", "signage_parking", ""},
       {"Tuntui, että asiaani ei otettu tosissaan.", "staff_kindness", ""},
       {"Ilmoittautumisautomaatti ei toiminut ja jono kasvoi.", "digital", "access_waiting"}},
      {{"Toivoisin, että ajan voisi varata myös verkossa.", "booking", "digital"},
       {"Odotustilaan voisi tuoda lisää istumapaikkoja.", "premises", ""},
       {"Selkeämmät opasteet aulaan, niin löytäisi perille helpommin.", "signage_parking", ""},
       {"Iltavastaanottoja voisi olla enemmän.", "access_waiting", ""},
       {"Olisi hyvä saada tekstiviesti, kun oma vuoro lähestyy.", "digital", "access_waiting"},
       {"Laboratorioon voisi päästä ilman ajanvarausta.", "booking", "access_waiting"}},
      {{"Hoito oli hyvää, mutta odottaminen kesti liian kauan.", "professional_skill", "access_waiting"},
       {"Ystävällinen henkilökunta, mutta tieto kulki huonosti.", "staff_kindness", "information"},
       {"Itse käynti meni hyvin, ajan saaminen oli vaikeaa.", "access_waiting", "booking"},
       {"Lääkäri oli mukava, mutta aikaa oli liian vähän.", "staff_kindness", ""}},
  }};
  static const Bank sv{{
      {{"Mycket vänligt och kunnigt bemötande, tack!", "staff_kindness", "professional_skill"},
       {"Jag fick snabbt en tid och ärendet sköttes på en gång.", "access_waiting", ""},
       {"Skötaren lyssnade och förklarade allt lugnt.", "staff_kindness", "information"},
       {"Läkaren tog min oro på allvar.", "staff_kindness", ""},
       {"Allt fungerade smidigt från tidsbokningen till hemgången.", "booking", ""},
       {"Tack för tydliga instruktioner på svenska.", "information", "service_language"},
       {"Personalen var vänlig trots brådskan.", "staff_kindness", ""},
       {"Jag kände mig trygg under hela besöket.", "safety", ""}},
      {{"Jag köade i telefon i över en halvtimme.", "phone_callback", "access_waiting"},
       {"Väntetiden på jouren var alldeles för lång.", "access_waiting", ""},
       {"Jag fick ingen information om hur vården fortsätter.", "information", ""},
       {"Jag fick inte service på svenska fast jag bad om det.", "service_language", ""},
       {"Tiden avbokades två gånger utan förklaring.", "booking", ""},
       {"Ingen ringde tillbaka fast det utlovades.", "phone_callback", ""},
       {"Det kändes som om ingen lyssnade på mig.", "staff_kindness", ""}},
      {{"Det vore bra att kunna boka tid på nätet.", "booking", "digital"},
       {"Tydligare skyltar i entrén skulle hjälpa.", "signage_parking", ""},
       {"Fler kvällsmottagningar, tack.", "access_waiting", ""},
       {"Ett sms när det snart är ens tur vore bra.", "digital", "access_waiting"}},
      {{"Bra vård, men väntan var för lång.", "professional_skill", "access_waiting"},
       {"Vänlig personal, men informationen var bristfällig.", "staff_kindness", "information"},
       {"Besöket gick bra, men det var svårt att få tid.", "access_waiting", "booking"}},
  }};
  static const Bank en{{
      {{"Very friendly and professional, thank you!", "staff_kindness", "professional_skill"},
       {"I got an appointment quickly and everything was sorted in one visit.", "access_waiting", ""},
       {"The nurse listened and explained everything calmly.", "staff_kindness", "information"},
       {"The doctor took my concerns seriously.", "staff_kindness", ""},
       {"Everything went smoothly from booking to going home.", "booking", ""},
       {"Thank you for serving me in English.", "service_language", ""},
       {"Staff were kind even though they were clearly busy.", "staff_kindness", ""}},
      {{"I waited on the phone for over half an hour.", "phone_callback", "access_waiting"},
       {"The wait in the emergency department was far too long.", "access_waiting", ""},
       {"Nobody told me what happens next with my care.", "information", ""},
       {"The instructions I got were confusing.", "information", ""},
       {"My appointment was cancelled twice without explanation.", "booking", ""},
       {"The promised call-back never came.", "phone_callback", ""},
       {"It was hard to get information in English.", "service_language", "information"}},
      {{"It would help to book appointments online.", "booking", "digital"},
       {"Clearer signs in the lobby, please.", "signage_parking", ""},
       {"More evening appointments would be great.", "access_waiting", ""},
       {"A text message when my turn is near would be useful.", "digital", "access_waiting"}},
      {{"Good care, but the waiting took too long.", "professional_skill", "access_waiting"},
       {"Friendly staff, but the information was poor.", "staff_kindness", "information"},
       {"The visit itself went well; getting an appointment was hard.", "access_waiting", "booking"}},
  }};
  switch (lang) {
    case domain::Language::sv: return sv;
    case domain::Language::en: return en;
    default: return fi;
  }
}

}  // namespace

const std::vector<Phrase>& phrases(domain::Language lang, Tone tone) {
  return bank(lang)[static_cast<std::size_t>(tone)];
}

domain::CommentInsight synthetic_insight(const Phrase& p, Tone tone, domain::Language lang,
                                         const std::string& question_key, const domain::Model& model) {
  domain::CommentInsight in;
  in.question_key = question_key;
  in.language = lang == domain::Language::sv ? "sv" : lang == domain::Language::en ? "en" : "fi";
  in.sentiment = tone == praise      ? domain::Sentiment::positive
                 : tone == complaint ? domain::Sentiment::negative
                 : tone == mixed     ? domain::Sentiment::mixed
                                     : domain::Sentiment::neutral;
  in.suggestion = tone == suggestion;
  for (const domain::Theme& t : model.themes)  // taxonomy order; ids the model lacks are left out
    if (!t.id.empty() && (t.id == p.theme1 || t.id == p.theme2)) in.themes.push_back(t.id);
  return in;
}

}  // namespace kaiku::analytics::detail
