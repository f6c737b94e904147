// The models API (check, publish, versions) and the touchpoint statistics, on a
// real store, called as the Router calls mounts.
#include "http/models_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/engine.hpp"
#include "modelfile/loader.hpp"
#include "service/test_support.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::map<std::string, std::string> demo_files() {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(KAIKU_SOURCE_DIR) / "models/demo")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[e.path().filename().string()] = text.str();
  }
  return files;
}

std::string upload_body(const std::map<std::string, std::string>& files) {
  json::object f;
  for (const auto& [k, v] : files) f[k] = v;
  return json::serialize(json::object{{"files", std::move(f)}});
}

domain::Principal who(domain::Role role, std::int64_t id = 5, const std::string& login = "cx") {
  return {id, login, role, "lansirannikko"};
}

class ModelsApiTest : public ::testing::Test {
 protected:
  ModelsApiTest() {
    auto m = modelfile::load_model(fs::path(KAIKU_SOURCE_DIR) / "models/demo");
    if (!m) throw std::runtime_error("demo model does not load");
    served = std::move(*m);
    EXPECT_TRUE(fx.store->model_versions().remember(served.version, "{\"served\":true}", fx.clock.now()));
    EXPECT_TRUE(fx.store->model_versions().publish(served.version, 0, "", fx.clock.now()));
  }
  Response call(const std::string& method, const std::string& target, const Result<domain::Principal>& caller,
                const std::string& body = "") {
    return api.handle(make_request(method, target, body), caller);
  }
  // The demo with a new touchpoint and the NPS question reworded.
  std::map<std::string, std::string> changed_demo() {
    auto files = demo_files();
    std::string& q = files["questions.yaml"];
    const auto at = q.find("Kuinka todennäköisesti suosittelisit");
    EXPECT_NE(at, std::string::npos);
    q.replace(at, std::string("Kuinka").size(), "Miten");
    std::string& tp = files["touchpoints.yaml"];
    const auto first = tp.find("\n  - id: ");
    EXPECT_NE(first, std::string::npos);
    const auto second = tp.find("\n  - id: ", first + 1);
    std::string copy = tp.substr(first, second == std::string::npos ? std::string::npos : second - first);
    const auto id_end = copy.find('\n', 1);
    copy = "\n  - id: uusi-mittauspiste" + copy.substr(id_end);
    tp += copy + "\n";
    return files;
  }

  kaiku::testing::Fixture fx;
  domain::Model served;
  int published_calls = 0;
  ModelsApi api{served, *fx.store, fx.clock, [this] { ++published_calls; }};
};

TEST(ParseModelUpload, FilesOrOneFileAndNothingElse) {
  auto files = parse_model_upload(R"({"files": {"a.yaml": "x: 1", "b/c.yml": ""}})");
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->size(), 2u);
  EXPECT_EQ(files->at("a.yaml"), "x: 1");
  auto one = parse_model_upload(R"({"file": "county: {}"})");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->at("model.yaml"), "county: {}");
  for (const char* bad : {R"({"files": {}, "file": ""})", R"({})", R"({"file": 3})", R"({"files": {"a": 1}})",
                          R"({"files": []})", R"({"file": "", "extra": 1})", "[]", "{", ""}) {
    auto r = parse_model_upload(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << bad;
    }
  }
  auto unknown = parse_model_upload(R"({"filez": {}})");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("filez"), std::string::npos);
}

