// GET /api/v1/org and GET /api/v1/audit through their Mounts, over the test model
// and a real SQLite store: scope, roles, filters, paging, and the audit of the read.
#include "http/insight_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/test_support.hpp"

namespace kaiku::http {
namespace {
namespace json = boost::json;

domain::Principal who(domain::Role role, const std::string& unit, const std::string& login = "anna") {
  return domain::Principal{7, login, role, unit};
}

Request get(const std::string& target) { return make_request("GET", target); }

json::value body(const Response& r) { return json::parse(r.body); }

std::vector<std::string> ids_of(const json::value& org) {
  std::vector<std::string> out;
  for (const auto& u : org.at("units").as_array()) out.emplace_back(u.at("id").as_string());
  return out;
}

TEST(OrgApi, ShowsTheSubtreeOfTheCallersScope) {
  kaiku::testing::Fixture fx;
  OrgApi api(fx.model);
  const Response r = api.handle(get("/api/v1/org"), who(domain::Role::unit_manager, "unit_a2"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value v = body(r);
  EXPECT_EQ(v.at("root").as_string(), "unit_a2");
  EXPECT_EQ(ids_of(v), (std::vector<std::string>{"unit_a2", "unit_a2x"}));
  const auto& root = v.at("units").as_array()[0];
  EXPECT_TRUE(root.at("parent").is_null());
  EXPECT_EQ(root.at("level").as_int64(), 2);
  EXPECT_EQ(root.at("children").as_array().size(), 1u);
  EXPECT_EQ(v.at("units").as_array()[1].at("parent").as_string(), "unit_a2");

  const json::value all = body(api.handle(get("/api/v1/org"), who(domain::Role::director, "county")));
  EXPECT_EQ(ids_of(all).size(), fx.model.units.size());
  const auto& county = all.at("units").as_array()[0];
  EXPECT_EQ(county.at("level").as_int64(), 0);
  EXPECT_EQ(county.at("children").as_array(), (json::array{"area_a", "area_b"}));
  EXPECT_FALSE(county.at("name").at("fi").as_string().empty());
}

TEST(OrgApi, RefusesWhatItShould) {
  kaiku::testing::Fixture fx;
  OrgApi api(fx.model);
  EXPECT_EQ(api.handle(get("/api/v1/org"), fail(Error::unauthorized("no token"))).status, 401);
  EXPECT_EQ(api.handle(get("/api/v1/org"), who(domain::Role::integration, "county")).status, 403);
  EXPECT_EQ(api.handle(get("/api/v1/org?unit=x"), who(domain::Role::admin, "county")).status, 400);
  EXPECT_EQ(api.handle(get("/api/v1/org/x"), who(domain::Role::admin, "county")).status, 404);
  EXPECT_EQ(api.handle(make_request("POST", "/api/v1/org"), who(domain::Role::admin, "county")).status, 405);
  EXPECT_EQ(api.handle(get("/api/v1/org"), who(domain::Role::admin, "gone")).status, 403);
}

class AuditApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) record("cx", i % 2 == 0 ? "export.csv" : "responses.list", "q" + std::to_string(i));
    fx.clock.advance(std::chrono::hours(48));
    record("anna", "export.xlsx", "indicator=nps");
  }
  void record(const std::string& login, const std::string& action, const std::string& object) {
    storage::AuditEntry e;
    e.at = fx.clock.now();
    e.user_id = 1;
    e.login = login;
    e.action = action;
    e.object = object;
    e.count = 3;
    ASSERT_TRUE(fx.store->audit().record(e));
    fx.clock.advance(std::chrono::seconds(1));
  }
  Response read(const std::string& target, domain::Role role = domain::Role::admin) {
    return api.handle(get(target), who(role, "county", "root"));
  }

