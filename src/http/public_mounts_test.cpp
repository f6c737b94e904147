// The public pages through their Mounts: the six prefixes, the published actions
// of an area's subtree, the results page from the reporting engine (figures shown
// only above the threshold), caching, errors and methods.
#include "http/public_mounts.hpp"

#include <gtest/gtest.h>

#include "analytics/engine.hpp"
#include "service/survey_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::http {
namespace {

class PublicMountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::User u{0, "anna", "x", domain::Role::admin, "county", false, ""};
    admin = domain::Principal{fx.store->users().add(u).value(), "anna", domain::Role::admin, "county"};
    for (auto& m : make_public_mounts(fx.model, actions, &reports, fx.clock)) mounts.push_back(std::move(m));
  }

  const Mount& mount(std::string_view prefix) const {
    for (const auto& m : mounts) {
      if (m->prefix() == prefix) return *m;
    }
    throw std::runtime_error("no mount " + std::string(prefix));
  }

  Response get(std::string_view prefix, const std::string& target) const {
    return mount(prefix).handle(make_request("GET", target), fail(Error::unauthorized("none")));
  }

  void submit(int n, const std::string& tp, int nps, const std::string& agree) {
    for (int i = 0; i < n; ++i) {
      service::SubmissionInput in;
      in.touchpoint = tp;
      in.submission_key = "key-" + tp + "-" + std::to_string(counter++) + "-abcdefgh";
      in.answers["nps"] = {std::to_string(nps)};
      in.answers["agree"] = {agree};
      auto out = surveys.submit(in);
      ASSERT_TRUE(out) << out.error().message;
    }
  }

  std::int64_t publish(const std::string& unit, const std::string& title, bool published) {
    service::ActionInput in;
    in.unit = unit;
    in.title.texts = {{domain::Language::fi, title}, {domain::Language::sv, title + " på svenska"}};
    in.done_on = "2026-09-01";
    in.published = published;
    auto made = actions.create(admin, in);
    EXPECT_TRUE(made) << made.error().message;
    return made ? made->action.id : 0;
  }

  kaiku::testing::Fixture fx;
  std::shared_ptr<const domain::Model> model = std::make_shared<const domain::Model>(fx.model);
  analytics::Engine engine{model};
  service::EngineFeed feed{engine};
  service::SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random, &feed};
  service::ReportService reports{fx.model, engine};
  service::ActionService actions{fx.model, *fx.store, fx.clock};
  std::vector<std::unique_ptr<Mount>> mounts;
  domain::Principal admin;
  int counter = 0;
};

TEST_F(PublicMountsTest, SixPrefixes) {
  std::vector<std::string> prefixes;
  for (const auto& m : mounts) prefixes.emplace_back(m->prefix());
  EXPECT_EQ(prefixes, (std::vector<std::string>{"/sanoitte-teimme", "/tulokset", "/ni-sade-vi-gjorde", "/resultat",
                                                "/you-said-we-did", "/results"}));
}

