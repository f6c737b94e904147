// /api/v1/actions through its Mount over the test model and a real SQLite store:
// the JSON shapes, status codes of the contract, body and query checks, scope.
#include "http/actions_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/test_support.hpp"

namespace kaiku::http {
namespace {
namespace json = boost::json;

class ActionsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Theme phone;
    phone.id = "phone_service";
    phone.label = kaiku::testing::tr("Puhelinpalvelu");
    fx.model.themes = {phone};
    manager = user("anna", domain::Role::unit_manager, "area_a");
    analyst = user("olli", domain::Role::analyst, "county");
    domain::Response r;
    r.submission_key = "k1";
    r.model_version = fx.model.version;
    r.touchpoint = "tp1";
    r.unit = "unit_a1";
    r.survey = "core";
    r.answered_at = fx.clock.now();
    domain::Answer open;
    open.key = "open";
    open.text = "Jono oli pitkä";
    r.answers = {open};
    r.case_opening = domain::open_case(fx.model, r);
    case_id = fx.store->responses().append(r)->id;
  }

  domain::Principal user(const std::string& login, domain::Role role, const std::string& scope) {
    storage::User u{0, login, "x", role, scope, false, ""};
    auto id = fx.store->users().add(u);
    EXPECT_TRUE(id);
    return domain::Principal{id ? *id : 0, login, role, scope};
  }

  Response call(const std::string& method, const std::string& target, const domain::Principal& who,
                const std::string& body = "") {
    HeaderList h;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return api.handle(make_request(method, target, body, h), who);
  }

  std::string body(bool published = true, const std::string& unit = "unit_a1") const {
    return R"({"unit": ")" + unit + R"(", "title": {"fi": "Takaisinsoitto", "sv": "Återuppringning"},
      "description": {"fi": "Soitamme takaisin."}, "reason": {"fi": "Jonot."}, "done_on": "2026-10-01",
      "themes": ["phone_service"], "cases": [)" +
           std::to_string(case_id) + R"(], "published": )" + (published ? "true" : "false") + "}";
  }

  kaiku::testing::Fixture fx;
  service::ActionService actions{fx.model, *fx.store, fx.clock};
  ActionsApi api{fx.model, actions};
  domain::Principal manager, analyst;
  std::int64_t case_id = 0;
};

TEST_F(ActionsApiTest, CreateReadReplaceDelete) {
  Response made = call("POST", "/api/v1/actions", manager, body());
  ASSERT_EQ(made.status, 201) << made.body;
  const json::value a = json::parse(made.body);
  const std::int64_t id = a.at("id").as_int64();
  EXPECT_EQ(made.header("Location"), "/api/v1/actions/" + std::to_string(id));
  EXPECT_EQ(a.at("unit").as_string(), "unit_a1");
  EXPECT_EQ(a.at("unit_name").at("fi").as_string(), "unit_a1");
  EXPECT_EQ(a.at("title").at("sv").as_string(), "Återuppringning");
  EXPECT_EQ(a.at("description").at("fi").as_string(), "Soitamme takaisin.");
  EXPECT_EQ(a.at("done_on").as_string(), "2026-10-01");
  EXPECT_EQ(a.at("themes"), (json::array{"phone_service"}));
  EXPECT_EQ(a.at("cases"), (json::array{case_id}));
  EXPECT_TRUE(a.at("published").as_bool());
  EXPECT_EQ(a.at("created_by").as_string(), "anna");
  EXPECT_FALSE(a.at("created_at").as_string().empty());

  const std::string url = "/api/v1/actions/" + std::to_string(id);
  Response got = call("GET", url, manager);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body), a);

  // PUT back what GET returned (read-only fields included), changed.
  json::object changed = a.as_object();
  changed["published"] = false;
  changed["title"] = json::object{{"fi", "Uusi otsikko"}};
  Response put = call("PUT", url, manager, json::serialize(changed));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_FALSE(json::parse(put.body).at("published").as_bool());
  EXPECT_EQ(json::parse(put.body).at("title"), (json::object{{"fi", "Uusi otsikko"}}));

  Response list = call("GET", "/api/v1/actions?published=false&unit=unit_a1&theme=phone_service", manager);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body).at("actions").as_array().size(), 1u);
  EXPECT_EQ(json::parse(call("GET", "/api/v1/actions?published=true", manager).body).at("actions").as_array().size(),
            0u);

  EXPECT_EQ(call("DELETE", url, manager).status, 204);
  EXPECT_EQ(call("GET", url, manager).status, 404);
  EXPECT_EQ(call("DELETE", url, manager).status, 404);
}

