#include <gtest/gtest.h>
#include <qrencode.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "web/frame.hpp"
#include "web/html_checks.hpp"
#include "web/pages.hpp"
#include "web/strings.hpp"
#include "web/web_test_model.hpp"

namespace kaiku::web {
namespace {

using domain::Language;
using testing::count;

PageContext context(const domain::Model* model, Language lang, std::string path = "") {
  PageContext c;
  c.lang = lang;
  c.model = model;
  c.path = std::move(path);
  return c;
}

TEST(Strings, EveryKeyHasAllFourLanguages) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(Str::kCount); ++i) {
    const auto key = static_cast<Str>(i);
    EXPECT_EQ(string_row_key(i), key) << "row " << i << " is out of order";
    for (Language l : domain::kAllLanguages)
      EXPECT_FALSE(tr(key, l).empty()) << "key " << i << " language " << domain::language_tag(l);
  }
}

TEST(Strings, ContractWordings) {
  EXPECT_EQ(tr(Str::cant_say, Language::fi), "En osaa sanoa");
  EXPECT_EQ(tr(Str::cant_say, Language::sv), "Kan inte säga");
  EXPECT_EQ(tr(Str::cant_say, Language::en), "Can't say");
  EXPECT_EQ(tr(Str::respondent_self, Language::fi), "Vastaan itse");
  EXPECT_EQ(tr(Str::respondent_on_behalf, Language::fi), "Vastaan läheiseni puolesta");
  EXPECT_EQ(fill("a {n} b {n}", "7"), "a 7 b 7");
  EXPECT_EQ(fill("none", "7"), "none");
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("<script>alert(\"x\" + 'y') & z</script>"),
            "&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp; z&lt;/script&gt;");
  EXPECT_EQ(html_escape("Hyvä åäö €"), "Hyvä åäö €");
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape(std::string_view("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(ThankYouPage, ExplainsTheFormalComplaintInEachLanguage) {
  const domain::Model model = testing::small_model();
  ThankYou info{"Vastaanottokäynti", "/s/tp1?lang=fi"};
  std::string html = render_thank_you_page(context(&model, Language::fi, "/s/tp1/kiitos"), info);
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("Kiitos vastauksestasi!"), std::string::npos);
  EXPECT_NE(html.find("muistutus"), std::string::npos);
  EXPECT_NE(html.find("Potilasasiavastaava"), std::string::npos);
  EXPECT_NE(html.find("sosiaaliasiavastaava"), std::string::npos);
  EXPECT_NE(html.find("href=\"/palaute\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/s/tp1?lang=fi\""), std::string::npos);
  html = render_thank_you_page(context(&model, Language::sv), info);
  EXPECT_NE(html.find("anmärkning"), std::string::npos);
  EXPECT_NE(html.find("Patientombudsmannen"), std::string::npos);
  EXPECT_NE(html.find("href=\"/respons\""), std::string::npos);
  html = render_thank_you_page(context(&model, Language::en), {});
  EXPECT_NE(html.find("formal complaint"), std::string::npos);
  EXPECT_NE(html.find("patient ombudsman"), std::string::npos);
  html = render_thank_you_page(context(&model, Language::fi_selko), {});
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("Potilasasiavastaava ja sosiaaliasiavastaava auttavat sinua."), std::string::npos);
}

TEST(AccessibilityStatement, HasTheContentTheActRequires) {
  domain::Model model = testing::small_model();
  model.contacts.accessibility_email = "saavutettavuus@testi.example";
  model.contacts.accessibility_phone = "029 123 4000";
  model.contacts.statement_date = "2026-11-24";
  std::string html = render_accessibility_statement(context(&model, Language::fi, "/saavutettavuus"));
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<h1>Saavutettavuusseloste</h1>"), std::string::npos);
  EXPECT_NE(html.find("306/2019"), std::string::npos);
  EXPECT_NE(html.find("WCAG 2.1"), std::string::npos);
  EXPECT_NE(html.find("osittain"), std::string::npos);           // conformance status
  EXPECT_NE(html.find("Tunnetut puutteet"), std::string::npos);  // known limitations
  EXPECT_NE(html.find("24.11.2026"), std::string::npos);         // date
  EXPECT_NE(html.find("href=\"/palaute\""), std::string::npos);  // feedback channel
  EXPECT_NE(html.find("href=\"mailto:saavutettavuus@testi.example\""), std::string::npos);
  EXPECT_NE(html.find("href=\"tel:0291234000\">029 123 4000</a>"), std::string::npos);
  EXPECT_NE(html.find("axe-core"), std::string::npos);  // says truthfully what was tested
  EXPECT_NE(html.find("ilman JavaScriptiä"), std::string::npos);
  EXPECT_NE(html.find("320 pikselin"), std::string::npos);
  EXPECT_NE(html.find("ei ole vielä testattu ruudunlukijalla"), std::string::npos);
  EXPECT_EQ(html.find("ruudunlukijalla ja näppäimistöllä tehtyihin"), std::string::npos);
  EXPECT_NE(html.find("aluehallintovirasto"), std::string::npos);  // enforcement
  EXPECT_NE(html.find("https://www.saavutettavuusvaatimukset.fi/"), std::string::npos);
  html = render_accessibility_statement(context(&model, Language::sv, "/tillganglighet"));
  EXPECT_NE(html.find("Tillgänglighetsutlåtande"), std::string::npos);
  EXPECT_NE(html.find("Regionförvaltningsverket i Södra Finland"), std::string::npos);
  html = render_accessibility_statement(context(&model, Language::en, "/accessibility"));
  EXPECT_NE(html.find("24 November 2026"), std::string::npos);
  EXPECT_NE(html.find("not yet been tested with a screen reader"), std::string::npos);
}

