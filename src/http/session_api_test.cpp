// /api/v1/session through the Router: sign-in and its cookie, me, the CSRF rule on
// another API route, lock-out answers, sign-out, revoke-all, TOTP enrolment.
#include "http/session_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router.hpp"
#include "security/sealer.hpp"
#include "security/totp.hpp"
#include "service/auth_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;
constexpr const char* kPassword = "a long test passphrase";

security::SecretKey key() {
  security::SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(3 * i + 5);
  return k;
}

service::SessionPolicy policy() {
  service::SessionPolicy p;
  p.decoy_cost = security::PasswordCost::minimal();
  return p;
}

class SessionApiTest : public ::testing::Test {
 protected:
  SessionApiTest() {
    Services s{fx_.model, *fx_.store, fx_.clock, fx_.random};
    s.mounts = {&api_};
    router_ = std::make_unique<Router>(s, RouterConfig{});
    auto id = service::add_user(*fx_.store, fx_.model, "anna", domain::Role::unit_manager, "unit_a1",
                                kPassword, security::PasswordCost::minimal());
    if (!id) throw std::runtime_error(id.error().message);
  }

  Response send(const std::string& method, const std::string& target, const std::string& body = "",
                HeaderList headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return router_->handle(make_request(method, target, body, std::move(headers)));
  }

  // Signs anna in; sets cookie_ and csrf_.
  void sign_in() {
    Response r =
        send("POST", "/api/v1/session", R"({"login":"anna","password":")" + std::string(kPassword) + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string set = std::string(r.header("Set-Cookie"));
    cookie_ = set.substr(0, set.find(';'));
    csrf_ = std::string(json::parse(r.body).as_object().at("csrf_token").as_string());
  }

  kaiku::testing::Fixture fx_;
  security::Sealer sealer_{key()};
  service::SessionService sessions_{*fx_.store, fx_.clock, fx_.random, &sealer_, policy()};
  SessionApi api_{fx_.model, sessions_, false, fx_.clock};
  std::unique_ptr<Router> router_;
  std::string cookie_;
  std::string csrf_;
};

