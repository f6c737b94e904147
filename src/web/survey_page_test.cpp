#include <gtest/gtest.h>

#include <string>

#include "web/html_checks.hpp"
#include "web/pages.hpp"
#include "web/web_test_model.hpp"

namespace kaiku::web {
namespace {

using domain::Language;
using testing::count;

class SurveyPageTest : public ::testing::Test {
 protected:
  domain::Model model = testing::small_model();

  PageContext ctx(Language lang = Language::fi) {
    PageContext c;
    c.lang = lang;
    c.model = &model;
    c.path = "/s/tp1";
    return c;
  }
  SurveyForm form() {
    SurveyForm f;
    f.model = &model;
    f.survey = model.survey("core");
    f.touchpoint = model.touchpoint("tp1");
    f.unit = "unit_hc";
    f.action_url = "/s/tp1";
    f.submission_key = "AAAAAAAAAAAAAAAAAAAAAA";
    f.variant = "child";
    f.channel = "qr";
    return f;
  }
};

TEST_F(SurveyPageTest, RendersEveryQuestionTypeWithContractNamesAndValues) {
  const std::string html = render_survey_page(ctx(), form());
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<form method=\"post\" action=\"/s/tp1\""), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"k\" value=\"AAAAAAAAAAAAAAAAAAAAAA\">"),
            std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"lang\" value=\"fi\">"), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"v\" value=\"child\">"), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"c\" value=\"qr\">"), std::string::npos);
  // NPS 0..10.
  EXPECT_EQ(count(html, "name=\"q.nps\""), 11);
  for (int i = 0; i <= 10; ++i)
    EXPECT_NE(html.find("name=\"q.nps\" value=\"" + std::to_string(i) + "\""), std::string::npos) << i;
  // Agreement 1..5 + cant_say.
  EXPECT_EQ(count(html, "name=\"q.agree\""), 6);
  EXPECT_NE(html.find("name=\"q.agree\" value=\"cant_say\""), std::string::npos);
  EXPECT_NE(html.find("En osaa sanoa"), std::string::npos);
  EXPECT_NE(html.find("Täysin samaa mieltä"), std::string::npos);
  // Smileys with text labels and decorative faces.
  EXPECT_EQ(count(html, "name=\"q.face3\""), 3);
  EXPECT_EQ(count(html, "name=\"q.face5\""), 5);
  EXPECT_EQ(count(html, "<svg class=\"face"), 8);
  EXPECT_EQ(count(html, "aria-hidden=\"true\" focusable=\"false\""), 8);
  EXPECT_NE(html.find("Erittäin hyvä"), std::string::npos);
  // Choices.
  EXPECT_NE(html.find("type=\"radio\" id=\"q-one-a\" name=\"q.one\" value=\"a\""), std::string::npos);
  EXPECT_NE(html.find("type=\"checkbox\" id=\"q-many-x\" name=\"q.many\" value=\"x\""), std::string::npos);
  EXPECT_NE(html.find("type=\"checkbox\" id=\"q-many-y\" name=\"q.many\" value=\"y\""), std::string::npos);
  // Open text.
  EXPECT_NE(html.find("<textarea id=\"q-open\" name=\"q.open\" rows=\"5\" maxlength=\"500\""),
            std::string::npos);
  // Contact request.
  for (const char* f :
       {"contact.wanted", "contact.name", "contact.phone", "contact.email", "contact.consent"})
    EXPECT_NE(html.find(std::string("name=\"") + f + "\""), std::string::npos) << f;
  EXPECT_NE(html.find("name=\"contact.wanted\" value=\"yes\""), std::string::npos);
  EXPECT_NE(html.find("name=\"contact.consent\" value=\"yes\""), std::string::npos);
  EXPECT_NE(html.find("Suostun yhteydenottoon."), std::string::npos);
  EXPECT_NE(html.find("type=\"tel\""), std::string::npos);
  EXPECT_NE(html.find("autocomplete=\"email\""), std::string::npos);
  EXPECT_NE(html.find("muistutus"), std::string::npos);  // complaint is a separate process
  EXPECT_NE(html.find("nimetön"), std::string::npos);    // anonymous unless contact asked
  // Respondent.
  EXPECT_NE(html.find("name=\"respondent\" value=\"self\""), std::string::npos);
  EXPECT_NE(html.find("name=\"respondent\" value=\"on_behalf\""), std::string::npos);
  EXPECT_NE(html.find("Vastaan läheiseni puolesta"), std::string::npos);
  // Where: touchpoint and unit names.
  EXPECT_NE(html.find("Vastaanottokäynti – Lohjan terveysasema"), std::string::npos);
  EXPECT_NE(html.find("<h1>Asiakaskysely</h1>"), std::string::npos);
  EXPECT_NE(html.find("(pakollinen)"), std::string::npos);
  EXPECT_NE(html.find("<button type=\"submit\" class=\"button primary\">Lähetä vastaus</button>"),
            std::string::npos);
  EXPECT_EQ(html.find("role=\"alert\""), std::string::npos) << "no error summary without errors";
}

