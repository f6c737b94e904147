// /api/v1/session: staff sign-in for the web app (docs/workspace-api.md,
// "Authentication"): POST signs in and sets the session cookie, GET answers the
// "me" object, DELETE signs out, POST revoke-all signs out everywhere, and
// /totp, /totp/confirm enrol and remove the second factor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/model.hpp"
#include "http/mount.hpp"
#include "service/rate_limiter.hpp"
#include "service/session_service.hpp"

namespace kaiku::http {

// The Set-Cookie value of a new session: HttpOnly; SameSite=Strict; Path=/;
// Max-Age of the absolute lifetime; Secure when `secure`.
std::string session_cookie(std::string_view session_id, std::chrono::milliseconds max_age, bool secure);
// The Set-Cookie value that removes the session cookie.
std::string cleared_session_cookie(bool secure);

// The per-client limit on sign-in attempts (POST /api/v1/session), against
// password spraying over many logins (each attempt costs an argon2id hash).
struct SignInLimit {
  bool enabled = true;                       // false: no limit (`serve --no-rate-limit`)
  service::RateLimit limit{0.5, 30.0};       // per client address: 30 at once, then one per 2 s
  std::vector<std::string> trusted_proxies;  // as RouterConfig::trusted_proxies
};

class SessionApi final : public Mount {
 public:
  // `model`, `sessions` and `clock` must outlive the mount. `secure_cookies`: add
  // Secure (the server is behind TLS). Sign-in attempts beyond `limit` from one
  // client address (http::client_address, as the Router's limits) get 429 with
  // Retry-After before the body is looked at.
  SessionApi(const domain::Model& model, service::SessionService& sessions, bool secure_cookies, Clock& clock,
             SignInLimit limit = {});

  std::string_view prefix() const override { return "/api/v1/session"; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  Response sign_in(const Request& req, std::string_view path) const;
  Response me(const Request& req, const Result<domain::Principal>& caller, std::string_view path) const;
  Response sign_out(const Request& req, const Result<domain::Principal>& caller, std::string_view path) const;
  Response revoke_all(const Request& req, const Result<domain::Principal>& caller,
                      std::string_view path) const;
  Response totp_start(const Result<domain::Principal>& caller, std::string_view path) const;
  Response totp_confirm(const Request& req, const Result<domain::Principal>& caller,
                        std::string_view path) const;
  Response totp_disable(const Request& req, const Result<domain::Principal>& caller,
                        std::string_view path) const;

  const domain::Model& model_;
  service::SessionService& sessions_;
  bool secure_;
  SignInLimit limit_;
  mutable service::RateLimiter limiter_;  // thread-safe
};

}  // namespace kaiku::http
