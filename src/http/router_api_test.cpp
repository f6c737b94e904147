// The JSON API through Router::handle(): authentication, every scope rule,
// idempotent submission, invitations, problem documents.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router_test_support.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;
using domain::Role;

json::object body_of(const Response& r) {
  return json::parse(r.body).as_object();
}

std::string submission(const std::string& key, const std::string& touchpoint = "tp1",
                       const std::string& extra = "") {
  return R"({"touchpoint":")" + touchpoint + R"(","channel":"api","language":"fi","submission_key":")" + key +
         R"(","answers":{"nps":7,"one":"a","many":["x"],"open":"hyvä"})" + extra + "}";
}

class ApiTest : public ::testing::Test {
 protected:
  testing::RouterFixture rf;

  void expect_problem(const Response& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto o = body_of(r);
    EXPECT_EQ(o.at("status").as_int64(), status);
    EXPECT_TRUE(o.contains("type") && o.contains("title") && o.contains("detail") && o.contains("instance"))
        << r.body;
  }
  std::vector<std::string> units_listed(const std::string& token, const std::string& query = "") {
    Response r = rf.api("GET", "/api/v1/responses" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> units;
    if (r.status == 200) {
      json::object page = body_of(r);
      for (const auto& item : page.at("items").as_array()) {
        units.emplace_back(item.at("unit").as_string());
      }
    }
    return units;
  }
  void seed(const std::string& integration) {
    ASSERT_EQ(rf.api("POST", "/api/v1/responses", integration, submission("key-seed-a1-000000001")).status,
              201);
    ASSERT_EQ(
        rf.api("POST", "/api/v1/responses", integration, submission("key-seed-b1-000000001", "tp_b")).status,
        201);
    ASSERT_EQ(rf.api("POST", "/api/v1/responses", integration,
                     submission("key-seed-ax-000000001", "tp_multi", R"(,"unit":"unit_a1")"))
                  .status,
              201);
  }
};

TEST_F(ApiTest, HealthzModelAndTouchpointsArePublic) {
  Response h = rf.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(body_of(h).at("status").as_string(), "ok");
  Response m = rf.get("/api/v1/model");
  ASSERT_EQ(m.status, 200) << m.body;
  auto model = body_of(m);
  EXPECT_EQ(model.at("version").as_string(), "testmodel0000001");
  EXPECT_EQ(model.at("units").as_array().size(), 7u);
  Response t = rf.get("/api/v1/touchpoints");
  ASSERT_EQ(t.status, 200);
  EXPECT_EQ(body_of(t).at("items").as_array().size(), 6u);
  EXPECT_EQ(rf.get("/api/v1/nothing").status, 404);
  expect_problem(rf.api("DELETE", "/api/v1/model", ""), 405);
}

TEST_F(ApiTest, MissingInvalidOrExpiredTokenIs401) {
  Response none = rf.api("GET", "/api/v1/responses", "");
  expect_problem(none, 401);
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer realm=\"kaiku\"");
  expect_problem(rf.api("GET", "/api/v1/responses", "kk_notatoken"), 401);
  expect_problem(rf.api("GET", "/api/v1/responses", "kk_" + std::string(43, 'Q')), 401);
  Request basic = make_request("GET", "/api/v1/responses", "", {{"Authorization", "Basic dXNlcjpwdw=="}});
  expect_problem(rf.router->handle(basic), 401);

  rf.token("temp", Role::analyst);
  auto short_lived =
      service::issue_token(*rf.fx.store, "temp", rf.fx.random, rf.fx.clock, std::chrono::hours(1));
  ASSERT_TRUE(short_lived);
  EXPECT_EQ(rf.api("GET", "/api/v1/responses", *short_lived).status, 200);
  rf.fx.clock.advance(std::chrono::hours(2));
  expect_problem(rf.api("GET", "/api/v1/responses", *short_lived), 401);
  expect_problem(rf.api("POST", "/api/v1/responses", "", submission("key-unauth-000000001")), 401);
  EXPECT_EQ(rf.stored(), 0);
}

