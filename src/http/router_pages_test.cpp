// The respondent pages through Router::handle(): forms, idempotent POSTs,
// validation, hostile input, kiosk, feedback, headers.
#include <gtest/gtest.h>

#include <regex>

#include "http/problem.hpp"
#include "http/router_impl.hpp"
#include "http/router_test_support.hpp"

namespace kaiku::http {
namespace {

const std::string kKey = "abcdefghijklmnopqrstuv";  // 22 chars, like the forms' keys

class PagesTest : public ::testing::Test {
 protected:
  testing::RouterFixture rf;

  static void expect_security_headers(const Response& r) {
    EXPECT_EQ(r.header("Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
    EXPECT_FALSE(r.header("Cache-Control").empty());
  }
  static std::string hidden_key(const std::string& html) {
    std::smatch m;
    std::regex re(R"re(name="k" value="([A-Za-z0-9_-]+)")re");
    if (std::regex_search(html, m, re)) return m[1];
    std::regex re2(R"re(value="([A-Za-z0-9_-]{22})" name="k")re");
    if (std::regex_search(html, m, re2)) return m[1];
    return "";
  }
};

TEST_F(PagesTest, SurveyPageCarriesFormKeyLanguageAndStrictHeaders) {
  Response r = rf.get("/s/tp1");
  ASSERT_EQ(r.status, 200);
  expect_security_headers(r);
  EXPECT_EQ(r.header("Cache-Control"), "private, no-cache") << "an empty form may come back with Back";
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("Content-Language"), "fi");
  EXPECT_NE(r.body.find("lang=\"fi\""), std::string::npos);
  EXPECT_EQ(hidden_key(r.body).size(), 22u) << "a one-time key of 22 base64url characters";
  EXPECT_NE(r.body.find("name=\"q.nps\""), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
  EXPECT_EQ(r.route, "/s/{touchpoint}");
}

TEST_F(PagesTest, LanguageFromQueryThenAcceptLanguageThenFinnish) {
  EXPECT_EQ(rf.get("/s/tp1?lang=sv").header("Content-Language"), "sv");
  EXPECT_EQ(rf.get("/s/tp1?lang=fi-x-selko").header("Content-Language"), "fi-x-selko");
  EXPECT_EQ(rf.get("/s/tp1", {{"Accept-Language", "en-GB,en;q=0.9"}}).header("Content-Language"), "en");
  EXPECT_EQ(rf.get("/s/tp1?lang=sv", {{"Accept-Language", "en"}}).header("Content-Language"), "sv");
  EXPECT_EQ(rf.get("/s/tp1?lang=de", {{"Accept-Language", "de-DE"}}).header("Content-Language"), "fi");
}

TEST_F(PagesTest, UnknownPagesAreFriendly404s) {
  Response r = rf.get("/s/nope");
  EXPECT_EQ(r.status, 404);
  expect_security_headers(r);
  EXPECT_NE(r.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(rf.get("/s/tp1?v=relative").status, 404) << "tp1 has no relatives' survey";
  EXPECT_EQ(rf.get("/what/ever").status, 404);
  EXPECT_EQ(rf.get("/s/tp_sms").status, 404) << "not measured through the web";
  EXPECT_EQ(rf.post_form("/s/tp_sms", "k=" + kKey + "&q.nps=5").status, 404);
  EXPECT_EQ(rf.get("/k/tp_sms").status, 404) << "not measured through a kiosk";
  EXPECT_EQ(rf.stored(), 0);
  EXPECT_EQ(rf.get("/what/ever").route, "/{unknown}");
}

TEST_F(PagesTest, PostRedirectsAndTheSameKeyTwiceStoresOnce) {
  std::string body = "k=" + kKey + "&lang=sv&c=qr&q.nps=9&q.many=x&q.many=y&respondent=on_behalf";
  EXPECT_EQ(rf.post_form("/s/tp1", "k=tabletkey000000000001&c=tablet&q.nps=9").status, 303);
  EXPECT_EQ(rf.fx.store->responses().get(1)->channel, domain::Channel::web) << "tp1 has no tablet channel";
  Response first = rf.post_form("/s/tp1", body);
  ASSERT_EQ(first.status, 303) << first.body;
  EXPECT_EQ(first.header("Location"), "/s/tp1/kiitos?lang=sv");
  expect_security_headers(first);
  Response second = rf.post_form("/s/tp1", body);
  EXPECT_EQ(second.status, 303);
  EXPECT_EQ(second.header("Location"), first.header("Location"));
  EXPECT_EQ(rf.stored(), 2);
  auto r = rf.fx.store->responses().get(2);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->channel, domain::Channel::qr);
  EXPECT_EQ(r->language, domain::Language::sv);
  EXPECT_EQ(r->respondent, domain::Respondent::on_behalf);

  Response thanks = rf.get("/s/tp1/kiitos?lang=sv");
  EXPECT_EQ(thanks.status, 200);
  EXPECT_EQ(thanks.header("Content-Language"), "sv");
}

TEST_F(PagesTest, ValidationFailureRerendersWithValuesAndEscapesScript) {
  std::string body = "k=" + kKey + "&q.open=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q.one=a";
  Response r = rf.post_form("/s/tp1", body);
  ASSERT_EQ(r.status, 422);
  expect_security_headers(r);
  EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos) << "script must be rendered escaped";
  EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << "the value is kept";
  EXPECT_EQ(hidden_key(r.body), kKey) << "the same key, so a corrected resubmission is still one response";
  EXPECT_EQ(r.header("Cache-Control"), "no-store") << "a page with typed answers is never cached";
  EXPECT_NE(r.body.find("q.nps"), std::string::npos);
  EXPECT_EQ(rf.stored(), 0);
}

TEST_F(PagesTest, ScriptInTextIsStoredVerbatim) {
  std::string body = "k=" + kKey + "&q.nps=5&q.open=%3Cscript%3Ealert(1)%3C%2Fscript%3E";
  ASSERT_EQ(rf.post_form("/s/tp1", body).status, 303);
  auto r = rf.fx.store->responses().get(1);
  ASSERT_TRUE(r);
  std::string text;
  for (const auto& a : r->answers) {
    if (a.key == "open") text = a.text;
  }
  EXPECT_EQ(text, "<script>alert(1)</script>");
}

TEST_F(PagesTest, HostileBodiesAreRefused) {
  EXPECT_EQ(rf.post_form("/s/tp1", "k=" + kKey + "&q.nps=%G1").status, 400);
  EXPECT_EQ(rf.post_form("/s/tp1", "k=" + kKey + "&q.open=%C3%28&q.nps=1").status, 400);
  EXPECT_EQ(rf.post_form("/s/tp1", "k=" + kKey + "&q.nps=5&respondent=admin").status, 422);
  Request json = make_request("POST", "/s/tp1", "{}", {{"Content-Type", "application/json"}});
  EXPECT_EQ(rf.router->handle(json).status, 415);
  EXPECT_EQ(rf.stored(), 0);
}

TEST_F(PagesTest, OversizedBodyIs413) {
  std::string big = "k=" + kKey + "&q.nps=5&q.open=" + std::string(70 * 1024, 'a');
  Response page = rf.post_form("/s/tp1", big);
  EXPECT_EQ(page.status, 413);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  expect_security_headers(page);
  Response api =
      rf.api("POST", "/api/v1/responses", "whatever", "{\"a\":\"" + std::string(70 * 1024, 'a') + "\"}");
  EXPECT_EQ(api.status, 413);
  EXPECT_EQ(api.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(rf.stored(), 0);
}

TEST(PagesRateLimit, AnonymousPostsAreLimitedPerClientAndTouchpoint) {
  RouterConfig cfg;
  cfg.anonymous_limit = {1.0, 3.0};
  testing::RouterFixture rf(cfg);
  int ok = 0;
  Response last;
  for (int i = 0; i < 5; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "ratelimitkey%010d", i);
    last = rf.post_form("/s/tp1", std::string("k=") + key + "&q.nps=5", "198.51.100.7");
    if (last.status == 303) ++ok;
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(last.status, 429);
  EXPECT_FALSE(last.header("Retry-After").empty());
  EXPECT_EQ(rf.post_form("/s/tp_b", "k=ratelimitkey9999999999&q.nps=5", "198.51.100.7").status, 303);
  EXPECT_EQ(rf.post_form("/s/tp1", "k=ratelimitkey8888888888&q.nps=5", "198.51.100.8").status, 303);
  rf.fx.clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(rf.post_form("/s/tp1", "k=ratelimitkey7777777777&q.nps=5", "198.51.100.7").status, 303);
}

TEST_F(PagesTest, MultiUnitTouchpointTakesTheUnitFromTheUrl) {
  Response page = rf.get("/s/tp_multi?u=unit_b1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/s/tp_multi?u=unit_b1"), std::string::npos);
  EXPECT_EQ(rf.get("/s/tp_multi?u=unit_a2").status, 404);
  ASSERT_EQ(rf.post_form("/s/tp_multi?u=unit_b1", "k=" + kKey + "&q.nps=5").status, 303);
  EXPECT_EQ(rf.fx.store->responses().get(1)->unit, "unit_b1");
  ASSERT_EQ(rf.post_form("/s/tp_multi", "k=zyxwvutsrqponmlkjihgfe&q.nps=5").status, 303);
  EXPECT_EQ(rf.fx.store->responses().get(2)->unit, "county");
}

TEST_F(PagesTest, ChildVariant) {
  Response page = rf.get("/s/tp1?v=child");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("name=\"q.face\""), std::string::npos);
  ASSERT_EQ(rf.post_form("/s/tp1", "k=" + kKey + "&v=child&q.face=3").status, 303);
  EXPECT_EQ(rf.fx.store->responses().get(1)->survey, "child");
}

TEST_F(PagesTest, KioskTapFollowupAndReset) {
  Response start = rf.get("/k/tp_kiosk?lang=en");
  ASSERT_EQ(start.status, 200);
  EXPECT_NE(start.body.find("name=\"face\""), std::string::npos);
  Response tap = rf.post_form("/k/tp_kiosk", "k=" + kKey + "&lang=en&face=5");
  ASSERT_EQ(tap.status, 303) << tap.body;
  EXPECT_EQ(tap.header("Location"), "/k/tp_kiosk/jatko?r=1&lang=en");
  Response follow = rf.get("/k/tp_kiosk/jatko?r=1&lang=en");
  ASSERT_EQ(follow.status, 200);
  EXPECT_NE(follow.body.find("http-equiv=\"refresh\""), std::string::npos);
  std::string key2 = hidden_key(follow.body);
  ASSERT_EQ(key2.size(), 22u);
  Response done = rf.post_form("/k/tp_kiosk/jatko", "k=" + key2 + "&lang=en&r=1&q.why=staff");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location"), "/k/tp_kiosk/kiitos?lang=en");
  EXPECT_EQ(rf.fx.store->responses().get(2)->supplements, 1);
  Response thanks = rf.get("/k/tp_kiosk/kiitos?lang=en");
  EXPECT_EQ(thanks.status, 200);
  EXPECT_NE(thanks.body.find("url=/k/tp_kiosk?lang=en"), std::string::npos);
  EXPECT_EQ(rf.post_form("/k/tp_kiosk", "k=" + kKey + "&lang=en&face=5").status, 303)
      << "same key: same answer";
  EXPECT_EQ(rf.post_form("/k/tp_kiosk", "k=zyxwvutsrqponmlkjihgfe&face=9").status, 422);
  EXPECT_EQ(rf.post_form("/k/tp_kiosk/jatko", "k=zyxwvutsrqponmlkjihgff&r=abc&q.why=staff").status, 400);
  EXPECT_EQ(rf.stored(), 2);
  EXPECT_EQ(rf.get("/k/tp1").status, 404) << "no smiley question: no kiosk";
}

TEST(PagesKioskHeader, RefreshCanMoveToAnHttpHeader) {
  RouterConfig cfg;
  cfg.kiosk_refresh_in_markup = false;
  testing::RouterFixture rf(cfg);
  Response thanks = rf.get("/k/tp_kiosk/kiitos?lang=fi");
  ASSERT_EQ(thanks.status, 200);
  EXPECT_EQ(thanks.header("Refresh"), "8;url=/k/tp_kiosk?lang=fi");
  EXPECT_EQ(thanks.body.find("http-equiv=\"refresh\""), std::string::npos);
}

TEST_F(PagesTest, FeedbackFormInThreeLanguages) {
  EXPECT_EQ(rf.get("/palaute").header("Content-Language"), "fi");
  EXPECT_EQ(rf.get("/feedback").header("Content-Language"), "en");
  EXPECT_EQ(rf.get("/respons").header("Content-Language"), "sv");
  Response search = rf.get("/palaute?haku=unit_b1");
  ASSERT_EQ(search.status, 200);
  EXPECT_NE(search.body.find("unit_b1"), std::string::npos);
  Response sent = rf.post_form(
      "/feedback", "k=" + kKey + "&lang=en&unit=unit_b1&kind=complaint&respondent=other&text=Too+slow");
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/palaute/kiitos?lang=en");
  auto r = rf.fx.store->responses().get(1);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->feedback_kind, "complaint");
  EXPECT_EQ(r->channel, domain::Channel::feedback);
  EXPECT_EQ(r->respondent, domain::parse_respondent("other").value_or(domain::Respondent::on_behalf));
  Response bad = rf.post_form("/palaute", "k=zyxwvutsrqponmlkjihgfe&unit=unit_b1&kind=rant&text=%3Cb%3Ex");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body.find("<b>x"), std::string::npos);
  EXPECT_EQ(rf.get("/palaute/kiitos?lang=sv").status, 200);
  EXPECT_EQ(rf.stored(), 1);
}