TEST_F(SurveyPageTest, AccessibleStructure) {
  const std::string html = render_survey_page(ctx(), form());
  testing::expect_labels_and_unique_ids(html);
  testing::expect_radios_in_fieldsets(html);
  testing::expect_describedby_targets_exist(html);
  // NPS end labels tied to the scale and to the end buttons.
  EXPECT_NE(html.find("aria-describedby=\"q-nps-ends\""), std::string::npos);
  EXPECT_NE(html.find("id=\"q-nps-0\" name=\"q.nps\" value=\"0\" aria-describedby=\"q-nps-low\""),
            std::string::npos);
  EXPECT_NE(html.find("id=\"q-nps-10\" name=\"q.nps\" value=\"10\" aria-describedby=\"q-nps-high\""),
            std::string::npos);
  EXPECT_NE(html.find("0 = en lainkaan todennäköisesti"), std::string::npos);
  EXPECT_NE(html.find("<legend class=\"question-text\">Kysymys nps"), std::string::npos);
  EXPECT_NE(html.find("novalidate"), std::string::npos);
}

TEST_F(SurveyPageTest, EachLanguage) {
  struct Case {
    Language lang;
    const char* html_lang;
    const char* submit;
    const char* cant_say;
  };
  for (const Case& c : {Case{Language::fi, "fi", "Lähetä vastaus", "En osaa sanoa"},
                        Case{Language::sv, "sv", "Skicka svaret", "Kan inte säga"},
                        Case{Language::en, "en", "Send answer", "Can&#39;t say"},
                        Case{Language::fi_selko, "fi", "Lähetä", "En tiedä"}}) {
    SurveyForm f = form();
    const std::string html = render_survey_page(ctx(c.lang), f);
    testing::expect_page_frame(html, c.html_lang);
    EXPECT_NE(html.find(c.submit), std::string::npos) << c.html_lang;
    EXPECT_NE(html.find(c.cant_say), std::string::npos) << c.html_lang;
    EXPECT_NE(
        html.find(std::string("name=\"lang\" value=\"") + std::string(domain::language_tag(c.lang)) + "\""),
        std::string::npos);
  }
  const std::string sv = render_survey_page(ctx(Language::sv), form());
  EXPECT_NE(sv.find("Fråga nps"), std::string::npos);
  EXPECT_NE(sv.find("Lojo hälsostation"), std::string::npos);
  EXPECT_NE(sv.find("Jag svarar för min anhörigs räkning"), std::string::npos);
  const std::string selko = render_survey_page(ctx(Language::fi_selko), form());
  EXPECT_NE(selko.find("<h1>Kysely</h1>"), std::string::npos);
}

TEST_F(SurveyPageTest, LanguageSwitchLinksToEnabledLanguages) {
  PageContext c = ctx(Language::fi);
  c.query_without_lang = "v=child&c=qr";
  std::string html = render_survey_page(c, form());
  EXPECT_NE(
      html.find("<a href=\"/s/tp1?v=child&amp;c=qr&amp;lang=sv\" lang=\"sv\" hreflang=\"sv\">Svenska</a>"),
      std::string::npos);
  EXPECT_NE(
      html.find("<a href=\"/s/tp1?v=child&amp;c=qr&amp;lang=en\" lang=\"en\" hreflang=\"en\">English</a>"),
      std::string::npos);
  EXPECT_NE(
      html.find("href=\"/s/tp1?v=child&amp;c=qr&amp;lang=fi-x-selko\" lang=\"fi\" hreflang=\"fi-x-selko\">"
                "Selkosuomi</a>"),
      std::string::npos);
  EXPECT_NE(html.find("lang=fi\" lang=\"fi\" hreflang=\"fi\" aria-current=\"true\">Suomi</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<nav class=\"lang-switch\" aria-label=\"Kieli\">"), std::string::npos);

  model.languages = {Language::fi, Language::sv};
  c.query_without_lang = "";
  html = render_survey_page(c, form());
  EXPECT_NE(html.find("href=\"/s/tp1?lang=sv\""), std::string::npos);
  EXPECT_EQ(html.find("lang=en"), std::string::npos) << "disabled languages are not offered";
  EXPECT_EQ(html.find("fi-x-selko"), std::string::npos);
}