  kaiku::testing::Fixture fx;
  AuditApi api{*fx.store, fx.clock};
};

TEST_F(AuditApiTest, NewestFirstWithFiltersAndAuditsTheRead) {
  Response r = read("/api/v1/audit");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = body(r);
  const auto& entries = v.at("entries").as_array();
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].at("action").as_string(), "export.xlsx");
  EXPECT_EQ(entries[0].at("object").as_string(), "indicator=nps");
  EXPECT_EQ(entries[0].at("count").as_int64(), 3);
  EXPECT_TRUE(v.at("next_cursor").is_null());
  // The read itself is audited, after the page was read.
  auto last = fx.store->audit().recent(1).value();
  EXPECT_EQ(last[0].action, "audit.read");
  EXPECT_EQ(last[0].login, "root");
  EXPECT_EQ(last[0].count, 6);

  v = body(read("/api/v1/audit?action=export.csv,export.xlsx&login=cx"));
  EXPECT_EQ(v.at("entries").as_array().size(), 3u);
  for (const auto& e : v.at("entries").as_array()) EXPECT_EQ(e.at("action").as_string(), "export.csv");

  v = body(read("/api/v1/audit?action=audit.read"));
  EXPECT_EQ(v.at("entries").as_array().size(), 2u);  // the two reads before this one

  // from/to: the last entry is 48 h after the others.
  const std::string cut = format_rfc3339(fx.clock.now() - std::chrono::hours(24));
  v = body(read("/api/v1/audit?action=export.csv,export.xlsx,responses.list&from=" + cut));
  ASSERT_EQ(v.at("entries").as_array().size(), 1u);
  EXPECT_EQ(v.at("entries").as_array()[0].at("login").as_string(), "anna");
  v = body(read("/api/v1/audit?action=export.csv,export.xlsx,responses.list&to=" + cut));
  EXPECT_EQ(v.at("entries").as_array().size(), 5u);
}

TEST_F(AuditApiTest, CursorPagesThroughEverything) {
  std::vector<std::string> seen;
  std::string target = "/api/v1/audit?login=cx&limit=2";
  for (int page = 0; page < 10; ++page) {
    Response r = read(target);
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = body(r);
    for (const auto& e : v.at("entries").as_array()) seen.emplace_back(e.at("object").as_string());
    if (v.at("next_cursor").is_null()) break;
    target = "/api/v1/audit?login=cx&limit=2&cursor=" + std::string(v.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"q4", "q3", "q2", "q1", "q0"}));
}

TEST_F(AuditApiTest, AdminsOnlyAndBadParametersNamed) {
  for (auto role : {domain::Role::unit_manager, domain::Role::director, domain::Role::cx_specialist,
                    domain::Role::analyst, domain::Role::integration}) {
    EXPECT_EQ(read("/api/v1/audit", role).status, 403) << domain::role_name(role);
  }
  EXPECT_EQ(fx.store->audit().recent(1).value()[0].action, "audit.read.denied");
  EXPECT_EQ(api.handle(get("/api/v1/audit"), fail(Error::unauthorized("no token"))).status, 401);
  for (const char* q : {"limit=0", "limit=1001", "cursor=abc", "from=yesterday", "action=Export", "action=a,,b",
                        "bogus=1", "login=", "login=a&login=b", "from=2026-09-02&to=2026-09-01"}) {
    Response r = read(std::string("/api/v1/audit?") + q);
    EXPECT_EQ(r.status, 400) << q;
  }
  Response r = read("/api/v1/audit?limit=x");
  EXPECT_NE(r.body.find("limit: "), std::string::npos) << r.body;
}

TEST(AuditFilter, DaysAreHelsinkiDaysAndToIsInclusive) {
  auto f = parse_audit_filter(RawForm{{{"from", "2026-03-29"}, {"to", "2026-03-29"}}});
  ASSERT_TRUE(f);
  // 29 March 2026: summer time starts at 03:00 local; the day starts at 00:00 +02:00
  // and the next at 00:00 +03:00.
  EXPECT_EQ(format_rfc3339(*f->from), "2026-03-28T22:00:00.000Z");
  EXPECT_EQ(format_rfc3339(*f->to), "2026-03-29T21:00:00.000Z");
}

}  // namespace
}  // namespace kaiku::http