TEST_F(ApiTest, UnitManagerCannotReadAnotherUnitEvenWithUnitQuery) {
  seed(rf.token("ehr", Role::integration));
  std::string manager = rf.token("mgr", Role::unit_manager, "unit_a1");
  EXPECT_EQ(units_listed(manager), (std::vector<std::string>{"unit_a1", "unit_a1"}));
  EXPECT_EQ(units_listed(manager, "?unit=unit_a1"), (std::vector<std::string>{"unit_a1", "unit_a1"}));
  expect_problem(rf.api("GET", "/api/v1/responses?unit=unit_b1", manager), 403);
  expect_problem(rf.api("GET", "/api/v1/responses?unit=county", manager), 403);
  expect_problem(rf.api("GET", "/api/v1/responses?unit=area_a", manager), 403);
  // A touchpoint filter cannot widen the scope either.
  EXPECT_TRUE(units_listed(manager, "?touchpoint=tp_b").empty());
}

TEST_F(ApiTest, DirectorOfAnAreaSeesItsSubtree) {
  seed(rf.token("ehr", Role::integration));
  std::string director = rf.token("dir", Role::director, "area_b");
  EXPECT_EQ(units_listed(director), std::vector<std::string>{"unit_b1"});
  EXPECT_EQ(units_listed(director, "?unit=unit_b1"), std::vector<std::string>{"unit_b1"});
  expect_problem(rf.api("GET", "/api/v1/responses?unit=area_a", director), 403);
  std::string county = rf.token("cx", Role::cx_specialist);
  EXPECT_EQ(units_listed(county).size(), 3u);
  EXPECT_EQ(units_listed(county, "?unit=area_a").size(), 2u);
}

TEST_F(ApiTest, AnalystGetsNoContactDetailsAndIntegrationCannotRead) {
  std::string ehr = rf.token("ehr", Role::integration);
  ASSERT_EQ(rf.api("POST", "/api/v1/responses", ehr,
                   submission("key-contact-00000001", "tp1",
                              R"(,"contact":{"name":"Liisa","phone":"040 765 4321","consent":true})"))
                .status,
            201);
  std::string analyst = rf.token("ana", Role::analyst);
  Response list = rf.api("GET", "/api/v1/responses", analyst);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("040 765 4321"), std::string::npos);
  EXPECT_EQ(list.body.find("Liisa"), std::string::npos);
  expect_problem(rf.api("GET", "/api/v1/responses?include=contact", analyst), 403);

  std::string manager = rf.token("mgr", Role::unit_manager, "unit_a1");
  Response with = rf.api("GET", "/api/v1/responses?include=contact", manager);
  ASSERT_EQ(with.status, 200) << with.body;
  EXPECT_NE(with.body.find("040 765 4321"), std::string::npos);

  expect_problem(rf.api("GET", "/api/v1/responses", ehr), 403);
  std::string reader = rf.token("reader", Role::director, "county");
  expect_problem(rf.api("POST", "/api/v1/responses", reader, submission("key-director-0000001")), 403);
  expect_problem(rf.api("POST", "/api/v1/invitations", analyst, R"({"touchpoint":"tp1"})"), 403);
}

TEST_F(ApiTest, ListingIsAuditedBeforeDataIsReturned) {
  seed(rf.token("ehr", Role::integration));
  std::string cx = rf.token("cx", Role::cx_specialist);
  ASSERT_EQ(rf.api("GET", "/api/v1/responses?touchpoint=tp1&limit=5", cx).status, 200);
  auto audit = rf.fx.store->audit().recent(5);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].login, "cx");
  EXPECT_EQ((*audit)[0].object, "touchpoint=tp1&limit=5 ids=1");
  EXPECT_EQ((*audit)[0].count, 1);
}