TEST_F(PagesTest, StaticQrPosterAndAccessibility) {
  Response css = rf.get("/static/kaiku.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
  expect_security_headers(css);
  Response qr = rf.get("/s/tp1/qr.svg");
  ASSERT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("Content-Type"), "image/svg+xml");
  EXPECT_NE(qr.body.find("<svg"), std::string::npos);
  EXPECT_EQ(rf.get("/s/nope/qr.svg").status, 404);
  Response poster = rf.get("/s/tp1/juliste?lang=fi");
  ASSERT_EQ(poster.status, 200);
  EXPECT_NE(poster.body.find("https://palaute.example/s/tp1?c=qr"), std::string::npos);
  EXPECT_EQ(rf.get("/s/tp1/affisch").header("Content-Language"), "sv");
  EXPECT_EQ(rf.get("/saavutettavuus").header("Content-Language"), "fi");
  EXPECT_EQ(rf.get("/tillganglighet").header("Content-Language"), "sv");
  EXPECT_EQ(rf.get("/accessibility").header("Content-Language"), "en");
}

TEST_F(PagesTest, OnlyStorageRoutesMayBlock) {
  EXPECT_TRUE(rf.router->may_block(make_request("POST", "/s/tp1")));
  EXPECT_TRUE(rf.router->may_block(make_request("GET", "/api/v1/responses?limit=5")));
  EXPECT_TRUE(rf.router->may_block(make_request("GET", "/i/abc")));
  EXPECT_FALSE(rf.router->may_block(make_request("GET", "/s/tp1?lang=fi")));
  EXPECT_FALSE(rf.router->may_block(make_request("HEAD", "/static/kaiku.css")));
  EXPECT_FALSE(rf.router->may_block(make_request("GET", "/healthz")));
}