TEST_F(PublicMountsTest, ActionsPageShowsPublishedActionsOfTheSubtree) {
  publish("unit_a1", "Takaisinsoitto", true);
  publish("unit_a2x", "Uudet opasteet", true);
  publish("unit_a1", "Luonnos", false);
  publish("unit_b1", "Toisen alueen muutos", true);
  Response fi = get("/sanoitte-teimme", "/sanoitte-teimme/area_a");
  ASSERT_EQ(fi.status, 200);
  EXPECT_EQ(fi.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(fi.header("Content-Language"), "fi");
  EXPECT_EQ(fi.header("Cache-Control"), "public, max-age=60");
  EXPECT_NE(fi.body.find("Takaisinsoitto"), std::string::npos);
  EXPECT_NE(fi.body.find("Uudet opasteet"), std::string::npos) << "deeper in the subtree";
  EXPECT_EQ(fi.body.find("Luonnos"), std::string::npos) << "not published";
  EXPECT_EQ(fi.body.find("Toisen alueen"), std::string::npos) << "another area";
  Response sv = get("/ni-sade-vi-gjorde", "/ni-sade-vi-gjorde/area_a/");
  ASSERT_EQ(sv.status, 200);
  EXPECT_NE(sv.body.find("Takaisinsoitto på svenska"), std::string::npos);
  EXPECT_NE(sv.body.find("<html lang=\"sv\">"), std::string::npos);
  Response en = get("/you-said-we-did", "/you-said-we-did/unit_b1?utm_source=x");
  ASSERT_EQ(en.status, 200);
  EXPECT_NE(en.body.find("Toisen alueen muutos"), std::string::npos) << "Finnish title as the fallback";

}

TEST_F(PublicMountsTest, IndexListsTheAreasWithPublishedActions) {
  Response none = get("/sanoitte-teimme", "/sanoitte-teimme");
  ASSERT_EQ(none.status, 200);
  EXPECT_NE(none.body.find("Kehittämistoimia ei ole vielä julkaistu."), std::string::npos);
  publish("unit_a2x", "Uudet opasteet", true);
  publish("unit_b1", "Luonnos", false);
  Response index = get("/sanoitte-teimme", "/sanoitte-teimme/");
  ASSERT_EQ(index.status, 200);
  for (const char* area : {"county", "area_a", "unit_a2", "unit_a2x"}) {
    EXPECT_NE(index.body.find(std::string("/sanoitte-teimme/") + area + "\""), std::string::npos) << area;
  }
  for (const char* area : {"unit_a1", "area_b", "unit_b1"}) {
    EXPECT_EQ(index.body.find(std::string("/sanoitte-teimme/") + area + "\""), std::string::npos) << area;
  }
}

TEST_F(PublicMountsTest, ErrorsAndMethods) {
  EXPECT_EQ(get("/sanoitte-teimme", "/sanoitte-teimme/nowhere").status, 404);
  EXPECT_EQ(get("/tulokset", "/tulokset/nowhere").status, 404);
  EXPECT_EQ(get("/resultat", "/resultat/area_a/more").status, 404);
  Response post = mount("/results").handle(make_request("POST", "/results/area_a"), fail(Error::unauthorized("")));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");
  Response bare = get("/tulokset", "/tulokset");
  EXPECT_EQ(bare.status, 303);
  EXPECT_EQ(bare.header("Location"), "/tulokset/county");
  auto without = make_public_mounts(fx.model, actions, nullptr, fx.clock);
  EXPECT_EQ(without[1]->handle(make_request("GET", "/tulokset/county"), fail(Error::unauthorized(""))).status, 503);
}

TEST_F(PublicMountsTest, ResultsShowFiguresAboveTheThresholdOnly) {
  submit(4, "tp1", 10, "5");   // unit_a1
  submit(2, "tp1", 3, "2");    // unit_a1: 6 answers, NPS (4-2)/6 = 33
  Response a = get("/tulokset", "/tulokset/unit_a1");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.header("Cache-Control"), "public, max-age=300");
  EXPECT_NE(a.body.find("Vastauksia: <strong>6</strong>"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("<p class=\"figure\">33</p>"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("95 %:n luottamusväli: "), std::string::npos);
  // The core statement ("agree", of the core survey of tp1): 4 of 6 agree.
  EXPECT_NE(a.body.find("<td class=\"num\">67\u00a0%</td>"), std::string::npos) << a.body;

  submit(2, "tp_b", 10, "5");  // unit_b1: only 2
  fx.clock.advance(std::chrono::minutes(5));
  Response b = get("/results", "/results/unit_b1");
  ASSERT_EQ(b.status, 200);
  EXPECT_NE(b.body.find("Answers: <strong>fewer than 5 answers</strong>"), std::string::npos) << b.body;
  EXPECT_NE(b.body.find("<p class=\"figure suppressed\">fewer than 5 answers</p>"), std::string::npos);
  EXPECT_EQ(b.body.find("class=\"num\""), std::string::npos) << "no number for a suppressed cell";

  Response sv = get("/resultat", "/resultat/area_b");
  EXPECT_NE(sv.body.find("färre än 5 svar"), std::string::npos);
  Response county = get("/results", "/results/county");
  EXPECT_NE(county.body.find("Answers: <strong>8</strong>"), std::string::npos);
  EXPECT_NE(county.body.find("href=\"/results/area_a\""), std::string::npos) << "the next level";
}

TEST_F(PublicMountsTest, AChildBelowTheThresholdCannotBeRecoveredFromItsParentsTotal) {
  submit(6, "tp1", 10, "5");   // area_a (unit_a1): 6 answers, NPS 100
  submit(2, "tp_b", 0, "1");   // area_b (unit_b1): only 2, NPS -100
  Response county = get("/results", "/results/county");
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_NE(county.body.find("Answers: <strong>8</strong>"), std::string::npos) << county.body;
  // area_b is below the threshold; area_a is hidden with it (one grouped query,
  // complementary suppression), else 8 - 6 would give area_b's count and its NPS.
  for (const char* unit : {"area_b", "area_a", "unit_b1"}) {
    Response r = get("/results", std::string("/results/") + unit);
    ASSERT_EQ(r.status, 200) << unit;
    EXPECT_NE(r.body.find("Answers: <strong>fewer than 5 answers</strong>"), std::string::npos) << unit << r.body;
    EXPECT_EQ(r.body.find("class=\"num\""), std::string::npos) << unit;
    EXPECT_EQ(r.body.find("<p class=\"figure\">100</p>"), std::string::npos) << unit;
  }
  // area_a's total is hidden, so its only child must not show it either.
  Response a1 = get("/results", "/results/unit_a1");
  EXPECT_NE(a1.body.find("Answers: <strong>fewer than 5 answers</strong>"), std::string::npos) << a1.body;
  EXPECT_EQ(a1.body.find("<strong>6</strong>"), std::string::npos);
}

TEST_F(PublicMountsTest, FiguresAreKeptForFiveMinutesAcrossLanguages) {
  submit(5, "tp1", 10, "5");
  ASSERT_NE(get("/tulokset", "/tulokset/unit_a1").body.find("Vastauksia: <strong>5</strong>"), std::string::npos);
  submit(1, "tp1", 10, "5");
  EXPECT_NE(get("/results", "/results/unit_a1").body.find("Answers: <strong>5</strong>"), std::string::npos)
      << "the same figures in another language within five minutes";
  fx.clock.advance(std::chrono::minutes(5));
  EXPECT_NE(get("/resultat", "/resultat/unit_a1").body.find("Svar: <strong>6</strong>"), std::string::npos);
}

TEST(CoreStatements, AgreementQuestionsOfTheAreasSurveys) {
  kaiku::testing::Fixture fx;
  auto keys = [&](const std::string& area) {
    std::vector<std::string> out;
    for (const auto* q : core_statements(fx.model, area)) out.push_back(q->key);
    return out;
  };
  EXPECT_EQ(keys("county"), std::vector<std::string>{"agree"});
  EXPECT_EQ(keys("unit_b1"), std::vector<std::string>{"agree"});
  EXPECT_EQ(keys("unit_a2"), std::vector<std::string>{"agree"}) << "tp_sms at unit_a2x below it";
  EXPECT_EQ(keys("unit_a2x"), std::vector<std::string>{"agree"}) << "tp_sms at unit_a2x";
}

}  // namespace
}  // namespace kaiku::http
