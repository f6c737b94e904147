// Staff authentication and user administration: bearer tokens -> principals,
// adding users (argon2id), issuing API tokens. Used by the HTTP API and the CLI.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/model.hpp"
#include "security/password.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// Resolves credentials to a principal. Thread-safe; `store` and `clock` must
// outlive it.
class AuthService {
 public:
  AuthService(storage::Store& store, Clock& clock);

  // Authenticates an HTTP Authorization header value ("Bearer <token>", scheme
  // case-insensitive). unauthorized when the header is missing/malformed, the
  // token unknown, expired or revoked, or the user disabled; unavailable when
  // the store fails.
  Result<domain::Principal> authenticate_header(std::string_view authorization) const;

  // Authenticates a bare bearer token (see authenticate_header).
  Result<domain::Principal> authenticate_token(std::string_view token) const;

  // What a request carries for authentication (views into the request).
  struct RequestCredentials {
    std::string_view authorization;  // Authorization header ("" if absent)
    std::string_view cookie;         // Cookie header ("" if absent)
    std::string_view method;         // "GET", "POST", ...
    std::string_view csrf_token;     // X-CSRF-Token header ("" if absent)
  };
  // Authenticates an API request by its bearer token (when an Authorization header
  // is present) or else by the staff session cookie `kaiku_session` (see
  // docs/workspace-api.md). A session authenticates a method other than GET/HEAD
  // only with the session's CSRF token: forbidden ("csrf: ...") otherwise.
  // unauthorized when neither credential is valid (expired, revoked, unknown).
  // A valid session's last use is refreshed. Thread-safe.
  Result<domain::Principal> authenticate_request(const RequestCredentials& credentials) const;

 private:
  storage::Store& store_;
  Clock& clock_;
};

// Adds a staff user, after check_new_user. `unit` is the root of the user's scope: empty means the
// county (the model's root); otherwise it must exist in `model`.
// Errors: invalid_input (login shape [a-z0-9._@-]{1,64}, unknown unit, bad
// password), conflict (login exists), unavailable (store). Returns the user id.
Result<std::int64_t> add_user(storage::Store& store, const domain::Model& model, const std::string& login,
                              domain::Role role, const std::string& unit, std::string_view password,
                              security::PasswordCost cost = security::PasswordCost::interactive());

// The account policy for a new staff user, checked by add_user: the password passes
// security::check_new_password (at least 12 characters), and a unit_manager or a
// director names the root of their scope explicitly -- an empty `unit` is never
// taken to mean the whole county for them. invalid_input with a message saying
// which rule failed, e.g. "unit: role unit_manager needs the unit it manages
// (--unit UNIT_ID); it is never assumed to be the whole county".
Status check_new_user(domain::Role role, const std::string& unit, std::string_view password);

// Token lifetimes: every token expires. The default, and the longest allowed.
inline constexpr std::chrono::hours kDefaultTokenTtl{24 * 365};
inline constexpr std::chrono::hours kMaxTokenTtl{24 * 3650};

// Issues a new bearer token for `login`, valid for `ttl` (1 hour .. kMaxTokenTtl;
// default kDefaultTokenTtl, 365 days). Stores only its SHA-256; returns the token
// itself, once. not_found when the login is unknown; conflict when the user is
// disabled; invalid_input when `ttl` is out of range.
Result<std::string> issue_token(storage::Store& store, const std::string& login, Random& random, Clock& clock,
                                std::chrono::hours ttl = kDefaultTokenTtl);

}  // namespace kaiku::service