TEST_F(PagesTest, EveryResponseHasSecurityHeadersAndNoSecretsInRoutes) {
  for (const auto& r : {rf.get("/"), rf.get("/healthz"), rf.get("/api/v1/model"), rf.get("/nope"),
                        rf.post_form("/saavutettavuus", ""), rf.get("/i/sometokenvalue1234567890")}) {
    expect_security_headers(r);
  }
  EXPECT_EQ(rf.get("/i/sometokenvalue1234567890").route, "/i/{token}");
  EXPECT_EQ(rf.post_form("/saavutettavuus", "").status, 405);
  EXPECT_EQ(rf.post_form("/saavutettavuus", "").header("Allow"), "GET, HEAD");
}

TEST_F(PagesTest, QrAndPosterCarryUnitAndVariant) {
  auto decoded_url = [](const std::string& html) {
    std::smatch m;
    std::regex re(R"re(https://palaute\.example/s/[^"<\s]+)re");
    std::string text = std::regex_replace(html, std::regex("&amp;"), "&");
    return std::regex_search(text, m, re) ? std::string(m[0]) : std::string();
  };
  Response poster = rf.get("/s/tp1/juliste?lang=fi&v=child");
  ASSERT_EQ(poster.status, 200);
  EXPECT_EQ(decoded_url(poster.body), "https://palaute.example/s/tp1?c=qr&v=child");
  EXPECT_EQ(rf.get("/s/tp1/juliste?v=relative").status, 404) << "tp1 has no relatives' survey";
  EXPECT_EQ(rf.get("/s/tp1/qr.svg?v=bogus").status, 404);
  EXPECT_EQ(rf.get("/s/tp1/qr.svg?v=child").status, 200);
  EXPECT_NE(rf.get("/s/tp1/qr.svg?v=child").body, rf.get("/s/tp1/qr.svg").body);

  Response unit = rf.get("/s/tp_multi/juliste?u=unit_b1");
  ASSERT_EQ(unit.status, 200);
  EXPECT_EQ(decoded_url(unit.body), "https://palaute.example/s/tp_multi?c=qr&u=unit_b1");
  EXPECT_EQ(rf.get("/s/tp_multi/qr.svg?u=unit_a2").status, 404);
  EXPECT_EQ(rf.get("/s/tp_multi/juliste?u=unit_a2").status, 404);
  EXPECT_NE(rf.get("/s/tp_multi/qr.svg?u=unit_b1").body, rf.get("/s/tp_multi/qr.svg?u=unit_a1").body);

  // Without `u` a multi-unit touchpoint's poster page links to each unit's poster.
  Response list = rf.get("/s/tp_multi/juliste?lang=fi");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/s/tp_multi/juliste?u=unit_a1"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("/s/tp_multi/juliste?u=unit_b1"), std::string::npos);
  EXPECT_EQ(list.body.find("<svg"), std::string::npos) << "no QR code that picks a unit silently";
  Response affisch = rf.get("/s/tp_multi/affisch");
  EXPECT_NE(affisch.body.find("/s/tp_multi/affisch?u=unit_a1"), std::string::npos);
}