TEST(SessionCookie, Flags) {
  EXPECT_EQ(session_cookie("abc", std::chrono::hours(12), false),
            "kaiku_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_EQ(session_cookie("abc", std::chrono::hours(12), true),
            "kaiku_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure");
  EXPECT_EQ(cleared_session_cookie(true),
            "kaiku_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

TEST_F(SessionApiTest, SignInSetsTheCookieAndAnswersMe) {
  Response r = send("POST", "/api/v1/session", R"({"login":"anna","password":"a long test passphrase"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string set(r.header("Set-Cookie"));
  EXPECT_EQ(set.rfind("kaiku_session=", 0), 0u);
  EXPECT_NE(set.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(set.find("; Path=/"), std::string::npos);
  EXPECT_EQ(set.find("Secure"), std::string::npos);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  auto me = json::parse(r.body).as_object();
  EXPECT_EQ(me.at("login").as_string(), "anna");
  EXPECT_EQ(me.at("role").as_string(), "unit_manager");
  EXPECT_EQ(me.at("scope_unit").as_string(), "unit_a1");
  EXPECT_EQ(me.at("scope_name").as_object().at("fi").as_string(), "unit_a1");
  EXPECT_EQ(me.at("totp_enabled").as_bool(), false);
  EXPECT_TRUE(me.at("expires_at").is_string());
  auto perms = me.at("permissions").as_object();
  EXPECT_TRUE(perms.at("handle_cases").as_bool());
  EXPECT_TRUE(perms.at("read_contact").as_bool());
  EXPECT_TRUE(perms.at("edit_actions").as_bool());
  EXPECT_FALSE(perms.at("publish_model").as_bool());
  EXPECT_FALSE(perms.at("read_audit").as_bool());
  EXPECT_TRUE(perms.at("export").as_bool());

  const std::string cookie = set.substr(0, set.find(';'));
  Response got = send("GET", "/api/v1/session", "", {{"Cookie", cookie}});
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body).as_object().at("csrf_token"), me.at("csrf_token"));
}

TEST_F(SessionApiTest, WrongPasswordUnknownFieldsAndMediaType) {
  Response wrong = send("POST", "/api/v1/session", R"({"login":"anna","password":"nope nope nope"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("login or password is wrong"), std::string::npos);
  EXPECT_TRUE(wrong.header("Set-Cookie").empty());
  EXPECT_EQ(send("POST", "/api/v1/session", R"({"login":"anna","password":"x","extra":1})").status, 400);
  EXPECT_EQ(send("POST", "/api/v1/session", R"({"login":"anna"})").status, 400);
  EXPECT_EQ(send("POST", "/api/v1/session", "[1]").status, 400);
  Response form = router_->handle(make_request("POST", "/api/v1/session", "login=anna",
                                               {{"Content-Type", "application/x-www-form-urlencoded"}}));
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(send("PUT", "/api/v1/session", "{}").status, 405);
  EXPECT_EQ(send("GET", "/api/v1/session/nope").status, 404);
}

TEST_F(SessionApiTest, MeWithoutASessionIs401) {
  EXPECT_EQ(send("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(send("GET", "/api/v1/session", "", {{"Cookie", "kaiku_session=bogus"}}).status, 401);
}

TEST_F(SessionApiTest, MeWithABearerTokenHasNoCsrf) {
  auto token = service::issue_token(*fx_.store, "anna", fx_.random, fx_.clock);
  ASSERT_TRUE(token);
  Response r = send("GET", "/api/v1/session", "", {{"Authorization", "Bearer " + *token}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body).as_object().at("csrf_token").is_null());
}

TEST_F(SessionApiTest, CookieRequestsOtherThanGetNeedTheCsrfToken) {
  sign_in();
  Response no = send("POST", "/api/v1/session/revoke-all", "", {{"Cookie", cookie_}});
  EXPECT_EQ(no.status, 403);
  EXPECT_NE(no.body.find("csrf: "), std::string::npos) << no.body;
  Response wrong =
      send("POST", "/api/v1/session/revoke-all", "", {{"Cookie", cookie_}, {"X-CSRF-Token", "nope"}});
  EXPECT_EQ(wrong.status, 403);
  // A Router route authenticates the same way: reading responses by cookie works.
  Response list = send("GET", "/api/v1/responses", "", {{"Cookie", cookie_}});
  EXPECT_EQ(list.status, 200) << list.body;
  Response ok =
      send("POST", "/api/v1/session/revoke-all", "", {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body).as_object().at("revoked").as_int64(), 1);
  EXPECT_NE(ok.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(send("GET", "/api/v1/session", "", {{"Cookie", cookie_}}).status, 401);
}

TEST_F(SessionApiTest, SignOut) {
  sign_in();
  EXPECT_EQ(send("DELETE", "/api/v1/session", "", {{"Cookie", cookie_}}).status, 403);  // CSRF
  Response out = send("DELETE", "/api/v1/session", "", {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(send("GET", "/api/v1/session", "", {{"Cookie", cookie_}}).status, 401);
  EXPECT_EQ(send("DELETE", "/api/v1/session", "", {{"Cookie", cookie_}}).status, 204);  // already over
}

TEST_F(SessionApiTest, LockOutAnswers429WithRetryAfter) {
  Response last;
  for (int i = 0; i < 5; ++i)
    last = send("POST", "/api/v1/session", R"({"login":"anna","password":"nope nope nope"})");
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.header("Retry-After"), "900");
  Response right = send("POST", "/api/v1/session", R"({"login":"anna","password":"a long test passphrase"})");
  EXPECT_EQ(right.status, 429);
  EXPECT_NE(right.body.find("rate_limited"), std::string::npos);
}

TEST_F(SessionApiTest, SignInAttemptsAreLimitedPerClientAddress) {
  SignInLimit limit;
  limit.limit = {1.0 / 60, 3.0};  // 3 at once, then one a minute
  limit.trusted_proxies = {"10.0.0.5"};
  SessionApi limited(fx_.model, sessions_, false, fx_.clock, limit);
  auto attempt = [&](const std::string& ip, const std::string& login, HeaderList headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    Request req =
        make_request("POST", "/api/v1/session", R"({"login":")" + login + R"(","password":"nope nope nope"})",
                     std::move(headers));
    req.client_ip = ip;
    return limited.handle(req, fail(Error::unauthorized("none")));
  };
  // Spraying: one guess each for many logins (none of them gets locked).
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("192.0.2.7", "user" + std::to_string(i)).status, 401) << i;
  Response r = attempt("192.0.2.7", "user3");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "60");
  EXPECT_NE(r.body.find("rate_limited"), std::string::npos);
  EXPECT_EQ(attempt("192.0.2.8", "user3").status, 401);  // another client is not held back
  // Behind a trusted proxy the client is the forwarded address.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(attempt("10.0.0.5", "p" + std::to_string(i), {{"X-Forwarded-For", "198.51.100.9"}}).status,
              401);
  EXPECT_EQ(attempt("10.0.0.5", "p3", {{"X-Forwarded-For", "198.51.100.9"}}).status, 429);
  EXPECT_EQ(attempt("10.0.0.5", "p3", {{"X-Forwarded-For", "198.51.100.10"}}).status, 401);
  fx_.clock.advance(std::chrono::seconds(60));
  EXPECT_EQ(attempt("192.0.2.7", "user3").status, 401);
  EXPECT_EQ(attempt("192.0.2.7", "user4").status, 429);

  limit.enabled = false;
  SessionApi unlimited(fx_.model, sessions_, false, fx_.clock, limit);
  for (int i = 0; i < 6; ++i) {
    Request req =
        make_request("POST", "/api/v1/session", R"({"login":"x)" + std::to_string(i) + R"(","password":"p"})",
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(unlimited.handle(req, fail(Error::unauthorized("none"))).status, 401) << i;
  }
}

TEST_F(SessionApiTest, WrongTotpCodesLockTheLoginWith429) {
  sign_in();
  HeaderList auth{{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}};
  ASSERT_EQ(send("POST", "/api/v1/session/totp", "", auth).status, 200);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(send("POST", "/api/v1/session/totp/confirm", R"({"code":"12345x"})", auth).status, 400) << i;
  Response locked = send("POST", "/api/v1/session/totp/confirm", R"({"code":"12345x"})", auth);
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("rate_limited"), std::string::npos);
  EXPECT_EQ(send("POST", "/api/v1/session", R"({"login":"anna","password":"a long test passphrase"})").status,
            429);
}

TEST_F(SessionApiTest, TotpEnrolConfirmSignInDisable) {
  sign_in();
  HeaderList auth{{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}};
  Response start = send("POST", "/api/v1/session/totp", "", auth);
  ASSERT_EQ(start.status, 200) << start.body;
  auto e = json::parse(start.body).as_object();
  const std::string secret32(e.at("secret").as_string());
  EXPECT_EQ(std::string(e.at("otpauth_uri").as_string()),
            "otpauth://totp/Kaiku:anna?secret=" + secret32 + "&issuer=Kaiku");
  EXPECT_EQ(std::string(e.at("qr_svg").as_string()).rfind("<svg", 0), 0u);
  const std::string secret = *security::base32_decode(secret32);

  EXPECT_EQ(send("POST", "/api/v1/session/totp/confirm", R"({"code":"abcdef"})", auth).status, 400);
  Response conf = send("POST", "/api/v1/session/totp/confirm",
                       R"({"code":")" + security::totp(secret, fx_.clock.now()) + "\"}", auth);
  ASSERT_EQ(conf.status, 200) << conf.body;
  EXPECT_TRUE(json::parse(conf.body).as_object().at("totp_enabled").as_bool());

  Response need = send("POST", "/api/v1/session", R"({"login":"anna","password":"a long test passphrase"})");
  EXPECT_EQ(need.status, 401);
  EXPECT_TRUE(json::parse(need.body).as_object().at("totp_required").as_bool());
  fx_.clock.advance(std::chrono::seconds(30));
  Response ok = send("POST", "/api/v1/session",
                     R"({"login":"anna","password":"a long test passphrase","totp":")" +
                         security::totp(secret, fx_.clock.now()) + "\"}");
  ASSERT_EQ(ok.status, 200) << ok.body;

  fx_.clock.advance(std::chrono::seconds(30));
  Response off = send("DELETE", "/api/v1/session/totp",
                      R"({"code":")" + security::totp(secret, fx_.clock.now()) + "\"}", auth);
  EXPECT_EQ(off.status, 204) << off.body;
  EXPECT_EQ(send("POST", "/api/v1/session", R"({"login":"anna","password":"a long test passphrase"})").status,
            200);
}

}  // namespace
}  // namespace kaiku::http