TEST_F(ActionsApiTest, RolesAndScope) {
  EXPECT_EQ(api.handle(make_request("GET", "/api/v1/actions"), fail(Error::unauthorized("no token"))).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/actions", analyst, body()).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/actions", analyst).status, 200) << "analysts read";
  Response outside = call("POST", "/api/v1/actions", manager, body(true, "unit_b1"));
  EXPECT_EQ(outside.status, 403) << outside.body;
  EXPECT_EQ(call("GET", "/api/v1/actions?unit=area_b", manager).status, 403);
  domain::Principal robot{0, "robot", domain::Role::integration, "county"};
  EXPECT_EQ(call("GET", "/api/v1/actions", robot).status, 403);
}

TEST_F(ActionsApiTest, BadRequestsNameTheField) {
  auto detail = [](const Response& r) { return std::string(json::parse(r.body).at("detail").as_string()); };
  Response r = call("POST", "/api/v1/actions", manager, R"({"unit": "unit_a1", "done_on": "2026-10-01", "x": 1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(detail(r), "body: unknown field 'x'");
  r = call("POST", "/api/v1/actions", manager, R"({"unit": "unit_a1", "done_on": "2026-10-01"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(detail(r).rfind("title.fi:", 0), 0u) << detail(r);
  EXPECT_EQ(json::parse(r.body).at("errors").at(0).at("field").as_string(), "title.fi");
  r = call("POST", "/api/v1/actions", manager,
           R"({"unit": "unit_a1", "done_on": "2026-10-01", "title": {"fi": "x"}, "published": true})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(detail(r).rfind("title.sv:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager, R"({"unit": "unit_a1", "done_on": "2026-02-30", "title": {"fi": "x"}})");
  EXPECT_EQ(detail(r).rfind("done_on:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager, R"({"unit": "unit_a1", "title": {"fi": "x"}})");
  EXPECT_EQ(detail(r).rfind("done_on:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager,
           R"({"unit": "unit_a1", "done_on": "2026-10-01", "title": {"fi": "x", "de": "y"}})");
  EXPECT_EQ(detail(r).rfind("title.de:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager,
           R"({"unit": "unit_a1", "done_on": "2026-10-01", "title": {"fi": "x"}, "cases": ["12"]})");
  EXPECT_EQ(detail(r).rfind("cases:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager,
           R"({"unit": "unit_a1", "done_on": "2026-10-01", "title": {"fi": "x"}, "themes": ["nope"]})");
  EXPECT_EQ(detail(r).rfind("themes:", 0), 0u) << detail(r);
  r = call("POST", "/api/v1/actions", manager, R"({"id": 5, "unit": "unit_a1", "done_on": "2026-10-01"})");
  EXPECT_EQ(detail(r).rfind("id:", 0), 0u) << detail(r);
  EXPECT_EQ(call("POST", "/api/v1/actions", manager, "[1]").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/actions", manager, "{").status, 400);
  EXPECT_EQ(api.handle(make_request("POST", "/api/v1/actions", body(), {{"Content-Type", "text/plain"}}), manager).status,
            415);
  EXPECT_EQ(call("GET", "/api/v1/actions?limit=5", manager).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/actions?published=yes", manager).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/actions?theme=nope", manager).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/actions/abc", manager).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/actions/1/x", manager).status, 404);
  Response wrong = call("PATCH", "/api/v1/actions/1", manager, body());
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("Allow"), "GET, HEAD, PUT, DELETE");
  EXPECT_EQ(call("DELETE", "/api/v1/actions", manager).status, 405);
}

TEST_F(ActionsApiTest, PutWithAnotherIdIsRefused) {
  Response made = call("POST", "/api/v1/actions", manager, body());
  ASSERT_EQ(made.status, 201);
  const std::int64_t id = json::parse(made.body).at("id").as_int64();
  json::object o = json::parse(body()).as_object();
  o["id"] = id + 1;
  Response r = call("PUT", "/api/v1/actions/" + std::to_string(id), manager, json::serialize(o));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(call("PUT", "/api/v1/actions/999", manager, body()).status, 404);
}

}  // namespace
}  // namespace kaiku::http