TEST_F(PagesTest, KioskCarriesItsUnitThroughTapFollowupAndReset) {
  Response start = rf.get("/k/tp_kiosk_multi?u=unit_a2&lang=fi");
  ASSERT_EQ(start.status, 200);
  EXPECT_NE(start.body.find("action=\"/k/tp_kiosk_multi?u=unit_a2\""), std::string::npos);
  EXPECT_EQ(rf.get("/k/tp_kiosk_multi?u=unit_b1").status, 404);
  Response tap = rf.post_form("/k/tp_kiosk_multi?u=unit_a2", "k=" + kKey + "&lang=fi&face=2");
  ASSERT_EQ(tap.status, 303) << tap.body;
  EXPECT_EQ(tap.header("Location"), "/k/tp_kiosk_multi/jatko?r=1&lang=fi&u=unit_a2");
  EXPECT_EQ(rf.fx.store->responses().get(1)->unit, "unit_a2");
  Response follow = rf.get(std::string(tap.header("Location")));
  ASSERT_EQ(follow.status, 200);
  EXPECT_NE(follow.body.find("url=/k/tp_kiosk_multi?lang=fi&amp;u=unit_a2"), std::string::npos)
      << follow.body;
  std::string key2 = hidden_key(follow.body);
  Response done = rf.post_form("/k/tp_kiosk_multi/jatko?u=unit_a2", "k=" + key2 + "&lang=fi&r=1&q.why=staff");
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(done.header("Location"), "/k/tp_kiosk_multi/kiitos?lang=fi&u=unit_a2");
  // A second follow-up to the same tap: thanked, not stored.
  Response again =
      rf.post_form("/k/tp_kiosk_multi/jatko?u=unit_a2", "k=anotherkey00000000001&lang=fi&r=1&q.why=wait");
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(again.header("Location"), "/k/tp_kiosk_multi/kiitos?lang=fi&u=unit_a2");
  EXPECT_EQ(rf.stored(), 2);
  // Without `u`: the common ancestor, like the web form.
  ASSERT_EQ(rf.post_form("/k/tp_kiosk_multi", "k=zyxwvutsrqponmlkjihgfe&lang=fi&face=2").status, 303);
  EXPECT_EQ(rf.fx.store->responses().get(3)->unit, "area_a");
}