TEST_F(ApiTest, ResponsesHaveTheContractShapeAndPageWithACursor) {
  seed(rf.token("ehr", Role::integration));
  std::string cx = rf.token("cx", Role::cx_specialist);
  Response first = rf.api("GET", "/api/v1/responses?limit=2", cx);
  ASSERT_EQ(first.status, 200);
  auto page = body_of(first);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  const auto& item = page.at("items").as_array()[0].as_object();
  for (const char* k : {"id", "touchpoint", "unit", "survey", "channel", "language", "respondent",
                        "answered_at", "model_version", "answers"}) {
    EXPECT_TRUE(item.contains(k)) << k;
  }
  const auto& answers = item.at("answers").as_object();
  EXPECT_EQ(answers.at("nps").as_int64(), 7);
  EXPECT_EQ(answers.at("one").as_string(), "a");
  EXPECT_TRUE(answers.at("many").is_array());
  EXPECT_EQ(answers.at("open").as_string(), "hyvä");
  ASSERT_TRUE(page.at("next_cursor").is_string());
  std::string cursor(page.at("next_cursor").as_string());
  auto second = body_of(rf.api("GET", "/api/v1/responses?limit=2&cursor=" + cursor, cx));
  EXPECT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_TRUE(second.at("next_cursor").is_null());
  expect_problem(rf.api("GET", "/api/v1/responses?limit=5000", cx), 400);
  expect_problem(rf.api("GET", "/api/v1/responses?bogus=1", cx), 400);
  expect_problem(rf.api("GET", "/api/v1/responses?from=yesterday", cx), 400);
  expect_problem(rf.api("GET", "/api/v1/responses?cursor=%zz", cx), 400);
}

TEST_F(ApiTest, SameSubmissionKeyTwiceStoresOnce) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response first = rf.api("POST", "/api/v1/responses", ehr, submission("key-idem-0000000001"));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(body_of(first).at("duplicate").as_bool());
  Response again = rf.api("POST", "/api/v1/responses", ehr, submission("key-idem-0000000001"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(body_of(again).at("duplicate").as_bool());
  EXPECT_EQ(body_of(again).at("id"), body_of(first).at("id"));
  EXPECT_EQ(rf.stored(), 1);
}

TEST_F(ApiTest, EachIntegrationHasItsOwnKeySpace) {
  std::string ehr = rf.token("ehr", Role::integration);
  std::string kiosks = rf.token("kiosks", Role::integration);
  Response first = rf.api("POST", "/api/v1/responses", ehr, submission("key-shared-00000001"));
  ASSERT_EQ(first.status, 201) << first.body;
  Response other = rf.api("POST", "/api/v1/responses", kiosks, submission("key-shared-00000001"));
  ASSERT_EQ(other.status, 201) << other.body;  // not the first client's duplicate
  EXPECT_FALSE(body_of(other).at("duplicate").as_bool());
  EXPECT_NE(body_of(other).at("id"), body_of(first).at("id"));
  EXPECT_EQ(rf.stored(), 2);
}

TEST_F(ApiTest, SubmissionErrorsAreProblems) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response unknown_field =
      rf.api("POST", "/api/v1/responses", ehr, submission("key-err-00000000001", "tp1", R"(,"x":1)"));
  expect_problem(unknown_field, 400);
  EXPECT_NE(body_of(unknown_field).at("detail").as_string().find("x: unknown field"), std::string::npos);
  Response unknown_answer = rf.api(
      "POST", "/api/v1/responses", ehr,
      R"({"touchpoint":"tp1","channel":"api","language":"fi","submission_key":"key-err-00000000002","answers":{"nps":7,"bogus":1}})");
  expect_problem(unknown_answer, 422);
  EXPECT_EQ(body_of(unknown_answer).at("errors").as_array()[0].at("field").as_string(), "bogus");
  Response out_of_range = rf.api(
      "POST", "/api/v1/responses", ehr,
      R"({"touchpoint":"tp1","channel":"api","language":"fi","submission_key":"key-err-00000000003","answers":{"nps":11}})");
  expect_problem(out_of_range, 422);
  expect_problem(rf.api("POST", "/api/v1/responses", ehr, submission("key-err-00000000004", "nope")), 422);
  Response channel = rf.api("POST", "/api/v1/responses", ehr, submission("key-err-00000000006", "tp_sms"));
  expect_problem(channel, 422);
  EXPECT_EQ(body_of(channel).at("errors").as_array()[0].at("field").as_string(), "channel");
  expect_problem(rf.api("POST", "/api/v1/responses", ehr, "{not json"), 400);
  Request text = make_request("POST", "/api/v1/responses", submission("key-err-00000000005"),
                              {{"Authorization", "Bearer " + ehr}, {"Content-Type", "text/plain"}});
  expect_problem(rf.router->handle(text), 415);
  EXPECT_EQ(rf.stored(), 0);
}