TEST(AccessibilityStatement, WithoutContactsOffersTheFormAndShowsNoPlaceholder) {
  const domain::Model model = testing::small_model();  // no contacts
  std::string html = render_accessibility_statement(context(&model, Language::fi, "/saavutettavuus"));
  testing::expect_page_frame(html, "fi");
  EXPECT_EQ(html.find("mailto:"), std::string::npos);
  EXPECT_EQ(html.find("tel:"), std::string::npos);
  EXPECT_EQ(html.find("example"), std::string::npos);
  EXPECT_EQ(html.find("Seloste on laadittu"), std::string::npos);  // no made-up date
  EXPECT_NE(html.find("href=\"/palaute\""), std::string::npos);
  html = render_accessibility_statement(context(nullptr, Language::en, "/accessibility"));
  EXPECT_NE(html.find("href=\"/feedback\""), std::string::npos);
  domain::Model odd = testing::small_model();
  odd.contacts.statement_date = "24.11.";  // not ISO: shown as written, no crash
  html = render_accessibility_statement(context(&odd, Language::fi, "/saavutettavuus"));
  EXPECT_NE(html.find("Seloste on laadittu 24.11.."), std::string::npos);
}

TEST(ThankYouPage, ShowsTheCountyComplaintContactsWhenGiven) {
  domain::Model model = testing::small_model();
  std::string html = render_thank_you_page(context(&model, Language::fi), {});
  EXPECT_EQ(html.find("Lisätietoa muistutuksesta"), std::string::npos);
  model.contacts.complaints_url = "https://www.testi.example/muistutus";
  model.contacts.complaints_phone = "+358 29 123 4100";
  html = render_thank_you_page(context(&model, Language::fi), {});
  testing::expect_page_frame(html, "fi");
  EXPECT_NE(html.find("<a href=\"https://www.testi.example/muistutus\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"tel:+358291234100\""), std::string::npos);
  html = render_feedback_thanks_page(context(&model, Language::sv));
  EXPECT_NE(html.find("Rådgivning per telefon:"), std::string::npos);
}

TEST(ErrorPages, EveryKindIsAFriendlyPage) {
  const struct {
    int status;
    ErrorPage kind;
    const char* text;
  } cases[] = {{404, ErrorPage::not_found, "Sivua ei löytynyt"},
               {410, ErrorPage::invitation_used, "Tähän kutsuun on jo vastattu"},
               {410, ErrorPage::invitation_expired, "Linkki on vanhentunut"},
               {413, ErrorPage::too_large, "Vastaus on liian pitkä"},
               {429, ErrorPage::rate_limited, "Liian monta yritystä"},
               {400, ErrorPage::bad_request, "Lomaketta ei voitu lukea"},
               {500, ErrorPage::internal, "Jokin meni vikaan"}};
  for (const auto& c : cases) {
    const std::string html = render_error_page(context(nullptr, Language::fi), c.status, c.kind);
    testing::expect_page_frame(html, "fi");
    EXPECT_NE(html.find(std::string("<h1>") + c.text + "</h1>"), std::string::npos) << c.status;
    EXPECT_NE(html.find("(" + std::to_string(c.status) + ")"), std::string::npos);
    EXPECT_NE(html.find("<p class=\"site-name\">Asiakaspalaute</p>"), std::string::npos)
        << "no model: generic name";
  }
  const std::string sv = render_error_page(context(nullptr, Language::sv, "/s/x"), 404, ErrorPage::not_found);
  EXPECT_NE(sv.find("Sidan hittades inte"), std::string::npos);
  EXPECT_NE(sv.find("hreflang=\"fi-x-selko\""), std::string::npos) << "no model: all languages offered";
}