TEST_F(PagesTest, ReusedKeyWithOtherAnswersRerendersWithAFreshKey) {
  ASSERT_EQ(rf.post_form("/s/tp1", "k=" + kKey + "&q.nps=5").status, 303);
  Response again = rf.post_form("/s/tp1", "k=" + kKey + "&q.nps=9&q.open=hello");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("error-summary"), std::string::npos);
  std::string fresh = hidden_key(again.body);
  EXPECT_EQ(fresh.size(), 22u);
  EXPECT_NE(fresh, kKey);
  EXPECT_NE(again.body.find("hello"), std::string::npos) << "values kept";
  EXPECT_EQ(rf.stored(), 1);
  ASSERT_EQ(rf.post_form("/s/tp1", "k=" + fresh + "&q.nps=9&q.open=hello").status, 303);

  ASSERT_EQ(rf.post_form("/palaute", "k=feedbackkey0000000001&unit=unit_a1&kind=praise&text=hyva").status,
            303);
  Response fb = rf.post_form("/palaute", "k=feedbackkey0000000001&unit=unit_a1&kind=praise&text=toinen");
  EXPECT_EQ(fb.status, 409);
  EXPECT_NE(hidden_key(fb.body), "feedbackkey0000000001");
  EXPECT_NE(fb.body.find("toinen"), std::string::npos);

  ASSERT_EQ(rf.post_form("/k/tp_kiosk", "k=kioskreusekey00000001&face=5").status, 303);
  Response k = rf.post_form("/k/tp_kiosk", "k=kioskreusekey00000001&face=1");
  EXPECT_EQ(k.status, 409);
  EXPECT_NE(hidden_key(k.body), "kioskreusekey00000001");
}

