// The public pages: "you said, we did" and the results page. Frame and markup
// rules, the three languages and their switch, fallback texts marked with their
// own language, escaping, and suppressed figures shown in words, never as numbers.
#include <gtest/gtest.h>

#include "web/html_checks.hpp"
#include "web/pages.hpp"
#include "web/web_test_model.hpp"

namespace kaiku::web {
namespace {

using domain::Language;
using testing::count;

PageContext context(const domain::Model& model, Language lang) {
  PageContext c;
  c.lang = lang;
  c.model = &model;
  c.path = "/ignored";
  return c;
}

domain::DevelopmentAction action(std::int64_t id, const std::string& unit, const std::string& done_on) {
  domain::DevelopmentAction a;
  a.id = id;
  a.unit = unit;
  a.title.texts = {{Language::fi, "Takaisinsoittopalvelu <uusi>"}, {Language::sv, "Återuppringning"}};
  a.description.texts = {{Language::fi, "Soitamme takaisin.\n\nSaman päivän aikana."},
                         {Language::sv, "Vi ringer upp."}};
  a.reason.texts = {{Language::fi, "Puhelinjonot olivat pitkiä."}};
  a.done_on = done_on;
  a.published = true;
  return a;
}

class PublicPagesTest : public ::testing::Test {
 protected:
  domain::Model model = testing::small_model();
};

TEST_F(PublicPagesTest, PathsPerLanguage) {
  EXPECT_EQ(actions_path(Language::fi), "/sanoitte-teimme");
  EXPECT_EQ(actions_path(Language::sv), "/ni-sade-vi-gjorde");
  EXPECT_EQ(actions_path(Language::en), "/you-said-we-did");
  EXPECT_EQ(actions_path(Language::fi_selko), "/sanoitte-teimme");
  EXPECT_EQ(results_path(Language::fi), "/tulokset");
  EXPECT_EQ(results_path(Language::sv), "/resultat");
  EXPECT_EQ(results_path(Language::en), "/results");
}

TEST_F(PublicPagesTest, ActionsPageInFinnish) {
  ActionsPage page;
  page.area = model.unit("area_health");
  page.actions = {action(7, "unit_hc", "2026-10-01"), action(3, "unit_dental", "2026-09-15")};
  const std::string html = render_actions_page(context(model, Language::fi), page);
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<h1>Te sanoitte, me teimme: <span>Terveyspalvelut</span></h1>"), std::string::npos) << html;
  // Newest first, as given; titles escaped; each action its own article.
  const auto first = html.find("id=\"action-7\""), second = html.find("id=\"action-3\"");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_EQ(count(html, "<article"), 2);
  EXPECT_NE(html.find("Takaisinsoittopalvelu &lt;uusi&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<uusi>"), std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2026-10-01\">1.10.2026</time>"), std::string::npos);
  EXPECT_NE(html.find("Lohjan terveysasema"), std::string::npos) << "unit name";
  EXPECT_NE(html.find("<p>Soitamme takaisin.</p><p>Saman päivän aikana.</p>"), std::string::npos)
      << "one paragraph per line";
  EXPECT_NE(html.find("Puhelinjonot olivat pitkiä."), std::string::npos) << "the reason";
  EXPECT_NE(html.find("<h3>Miksi: mitä te sanoitte</h3>"), std::string::npos);
  // The language switch goes to the other languages' paths of the same area.
  EXPECT_NE(html.find("href=\"/ni-sade-vi-gjorde/area_health\" lang=\"sv\" hreflang=\"sv\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/you-said-we-did/area_health\" lang=\"en\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/sanoitte-teimme/area_health\" lang=\"fi\" hreflang=\"fi\" aria-current=\"page\""),
            std::string::npos);
  EXPECT_EQ(html.find("?lang="), std::string::npos) << "no ?lang switch on these pages";
  EXPECT_NE(html.find("href=\"/tulokset/area_health\""), std::string::npos) << "link to the results";
  EXPECT_NE(html.find("href=\"/sanoitte-teimme\""), std::string::npos) << "link to all areas";
}

TEST_F(PublicPagesTest, SwedishPageMarksFinnishFallbacks) {
  ActionsPage page;
  page.area = model.unit("area_health");
  page.actions = {action(7, "unit_hc", "2026-10-01")};
  const std::string html = render_actions_page(context(model, Language::sv), page);
  testing::expect_page_frame(html, "sv");
  EXPECT_NE(html.find("<h1>Ni sade, vi gjorde: <span>Hälsotjänster</span></h1>"), std::string::npos);
  EXPECT_NE(html.find(">Återuppringning</h2>"), std::string::npos);
  EXPECT_NE(html.find("<p>Vi ringer upp.</p>"), std::string::npos);
  // The reason exists only in Finnish: shown, and marked as Finnish for screen readers.
  EXPECT_NE(html.find("<p lang=\"fi\">Puhelinjonot olivat pitkiä.</p>"), std::string::npos) << html;
  EXPECT_NE(html.find("Lojo hälsostation"), std::string::npos);
  EXPECT_NE(html.find("href=\"/resultat/area_health\""), std::string::npos);
}

TEST_F(PublicPagesTest, EnglishDatesAndEmptyArea) {
  ActionsPage page;
  page.area = model.unit("area_social");
  const std::string html = render_actions_page(context(model, Language::en), page);
  testing::expect_page_frame(html, "en");
  EXPECT_NE(html.find("No development actions have been published for this area yet."), std::string::npos);
  EXPECT_EQ(html.find("<article"), std::string::npos);
  page.actions = {action(1, "unit_sw", "2026-03-05")};
  const std::string one = render_actions_page(context(model, Language::en), page);
  EXPECT_NE(one.find("<time datetime=\"2026-03-05\">5 March 2026</time>"), std::string::npos);
  // The title has no English text: the Finnish one, marked.
  EXPECT_NE(one.find("lang=\"fi\">Takaisinsoittopalvelu &lt;uusi&gt;</h2>"), std::string::npos) << one;
}

TEST_F(PublicPagesTest, AreasIndexLinksEachArea) {
  const std::vector<const domain::OrgUnit*> areas = {model.unit("county"), model.unit("area_health")};
  const std::string html = render_action_areas_page(context(model, Language::fi), areas);
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<a href=\"/sanoitte-teimme/county\">Testin hyvinvointialue</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/sanoitte-teimme/area_health\">Terveyspalvelut</a>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/ni-sade-vi-gjorde\" lang=\"sv\""), std::string::npos);
  const std::string empty = render_action_areas_page(context(model, Language::sv), {});
  testing::expect_page_frame(empty, "sv");
  EXPECT_NE(empty.find("Inga utvecklingsåtgärder har publicerats ännu."), std::string::npos);
}

