#include <gtest/gtest.h>

#include <string>

#include "web/html_checks.hpp"
#include "web/pages.hpp"
#include "web/web_test_model.hpp"

namespace kaiku::web {
namespace {

using domain::Language;
using testing::count;

class KioskTest : public ::testing::Test {
 protected:
  domain::Model model = testing::small_model();
  PageContext ctx(Language lang = Language::fi) {
    PageContext c;
    c.lang = lang;
    c.model = &model;
    c.path = "/k/tp1";
    return c;
  }
  KioskForm form() {
    KioskForm f;
    f.model = &model;
    f.survey = model.survey("kiosk");
    f.touchpoint = model.touchpoint("tp1");
    f.question = f.survey->question("mood");
    f.action_url = "/k/tp1";
    f.submission_key = "BBBBBBBBBBBBBBBBBBBBBB";
    return f;
  }
};

TEST_F(KioskTest, StartPageHasOneTapFaceButtonsAndNoPersonalFields) {
  const std::string html = render_kiosk_page(ctx(), form());
  testing::expect_page_frame(html, "fi");
  testing::expect_labels_and_unique_ids(html);
  EXPECT_NE(html.find("<form method=\"post\" action=\"/k/tp1\""), std::string::npos);
  EXPECT_NE(html.find("name=\"k\" value=\"BBBBBBBBBBBBBBBBBBBBBB\""), std::string::npos);
  for (int i = 1; i <= 5; ++i)
    EXPECT_NE(html.find("<button type=\"submit\" name=\"face\" value=\"" + std::to_string(i) + "\""),
              std::string::npos);
  EXPECT_EQ(count(html, "<button"), 5);
  EXPECT_EQ(count(html, "class=\"face-label\""), 5) << "every face has a text label";
  EXPECT_NE(html.find("Erittäin huono"), std::string::npos);
  EXPECT_EQ(html.find("type=\"text\""), std::string::npos);
  EXPECT_EQ(html.find("type=\"tel\""), std::string::npos);
  EXPECT_EQ(html.find("type=\"email\""), std::string::npos);
  EXPECT_EQ(html.find("textarea"), std::string::npos);
  EXPECT_EQ(html.find("http-equiv=\"refresh\""), std::string::npos) << "start page does not reset itself";
  EXPECT_NE(html.find("<h1 id=\"kiosk-question\">Kysymys mood</h1>"), std::string::npos);
  EXPECT_NE(html.find("aria-labelledby=\"kiosk-question\""), std::string::npos);
  EXPECT_NE(html.find("<body class=\"kiosk\">"), std::string::npos);
}

TEST_F(KioskTest, ThreeFacesForSmiley3) {
  model.surveys[1].questions[0].type = domain::QuestionType::smiley3;
  KioskForm f = form();
  const std::string html = render_kiosk_page(ctx(Language::sv), f);
  EXPECT_EQ(count(html, "name=\"face\""), 3);
  EXPECT_NE(html.find(">Bra</span>"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"sv\">"), std::string::npos);
}

TEST_F(KioskTest, ThanksPageResetsToTheStart) {
  KioskReset reset{8, "/k/tp1?lang=fi"};
  std::string html = render_kiosk_thanks_page(ctx(), reset);
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<meta http-equiv=\"refresh\" content=\"8;url=/k/tp1?lang=fi\">"), std::string::npos);
  EXPECT_NE(html.find("8 sekunnin kuluttua"), std::string::npos);
  EXPECT_NE(html.find("href=\"/k/tp1?lang=fi\""), std::string::npos);
  EXPECT_EQ(kiosk_refresh_header(reset), "8;url=/k/tp1?lang=fi");
  reset.in_markup = false;
  html = render_kiosk_thanks_page(ctx(), reset);
  EXPECT_EQ(html.find("http-equiv"), std::string::npos);
  EXPECT_NE(html.find("8 sekunnin kuluttua"), std::string::npos);
}

TEST_F(KioskTest, FollowupPageCarriesTheTapAndResetsLater) {
  KioskFollowup f;
  f.question = model.survey("kiosk")->question("why");
  f.action_url = "/k/tp1/jatko";
  f.submission_key = "CCCCCCCCCCCCCCCCCCCCCC";
  f.response_id = 42;
  f.reset = {20, "/k/tp1?lang=en"};
  const std::string html = render_kiosk_followup_page(ctx(Language::en), f);
  testing::expect_page_frame(html, "en");
  testing::expect_labels_and_unique_ids(html);
  testing::expect_radios_in_fieldsets(html);
  EXPECT_NE(html.find("<meta http-equiv=\"refresh\" content=\"20;url=/k/tp1?lang=en\">"), std::string::npos);
  EXPECT_NE(html.find("name=\"r\" value=\"42\""), std::string::npos);
  EXPECT_NE(html.find("name=\"k\" value=\"CCCCCCCCCCCCCCCCCCCCCC\""), std::string::npos);
  EXPECT_NE(html.find("name=\"q.why\" value=\"wait\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/k/tp1/jatko\""), std::string::npos);
  EXPECT_NE(html.find(">Skip</a>"), std::string::npos);
}