TEST_F(ModelsApiTest, RolesAndAuthentication) {
  EXPECT_EQ(call("GET", "/api/v1/models", fail(Error::unauthorized("no token"))).status, 401);
  EXPECT_EQ(call("GET", "/api/v1/models", who(domain::Role::integration)).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/models", who(domain::Role::analyst)).status, 200);
  const std::string body = upload_body(demo_files());
  for (auto role : {domain::Role::unit_manager, domain::Role::director, domain::Role::analyst}) {
    EXPECT_EQ(call("POST", "/api/v1/models/check", who(role), body).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/models/publish", who(role), body).status, 403);
  }
  EXPECT_EQ(published_calls, 0);
  EXPECT_EQ(call("POST", "/api/v1/models/check", who(domain::Role::admin), body).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/models/check", who(domain::Role::admin)).status, 405);
  EXPECT_EQ(call("POST", "/api/v1/models", who(domain::Role::admin)).status, 405);
  EXPECT_EQ(call("GET", "/api/v1/models?x=1", who(domain::Role::admin)).status, 400);
}

TEST_F(ModelsApiTest, CheckABrokenModelListsDiagnosticsWithFileAndLine) {
  auto files = demo_files();
  std::string& tp = files["touchpoints.yaml"];
  tp.replace(tp.find("survey: ydinkysely"), 18, "survey: no_such_survey");
  auto res = call("POST", "/api/v1/models/check", who(domain::Role::cx_specialist), upload_body(files));
  ASSERT_EQ(res.status, 422) << res.body;
  auto v = json::parse(res.body);
  EXPECT_FALSE(v.at("ok").as_bool());
  const auto& d = v.at("diagnostics").as_array().at(0).as_object();
  EXPECT_EQ(d.at("file").as_string(), "touchpoints.yaml");
  EXPECT_GT(d.at("line").as_int64(), 1);
  EXPECT_GT(d.at("column").as_int64(), 1);
  EXPECT_NE(std::string(d.at("message").as_string()).find("no_such_survey"), std::string::npos);
  EXPECT_EQ(call("POST", "/api/v1/models/check", who(domain::Role::cx_specialist), "{nope").status, 400);
}

TEST_F(ModelsApiTest, CheckDiffsAgainstTheServedModelAndStoresNothing) {
  auto res = call("POST", "/api/v1/models/check", who(domain::Role::cx_specialist), upload_body(changed_demo()));
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = json::parse(res.body);
  EXPECT_TRUE(v.at("ok").as_bool());
  EXPECT_NE(v.at("version").as_string(), served.version);
  EXPECT_EQ(v.at("current_version").as_string(), served.version);
  EXPECT_EQ(v.at("diff").at("touchpoints").at("added").as_array().at(0).as_string(), "uusi-mittauspiste");
  EXPECT_EQ(v.at("diff").at("questions").at("changed").as_array().at(0).at("key").as_string(), "nps");
  EXPECT_EQ(fx.store->model_versions().list()->size(), 1u) << "a check stores nothing";
  EXPECT_EQ(published_calls, 0);
}

TEST_F(ModelsApiTest, PublishStoresAuditsAndAsksForTheSwitch) {
  auto res = call("POST", "/api/v1/models/publish", who(domain::Role::cx_specialist, 9, "anna"),
                  upload_body(changed_demo()));
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = json::parse(res.body);
  const std::string version(v.at("version").as_string());
  EXPECT_TRUE(v.at("switching").as_bool());
  EXPECT_EQ(v.at("published_at").as_string(), format_rfc3339(fx.clock.now()));
  EXPECT_EQ(published_calls, 1);
  EXPECT_EQ(*fx.store->model_versions().published(), version);
  auto audit = fx.store->audit().recent(5);
  ASSERT_TRUE(audit);
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->front().action, "model.publish");
  EXPECT_EQ(audit->front().object, "version=" + version);
  EXPECT_EQ(audit->front().login, "anna");

  auto list = json::parse(call("GET", "/api/v1/models", who(domain::Role::analyst)).body).as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("version").as_string(), version);
  EXPECT_TRUE(list[0].at("current").as_bool());
  EXPECT_EQ(list[0].at("published_by").as_string(), "anna");
  EXPECT_FALSE(list[0].at("from_file").as_bool());
  EXPECT_FALSE(list[1].at("current").as_bool());
  EXPECT_TRUE(list[1].at("published_by").is_null());
  EXPECT_TRUE(list[1].at("from_file").as_bool());

  auto got = call("GET", "/api/v1/models/" + version, who(domain::Role::unit_manager));
  ASSERT_EQ(got.status, 200);
  auto model = json::parse(got.body);
  EXPECT_EQ(model.at("version").as_string(), version);
  auto old = call("GET", "/api/v1/models/" + served.version, who(domain::Role::unit_manager));
  EXPECT_EQ(old.status, 200);
  EXPECT_EQ(old.body, "{\"served\":true}");
  EXPECT_EQ(call("GET", "/api/v1/models/0000000000000000", who(domain::Role::admin)).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/models/BAD!", who(domain::Role::admin)).status, 404);
}

TEST_F(ModelsApiTest, PublishingTheServedModelNeedsNoSwitch) {
  auto res = call("POST", "/api/v1/models/publish", who(domain::Role::admin), upload_body(demo_files()));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(json::parse(res.body).at("switching").as_bool());
  EXPECT_EQ(published_calls, 0);
  auto broken = call("POST", "/api/v1/models/publish", who(domain::Role::admin), R"({"file": "county: ["})");
  EXPECT_EQ(broken.status, 422);
  EXPECT_EQ(*fx.store->model_versions().published(), served.version);
}

// ---- touchpoint statistics ----

class TouchpointStatsTest : public ::testing::Test {
 protected:
  void add_response(std::int64_t id, const std::string& tp, const std::string& unit, int days_ago) {
    domain::Response r;
    r.id = id;
    r.submission_key = "k" + std::to_string(id);
    r.touchpoint = tp;
    r.unit = unit;
    r.survey = "core";
    r.channel = domain::Channel::web;
    r.answered_at = fx.clock.now() - std::chrono::hours(24 * days_ago);
    domain::Answer nps;
    nps.key = "nps";
    nps.number = 9;
    r.answers = {nps};
    engine.add(r);
  }
  kaiku::testing::Fixture fx;
  analytics::Engine engine{std::make_shared<const domain::Model>(fx.model)};
  TouchpointStatsApi api{fx.model, &engine, fx.clock};
};

TEST_F(TouchpointStatsTest, CountsPerTouchpointInScopeWithSuppression) {
  std::int64_t id = 0;
  for (int i = 0; i < 7; ++i) add_response(++id, "tp1", "unit_a1", 3 + i * 20);  // 7 within the year
  add_response(++id, "tp1", "unit_a1", 400);                                    // too old
  for (int i = 0; i < 2; ++i) add_response(++id, "tp_b", "unit_b1", 10);        // below the threshold
  // ... so that one more cell is hidden with it (complementary suppression): the
  // smallest other one, tp_multi's 6, not tp1's 7.
  for (int i = 0; i < 6; ++i) add_response(++id, "tp_multi", "unit_a1", 30);
  const domain::Principal county{1, "d", domain::Role::director, "county"};
  auto res = api.handle(make_request("GET", "/api/v1/touchpoints/stats"), county);
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = json::parse(res.body);
  EXPECT_EQ(v.at("threshold").as_int64(), fx.model.reporting_threshold);
  std::map<std::string, json::object> by_tp;
  for (const auto& row : v.at("touchpoints").as_array()) by_tp[std::string(row.at("touchpoint").as_string())] = row.as_object();
  EXPECT_EQ(by_tp.size(), fx.model.touchpoints.size());
  EXPECT_EQ(by_tp["tp1"].at("answers").as_int64(), 7);
  EXPECT_EQ(by_tp["tp1"].at("invitations").as_int64(), 0);
  EXPECT_TRUE(by_tp["tp1"].at("last_answer_at").is_null())
      << "one answer per day (and < 5 per month): every day is suppressed, none may be named";
  EXPECT_TRUE(by_tp["tp_b"].at("last_answer_at").is_null()) << "2 answers on one day";
  EXPECT_TRUE(by_tp["tp_b"].at("answers").is_null()) << "2 answers are fewer than the threshold";
  EXPECT_TRUE(by_tp["tp_multi"].at("answers").is_null()) << "hidden to protect tp_b's";
  EXPECT_TRUE(by_tp["tp_multi"].at("last_answer_at").is_null())
      << "its August (6) is hidden to protect tp1's August (2) in the touchpoint x month table";
  EXPECT_EQ(by_tp["tp_kiosk"].at("answers").as_int64(), 0);
  EXPECT_TRUE(by_tp["tp_kiosk"].at("last_answer_at").is_null());

  // A unit manager of area_a sees only the touchpoints measured there, and counts in scope.
  const domain::Principal area_a{2, "m", domain::Role::unit_manager, "area_a"};
  auto scoped = json::parse(api.handle(make_request("GET", "/api/v1/touchpoints/stats"), area_a).body);
  std::set<std::string> ids;
  for (const auto& row : scoped.at("touchpoints").as_array()) ids.insert(std::string(row.at("touchpoint").as_string()));
  EXPECT_EQ(ids, (std::set<std::string>{"tp1", "tp_multi", "tp_kiosk", "tp_kiosk_multi", "tp_sms"}));

  const domain::Principal integration{3, "i", domain::Role::integration, "county"};
  EXPECT_EQ(api.handle(make_request("GET", "/api/v1/touchpoints/stats"), integration).status, 403);
  EXPECT_EQ(api.handle(make_request("GET", "/api/v1/touchpoints/stats?x=1"), county).status, 400);
  EXPECT_EQ(api.handle(make_request("POST", "/api/v1/touchpoints/stats"), county).status, 405);
  TouchpointStatsApi without{fx.model, nullptr, fx.clock};
  EXPECT_EQ(without.handle(make_request("GET", "/api/v1/touchpoints/stats"), county).status, 503);
}

TEST_F(TouchpointStatsTest, TheLastAnswerDayIsNeverASuppressedDay) {
  std::int64_t id = 0;
  for (int i = 0; i < 6; ++i) add_response(++id, "tp1", "unit_a1", 10);
  for (int i = 0; i < 6; ++i) add_response(++id, "tp1", "unit_a1", 5);
  add_response(++id, "tp1", "unit_a1", 2);  // one answer: its day must stay hidden
  const domain::Principal county{1, "d", domain::Role::director, "county"};
  auto res = api.handle(make_request("GET", "/api/v1/touchpoints/stats"), county);
  ASSERT_EQ(res.status, 200) << res.body;
  const json::value v = json::parse(res.body);
  std::string last = "null";
  for (const auto& row : v.at("touchpoints").as_array()) {
    const auto& at = row.at("last_answer_at");
    if (row.at("touchpoint").as_string() == "tp1" && at.is_string()) last = std::string(at.as_string());
  }
  auto day = [&](int days_ago) {
    return analytics::format_date(
        analytics::TimeZone::helsinki().local_day(fx.clock.now() - std::chrono::hours(24 * days_ago)));
  };
  // The 1-answer day is suppressed; the day 10 days ago is hidden with it
  // (complementary: the smaller of the two 6s, the first in order); 5 days ago is shown.
  EXPECT_NE(last, day(2));
  EXPECT_EQ(last, day(5));
}

}  // namespace
}  // namespace kaiku::http
