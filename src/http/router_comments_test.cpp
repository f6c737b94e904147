// Free text through the JSON API: responses carry their comments' insights (text
// redacted), and GET /api/v1/responses/{id}/original serves sealed originals to
// the model's original readers only, audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router_test_support.hpp"
#include "security/sealer.hpp"
#include "service/comment_processor.hpp"
#include "text/analyzer.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;
using domain::Role;

security::SecretKey test_key() {
  security::SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(200 - i);
  return k;
}

constexpr const char* kComment = "Soita 040-1234567, hetu 131052-308T";

class CommentsApiTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  std::unique_ptr<text::Analyzer> analyzer = std::move(text::Analyzer::create({}, nullptr).value());
  security::Sealer sealer{test_key()};
  service::CommentProcessor processor{*analyzer, sealer, fx.clock};
  std::unique_ptr<Router> router;

  void SetUp() override {
    Services s{fx.model, *fx.store, fx.clock, fx.random};
    s.comments = &processor;
    s.sealer = &sealer;
    router = std::make_unique<Router>(s, RouterConfig{});
  }
  Response api(const std::string& method, const std::string& target, const std::string& token,
               const std::string& body = "") const {
    HeaderList h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return router->handle(make_request(method, target, body, std::move(h)));
  }
  std::string token(const std::string& login, Role role, const std::string& unit = "") {
    auto id = service::add_user(*fx.store, fx.model, login, role, unit, "a long test passphrase",
                                security::PasswordCost::minimal());
    if (!id) throw std::runtime_error(id.error().message);
    return service::issue_token(*fx.store, login, fx.random, fx.clock).value();
  }
  // Submits the comment at `tp` through the API; returns the new id.
  std::int64_t submit(const std::string& integration, const std::string& key, const std::string& tp = "tp1") {
    Response r = api("POST", "/api/v1/responses", integration,
                     R"({"touchpoint":")" + tp + R"(","channel":"api","language":"fi","submission_key":")" + key +
                         R"(","answers":{"nps":7,"open":")" + kComment + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).at("id").as_int64();
  }
};

TEST_F(CommentsApiTest, ResponsesCarryRedactedTextAndComments) {
  const std::string integration = token("int", Role::integration, "county");
  const std::string manager = token("manager", Role::unit_manager, "unit_a1");
  const std::int64_t id = submit(integration, "comments-key-000001");

  Response got = api("GET", "/api/v1/responses/" + std::to_string(id), manager);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body.find("131052-308T"), std::string::npos) << got.body;
  EXPECT_EQ(got.body.find("040-1234567"), std::string::npos) << got.body;
  json::object o = json::parse(got.body).as_object();
  const std::string text(o.at("answers").at("open").as_string());
  EXPECT_NE(text.find("[hetu]"), std::string::npos) << text;
  const json::array& comments = o.at("comments").as_array();
  ASSERT_EQ(comments.size(), 1u);
  const json::object& c = comments[0].as_object();
  EXPECT_EQ(c.at("question").as_string(), "open");
  EXPECT_TRUE(c.contains("language") && c.contains("sentiment") && c.contains("themes") && c.contains("suggestion"));
  const json::array& ph = c.at("placeholders").as_array();
  ASSERT_EQ(ph.size(), 2u);
  EXPECT_EQ(ph[0].as_string(), "puhelin");
  EXPECT_EQ(ph[1].as_string(), "hetu");

  Response list = api("GET", "/api/v1/responses", manager);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.body.find("131052-308T"), std::string::npos);
  EXPECT_EQ(json::parse(list.body).at("items").as_array()[0].at("comments").as_array().size(), 1u);
}

TEST_F(CommentsApiTest, OriginalForReadersOnlyInScopeAndAudited) {
  const std::string integration = token("int", Role::integration, "county");
  const std::string admin = token("admin", Role::admin, "county");
  const std::string cx_a = token("cx", Role::cx_specialist, "area_a");
  const std::string analyst = token("analyst", Role::analyst, "county");
  const std::string manager = token("manager", Role::unit_manager, "unit_a1");
  const std::int64_t id = submit(integration, "comments-key-000002");
  const std::int64_t in_b = submit(integration, "comments-key-000003", "tp_b");
  const std::string path = "/api/v1/responses/" + std::to_string(id) + "/original";

  Response ok = api("GET", path, admin);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.route, "/api/v1/responses/{id}/original");
  json::object o = json::parse(ok.body).as_object();
  EXPECT_EQ(o.at("response_id").as_int64(), id);
  const json::array& items = o.at("originals").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("question").as_string(), "open");
  EXPECT_EQ(items[0].at("text").as_string(), kComment);
  EXPECT_EQ(api("GET", path, cx_a).status, 200);

  EXPECT_EQ(api("GET", path, analyst).status, 403);
  EXPECT_EQ(api("GET", path, manager).status, 403);
  EXPECT_EQ(api("GET", "/api/v1/responses/" + std::to_string(in_b) + "/original", cx_a).status, 404)
      << "outside the scope looks like missing";
  EXPECT_EQ(api("GET", "/api/v1/responses/987654/original", admin).status, 404);
  EXPECT_EQ(api("GET", "/api/v1/responses/x/original", admin).status, 404);
  EXPECT_EQ(api("GET", path + "?full=1", admin).status, 400);
  EXPECT_EQ(api("GET", path, "").status, 401);
  EXPECT_EQ(api("POST", path, admin).status, 405);

  auto audit = fx.store->audit().recent(100).value();
  int served = 0, denied = 0;
  for (const auto& e : audit) {
    if (e.action == "comments.original") {
      ++served;
      EXPECT_EQ(e.object, "response=" + std::to_string(id));
    }
    if (e.action == "comments.original.denied") ++denied;
  }
  EXPECT_EQ(served, 2);
  EXPECT_EQ(denied, 4);

  // Past the retention the original is gone: 404; the redacted response stays.
  fx.clock.advance(std::chrono::days(fx.model.free_text.original_retention_days) + std::chrono::hours(1));
  EXPECT_EQ(api("GET", path, admin).status, 404);
  EXPECT_EQ(api("GET", "/api/v1/responses/" + std::to_string(id), admin).status, 200);
}

TEST_F(CommentsApiTest, WithoutASealerOriginalsAreUnavailable) {
  Router bare(Services{fx.model, *fx.store, fx.clock, fx.random}, RouterConfig{});
  const std::string admin = token("admin", Role::admin, "county");
  Response r = bare.handle(
      make_request("GET", "/api/v1/responses/1/original", "", {{"Authorization", "Bearer " + admin}}));
  EXPECT_EQ(r.status, 503) << r.body;
}

}  // namespace
}  // namespace kaiku::http