TEST(Poster, PrintableWithQrAndBothNationalLanguages) {
  const domain::Model model = testing::small_model();
  Poster p;
  p.touchpoint_name = "Mottagningsbesök";
  p.unit_name = "Lojo hälsostation";
  p.survey_url = "https://palaute.example.fi/s/tp1?c=qr&lang=sv";
  p.qr_svg = qr_svg(p.survey_url);
  const std::string html = render_poster_page(context(&model, Language::sv, "/s/tp1/affisch"), p);
  testing::expect_page_frame(html, "sv");
  EXPECT_NE(html.find("<h1>Berätta om din upplevelse!</h1>"), std::string::npos);
  EXPECT_NE(html.find("role=\"img\" aria-label=\"QR-kod till enkäten\"><svg"), std::string::npos);
  EXPECT_NE(html.find("https://palaute.example.fi/s/tp1?c=qr&amp;lang=sv"), std::string::npos);
  EXPECT_NE(html.find("Mottagningsbesök – Lojo hälsostation"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"poster-other\" lang=\"fi\">"), std::string::npos);
  EXPECT_NE(html.find("Kerro kokemuksesi!"), std::string::npos);
  EXPECT_NE(html.find("<body class=\"poster\">"), std::string::npos);
  EXPECT_NE(stylesheet().find("@page { size: A4;"), std::string::npos);
}

// Decodes the module grid that qr_svg drew, from its path.
std::vector<std::vector<bool>> modules_from_svg(const std::string& svg, int total) {
  std::vector<std::vector<bool>> grid(total, std::vector<bool>(total, false));
  const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), len = std::stoi((*it)[3]);
    EXPECT_EQ(len, std::stoi((*it)[4]));
    for (int i = 0; i < len; ++i) grid.at(y).at(x + i) = true;
  }
  return grid;
}

TEST(QrSvg, DrawsExactlyTheModulesOfTheCodeWithAQuietZone) {
  const std::string url = "https://palaute.example.fi/s/tp_outpatient_lohja?c=qr";
  const std::string svg = qr_svg(url);
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_EQ(count(svg, "<path"), 1);
  EXPECT_EQ(svg.find("href"), std::string::npos) << "no external references";
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
  const int total = std::stoi(m[1]);
  EXPECT_EQ(total, std::stoi(m[2]));
  // The reference encoding from libqrencode itself.
  QRcode* ref = QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  ASSERT_NE(ref, nullptr);
  EXPECT_EQ(ref->width, 17 + 4 * ref->version) << "module count matches the QR version";
  EXPECT_EQ(total, ref->width + 8) << "4-module quiet zone on each side";
  const auto grid = modules_from_svg(svg, total);
  for (int y = 0; y < total; ++y)
    for (int x = 0; x < total; ++x) {
      const bool inside = x >= 4 && y >= 4 && x < total - 4 && y < total - 4;
      const bool expected = inside && (ref->data[(y - 4) * ref->width + (x - 4)] & 1);
      ASSERT_EQ(grid[y][x], expected) << "module " << x << "," << y;
    }
  QRcode_free(ref);
  EXPECT_EQ(qr_svg(url), svg) << "deterministic";
}

TEST(QrSvg, RejectsUnencodableInput) {
  EXPECT_EQ(qr_svg(""), "");
  EXPECT_EQ(qr_svg(std::string(8000, 'x')), "") << "longer than any QR version holds";
  EXPECT_EQ(qr_svg(std::string_view("a\0b", 3)), "");
  EXPECT_NE(qr_svg("a").find("viewBox=\"0 0 29 29\""), std::string::npos) << "version 1: 21 + 8";
}

TEST(Stylesheet, EmbeddedCopyMatchesStaticFileAndLoadsNothing) {
  const char* root = std::getenv("KAIKU_SOURCE_DIR");
  const std::string dir = root != nullptr ? root : KAIKU_SOURCE_DIR;
  std::ifstream in(dir + "/static/kaiku.css", std::ios::binary);
  ASSERT_TRUE(in) << "static/kaiku.css missing";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), std::string(stylesheet()))
      << "the embedded stylesheet differs from static/kaiku.css (cmake/embed_css.cmake)";
  const std::string css(stylesheet());
  EXPECT_EQ(css.find("@import"), std::string::npos);
  EXPECT_EQ(css.find("url("), std::string::npos);
  EXPECT_NE(css.find(":focus-visible"), std::string::npos);
  EXPECT_NE(css.find("min-height: 44px"), std::string::npos);
  EXPECT_EQ(count(css, "{"), count(css, "}"));
}

}  // namespace
}  // namespace kaiku::web

namespace kaiku::web {
namespace {

TEST(ErrorMessages, FormLevelCodesHaveTheirOwnTextInEveryLanguage) {
  for (auto lang : domain::kAllLanguages) {
    const auto generic = detail::error_message({"form", "no_such_code", ""}, lang);
    for (const char* code : {"already_sent", "rate_limited"}) {
      const auto text = detail::error_message({"form", code, ""}, lang);
      EXPECT_FALSE(text.empty()) << code;
      EXPECT_NE(text, generic) << code << " falls back to the generic text";
    }
  }
}

}  // namespace
}  // namespace kaiku::web