TEST_F(ApiTest, IntegrationScopeLimitsWhereItMaySubmit) {
  std::string ehr_a = rf.token("ehr_a", Role::integration, "area_a");
  EXPECT_EQ(rf.api("POST", "/api/v1/responses", ehr_a, submission("key-scope-000000001")).status, 201);
  expect_problem(rf.api("POST", "/api/v1/responses", ehr_a, submission("key-scope-000000002", "tp_b")), 403);
  expect_problem(rf.api("POST", "/api/v1/invitations", ehr_a, R"({"touchpoint":"tp_b"})"), 403);
}

TEST_F(ApiTest, InvitationIsCreatedAndSingleUse) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response created =
      rf.api("POST", "/api/v1/invitations", ehr,
             R"({"touchpoint":"tp1","event_ref":"visit-9","language":"sv","channel":"sms","ttl_hours":24})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto o = body_of(created);
  std::string token(o.at("token").as_string());
  EXPECT_EQ(o.at("url").as_string(), "/i/" + token);
  EXPECT_TRUE(o.contains("id") && o.contains("expires_at"));

  Response page = rf.get("/i/" + token);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("lang=\"sv\""), std::string::npos) << "the invitation's language is the default";
  Response answered = rf.post_form("/i/" + token, "k=invitekey000000000001&lang=sv&q.nps=10");
  ASSERT_EQ(answered.status, 303) << answered.body;
  EXPECT_EQ(answered.header("Location"), "/s/tp1/kiitos?lang=sv&via=i");
  Response thanks = rf.get(std::string(answered.header("Location")));
  EXPECT_EQ(thanks.status, 200);
  EXPECT_EQ(thanks.body.find("href=\"/s/tp1?"), std::string::npos) << "no 'answer again' after an invitation";
  Response repeat = rf.post_form("/i/" + token, "k=invitekey000000000001&lang=sv&q.nps=10");
  EXPECT_EQ(repeat.status, 303) << "a repeated POST of the same form answers the same";
  EXPECT_EQ(rf.post_form("/i/" + token, "k=invitekey000000000002&lang=sv&q.nps=3").status, 410);
  EXPECT_EQ(rf.get("/i/" + token).status, 410);
  EXPECT_EQ(rf.stored(), 1);
  EXPECT_EQ(rf.get("/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status, 404);

  Response expiring = rf.api("POST", "/api/v1/invitations", ehr, R"({"touchpoint":"tp1","ttl_hours":1})");
  std::string t2(body_of(expiring).at("token").as_string());
  rf.fx.clock.advance(std::chrono::hours(2));
  EXPECT_EQ(rf.get("/i/" + t2).status, 410);
  expect_problem(rf.api("POST", "/api/v1/invitations", ehr, R"({"touchpoint":"tp_multi"})"), 422);
  expect_problem(rf.api("POST", "/api/v1/invitations", ehr, R"({"touchpoint":"tp1","ttl_hours":0})"), 400);
}

TEST_F(ApiTest, OneResponseByIdIsScopedAndAudited) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response created = rf.api("POST", "/api/v1/responses", ehr, submission("key-get-one-00000001"));
  ASSERT_EQ(created.status, 201);
  std::string location(created.header("Location"));
  ASSERT_EQ(location, "/api/v1/responses/1");
  ASSERT_EQ(rf.api("POST", "/api/v1/responses", ehr, submission("key-get-one-00000002", "tp_b")).status, 201);
  std::string manager = rf.token("manager", Role::unit_manager, "unit_a1");
  Response one = rf.api("GET", location, manager);
  ASSERT_EQ(one.status, 200) << one.body;
  auto o = body_of(one);
  EXPECT_EQ(o.at("id").as_int64(), 1);
  EXPECT_EQ(o.at("unit").as_string(), "unit_a1");
  Response outside = rf.api("GET", "/api/v1/responses/2", manager);
  expect_problem(outside, 404);
  Response missing = rf.api("GET", "/api/v1/responses/999", manager);
  expect_problem(missing, 404);
  EXPECT_EQ(body_of(outside).at("title"), body_of(missing).at("title")) << "existence must not leak";
  EXPECT_EQ(body_of(outside).at("detail").as_string(), "no response 2");
  expect_problem(rf.api("GET", "/api/v1/responses/abc", manager), 404);
  expect_problem(rf.api("GET", location, ""), 401);
  expect_problem(rf.api("GET", location, ehr), 403);
  auto audit = rf.fx.store->audit().recent(10);
  ASSERT_TRUE(audit);
  int gets = 0, denied = 0;
  for (const auto& a : *audit) {
    gets += a.action == "responses.get";
    denied += a.action == "responses.get.denied";
  }
  EXPECT_EQ(gets, 1);
  EXPECT_EQ(denied, 3);  // outside, missing, integration role
}