class FeedbackTest : public ::testing::Test {
 protected:
  domain::Model model = testing::small_model();
  PageContext ctx(Language lang = Language::fi) {
    PageContext c;
    c.lang = lang;
    c.model = &model;
    c.path = "/palaute";
    return c;
  }
  FeedbackForm form() {
    FeedbackForm f;
    f.model = &model;
    f.action_url = "/palaute";
    f.submission_key = "DDDDDDDDDDDDDDDDDDDDDD";
    return f;
  }
  std::vector<std::string> ids(std::string_view q) {
    std::vector<std::string> out;
    for (const auto* u : search_units(model, q)) out.push_back(u->id);
    return out;
  }
};

TEST_F(FeedbackTest, SearchMatchesNamesInAllLanguagesAndKeywords) {
  EXPECT_EQ(ids("lohja"), std::vector<std::string>{"unit_hc"});
  EXPECT_EQ(ids("LOHJAN terveys"), std::vector<std::string>{"unit_hc"});
  EXPECT_EQ(ids("lojo"), std::vector<std::string>{"unit_hc"});           // Swedish name
  EXPECT_EQ(ids("health centre"), std::vector<std::string>{"unit_hc"});  // English name
  EXPECT_EQ(ids("äijälä"), std::vector<std::string>{"unit_dental"});
  EXPECT_EQ(ids("AIJALA"), std::vector<std::string>{"unit_dental"});  // diacritics ignored
  EXPECT_EQ(ids("ÄIJÄLÄ"), std::vector<std::string>{"unit_dental"});
  EXPECT_EQ(ids("hampaat"), std::vector<std::string>{"unit_dental"});  // keyword
  EXPECT_EQ(ids("sosiaali"), (std::vector<std::string>{"area_social", "unit_sw"}));
  EXPECT_TRUE(ids("").empty());
  EXPECT_TRUE(ids("   ").empty());
  EXPECT_TRUE(ids("xyzzy").empty());
  EXPECT_TRUE(ids("hyvinvointialue").empty()) << "the county root is never a search result";
  EXPECT_EQ(search_units(model, "a", 2).size(), 2u);
}

TEST_F(FeedbackTest, FormHasSearchKindTextWriterAndContact) {
  FeedbackForm f = form();
  f.search = "lohja";
  const std::string html = render_feedback_page(ctx(), f);
  testing::expect_page_frame(html, "fi");
  testing::expect_labels_and_unique_ids(html);
  testing::expect_radios_in_fieldsets(html);
  testing::expect_describedby_targets_exist(html);
  EXPECT_NE(html.find("<form method=\"get\" action=\"/palaute\""), std::string::npos);
  EXPECT_NE(html.find("type=\"search\" id=\"haku\" name=\"haku\" value=\"lohja\""), std::string::npos);
  EXPECT_NE(html.find("<form method=\"post\" action=\"/palaute\""), std::string::npos);
  EXPECT_NE(html.find("name=\"unit\" value=\"unit_hc\""), std::string::npos);
  EXPECT_NE(html.find("Lohjan terveysasema (Terveyspalvelut)"), std::string::npos);
  EXPECT_NE(html.find("name=\"unit\" value=\"county\""), std::string::npos);
  EXPECT_EQ(html.find("value=\"unit_sw\""), std::string::npos);
  for (const char* kind : {"praise", "suggestion", "complaint"})
    EXPECT_NE(html.find(std::string("name=\"kind\" value=\"") + kind + "\""), std::string::npos);
  for (const char* who : {"self", "relative", "other"})
    EXPECT_NE(html.find(std::string("name=\"respondent\" value=\"") + who + "\""), std::string::npos);
  EXPECT_NE(html.find("<textarea id=\"text\" name=\"text\" rows=\"8\" maxlength=\"4000\""),
            std::string::npos);
  EXPECT_NE(html.find("name=\"contact.wanted\""), std::string::npos);
  EXPECT_NE(html.find("name=\"contact.consent\""), std::string::npos);
  EXPECT_NE(html.find("name=\"k\" value=\"DDDDDDDDDDDDDDDDDDDDDD\""), std::string::npos);
  EXPECT_NE(html.find("Potilasasiavastaava"), std::string::npos);
  EXPECT_NE(html.find("muistutus"), std::string::npos);
}

