// CasesApi as a Mount: routes, status codes and JSON shapes of
// docs/workspace-api.md ("The feedback inbox: cases"); bodies and query
// parameters checked (unknown fields 400, non-JSON 415, wrong methods 405).
#include "http/cases_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/survey_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;

class CasesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::User u;
    u.login = "anna";
    u.password_hash = "x";
    u.role = domain::Role::unit_manager;
    u.scope_unit = "unit_a1";
    manager = {*fx.store->users().add(u), "anna", domain::Role::unit_manager, "unit_a1"};
    service::SubmissionInput in;
    in.touchpoint = "tp1";
    in.submission_key = "key-api-aaaaaaaaaaaaa";
    in.answers["nps"] = {"3"};
    in.answers["open"] = {"Jonotin"};
    in.answers["contact.wanted"] = {"yes"};
    in.answers["contact.phone"] = {"+358401234567"};
    in.answers["contact.consent"] = {"yes"};
    id = surveys.submit(in)->id;
  }
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const domain::Principal* who = nullptr) {
    HeaderList h;
    if (!body.empty()) h.emplace_back("content-type", "application/json");
    Request req = make_request(method, target, body, h);
    return api.handle(req, Result<domain::Principal>(who ? *who : manager));
  }
  json::value parse(const Response& r) { return json::parse(r.body); }

  kaiku::testing::Fixture fx;
  service::SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random};
  service::CaseService cases{fx.model, *fx.store, fx.clock, nullptr};
  CasesApi api{fx.model, cases};
  domain::Principal manager;
  std::int64_t id = 0;
};

TEST_F(CasesApiTest, ListAndGetHaveTheContractsShape) {
  Response r = call("GET", "/api/v1/cases?kind=contact_request&band=detractor");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = parse(r);
  ASSERT_EQ(v.at("cases").as_array().size(), 1u);
  const json::object& c = v.at("cases").as_array()[0].as_object();
  EXPECT_EQ(c.at("id").as_int64(), id);
  EXPECT_EQ(c.at("kind").as_string(), "contact_request");
  EXPECT_EQ(c.at("status").as_string(), "new");
  EXPECT_EQ(c.at("unit_name").at("fi").as_string(), "unit_a1");
  EXPECT_EQ(c.at("nps").as_int64(), 3);
  EXPECT_TRUE(c.at("alert").as_bool());
  EXPECT_TRUE(c.at("assignee").is_null());
  EXPECT_FALSE(c.at("overdue").as_bool());
  EXPECT_TRUE(v.at("next_cursor").is_null());
  EXPECT_EQ(v.at("total").as_int64(), 1);

  Response one = call("GET", "/api/v1/cases/" + std::to_string(id));
  ASSERT_EQ(one.status, 200) << one.body;
  json::value d = parse(one);
  EXPECT_EQ(d.at("contact").at("phone").as_string(), "+358401234567");
  EXPECT_EQ(d.at("answers").at("nps").as_int64(), 3);
  EXPECT_TRUE(d.at("can_reply").as_array().empty());  // no messenger
  EXPECT_TRUE(d.at("history").as_array().empty());

  Response ov = call("GET", "/api/v1/cases/overdue");
  ASSERT_EQ(ov.status, 200) << ov.body;
  EXPECT_EQ(parse(ov).at("units").as_array()[0].at("open").as_int64(), 1);
}

TEST_F(CasesApiTest, HandlingEndpoints) {
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  EXPECT_EQ(call("POST", base + "/status", R"({"status":"answered"})").status, 409);
  Response taken = call("POST", base + "/assign", R"({"user":"me"})");
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(parse(taken).at("assignee").at("login").as_string(), "anna");
  Response note = call("POST", base + "/notes", R"({"text":"Soitin"})");
  EXPECT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(parse(note).at("kind").as_string(), "note");
  Response reply = call("POST", base + "/reply", R"({"channel":"sms","text":"Hei"})");
  EXPECT_EQ(reply.status, 503) << reply.body;  // no messenger on this server
  Response closed = call("POST", base + "/status", R"({"status":"closed","note":"ok"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_TRUE(parse(closed).at("contact").is_null());
  EXPECT_EQ(parse(closed).at("history").as_array().size(), 3u);
}

TEST_F(CasesApiTest, RequestsAreChecked) {
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  EXPECT_EQ(call("GET", "/api/v1/cases?colour=red").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/cases?band=x").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/cases?band=none&band=detractor").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/cases?unit=unit_b1").status, 403);
  EXPECT_EQ(call("GET", base + "?x=1").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/cases").status, 405);
  EXPECT_EQ(call("DELETE", base).status, 405);
  EXPECT_EQ(call("GET", base + "/status").status, 405);
  EXPECT_EQ(call("GET", "/api/v1/cases/abc").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/cases/999").status, 404);
  EXPECT_EQ(call("POST", base + "/frobnicate", "{}").status, 404);
  EXPECT_EQ(call("POST", base + "/status", R"({"status":"closed","why":1})").status, 400);
  EXPECT_EQ(call("POST", base + "/status", R"({"status":7})").status, 400);
  EXPECT_EQ(call("POST", base + "/status", R"({})").status, 400);
  EXPECT_EQ(call("POST", base + "/status", "not json").status, 400);
  EXPECT_EQ(call("POST", base + "/muistutus", R"({"notify":"yes"})").status, 400);
  Request plain = make_request("POST", base + "/notes", R"({"text":"x"})", {{"content-type", "text/plain"}});
  EXPECT_EQ(api.handle(plain, Result<domain::Principal>(manager)).status, 415);
  Request anon = make_request("GET", "/api/v1/cases");
  EXPECT_EQ(api.handle(anon, Result<domain::Principal>(fail(Error::unauthorized("no token")))).status, 401);
  domain::Principal analyst{manager.user_id, "anna", domain::Role::analyst, "county"};
  EXPECT_EQ(call("POST", base + "/notes", R"({"text":"x"})", &analyst).status, 403);
}

}  // namespace
}  // namespace kaiku::http