TEST_F(PagesTest, RateLimitedSurveyKeepsTheAnswers) {
  Response last;
  for (int i = 0; i < 40; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "keptkey%015d", i);
    last = rf.post_form("/s/tp1", std::string("k=") + key + "&q.nps=5&q.open=kept", "198.51.100.9");
    if (last.status == 429) break;
  }
  ASSERT_EQ(last.status, 429);
  EXPECT_FALSE(last.header("Retry-After").empty());
  EXPECT_NE(last.body.find("name=\"q.nps\""), std::string::npos) << "the form again";
  EXPECT_NE(last.body.find("kept"), std::string::npos);
}

TEST_F(PagesTest, MethodNotAllowedIsAPageOnRespondentRoutesAndAProblemOnTheApi) {
  Response page = rf.post_form("/saavutettavuus", "");
  EXPECT_EQ(page.status, 405);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  Response api = rf.router->handle(make_request("DELETE", "/api/v1/model"));
  EXPECT_EQ(api.status, 405);
  EXPECT_EQ(api.header("Content-Type"), "application/problem+json");
}

TEST_F(PagesTest, InvitationGonePageSpeaksTheInvitationsLanguage) {
  service::SurveyService svc(rf.fx.model, *rf.fx.store, rf.fx.clock, rf.fx.random);
  service::InvitationRequest req;
  req.touchpoint = "tp1";
  req.language = domain::Language::sv;
  auto inv = svc.create_invitation(req);
  ASSERT_TRUE(inv);
  ASSERT_EQ(rf.post_form("/i/" + inv->token, "k=invitekey00000000000z&q.nps=10").status, 303);
  Response gone = rf.get("/i/" + inv->token, {{"Accept-Language", "fi"}});
  EXPECT_EQ(gone.status, 410);
  EXPECT_NE(gone.body.find("lang=\"sv\""), std::string::npos);
}

TEST(ClientAddress, TrustedProxiesUseTheLastUntrustedForwardedAddress) {
  std::vector<std::string> none;
  std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", none), "203.0.113.5");
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", proxies), "203.0.113.5") << "peer not trusted";
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.1", proxies), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.2", proxies), "198.51.100.1")
      << "a spoofed first entry is ignored";
  EXPECT_EQ(client_address("10.0.0.1", "", proxies), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", "10.0.0.2", proxies), "10.0.0.1");
}

TEST(RateLimitBehindProxy, KeysOnTheForwardedClient) {
  RouterConfig cfg;
  cfg.trusted_proxies = {"10.0.0.1"};
  cfg.anonymous_limit = service::RateLimit{0.001, 1.0};
  testing::RouterFixture rf(cfg);
  auto post = [&](const std::string& key, const std::string& client) {
    Request r =
        make_request("POST", "/s/tp1", "k=" + key + "&q.nps=5",
                     {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Forwarded-For", client}});
    r.client_ip = "10.0.0.1";
    return rf.router->handle(r).status;
  };
  EXPECT_EQ(post("proxykey0000000000001", "198.51.100.1"), 303);
  EXPECT_EQ(post("proxykey0000000000002", "198.51.100.1"), 429);
  EXPECT_EQ(post("proxykey0000000000003", "198.51.100.2"), 303) << "another client behind the same proxy";
}

TEST(Overloaded, ApiGetsAProblemAndPagesGetAPage) {
  testing::RouterFixture rf;
  Response api = rf.router->overloaded(make_request("POST", "/api/v1/responses"), 2);
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(api.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(api.header("Retry-After"), "2");
  Response page = rf.router->overloaded(make_request("POST", "/s/tp1"), 1);
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(page.header("Retry-After"), "1");
}

}  // namespace
}  // namespace kaiku::http