TEST_F(FeedbackTest, NoResultsAndChosenUnitKept) {
  FeedbackForm f = form();
  f.search = "xyzzy";
  f.unit = "unit_sw";
  f.kind = "complaint";
  f.respondent = "relative";
  f.text = "<script>x</script>";
  const std::string html = render_feedback_page(ctx(Language::sv), f);
  EXPECT_NE(html.find("Sökningen gav inga tjänster"), std::string::npos);
  EXPECT_NE(html.find("name=\"unit\" value=\"unit_sw\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"kind\" value=\"complaint\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"respondent\" value=\"relative\" checked"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;</textarea>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"sv\">"), std::string::npos);
}

TEST_F(FeedbackTest, ErrorsLinkToTheirFields) {
  FeedbackForm f = form();
  f.errors = {{"unit", "required", ""},
              {"kind", "required", ""},
              {"text", "required", ""},
              {"contact.email", "invalid_email", ""}};
  const std::string html = render_feedback_page(ctx(Language::en), f);
  testing::expect_describedby_targets_exist(html);
  EXPECT_EQ(count(html, "role=\"alert\""), 1);
  EXPECT_NE(html.find("<a href=\"#unit\">"), std::string::npos);  // the browse list (no search)
  EXPECT_NE(html.find("aria-describedby=\"unit-hint unit-error\" aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("Please choose the service the feedback is about."), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#kind-praise\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#text\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#contact-email\">"), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"text-hint text-error\" aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("<title>Error: Give feedback"), std::string::npos);
}

TEST_F(FeedbackTest, WithoutSearchEveryAreaAndUnitCanBeChosenFromAGroupedList) {
  FeedbackForm f = form();
  std::string html = render_feedback_page(ctx(), f);
  testing::expect_page_frame(html, "fi");
  testing::expect_labels_and_unique_ids(html);
  testing::expect_describedby_targets_exist(html);
  EXPECT_NE(html.find("<label class=\"question-text\" for=\"unit\">Valitse palvelu</label>"),
            std::string::npos);
  EXPECT_NE(html.find("<select id=\"unit\" name=\"unit\" aria-describedby=\"unit-hint\""), std::string::npos);
  EXPECT_NE(html.find("type=\"search\" id=\"haku\""), std::string::npos);  // the search stays
  EXPECT_EQ(html.find("type=\"radio\" id=\"unit-"), std::string::npos);    // no radios in browse mode
  EXPECT_EQ(count(html, "<optgroup"), 2);
  const std::size_t health = html.find("<optgroup label=\"Terveyspalvelut\">");
  const std::size_t social = html.find("<optgroup label=\"Sosiaalipalvelut\">");
  ASSERT_NE(health, std::string::npos);
  ASSERT_NE(social, std::string::npos);
  const std::size_t hc = html.find("<option value=\"unit_hc\">Lohjan terveysasema</option>");
  const std::size_t sw = html.find("<option value=\"unit_sw\">Aikuissosiaalityö</option>");
  EXPECT_TRUE(hc > health && hc < social) << "units under their own area";
  EXPECT_GT(sw, social);
  EXPECT_NE(html.find("<option value=\"area_health\">Terveyspalvelut (koko palvelualue)</option>"),
            std::string::npos);
  EXPECT_LT(html.find("<option value=\"county\">"), health) << "'I don't know' comes first";
  EXPECT_NE(html.find("<option value=\"\">Valitse listasta</option>"), std::string::npos);
  // A chosen unit stays selected after a failed POST; other languages use their names.
  f.unit = "unit_dental";
  html = render_feedback_page(ctx(Language::sv), f);
  EXPECT_NE(html.find("<option value=\"unit_dental\" selected>Tandklinik Äijälä</option>"),
            std::string::npos);
  EXPECT_NE(html.find("<optgroup label=\"Hälsotjänster\">"), std::string::npos);
  EXPECT_EQ(count(html, " selected"), 1);
}

TEST_F(FeedbackTest, ThanksPage) {
  const std::string html = render_feedback_thanks_page(ctx(Language::fi_selko));
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("Kiitos palautteesta!"), std::string::npos);
  EXPECT_NE(html.find("muistutus"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::web
