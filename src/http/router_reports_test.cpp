// GET /api/v1/reports/indicators through Router::handle(): authentication,
// scope, parameter validation, suppression in JSON and CSV, and answers that
// reach the report as soon as they are stored.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/json_body.hpp"
#include "http/report_format.hpp"
#include "http/report_params.hpp"
#include "http/router_test_support.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;
using domain::Role;

class ReportsApiTest : public ::testing::Test {
 protected:
  testing::RouterFixture rf;
  std::string integration = rf.token("integ", Role::integration);
  std::string director = rf.token("director", Role::director, "county");
  int keys = 0;

  void submit(const std::string& touchpoint, int nps, const std::string& channel = "api",
              const std::string& extra = "") {
    char key[40];
    std::snprintf(key, sizeof key, "key-report-%012d", keys++);
    const std::string body = R"({"touchpoint":")" + touchpoint + R"(","channel":")" + channel +
                             R"(","language":"fi","submission_key":")" + key + R"(","answers":{"nps":)" +
                             std::to_string(nps) + "}" + extra + "}";
    Response r = rf.api("POST", "/api/v1/responses", integration, body);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  json::object report(const std::string& token, const std::string& query, int status = 200) {
    Response r = rf.api("GET", "/api/v1/reports/indicators" + query, token);
    EXPECT_EQ(r.status, status) << r.body;
    return json::parse(r.body).as_object();
  }
  void expect_bad(const std::string& query, const std::string& param) {
    Response r = rf.api("GET", "/api/v1/reports/indicators" + query, director);
    EXPECT_EQ(r.status, 400) << query << " -> " << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto o = json::parse(r.body).as_object();
    ASSERT_TRUE(o.contains("errors")) << query << " -> " << r.body;
    EXPECT_EQ(o.at("errors").as_array().at(0).at("field").as_string(), param) << query << " -> " << r.body;
    EXPECT_EQ(std::string(o.at("detail").as_string()).rfind(param + ":", 0), 0u) << r.body;
  }
};