TEST_F(ApiTest, ResponsesNeverCarryTheInvitation) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response created =
      rf.api("POST", "/api/v1/invitations", ehr, R"({"touchpoint":"tp1","event_ref":"visit-1"})");
  ASSERT_EQ(created.status, 201);
  std::string token(body_of(created).at("token").as_string());
  ASSERT_EQ(rf.post_form("/i/" + token, "k=invitekey00000000000x&q.nps=10").status, 303);
  std::string cx = rf.token("cx", Role::cx_specialist);
  Response list = rf.api("GET", "/api/v1/responses", cx);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("invitation"), std::string::npos) << list.body;
  EXPECT_EQ(rf.api("GET", "/api/v1/responses/1", cx).body.find("invitation"), std::string::npos);
}

TEST_F(ApiTest, KeyReusedWithOtherContentIs409AndUnknownTouchpoint422) {
  std::string ehr = rf.token("ehr", Role::integration);
  ASSERT_EQ(rf.api("POST", "/api/v1/responses", ehr, submission("key-reuse-000000001")).status, 201);
  std::string other = submission("key-reuse-000000001");
  other.replace(other.find("\"nps\":7"), 7, "\"nps\":3");
  Response conflict = rf.api("POST", "/api/v1/responses", ehr, other);
  expect_problem(conflict, 409);
  EXPECT_EQ(body_of(conflict).at("type").as_string(), "urn:kaiku:problem:conflict");
  EXPECT_NE(std::string(body_of(conflict).at("detail").as_string()).find("submission_key"),
            std::string::npos);
  EXPECT_EQ(rf.stored(), 1);

  Response unknown = rf.api("POST", "/api/v1/responses", ehr, submission("key-reuse-000000002", "nope"));
  expect_problem(unknown, 422);
  EXPECT_EQ(body_of(unknown).at("type").as_string(), "urn:kaiku:problem:invalid_input");
  Response inv = rf.api("POST", "/api/v1/invitations", ehr, R"({"touchpoint":"nope"})");
  expect_problem(inv, 422);
  EXPECT_EQ(body_of(inv).at("type").as_string(), "urn:kaiku:problem:invalid_input");
}

TEST_F(ApiTest, DuplicateJsonMembersAreRefusedByName) {
  std::string ehr = rf.token("ehr", Role::integration);
  Response top = rf.api("POST", "/api/v1/responses", ehr,
                        R"({"touchpoint":"tp1","touchpoint":"tp_b","channel":"api","language":"fi",)"
                        R"("submission_key":"key-dupe-0000000001","answers":{"nps":7}})");
  expect_problem(top, 400);
  EXPECT_NE(std::string(body_of(top).at("detail").as_string()).find("touchpoint"), std::string::npos);
  Response nested = rf.api("POST", "/api/v1/responses", ehr,
                           R"({"touchpoint":"tp1","channel":"api","language":"fi",)"
                           R"("submission_key":"key-dupe-0000000002","answers":{"nps":7,"n\u0070s":3}})");
  expect_problem(nested, 400);
  EXPECT_NE(std::string(body_of(nested).at("detail").as_string()).find("answers.nps"), std::string::npos)
      << nested.body;
  EXPECT_EQ(rf.stored(), 0);
  // The same name in different objects is fine.
  Response separate =
      rf.api("POST", "/api/v1/responses", ehr,
             R"({"touchpoint":"tp1","channel":"api","language":"fi","submission_key":"key-dupe-0000000003",)"
             R"("answers":{"nps":7},"contact":{"name":"x","phone":"+358 40 1234567","consent":true}})");
  EXPECT_EQ(separate.body.find("duplicate member"), std::string::npos) << separate.body;
}

}  // namespace
}  // namespace kaiku::http
