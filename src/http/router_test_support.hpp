// Test support for the router tests (header only): a Router over the test model
// and a real SQLite store, plus request helpers.
#pragma once

#include <memory>
#include <string>

#include "analytics/engine.hpp"
#include "http/router.hpp"
#include "security/password.hpp"
#include "service/auth_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::http::testing {

struct RouterFixture {
  kaiku::testing::Fixture fx;
  // The reporting engine over the same model, fed by the router (as in `kaiku serve`).
  std::unique_ptr<analytics::Engine> engine;
  std::unique_ptr<Router> router;

  explicit RouterFixture(RouterConfig cfg = {}) {
    cfg.base_url = cfg.base_url.empty() ? "https://palaute.example" : cfg.base_url;
    engine = std::make_unique<analytics::Engine>(std::make_shared<const domain::Model>(fx.model));
    router = std::make_unique<Router>(Services{fx.model, *fx.store, fx.clock, fx.random, engine.get()}, cfg);
  }

  Response get(const std::string& target, HeaderList headers = {}) const {
    return router->handle(make_request("GET", target, "", std::move(headers)));
  }
  Response post_form(const std::string& target, const std::string& body,
                     const std::string& ip = "192.0.2.1") const {
    Request r = make_request("POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    r.client_ip = ip;
    return router->handle(r);
  }
  Response api(const std::string& method, const std::string& target, const std::string& token,
               const std::string& body = "") const {
    HeaderList h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return router->handle(make_request(method, target, body, std::move(h)));
  }
  // Adds a user and returns a fresh bearer token.
  std::string token(const std::string& login, domain::Role role, const std::string& unit = "") {
    auto id =
        service::add_user(*fx.store, fx.model, login, role, unit, "a long test passphrase", security::PasswordCost::minimal());
    if (!id) throw std::runtime_error(id.error().message);
    auto t = service::issue_token(*fx.store, login, fx.random, fx.clock);
    if (!t) throw std::runtime_error(t.error().message);
    return *t;
  }
  std::int64_t stored() const { return fx.store->responses().count().value(); }
};

}  // namespace kaiku::http::testing