TEST_F(SurveyPageTest, HostileTextIsEscapedEverywhere) {
  const std::string evil = "<script>alert(1)</script>\"'&";
  model.surveys[0].title.texts[Language::fi] = evil;
  model.surveys[0].intro.texts[Language::fi] = "<img src=x onerror=alert(2)>";
  model.surveys[0].questions[0].text.texts[Language::fi] = evil;
  model.surveys[0].questions[4].options[0].label.texts[Language::fi] = "<b onclick=x>";
  model.units[2].name.texts[Language::fi] = "</p><script>bad()</script>";
  model.county_name.texts[Language::fi] = "<iframe>";
  SurveyForm f = form();
  f.values["open"] = {"</textarea><script>steal()</script>"};
  f.values["contact.name"] = {"\"><script>x()</script>"};
  f.submission_key = "\"><script>";
  f.action_url = "/s/tp1\"><script>";
  f.errors = {{"nps", "required", "<script>"}};
  PageContext c = ctx();
  c.path = "/s/\"><script>";
  c.query_without_lang = "x=\"><script>";
  const std::string html = render_survey_page(c, f);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b onclick"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("\"><script"), std::string::npos) << "no attribute breaks out";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/textarea&gt;&lt;script&gt;steal()&lt;/script&gt;</textarea>"), std::string::npos);
  testing::expect_balanced(html);
}

TEST_F(SurveyPageTest, ErrorsAreSummarisedAndTiedToFields) {
  SurveyForm f = form();
  f.errors = {{"nps", "required", "nps: required"},    {"open", "too_long", "open: too long"},
              {"contact.phone", "invalid_phone", "x"}, {"contact.consent", "consent_required", "x"},
              {"many", "unknown_option", "x"},         {"respondent", "unknown_option", "x"}};
  f.values["nps"] = {};
  const std::string html = render_survey_page(ctx(), f);
  testing::expect_page_frame(html, "fi");
  testing::expect_describedby_targets_exist(html);
  EXPECT_NE(html.find("<title>Virhe: Asiakaskysely"), std::string::npos);
  EXPECT_EQ(count(html, "role=\"alert\""), 1);
  // Summary first, then the form.
  const std::size_t summary = html.find("class=\"error-summary\"");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, html.find("<form"));
  EXPECT_NE(html.find("<a href=\"#q-nps-0\">Kysymys nps: Vastaa tähän kysymykseen.</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#q-open\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#contact-phone\">Puhelinnumero: Tarkista puhelinnumero."),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"#contact-consent\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#q-many-x\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#respondent-self\">"), std::string::npos);
  // Inline errors, tied with aria-describedby and aria-invalid.
  EXPECT_NE(html.find("id=\"q-nps-error\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"q-nps-ends q-nps-error\" aria-invalid=\"true\""),
            std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"q-open-hint q-open-error\" aria-invalid=\"true\""),
            std::string::npos);
  EXPECT_NE(html.find("id=\"contact-phone\" name=\"contact.phone\""), std::string::npos);
  EXPECT_NE(html.find("aria-invalid=\"true\" aria-describedby=\"contact-phone-error\""), std::string::npos);
  EXPECT_NE(html.find("id=\"contact-phone-error\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"contact-consent-error\""), std::string::npos);
  EXPECT_NE(html.find("id=\"respondent-error\""), std::string::npos);
  EXPECT_EQ(count(html, "class=\"error-message\""), 6);
}

