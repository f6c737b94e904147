#include "web/strings.hpp"

#include <array>
#include <cstddef>

namespace kaiku::web {
namespace {

struct Row {
  Str key;
  const char* fi;
  const char* sv;
  const char* en;
  const char* selko;  // plain Finnish: short sentences, common words
};

// One row per Str key, in enum order (checked by the unit test via tr()).
constexpr Row kRows[] = {
    // ---- Page frame
    {Str::skip_link, "Siirry sisältöön", "Hoppa till innehållet", "Skip to content", "Siirry sisältöön"},
    {Str::language_nav, "Kieli", "Språk", "Language", "Kieli"},
    {Str::site_name, "Asiakaspalaute", "Kundrespons", "Customer feedback", "Palaute"},
    {Str::footer_feedback, "Anna palautetta", "Ge respons", "Give feedback", "Anna palautetta"},
    {Str::footer_accessibility, "Saavutettavuusseloste", "Tillgänglighetsutlåtande",
     "Accessibility statement", "Saavutettavuus"},
    {Str::footer_nav, "Lisätietoa", "Mer information", "More information", "Lisää tietoa"},
    {Str::lang_name_fi, "Suomi", "Suomi", "Suomi", "Suomi"},
    {Str::lang_name_sv, "Svenska", "Svenska", "Svenska", "Svenska"},
    {Str::lang_name_en, "English", "English", "English", "English"},
    {Str::lang_name_selko, "Selkosuomi", "Selkosuomi", "Selkosuomi", "Selkosuomi"},

    // ---- Survey form
    {Str::privacy_note,
     "Vastaat nimettömänä. Vastauksesi käsitellään nimettömänä, eikä sitä voi yhdistää sinuun, "
     "ellet itse pyydä yhteydenottoa.",
     "Du svarar anonymt. Ditt svar behandlas anonymt och kan inte kopplas till dig, om du inte "
     "själv ber om att bli kontaktad.",
     "You answer anonymously. Your answer is handled anonymously and cannot be linked to you "
     "unless you ask us to contact you.",
     "Et kerro nimeäsi. Kukaan ei tiedä, että vastasit. Jos haluat, että sinulle soitetaan, "
     "voit antaa yhteystiedot."},
    {Str::required_note, "Kohdat, joissa lukee (pakollinen), on täytettävä.",
     "Punkter märkta (obligatorisk) måste fyllas i.", "Items marked (required) must be answered.",
     "Vastaa kohtiin, joissa lukee (pakollinen)."},
    {Str::required_marker, "(pakollinen)", "(obligatorisk)", "(required)", "(pakollinen)"},
    {Str::submit, "Lähetä vastaus", "Skicka svaret", "Send answer", "Lähetä"},
    {Str::error_title_prefix, "Virhe", "Fel", "Error", "Virhe"},
    {Str::error_summary_title,
     "Tarkista nämä kohdat:", "Kontrollera följande:", "Please check the following:", "Korjaa nämä kohdat:"},
    {Str::error_prefix, "Virhe:", "Fel:", "Error:", "Virhe:"},
    {Str::nps_low, "0 = en lainkaan todennäköisesti", "0 = mycket osannolikt", "0 = not at all likely",
     "0 = en suosittele"},
    {Str::nps_high, "10 = erittäin todennäköisesti", "10 = högst sannolikt", "10 = extremely likely",
     "10 = suosittelen varmasti"},
    {Str::scale_hint, "Valitse yksi.", "Välj ett alternativ.", "Choose one.", "Valitse yksi."},
    {Str::agree_1, "Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree", "Ei pidä paikkaansa"},
    {Str::agree_2, "Jokseenkin eri mieltä", "Delvis av annan åsikt", "Somewhat disagree",
     "Ei oikein pidä paikkaansa"},
    {Str::agree_3, "Ei samaa eikä eri mieltä", "Varken av samma eller annan åsikt",
     "Neither agree nor disagree", "En ole varma"},
    {Str::agree_4, "Jokseenkin samaa mieltä", "Delvis av samma åsikt", "Somewhat agree",
     "Pitää melkein paikkansa"},
    {Str::agree_5, "Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree", "Pitää paikkansa"},
    {Str::cant_say, "En osaa sanoa", "Kan inte säga", "Can't say", "En tiedä"},
    {Str::smiley3_1, "Huono", "Dålig", "Bad", "Huono"},
    {Str::smiley3_2, "Kohtalainen", "Varken bra eller dålig", "Okay", "Ihan ok"},
    {Str::smiley3_3, "Hyvä", "Bra", "Good", "Hyvä"},
    {Str::smiley5_1, "Erittäin huono", "Mycket dålig", "Very bad", "Tosi huono"},
    {Str::smiley5_2, "Huono", "Dålig", "Bad", "Huono"},
    {Str::smiley5_3, "Kohtalainen", "Varken bra eller dålig", "Okay", "Ihan ok"},
    {Str::smiley5_4, "Hyvä", "Bra", "Good", "Hyvä"},
    {Str::smiley5_5, "Erittäin hyvä", "Mycket bra", "Very good", "Tosi hyvä"},
    {Str::multi_hint, "Voit valita useita.", "Du kan välja flera.", "You can choose several.",
     "Voit valita monta."},
    {Str::open_text_hint, "Älä kirjoita tähän nimiä, henkilötunnuksia tai terveystietoja.",
     "Skriv inte namn, personbeteckningar eller hälsouppgifter här.",
     "Please do not write names, personal identity codes or health details here.",
     "Älä kirjoita tähän nimiä. Älä kirjoita henkilötunnusta."},
    {Str::max_chars, "Enintään {n} merkkiä.", "Högst {n} tecken.", "At most {n} characters.",
     "Enintään {n} merkkiä."},
    {Str::respondent_legend, "Kuka vastaa?", "Vem svarar?", "Who is answering?", "Kuka vastaa?"},
    {Str::respondent_self, "Vastaan itse", "Jag svarar själv", "I answer for myself", "Vastaan itse"},
    {Str::respondent_on_behalf, "Vastaan läheiseni puolesta", "Jag svarar för min anhörigs räkning",
     "I answer on behalf of my relative", "Vastaan läheiseni puolesta"},
    {Str::contact_wanted, "Haluan, että minuun otetaan yhteyttä", "Jag vill bli kontaktad",
     "I want to be contacted", "Haluan, että minulle soitetaan tai kirjoitetaan"},
    {Str::contact_fill_note,
     "Täytä nämä kohdat vain, jos haluat yhteydenoton. Anna puhelinnumero tai sähköpostiosoite.",
     "Fyll i dessa bara om du vill bli kontaktad. Ange telefonnummer eller e-postadress.",
     "Fill these in only if you want to be contacted. Give a phone number or an e-mail address.",
     "Täytä nämä vain, jos haluat, että otamme yhteyttä. Kirjoita puhelinnumero tai sähköposti."},
    {Str::contact_name, "Nimi", "Namn", "Name", "Nimi"},
    {Str::contact_phone, "Puhelinnumero", "Telefonnummer", "Phone number", "Puhelinnumero"},
    {Str::contact_email, "Sähköpostiosoite", "E-postadress", "E-mail address", "Sähköposti"},
    {Str::contact_consent_default,
     "Annan luvan käyttää yhteystietojani, jotta minuun voidaan ottaa yhteyttä tästä palautteesta.",
     "Jag ger lov att använda mina kontaktuppgifter för att kontakta mig om denna respons.",
     "I allow my contact details to be used to contact me about this feedback.",
     "Saatte käyttää yhteystietojani, kun otatte yhteyttä tästä palautteesta."},
    {Str::contact_anonymity_note,
     "Palautteesi on nimetön, ellet pyydä yhteydenottoa. Yhteystietojasi käytetään vain "
     "yhteydenottoon, ja ne poistetaan määräajan jälkeen.",
     "Din respons är anonym om du inte ber om att bli kontaktad. Dina kontaktuppgifter används "
     "bara för att kontakta dig och raderas efter en viss tid.",
     "Your feedback is anonymous unless you ask to be contacted. Your contact details are used "
     "only to contact you and are deleted after a set time.",
     "Palaute on nimetön, jos et pyydä yhteydenottoa. Yhteystietoja käytetään vain "
     "yhteydenottoon. Ne poistetaan myöhemmin."},
    {Str::complaint_separate_note,
     "Palaute ei ole virallinen muistutus. Muistutus on oma menettelynsä, ja siihen saat aina "
     "kirjallisen vastauksen. Ohjeet ovat kiitossivulla.",
     "Responsen är ingen formell anmärkning. En anmärkning är ett eget förfarande och du får "
     "alltid ett skriftligt svar. Anvisningar finns på tacksidan.",
     "Feedback is not a formal complaint. A formal complaint is a separate process with a "
     "written answer. The thank-you page tells you how.",
     "Palaute ei ole muistutus. Muistutus on eri asia. Muistutukseen saat aina vastauksen "
     "kirjeenä. Ohjeet ovat seuraavalla sivulla."},

    // ---- Field errors
    {Str::err_required, "Vastaa tähän kysymykseen.", "Svara på den här frågan.",
     "Please answer this question.", "Vastaa tähän."},
    {Str::err_out_of_range, "Valitse jokin annetuista vaihtoehdoista.", "Välj ett av de givna alternativen.",
     "Please choose one of the options.", "Valitse yksi vaihtoehto."},
    {Str::err_unknown_option, "Valitse jokin annetuista vaihtoehdoista.",
     "Välj ett av de givna alternativen.", "Please choose one of the options.", "Valitse yksi vaihtoehto."},
    {Str::err_too_long, "Teksti on liian pitkä. Lyhennä sitä.", "Texten är för lång. Korta av den.",
     "The text is too long. Please shorten it.", "Teksti on liian pitkä. Kirjoita lyhyemmin."},
    {Str::err_unknown_field, "Tätä kohtaa ei tunnistettu.", "Fältet kändes inte igen.",
     "This field was not recognised.", "Tätä kohtaa ei tunneta."},
    {Str::err_invalid_phone, "Tarkista puhelinnumero. Esimerkiksi 040 123 4567.",
     "Kontrollera telefonnumret. Till exempel 040 123 4567.",
     "Please check the phone number, for example +358 40 123 4567.",
     "Puhelinnumero on väärin. Esimerkiksi 040 123 4567."},
    {Str::err_invalid_email, "Tarkista sähköpostiosoite. Esimerkiksi nimi@esimerkki.fi.",
     "Kontrollera e-postadressen. Till exempel namn@exempel.fi.",
     "Please check the e-mail address, for example name@example.com.",
     "Sähköposti on väärin. Esimerkiksi nimi@esimerkki.fi."},
    {Str::err_consent_required, "Anna lupa, jotta voimme ottaa sinuun yhteyttä.",
     "Ge ditt samtycke så att vi kan kontakta dig.", "Please give your consent so that we can contact you.",
     "Anna lupa. Muuten emme voi ottaa yhteyttä."},
    {Str::err_contact_missing, "Anna puhelinnumero tai sähköpostiosoite.",
     "Ange telefonnummer eller e-postadress.", "Please give a phone number or an e-mail address.",
     "Kirjoita puhelinnumero tai sähköposti."},
    {Str::err_invalid_encoding, "Tekstissä on merkkejä, joita emme voi lukea.",
     "Texten innehåller tecken som vi inte kan läsa.", "The text contains characters we cannot read.",
     "Tekstissä on outoja merkkejä."},
    {Str::err_not_a_number, "Valitse jokin annetuista vaihtoehdoista.", "Välj ett av de givna alternativen.",
     "Please choose one of the options.", "Valitse yksi vaihtoehto."},
    {Str::err_already_sent,
     "Tämä lomake oli jo lähetetty kerran, eikä tätä versiota tallennettu. Tarkista vastauksesi ja lähetä uudelleen.",
     "Det här formuläret hade redan skickats en gång, och den här versionen sparades inte. Kontrollera dina svar och "
     "skicka igen.",
     "This form had already been sent once, and this version was not saved. Check your answers and send again.",
     "Lomake oli jo lähetetty. Näitä vastauksia ei tallennettu. Katso vastaukset ja lähetä uudelleen."},
    {Str::err_rate_limited,
     "Vastauksia tuli juuri nyt liian monta. Vastauksiasi ei vielä tallennettu. Odota hetki ja lähetä uudelleen.",
     "Det kom för många svar just nu. Dina svar har inte sparats ännu. Vänta en stund och skicka igen.",
     "Too many answers arrived just now. Your answers have not been saved yet. Wait a moment and send again.",
     "Nyt tuli liian monta vastausta. Vastauksiasi ei tallennettu. Odota vähän ja lähetä uudelleen."},
    {Str::err_generic, "Tarkista tämä kohta.", "Kontrollera det här fältet.", "Please check this field.",
     "Tarkista tämä kohta."},

    // ---- Thank-you page
    {Str::thanks_title, "Kiitos vastauksestasi!", "Tack för ditt svar!", "Thank you for your answer!",
     "Kiitos vastauksesta!"},
    {Str::thanks_body, "Vastauksesi on tallennettu. Käytämme palautetta palvelujemme kehittämiseen.",
     "Ditt svar har sparats. Vi använder responsen för att utveckla våra tjänster.",
     "Your answer has been saved. We use feedback to improve our services.",
     "Vastaus on tallessa. Palautteen avulla teemme palveluista parempia."},
    {Str::thanks_again, "Takaisin kyselyyn", "Tillbaka till enkäten", "Back to the survey",
     "Takaisin kyselyyn"},
    {Str::complaint_heading, "Haluatko tehdä muistutuksen?", "Vill du göra en anmärkning?",
     "Do you want to make a formal complaint?", "Haluatko tehdä muistutuksen?"},
    {Str::complaint_body,
     "Tämä palaute ei ole virallinen muistutus. Jos olet tyytymätön hoitoosi, palveluun tai "
     "siihen, miten sinua kohdeltiin, voit tehdä muistutuksen. Muistutus tehdään kirjallisesti "
     "yksikölle, joka antoi hoidon tai palvelun. Muistutukseen vastataan aina kirjallisesti.",
     "Den här responsen är ingen formell anmärkning. Om du är missnöjd med din vård, tjänsten eller "
     "hur du blev bemött kan du göra en anmärkning. Anmärkningen görs skriftligt till den enhet som "
     "gav vården eller tjänsten. Du får alltid ett skriftligt svar på en anmärkning.",
     "This feedback is not a formal complaint. If you are not satisfied with your care, the service "
     "or how you were treated, you can make a formal complaint (in Finnish: muistutus). It is made "
     "in writing to the unit that gave the care or service, and it always gets a written answer.",
     "Tämä palaute ei ole muistutus. Oletko tyytymätön hoitoon tai palveluun? Tai siihen, miten "
     "sinua kohdeltiin? Silloin voit tehdä muistutuksen. Kirjoita muistutus paikkaan, jossa sait "
     "hoitoa tai palvelua. Saat aina vastauksen kirjeenä."},
    {Str::complaint_ombudsman,
     "Potilasasiavastaava (terveyspalvelut) ja sosiaaliasiavastaava (sosiaalipalvelut) neuvovat "
     "muistutuksen tekemisessä maksutta. Heidän yhteystietonsa löydät hyvinvointialueen "
     "verkkosivuilta, tai voit kysyä niitä henkilökunnalta.",
     "Patientombudsmannen (hälsotjänster) och socialombudsmannen (socialtjänster) ger dig "
     "kostnadsfri hjälp med anmärkningen. Du hittar deras kontaktuppgifter på välfärdsområdets "
     "webbplats eller kan fråga personalen.",
     "The patient ombudsman (health services) and the social ombudsman (social services) help "
     "you with a formal complaint free of charge. Their contact details are on the county's "
     "website, or you can ask the staff.",
     "Potilasasiavastaava ja sosiaaliasiavastaava auttavat sinua. Apu on ilmaista. Kysy heidän "
     "puhelinnumeroaan henkilökunnalta tai katso se hyvinvointialueen verkkosivuilta."},
    {Str::complaint_relative,
     "Läheinen tai laillinen edustaja voi tehdä muistutuksen asiakkaan puolesta, jos asiakas ei "
     "itse pysty siihen tai antaa siihen luvan.",
     "En anhörig eller laglig företrädare kan göra en anmärkning för klientens räkning, om klienten "
     "inte själv kan eller ger sitt lov.",
     "A relative or a legal representative can make a complaint on the client's behalf if the "
     "client cannot do it or gives permission.",
     "Läheinen voi tehdä muistutuksen sinun puolestasi. Silloin sinun pitää antaa lupa, tai et "
     "itse pysty tekemään sitä."},
    {Str::complaint_more, "Lisätietoa muistutuksesta ja asiavastaavien yhteystiedot:",
     "Mer information om anmärkningar och ombudsmännens kontaktuppgifter:",
     "More about formal complaints and the ombudsmen's contact details:", "Lisää tietoa muistutuksesta:"},
    {Str::complaint_phone,
     "Neuvonta puhelimitse:", "Rådgivning per telefon:", "Advice by phone:", "Voit myös soittaa:"},
    {Str::other_feedback_link, "Anna muuta palautetta", "Ge annan respons", "Give other feedback",
     "Anna muuta palautetta"},

    // ---- Kiosk
    {Str::kiosk_intro, "Vastaus on nimetön. Kosketa yhtä kasvoa.", "Svaret är anonymt. Tryck på ett ansikte.",
     "Your answer is anonymous. Tap one face.", "Et kerro nimeäsi. Paina yhtä naamaa."},
    {Str::kiosk_thanks_title, "Kiitos!", "Tack!", "Thank you!", "Kiitos!"},
    {Str::kiosk_thanks_body, "Vastauksesi on tallennettu.", "Ditt svar har sparats.",
     "Your answer has been saved.", "Vastaus on tallessa."},
    {Str::kiosk_reset_note, "Sivu palaa alkuun {n} sekunnin kuluttua.",
     "Sidan går tillbaka till början om {n} sekunder.", "This page returns to the start in {n} seconds.",
     "Sivu palaa alkuun {n} sekunnin päästä."},
    {Str::kiosk_start_now, "Alkuun", "Till början", "Back to start", "Alkuun"},
    {Str::kiosk_followup_intro, "Kiitos! Voit vielä kertoa lisää.", "Tack! Du kan berätta lite mer.",
     "Thank you! You can tell us a little more.", "Kiitos! Voit vielä kertoa lisää."},
    {Str::kiosk_followup_send, "Lähetä", "Skicka", "Send", "Lähetä"},
    {Str::kiosk_skip, "Ohita", "Hoppa över", "Skip", "Ohita"},
    {Str::kiosk_footer, "Vastaukset ovat nimettömiä.", "Svaren är anonyma.", "Answers are anonymous.",
     "Kukaan ei tiedä, kuka vastasi."},

    // ---- Free-form feedback
    {Str::fb_title, "Anna palautetta", "Ge respons", "Give feedback", "Anna palautetta"},
    {Str::fb_intro,
     "Voit antaa kiitosta, kehitysehdotuksen tai moitteen mistä tahansa palvelustamme. Myös "
     "läheiset voivat antaa palautetta.",
     "Du kan ge beröm, förslag eller kritik om vilken som helst av våra tjänster. Även anhöriga "
     "kan ge respons.",
     "You can give praise, a suggestion or criticism about any of our services. Relatives can "
     "give feedback too.",
     "Voit kiittää, ehdottaa tai moittia. Palaute voi koskea mitä tahansa palvelua. Myös läheinen "
     "voi antaa palautetta."},
    {Str::fb_h_service, "Mitä palvelua palaute koskee?", "Vilken tjänst gäller responsen?",
     "Which service is the feedback about?", "Mitä palvelua palaute koskee?"},
    {Str::fb_search_label, "Hae palvelua tai yksikköä nimellä", "Sök tjänst eller enhet med namn",
     "Search for a service or unit by name", "Kirjoita palvelun nimi"},
    {Str::fb_search_hint, "Esimerkiksi: terveysasema, hammashoito", "Till exempel: hälsostation, tandvård",
     "For example: health centre, dental care", "Esimerkiksi: terveysasema"},
    {Str::fb_search_button, "Hae", "Sök", "Search", "Hae"},
    {Str::fb_results_legend, "Valitse palvelu", "Välj tjänst", "Choose the service", "Valitse palvelu"},
    {Str::fb_no_results, "Haulla ei löytynyt palveluja. Kokeile toista sanaa.",
     "Sökningen gav inga tjänster. Försök med ett annat ord.",
     "No services matched. Please try another word.", "Palvelua ei löytynyt. Kokeile toista sanaa."},
    {Str::fb_unit_whole_county, "En tiedä, tai palaute koskee koko hyvinvointialuetta",
     "Jag vet inte, eller responsen gäller hela välfärdsområdet",
     "I don't know, or the feedback is about the whole county", "En tiedä"},
    {Str::fb_browse_hint,
     "Palvelut on ryhmitelty palvelualueittain. Jos et tiedä yksikön nimeä, valitse palvelualue "
     "tai \"En tiedä\".",
     "Tjänsterna är grupperade efter tjänsteområde. Om du inte vet enhetens namn, välj "
     "tjänsteområdet eller \"Jag vet inte\".",
     "The services are grouped by service area. If you do not know the unit's name, choose the "
     "service area or \"I don't know\".",
     "Palvelut ovat ryhmissä. Jos et tiedä paikan nimeä, valitse ryhmä tai \"En tiedä\"."},
    {Str::fb_browse_placeholder, "Valitse listasta", "Välj i listan", "Choose from the list",
     "Valitse listasta"},
    {Str::fb_unit_whole_area, "{n} (koko palvelualue)", "{n} (hela tjänsteområdet)",
     "{n} (the whole service area)", "{n} (koko ryhmä)"},
    {Str::fb_h_feedback, "Palautteesi", "Din respons", "Your feedback", "Palaute"},
    {Str::fb_kind_legend, "Millaista palautetta annat?", "Vilken sorts respons ger du?",
     "What kind of feedback is it?", "Mitä haluat kertoa?"},
    {Str::fb_kind_praise, "Kiitos", "Beröm", "Praise", "Haluan kiittää"},
    {Str::fb_kind_suggestion, "Kehitysehdotus", "Förslag", "Suggestion", "Minulla on ehdotus"},
    {Str::fb_kind_complaint, "Moite", "Kritik", "Criticism", "Olen tyytymätön"},
    {Str::fb_text_label, "Kirjoita palautteesi", "Skriv din respons", "Write your feedback",
     "Kirjoita palaute"},
    {Str::fb_respondent_legend, "Kuka kirjoittaa?", "Vem skriver?", "Who is writing?", "Kuka kirjoittaa?"},
    {Str::fb_respondent_self, "Kirjoitan omasta asiastani", "Jag skriver om min egen sak",
     "I write about my own matter", "Kirjoitan omasta asiastani"},
    {Str::fb_respondent_relative, "Kirjoitan läheiseni asiasta", "Jag skriver om en anhörigs sak",
     "I write about my relative's matter", "Kirjoitan läheiseni asiasta"},
    {Str::fb_respondent_other, "Joku muu", "Någon annan", "Someone else", "Joku muu"},
    {Str::fb_h_contact, "Yhteydenotto", "Kontakt", "Contact", "Yhteydenotto"},
    {Str::fb_send, "Lähetä palaute", "Skicka responsen", "Send feedback", "Lähetä"},
    {Str::fb_thanks_title, "Kiitos palautteestasi!", "Tack för din respons!", "Thank you for your feedback!",
     "Kiitos palautteesta!"},
    {Str::fb_thanks_body,
     "Palautteesi on tallennettu, ja se välitetään palvelun esihenkilölle. Jos pyysit "
     "yhteydenottoa, sinuun otetaan yhteyttä.",
     "Din respons har sparats och skickas till tjänstens chef. Om du bad om att bli kontaktad "
     "kontaktar vi dig.",
     "Your feedback has been saved and goes to the manager of the service. If you asked to be "
     "contacted, we will contact you.",
     "Palaute on tallessa. Palvelun esihenkilö lukee sen. Jos pyysit, sinulle soitetaan tai "
     "kirjoitetaan."},
    {Str::fb_err_unit, "Valitse palvelu, jota palaute koskee.", "Välj den tjänst som responsen gäller.",
     "Please choose the service the feedback is about.", "Valitse palvelu."},
    {Str::fb_err_kind, "Valitse palautteen laji.", "Välj typ av respons.",
     "Please choose the kind of feedback.", "Valitse, mitä haluat kertoa."},

    // ---- Accessibility statement
    {Str::a11y_title, "Saavutettavuusseloste", "Tillgänglighetsutlåtande", "Accessibility statement",
     "Saavutettavuusseloste"},
    {Str::a11y_intro,
     "Tämä seloste koskee asiakaspalautteen verkkopalvelua: kyselyjä, palautelomaketta ja "
     "kioskinäkymää. Laki digitaalisten palvelujen tarjoamisesta (306/2019) edellyttää, että "
     "julkisten verkkopalvelujen on oltava saavutettavia.",
     "Detta utlåtande gäller webbtjänsten för kundrespons: enkäterna, responsformuläret och "
     "kioskvyn. Lagen om tillhandahållande av digitala tjänster (306/2019) kräver att offentliga "
     "webbtjänster är tillgängliga.",
     "This statement covers the customer feedback web service: the surveys, the feedback form and "
     "the kiosk view. The Finnish Act on the Provision of Digital Services (306/2019) requires "
     "public web services to be accessible.",
     "Tämä teksti kertoo, miten hyvin palautesivuja voi käyttää. Sivujen pitää toimia kaikille. "
     "Niin sanoo laki."},
    {Str::a11y_h_status, "Saavutettavuuden tila", "Tillgänglighetsstatus", "Compliance status",
     "Toimivatko sivut kaikille?"},
    {Str::a11y_status,
     "Palvelu täyttää WCAG 2.1 -ohjeiston AA-tason vaatimukset osittain. Puutteet on lueteltu alla.",
     "Tjänsten uppfyller delvis kraven på nivå AA i WCAG 2.1. Bristerna räknas upp nedan.",
     "The service partially conforms with WCAG 2.1 level AA. The known limitations are listed below.",
     "Sivut toimivat melkein kokonaan. Puutteet ovat alla."},
    {Str::a11y_h_limits, "Tunnetut puutteet", "Kända brister", "Known limitations", "Puutteet"},
    {Str::a11y_limit_kiosk,
     "Kioskinäkymä palaa alkuun itsestään muutaman sekunnin kuluttua, jotta seuraava asiakas "
     "ei näe edellisen vastausta. Aikaa ei voi pidentää (WCAG 2.2.1). Voit vastata samaan "
     "kyselyyn myös omalla laitteellasi QR-koodin kautta.",
     "Kioskvyn går tillbaka till början efter några sekunder så att nästa kund inte ser det "
     "föregående svaret. Tiden kan inte förlängas (WCAG 2.2.1). Du kan också svara på samma "
     "enkät med din egen enhet via QR-koden.",
     "The kiosk view returns to the start by itself after a few seconds so that the next customer "
     "does not see the previous answer. The time cannot be extended (WCAG 2.2.1). You can answer "
     "the same survey on your own device through the QR code.",
     "Kioskin sivu palaa alkuun itsestään. Aikaa ei voi saada lisää. Voit vastata myös omalla "
     "puhelimella."},
    {Str::a11y_limit_poster,
     "Tulostettavan julisteen QR-koodi ei ole saavutettava näkövammaiselle. Julisteessa on myös "
     "kyselyn osoite tekstinä.",
     "QR-koden på den utskrivbara affischen är inte tillgänglig för synskadade. Affischen visar "
     "också enkätens adress som text.",
     "The QR code on the printable poster is not accessible to blind users. The poster also shows "
     "the survey address as text.",
     "Sokea ei voi käyttää julisteen QR-koodia. Julisteessa on myös osoite tekstinä."},
    {Str::a11y_limit_model_texts,
     "Kysymysten tekstit laatii hyvinvointialue. Kaikkia tekstejä ei ole vielä tarkistettu "
     "selkokielen asiantuntijalla.",
     "Frågornas texter skrivs av välfärdsområdet. Alla texter har ännu inte granskats av en "
     "expert på lättläst språk.",
     "The question texts are written by the county. Not all texts have been reviewed by a "
     "plain-language expert yet.",
     "Hyvinvointialue kirjoittaa kysymykset. Kaikkia selkotekstejä ei ole vielä tarkistettu."},
    {Str::a11y_h_prepared, "Selosteen laatiminen", "Hur utlåtandet har utarbetats",
     "Preparation of this statement", "Kuka teki tämän tekstin?"},
    {Str::a11y_prepared, "Seloste on laadittu {n}.", "Utlåtandet har utarbetats {n}.",
     "This statement was prepared on {n}.", "Teksti on tehty {n}."},
    {Str::a11y_method,
     "Arvio perustuu itsearvioon ja automaattisiin testeihin. Jokainen vastaajalle näkyvä sivu "
     "tarkistetaan automaattisesti axe-core-työkalulla WCAG 2.1 -ohjeiston A- ja AA-tason "
     "vaatimuksia vasten. Testit varmistavat myös, että sivut toimivat ilman JavaScriptiä ja "
     "320 pikselin levyisellä näytöllä. Lomakkeissa on vain selaimen omia säätimiä, joita voi "
     "käyttää näppäimistöllä. Sivuja ei ole vielä testattu ruudunlukijalla. Se testaus tehdään "
     "myöhemmin.",
     "Bedömningen bygger på en självbedömning och automatiska tester. Varje sida som visas för den "
     "som svarar kontrolleras automatiskt med verktyget axe-core mot kraven på nivå A och AA i "
     "WCAG 2.1. Testerna kontrollerar också att sidorna fungerar utan JavaScript och på en 320 "
     "pixlar bred skärm. Formulären har bara webbläsarens egna kontroller, som kan användas med "
     "tangentbord. Sidorna har ännu inte testats med skärmläsare. Den testningen görs senare.",
     "The assessment is based on a self-assessment and automated tests. Every page a respondent "
     "sees is checked automatically with axe-core against the WCAG 2.1 level A and AA "
     "requirements. The tests also check that the pages work without JavaScript and on a screen "
     "320 pixels wide. The forms use only the browser's own controls, which work with a keyboard. "
     "The pages have not yet been tested with a screen reader. That testing will be done later.",
     "Kone tarkistaa sivut joka kerta. Sivut toimivat ilman JavaScriptiä ja kapealla näytöllä. "
     "Sivuja voi käyttää näppäimistöllä. Ruudunlukijalla sivuja ei ole vielä kokeiltu."},
    {Str::a11y_h_feedback, "Palaute saavutettavuudesta", "Respons om tillgängligheten",
     "Feedback on accessibility", "Kerro meille, jos sivu ei toimi"},
    {Str::a11y_feedback,
     "Huomasitko puutteen? Kerro siitä meille, niin korjaamme sen. Vastaamme 14 päivän kuluessa.",
     "Har du upptäckt en brist? Berätta för oss så rättar vi den. Vi svarar inom 14 dagar.",
     "Did you notice a problem? Tell us and we will fix it. We answer within 14 days.",
     "Eikö sivu toimi? Kerro meille. Vastaamme 14 päivän sisällä."},
    {Str::a11y_feedback_form, "Palautelomake", "Responsformulär", "Feedback form", "Palautelomake"},
    {Str::a11y_email_label, "Sähköposti:", "E-post:", "E-mail:", "Sähköposti:"},
    {Str::a11y_phone_label, "Puhelin:", "Telefon:", "Phone:", "Puhelin:"},
    {Str::a11y_h_enforcement, "Valvontaviranomainen", "Tillsynsmyndighet", "Enforcement procedure",
     "Jos et saa vastausta"},
    {Str::a11y_enforcement,
     "Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon aikana, voit "
     "tehdä ilmoituksen valvontaviranomaiselle. Saavutettavuutta valvoo Etelä-Suomen "
     "aluehallintoviraston saavutettavuuden valvonnan yksikkö (1.1.2026 alkaen Lupa- ja "
     "valvontavirasto).",
     "Om du inte är nöjd med svaret eller inte får något svar inom två veckor kan du göra en "
     "anmälan till tillsynsmyndigheten. Tillgängligheten övervakas av enheten för "
     "tillgänglighetstillsyn vid Regionförvaltningsverket i Södra Finland (från 1.1.2026 "
     "Tillstånds- och tillsynsverket).",
     "If you are not satisfied with our answer or get no answer within two weeks, you can notify "
     "the enforcement authority: the Accessibility Monitoring Unit of the Regional State "
     "Administrative Agency for Southern Finland (from 1 January 2026 the Finnish Supervisory "
     "Agency).",
     "Etkö saanut vastausta kahdessa viikossa? Tai etkö ole tyytyväinen vastaukseen? Silloin voit "
     "kertoa asiasta valvojalle. Valvoja on Etelä-Suomen aluehallintovirasto (vuodesta 2026 "
     "Lupa- ja valvontavirasto)."},
    {Str::a11y_enforcement_site, "Lisätietoa: www.saavutettavuusvaatimukset.fi",
     "Mer information: www.tillganglighetskrav.fi", "More information: www.webaccessibility.fi",
     "Lisää tietoa: www.saavutettavuusvaatimukset.fi"},

    // ---- Error pages
    {Str::e404_title, "Sivua ei löytynyt", "Sidan hittades inte", "Page not found", "Sivua ei löydy"},
    {Str::e404_body,
     "Kyselyä tai sivua ei ole. Tarkista osoite. Jos luit QR-koodin, kokeile lukea se uudelleen.",
     "Enkäten eller sidan finns inte. Kontrollera adressen. Om du läste en QR-kod, försök igen.",
     "The survey or page does not exist. Please check the address. If you scanned a QR code, "
     "please try again.",
     "Sivua ei ole. Tarkista osoite. Tai lue QR-koodi uudelleen."},
    {Str::e410_used_title, "Tähän kutsuun on jo vastattu", "Inbjudan har redan besvarats",
     "This invitation has already been answered", "Olet jo vastannut"},
    {Str::e410_used_body, "Kiitos, vastasit jo. Samalla linkillä voi vastata vain kerran.",
     "Tack, du har redan svarat. Med samma länk kan man svara bara en gång.",
     "Thank you, you have already answered. Each link can be used only once.",
     "Kiitos, vastasit jo. Linkillä voi vastata vain kerran."},
    {Str::e410_expired_title, "Linkki on vanhentunut", "Länken har gått ut", "The link has expired",
     "Linkki ei enää toimi"},
    {Str::e410_expired_body, "Vastausaika on päättynyt. Voit silti antaa palautetta palautelomakkeella.",
     "Svarstiden har gått ut. Du kan ändå ge respons med responsformuläret.",
     "The time to answer has ended. You can still give feedback with the feedback form.",
     "Vastausaika loppui. Voit silti antaa palautetta."},
    {Str::e413_title, "Vastaus on liian pitkä", "Svaret är för långt", "The answer is too long",
     "Vastaus on liian pitkä"},
    {Str::e413_body, "Lyhennä tekstiä ja yritä uudelleen.", "Korta av texten och försök igen.",
     "Please shorten the text and try again.", "Kirjoita lyhyemmin. Yritä sitten uudelleen."},
    {Str::e429_title, "Liian monta yritystä", "För många försök", "Too many attempts",
     "Liian monta yritystä"},
    {Str::e429_body, "Odota hetki ja yritä sitten uudelleen.", "Vänta en stund och försök sedan igen.",
     "Please wait a moment and try again.", "Odota hetki. Yritä sitten uudelleen."},
    {Str::e400_title, "Lomaketta ei voitu lukea", "Formuläret kunde inte läsas", "The form could not be read",
     "Lomake ei toiminut"},
    {Str::e400_body, "Palaa takaisin ja yritä uudelleen.", "Gå tillbaka och försök igen.",
     "Please go back and try again.", "Palaa takaisin. Yritä uudelleen."},
    {Str::e500_title, "Jokin meni vikaan", "Något gick fel", "Something went wrong", "Jokin meni vikaan"},
    {Str::e500_body, "Vastaustasi ei ehkä tallennettu. Yritä hetken päästä uudelleen.",
     "Ditt svar kanske inte sparades. Försök igen om en stund.",
     "Your answer may not have been saved. Please try again in a moment.",
     "Vastaus ei ehkä tallentunut. Yritä hetken päästä uudelleen."},

    // ---- Poster
    {Str::poster_title, "Kerro kokemuksesi!", "Berätta om din upplevelse!", "Tell us about your experience!",
     "Kerro, miten meni!"},
    {Str::poster_body, "Lue QR-koodi puhelimen kameralla ja vastaa lyhyeen kyselyyn. Vastaus on nimetön.",
     "Läs QR-koden med mobilkameran och svara på en kort enkät. Svaret är anonymt.",
     "Scan the QR code with your phone camera and answer a short survey. Your answer is anonymous.",
     "Lue koodi puhelimella. Vastaa muutamaan kysymykseen. Et kerro nimeäsi."},
    {Str::poster_url_note, "Tai kirjoita osoite selaimeen:", "Eller skriv adressen i webbläsaren:",
     "Or type the address in your browser:", "Tai kirjoita tämä osoite:"},
    {Str::poster_qr_alt, "QR-koodi kyselyyn", "QR-kod till enkäten", "QR code to the survey",
     "QR-koodi kyselyyn"},
};

static_assert(std::size(kRows) == static_cast<std::size_t>(Str::kCount),
              "every Str key needs exactly one row in kRows");

}  // namespace

std::string_view tr(Str key, domain::Language lang) noexcept {
  const auto i = static_cast<std::size_t>(key);
  if (i >= std::size(kRows)) return "";
  const Row& row = kRows[i];
  switch (lang) {
    case domain::Language::fi:
      return row.fi;
    case domain::Language::sv:
      return row.sv;
    case domain::Language::en:
      return row.en;
    case domain::Language::fi_selko:
      return row.selko;
  }
  return row.fi;
}

std::string fill(std::string_view tmpl, std::string_view value) {
  std::string out;
  out.reserve(tmpl.size() + value.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t at = tmpl.find("{n}", pos);
    if (at == std::string_view::npos) break;
    out.append(tmpl.substr(pos, at - pos));
    out.append(value);
    pos = at + 3;
  }
  out.append(tmpl.substr(pos));
  return out;
}

// Exposed for the unit test: the key stored in row i (to check the order).
Str string_row_key(std::size_t i) noexcept {
  return kRows[i].key;
}

}  // namespace kaiku::web