TEST_F(ReportsApiTest, NeedsABearerTokenAndARoleThatReadsReports) {
  Response anon = rf.api("GET", "/api/v1/reports/indicators", "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_FALSE(anon.header("WWW-Authenticate").empty());
  report(integration, "", 403);
  Response post = rf.api("POST", "/api/v1/reports/indicators", director, "{}");
  EXPECT_EQ(post.status, 405);
}

TEST_F(ReportsApiTest, ScopedToTheCallersSubtree) {
  std::string manager = rf.token("manager", Role::unit_manager, "area_a");
  auto county = report(manager, "?unit=county", 403);
  EXPECT_EQ(county.at("status").as_int64(), 403);
  report(manager, "?unit=unit_b1", 403);
  auto own = report(manager, "");
  EXPECT_EQ(own.at("unit").as_string(), "area_a") << "default unit: the scope";
  auto below = report(manager, "?unit=unit_a2");
  EXPECT_EQ(below.at("unit").as_string(), "unit_a2");
  auto unknown = report(manager, "?unit=nowhere", 400);
  EXPECT_EQ(unknown.at("errors").as_array().at(0).at("field").as_string(), "unit");
}

TEST_F(ReportsApiTest, EveryBadParameterIsA400NamingIt) {
  expect_bad("?indicator=bad%20key", "indicator");
  expect_bad("?indicator=no_such_question", "indicator");
  expect_bad("?from=2026-13-01", "from");
  expect_bad("?to=yesterday", "to");
  expect_bad("?from=2026-09-10&to=2026-09-01", "from");
  expect_bad("?journey=nope", "journey");
  expect_bad("?touchpoint=tp1,,tp_b", "touchpoint");
  expect_bad("?channel=fax", "channel");
  expect_bad("?language=de", "language");
  expect_bad("?age_group=old", "age_group");
  expect_bad("?respondent=cat", "respondent");
  expect_bad("?group_by=unit,month,channel", "group_by");
  expect_bad("?group_by=unit,unit", "group_by");
  expect_bad("?group_by=colour", "group_by");
  expect_bad("?adaptive=yes", "adaptive");
  expect_bad("?standardise=1", "standardise");
  expect_bad("?compare=TRUE", "compare");
  expect_bad("?colour=red", "colour");
  expect_bad("?unit=county&unit=area_a", "unit");
  expect_bad("?group_by=month&adaptive=true", "adaptive");
  expect_bad("?themes=nope", "themes");  // the test model has no taxonomy
  expect_bad("?sentiments=happy", "sentiments");
  expect_bad("?sentiments=positive,", "sentiments");
  expect_bad("?indicator=response_rate&group_by=theme", "group_by");
  expect_bad("?indicator=response_rate&sentiments=negative", "sentiments");
}

TEST_F(ReportsApiTest, CommentIndicatorsAndDimensionsAreAccepted) {
  for (int i = 0; i < 5; ++i) submit("tp1", 9);  // no open answer: no comment
  auto comments = report(director, "?indicator=comments&group_by=unit,theme");
  EXPECT_EQ(comments.at("kind").as_string(), "count");
  EXPECT_TRUE(comments.at("rows").as_array().empty()) << json::serialize(comments);
  auto share = report(director, "?indicator=positive_comments&group_by=sentiment&sentiments=positive,mixed");
  EXPECT_EQ(share.at("kind").as_string(), "comment_share");
  EXPECT_TRUE(share.at("rows").as_array().empty());
  auto responses = report(director, "?indicator=responses");
  ASSERT_EQ(responses.at("rows").as_array().size(), 1u);
  EXPECT_EQ(responses.at("rows").as_array()[0].at("n").as_int64(), 5);
}

TEST_F(ReportsApiTest, AnswersShowAtOnceAndSmallCellsAreSuppressed) {
  for (int i = 0; i < 6; ++i) submit("tp1", i < 4 ? 10 : 3);  // unit_a1: 4 promoters, 2 detractors
  for (int i = 0; i < 2; ++i) submit("tp_b", 9);              // unit_b1: 2 answers only
  auto t = report(director, "?unit=area_a");
  EXPECT_EQ(t.at("indicator").as_string(), "nps");
  EXPECT_EQ(t.at("kind").as_string(), "nps");
  EXPECT_EQ(t.at("unit").as_string(), "area_a");
  EXPECT_EQ(t.at("threshold").as_int64(), 5);
  EXPECT_EQ(t.at("to").as_string(), "2026-09-21");
  EXPECT_EQ(t.at("from").as_string(), "2026-08-23");
  EXPECT_EQ(t.at("group_by").as_array().size(), 0u);
  ASSERT_EQ(t.at("rows").as_array().size(), 1u) << json::serialize(t);
  const json::object& a = t.at("rows").as_array()[0].as_object();
  EXPECT_EQ(a.at("n").as_int64(), 6);
  EXPECT_NEAR(a.at("value").to_number<double>(), (4.0 - 2.0) / 6.0 * 100.0, 1e-9);
  EXPECT_EQ(a.at("suppressed").as_bool(), false);
  EXPECT_EQ(a.at("promoters").as_int64(), 4);
  EXPECT_EQ(a.at("detractors").as_int64(), 2);
  EXPECT_TRUE(a.at("channel_mix").is_object());
  EXPECT_TRUE(a.at("period").is_object());

  // By unit under the county: area_b has 2 answers (hidden), and area_a must be
  // hidden too, or area_b could be derived from the county's total.
  auto by_unit = report(director, "?group_by=unit");
  const json::object* b = nullptr;
  const json::object* other = nullptr;
  for (const auto& row : by_unit.at("rows").as_array()) {
    const auto& g = row.at("group").as_object();
    if (g.at("unit").as_string() == "area_b") b = &row.as_object();
    if (g.at("unit").as_string() == "area_a") other = &row.as_object();
  }
  ASSERT_NE(b, nullptr) << json::serialize(by_unit);
  EXPECT_TRUE(b->at("suppressed").as_bool());
  EXPECT_TRUE(b->at("n").is_null());
  EXPECT_TRUE(b->at("value").is_null());
  EXPECT_TRUE(b->at("ci_low").is_null());
  EXPECT_TRUE(b->at("ci_high").is_null());
  EXPECT_EQ(b->at("reason").as_string(), "below_threshold");
  EXPECT_EQ(b->at("note").as_string(), "fewer than 5 answers");
  EXPECT_FALSE(b->contains("promoters"));
  EXPECT_FALSE(b->contains("channel_mix"));
  ASSERT_NE(other, nullptr) << json::serialize(by_unit);
  EXPECT_TRUE(other->at("suppressed").as_bool());
  EXPECT_EQ(other->at("reason").as_string(), "complementary");
  EXPECT_TRUE(other->at("value").is_null());

  // One more answer shows at once.
  for (int i = 0; i < 3; ++i) submit("tp_b", 9);
  auto after = report(director, "?unit=area_b");
  ASSERT_EQ(after.at("rows").as_array().size(), 1u);
  EXPECT_EQ(after.at("rows").as_array()[0].at("n").as_int64(), 5);
}

TEST_F(ReportsApiTest, CsvOnRequest) {
  for (int i = 0; i < 5; ++i) submit("tp1", 9);
  Response r = rf.router->handle(make_request("GET", "/api/v1/reports/indicators?unit=unit_a1&group_by=unit", "",
                                              {{"Authorization", "Bearer " + director}, {"Accept", "text/csv"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type").substr(0, 8), "text/csv");
  EXPECT_EQ(r.body.rfind("unit,n,value,ci_low,ci_high,suppressed,reason,note,period_from,period_to,widened,", 0), 0u)
      << r.body;
  EXPECT_NE(r.body.find("\r\nunit_a1,5,100,"), std::string::npos) << r.body;
}

TEST_F(ReportsApiTest, ApiBodiesCarryAnAgeGroup) {
  submit("tp1", 9, "api", R"(,"age_group":"65_74")");
  auto stored = rf.fx.store->responses().scan(0, 10);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().age_group, domain::AgeGroup::from_65_to_74);
  Response bad = rf.api("POST", "/api/v1/responses", integration,
                        R"({"touchpoint":"tp1","channel":"api","language":"fi","submission_key":"key-report-bad-age-0",)"
                        R"("answers":{"nps":9},"age_group":"sixty"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("age_group"), std::string::npos);

  Response inv = rf.api("POST", "/api/v1/invitations", integration, R"({"touchpoint":"tp1","age_group":"75_plus"})");
  ASSERT_EQ(inv.status, 201) << inv.body;
  auto invitations = rf.fx.store->invitations().list(0, 10);
  ASSERT_TRUE(invitations);
  ASSERT_EQ(invitations->size(), 1u);
  EXPECT_EQ(invitations->front().age_group, domain::AgeGroup::from_75);
  EXPECT_EQ(rf.engine->max_invitation_seq(), invitations->front().seq) << "the engine heard of it";
  auto parsed = parse_api_invitation(R"({"touchpoint":"tp1","age_group":"18"})");
  EXPECT_FALSE(parsed);
}

// ---- the renderers, on hand-made tables ----

analytics::Table sample_table() {
  analytics::Table t;
  t.indicator = "nps";
  t.kind = analytics::IndicatorKind::nps;
  t.unit = "county";
  t.from = analytics::day_from_civil(2026, 3, 1);
  t.to = analytics::day_from_civil(2026, 3, 31);
  t.group_by = {analytics::Dimension::unit};
  analytics::Cell shown;
  shown.group = {{analytics::Dimension::unit, "area, \"a\""}};
  shown.from = t.from;
  shown.to = t.to;
  analytics::Figure f;
  f.n = 10;
  f.value = 12.5;
  f.ci_low = -10;
  f.ci_high = 35.25;
  f.promoters = 4;
  f.passives = 3;
  f.detractors = 3;
  shown.figure = f;
  shown.channel_mix = {{domain::Channel::sms, 80.0}, {domain::Channel::web, std::nullopt}};
  shown.target = 50;
  shown.target_met = false;
  analytics::Cell hidden;
  hidden.group = {{analytics::Dimension::unit, "area_b"}};
  hidden.suppression = analytics::Suppression::complementary;
  hidden.from = t.from;
  hidden.to = t.to;
  t.cells = {shown, hidden};
  return t;
}

TEST(ReportFormat, JsonCarriesNoFigureForASuppressedCell) {
  auto t = json::parse(report_json(sample_table())).as_object();
  const auto& rows = t.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  const auto& shown = rows[0].as_object();
  EXPECT_EQ(shown.at("group").at("unit").as_string(), "area, \"a\"");
  EXPECT_EQ(shown.at("ci_high").to_number<double>(), 35.25);
  EXPECT_EQ(shown.at("channel_mix").at("sms").to_number<double>(), 80.0);
  EXPECT_TRUE(shown.at("channel_mix").at("web").is_null());
  EXPECT_EQ(shown.at("target").to_number<double>(), 50.0);
  EXPECT_FALSE(shown.at("target_met").as_bool());
  EXPECT_EQ(shown.at("period").at("from").as_string(), "2026-03-01");
  const auto& hidden = rows[1].as_object();
  EXPECT_EQ(hidden.at("reason").as_string(), "complementary");
  EXPECT_EQ(hidden.at("note").as_string(), "hidden so that a smaller cell cannot be derived");
  for (const auto& [k, v] : hidden) {
    EXPECT_FALSE(v.is_number()) << k << " is numeric in a suppressed row";
  }
}

TEST(ReportFormat, CsvQuotesAndLeavesSuppressedValuesEmpty) {
  const std::string csv = report_csv(sample_table());
  const std::string head =
      "unit,n,value,ci_low,ci_high,suppressed,reason,note,period_from,period_to,widened,promoters,passives,"
      "detractors,target,target_met,mix_web,mix_sms\r\n";
  EXPECT_EQ(csv.substr(0, head.size()), head) << csv;
  EXPECT_NE(csv.find("\"area, \"\"a\"\"\",10,12.5,-10,35.25,false,,,2026-03-01,2026-03-31,false,4,3,3,50,false,,80\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("area_b,,,,,true,complementary,hidden so that a smaller cell cannot be derived,2026-03-01,"
                     "2026-03-31,false,,,,,,,\r\n"),
            std::string::npos)
      << csv;
}

TEST(ReportFormat, CommentSharesCarryTheMatchingCountAndThemeIds) {
  analytics::Table t;
  t.indicator = "positive_comments";
  t.kind = analytics::IndicatorKind::comment_share;
  t.unit = "county";
  t.from = t.to = analytics::day_from_civil(2026, 3, 1);
  t.group_by = {analytics::Dimension::theme};
  analytics::Cell c;
  c.group = {{analytics::Dimension::theme, "access_waiting"}};
  c.from = c.to = t.from;
  analytics::Figure f;
  f.n = 20;
  f.positive = 5;
  f.value = 25;
  f.ci_low = 11.2;
  f.ci_high = 46.9;
  c.figure = f;
  analytics::Cell hidden;
  hidden.group = {{analytics::Dimension::theme, "premises"}};
  hidden.suppression = analytics::Suppression::below_threshold;
  hidden.from = hidden.to = t.from;
  t.cells = {c, hidden};
  auto o = json::parse(report_json(t)).as_object();
  EXPECT_EQ(o.at("kind").as_string(), "comment_share");
  EXPECT_EQ(o.at("group_by").as_array().at(0).as_string(), "theme");
  const auto& row = o.at("rows").as_array().at(0).as_object();
  EXPECT_EQ(row.at("group").at("theme").as_string(), "access_waiting");
  EXPECT_EQ(row.at("matching").as_int64(), 5);
  EXPECT_FALSE(row.contains("mean"));
  EXPECT_FALSE(o.at("rows").as_array().at(1).as_object().contains("matching"));
  const std::string csv = report_csv(t);
  EXPECT_EQ(csv.rfind("theme,n,value,ci_low,ci_high,suppressed,reason,note,period_from,period_to,widened,matching,"
                      "target,target_met\r\n",
                      0),
            0u)
      << csv;
  EXPECT_NE(csv.find("\r\naccess_waiting,20,25,11.2,46.9,false,,,2026-03-01,2026-03-01,false,5,,\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\npremises,,,,,true,below_threshold,fewer than 5 answers,2026-03-01,2026-03-01,false,,,\r\n"),
            std::string::npos)
      << csv;
}

TEST(ReportParams, CommentFiltersAndDimensions) {
  auto model = kaiku::testing::test_model();
  for (const char* id : {"access_waiting", "premises"}) {
    domain::Theme th;
    th.id = id;
    model.themes.push_back(th);
  }
  const analytics::Day today = analytics::day_from_civil(2026, 9, 21);
  RawForm f;
  f.fields = {{"indicator", "suggestions"}, {"group_by", "theme,sentiment"},
              {"themes", "premises,access_waiting,premises"}, {"sentiments", "negative,mixed"}};
  auto q = parse_report_query(f, model, today);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->indicator, "suggestions");
  ASSERT_EQ(q->group_by.size(), 2u);
  EXPECT_EQ(q->group_by[0], analytics::Dimension::theme);
  EXPECT_EQ(q->group_by[1], analytics::Dimension::sentiment);
  EXPECT_EQ(q->filters.themes, (std::vector<std::string>{"premises", "access_waiting"}));
  EXPECT_EQ(q->filters.sentiments, (std::vector<domain::Sentiment>{domain::Sentiment::negative,
                                                                   domain::Sentiment::mixed}));
  RawForm bad;
  bad.fields = {{"themes", "access_waiting,food"}};
  auto e = parse_report_query(bad, model, today);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().param, "themes");
  EXPECT_NE(e.error().message.find("'food'"), std::string::npos) << e.error().message;
}

TEST(ReportParams, DefaultsAndLists) {
  const auto model = kaiku::testing::test_model();
  const analytics::Day today = analytics::day_from_civil(2026, 9, 21);
  auto q = parse_report_query(RawForm{}, model, today);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->indicator, "nps");
  EXPECT_EQ(q->to, today);
  EXPECT_EQ(q->from, today - 29);
  RawForm f;
  f.fields = {{"from", "2026-01-01"}, {"channel", "sms,web,sms"}, {"group_by", "unit,month"},
              {"touchpoint", "tp1,tp_b"}, {"compare", "true"}, {"age_group", "75_plus"}};
  auto full = parse_report_query(f, model, today);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->from, analytics::day_from_civil(2026, 1, 1));
  EXPECT_EQ(full->to, today);
  EXPECT_EQ(full->filters.channels.size(), 2u) << "repeats folded";
  ASSERT_EQ(full->group_by.size(), 2u);
  EXPECT_EQ(full->group_by[1], analytics::Dimension::month);
  EXPECT_EQ(full->filters.touchpoints.size(), 2u);
  EXPECT_TRUE(full->compare);
  EXPECT_FALSE(full->adaptive);
  ASSERT_EQ(full->filters.age_groups.size(), 1u);
  EXPECT_EQ(full->filters.age_groups[0], domain::AgeGroup::from_75);
}

}  // namespace
}  // namespace kaiku::http