TEST_F(SurveyPageTest, OpenTextShowsOneNoNamesHint) {
  // Without help of its own: the built-in hint.
  std::string html = render_survey_page(ctx(), form());
  EXPECT_EQ(count(html, "Älä kirjoita tähän nimiä"), 1);
  // With the model's own help: that help only, and the length note.
  for (auto& q : model.surveys.front().questions) {
    if (q.key == "open")
      q.help =
          testing::text4("Älä kirjoita nimiä tai terveystietoja.", "Skriv inga namn.", "No names, please.");
  }
  html = render_survey_page(ctx(), form());
  EXPECT_EQ(count(html, "Älä kirjoita tähän nimiä"), 0);
  EXPECT_EQ(count(html, "Älä kirjoita nimiä tai terveystietoja."), 1);
  EXPECT_NE(html.find("<p class=\"hint\" id=\"q-open-hint\">Enintään 500 merkkiä.</p>"), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"q-open-help q-open-hint\""), std::string::npos);
}

TEST_F(SurveyPageTest, ValuesAreKeptAfterAFailedPost) {
  SurveyForm f = form();
  f.values["nps"] = {"7"};
  f.values["agree"] = {"cant_say"};
  f.values["face5"] = {"4"};
  f.values["one"] = {"b"};
  f.values["many"] = {"x", "y"};
  f.values["open"] = {"Hyvä palvelu & nopea"};
  f.values["contact.wanted"] = {"yes"};
  f.values["contact.email"] = {"a@b.fi"};
  f.respondent = "on_behalf";
  const std::string html = render_survey_page(ctx(), f);
  EXPECT_NE(html.find("name=\"q.nps\" value=\"7\" checked"), std::string::npos);
  EXPECT_EQ(count(html, "name=\"q.nps\" value=\"6\" checked"), 0);
  EXPECT_NE(html.find("name=\"q.agree\" value=\"cant_say\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"q.face5\" value=\"4\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"q.one\" value=\"b\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"q.many\" value=\"x\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"q.many\" value=\"y\" checked"), std::string::npos);
  EXPECT_NE(html.find(">Hyvä palvelu &amp; nopea</textarea>"), std::string::npos);
  EXPECT_NE(html.find("name=\"contact.wanted\" value=\"yes\" checked"), std::string::npos);
  EXPECT_NE(html.find("value=\"a@b.fi\""), std::string::npos);
  EXPECT_NE(html.find("name=\"respondent\" value=\"on_behalf\" checked"), std::string::npos);
  EXPECT_EQ(count(html, " checked"), 8);
}

TEST_F(SurveyPageTest, RespondentChoiceFollowsTheSurvey) {
  model.surveys[0].allow_on_behalf = false;
  EXPECT_EQ(render_survey_page(ctx(), form()).find("name=\"respondent\""), std::string::npos);
  model.surveys[0].allow_on_behalf = true;
  model.surveys[0].audience = domain::Audience::relative;
  EXPECT_EQ(render_survey_page(ctx(), form()).find("name=\"respondent\""), std::string::npos);
}

TEST_F(SurveyPageTest, InvitationFormCarriesNoVariantOrChannel) {
  SurveyForm f = form();
  f.invitation = true;
  f.action_url = "/i/tok";
  const std::string html = render_survey_page(ctx(), f);
  EXPECT_NE(html.find("action=\"/i/tok\""), std::string::npos);
  EXPECT_EQ(html.find("name=\"v\""), std::string::npos);
  EXPECT_EQ(html.find("name=\"c\""), std::string::npos);
  EXPECT_NE(html.find("name=\"k\""), std::string::npos);
}

TEST_F(SurveyPageTest, FooterLinksPerLanguage) {
  EXPECT_NE(render_survey_page(ctx(Language::fi), form()).find("href=\"/saavutettavuus\""),
            std::string::npos);
  EXPECT_NE(render_survey_page(ctx(Language::sv), form()).find("href=\"/tillganglighet\""),
            std::string::npos);
  EXPECT_NE(render_survey_page(ctx(Language::en), form()).find("href=\"/feedback\""), std::string::npos);
  EXPECT_NE(render_survey_page(ctx(Language::fi_selko), form()).find("href=\"/palaute?lang=fi-x-selko\""),
            std::string::npos);
}

}  // namespace
}  // namespace kaiku::web