ResultsPage results() {
  ResultsPage page;
  page.from = "2026-10-27";
  page.to = "2026-11-25";
  page.threshold = 5;
  page.answers = {true, 123, std::nullopt, std::nullopt, 123, std::nullopt};
  page.nps = {true, 47.6, 38.2, 56.9, 120, 50.0};
  PublicStatement shown;
  shown.key = "thl_help_when_needed";
  shown.text = testing::text4("Sain apua silloin, kun tarvitsin.", "Jag fick hjälp när jag behövde den.",
                              "I got help when I needed it.");
  shown.figure = {true, 81.25, 73.0, 88.0, 96, std::nullopt};
  PublicStatement hidden;
  hidden.key = "thl_own_language";
  hidden.text.texts = {{Language::fi, "Sain hoitoa omalla äidinkielelläni."}};
  hidden.figure.shown = false;
  page.statements = {shown, hidden};
  return page;
}

TEST_F(PublicPagesTest, ResultsPageShowsFiguresWithIntervals) {
  ResultsPage page = results();
  page.area = model.unit("area_health");
  page.children = {model.unit("unit_hc"), model.unit("unit_dental")};
  const std::string html = render_results_page(context(model, Language::fi), page);
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<h1>Asiakaspalautteen tulokset: <span>Terveyspalvelut</span></h1>"), std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2026-10-27\">27.10.2026</time>"), std::string::npos);
  EXPECT_NE(html.find("Vastauksia: <strong>123</strong>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"figure\">48</p>"), std::string::npos) << "NPS rounded";
  EXPECT_NE(html.find("95 %:n luottamusväli: 38\u201357"), std::string::npos);
  EXPECT_NE(html.find("Tavoite: 50"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Sain apua silloin, kun tarvitsin.</th><td class=\"num\">81\u00a0%</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("73\u201388\u00a0%"), std::string::npos);
  // The suppressed statement: words, no number, spanning the figure columns.
  EXPECT_NE(html.find("<td colspan=\"3\">alle 5 vastausta</td>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/tulokset/unit_hc\""), std::string::npos) << "drill down";
  EXPECT_NE(html.find("href=\"/sanoitte-teimme/area_health\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/resultat/area_health\" lang=\"sv\""), std::string::npos);
  EXPECT_EQ(count(html, "<table"), count(html, "</table>"));
}

TEST_F(PublicPagesTest, SuppressedResultsNeverShowNumbers) {
  ResultsPage page;
  page.area = model.unit("unit_sw");
  page.from = "2026-10-27";
  page.to = "2026-11-25";
  page.threshold = 7;
  PublicStatement hidden;
  hidden.key = "q";
  hidden.text = testing::text4("Väite", "Påstående", "Statement");
  page.statements = {hidden};
  for (Language lang : {Language::fi, Language::sv, Language::en}) {
    const std::string html = render_results_page(context(model, lang), page);
    testing::expect_page_frame(html, std::string(domain::language_tag(lang)));
    const char* words = lang == Language::fi ? "alle 7 vastausta" : lang == Language::sv ? "färre än 7 svar"
                                                                                         : "fewer than 7 answers";
    EXPECT_GE(count(html, words), 3) << "answers, NPS and the statement: " << html;
    EXPECT_EQ(html.find("class=\"num\""), std::string::npos);
    EXPECT_EQ(html.find("class=\"figure\""), std::string::npos);
  }
}

TEST_F(PublicPagesTest, EnglishResultsAndNegativeNps) {
  ResultsPage page = results();
  page.area = model.unit("county");
  page.nps = {true, -12.4, -20.0, -4.0, 40, std::nullopt};
  const std::string html = render_results_page(context(model, Language::en), page);
  testing::expect_page_frame(html, "en");
  EXPECT_NE(html.find("<p class=\"figure\">\u221212</p>"), std::string::npos) << "a real minus sign";
  EXPECT_NE(html.find("\u221220 \u2026 \u22124"), std::string::npos);
  EXPECT_EQ(html.find("Target"), std::string::npos) << "no target set";
  EXPECT_NE(html.find("<td class=\"num\">81%</td>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\" lang=\"fi\">Sain hoitoa omalla äidinkielelläni.</th>"), std::string::npos);
  EXPECT_NE(html.find("27 October 2026"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::web
