#include "service/auth_service.hpp"

#include <algorithm>
#include <cctype>

#include "security/digest.hpp"
#include "security/token.hpp"
#include "service/session_service.hpp"

namespace kaiku::service {

namespace {

bool valid_login(std::string_view login) {
  if (login.empty() || login.size() > 64) return false;
  return std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
  });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

AuthService::AuthService(storage::Store& store, Clock& clock) : store_(store), clock_(clock) {}

Result<domain::Principal> AuthService::authenticate_header(std::string_view authorization) const {
  if (authorization.empty()) return fail(Error::unauthorized("missing Authorization header"));
  auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) {
    return fail(Error::unauthorized("expected 'Authorization: Bearer <token>'"));
  }
  std::string_view token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return authenticate_token(token);
}

Result<domain::Principal> AuthService::authenticate_token(std::string_view token) const {
  if (!security::looks_like_bearer_token(token)) return fail(Error::unauthorized("invalid bearer token"));
  auto user = store_.users().user_for_token(security::sha256_hex(token), clock_.now());
  if (!user) {
    if (user.error().kind == ErrorKind::unauthorized || user.error().kind == ErrorKind::not_found) {
      return fail(Error::unauthorized("invalid or expired bearer token"));
    }
    return fail(Error::unavailable(user.error().message));
  }
  if (user->disabled) return fail(Error::unauthorized("the user is disabled"));
  return domain::Principal{user->id, user->login, user->role, user->scope_unit};
}

Result<std::int64_t> add_user(storage::Store& store, const domain::Model& model, const std::string& login,
                              domain::Role role, const std::string& unit, std::string_view password,
                              security::PasswordCost cost) {
  if (!valid_login(login)) {
    return fail(Error::invalid("login: expected 1-64 characters of a-z 0-9 . _ @ -, got '" + login + "'"));
  }
  if (auto policy = check_new_user(role, unit, password); !policy) return fail(policy.error());
  std::string scope = unit.empty() ? model.county_id : unit;
  if (model.unit(scope) == nullptr) return fail(Error::invalid("unit: unknown unit '" + scope + "'"));
  auto hash = security::hash_password(password, cost);
  if (!hash) return fail(Error{hash.error().kind, "password: " + hash.error().message});
  storage::User u;
  u.login = login;
  u.password_hash = std::move(*hash);
  u.role = role;
  u.scope_unit = scope;
  return store.users().add(u);
}

Status check_new_user(domain::Role role, const std::string& unit, std::string_view password) {
  if ((role == domain::Role::unit_manager || role == domain::Role::director) && unit.empty()) {
    return fail(Error::invalid("unit: role " + std::string(domain::role_name(role)) +
                               " needs the unit it " + (role == domain::Role::unit_manager ? "manages" : "directs") +
                               " (--unit UNIT_ID); it is never assumed to be the whole county"));
  }
  return security::check_new_password(password);
}

Result<std::string> issue_token(storage::Store& store, const std::string& login, Random& random, Clock& clock,
                                std::chrono::hours ttl) {
  if (ttl < std::chrono::hours(1) || ttl > kMaxTokenTtl) {
    return fail(Error::invalid("ttl: a token must expire after 1 hour to " +
                               std::to_string(kMaxTokenTtl.count() / 24) + " days, got " +
                               std::to_string(ttl.count()) + " hours"));
  }
  auto user = store.users().find_by_login(login);
  if (!user) {
    if (user.error().kind == ErrorKind::not_found)
      return fail(Error::not_found("unknown login '" + login + "'"));
    return fail(user.error());
  }
  if (user->disabled) return fail(Error::conflict("user '" + login + "' is disabled"));
  std::string token = security::new_bearer_token(random);
  storage::ApiToken t;
  t.user_id = user->id;
  t.token_hash = security::sha256_hex(token);
  t.created_at = clock.now();
  t.expires_at = t.created_at + ttl;
  if (auto st = store.users().add_token(t); !st) return fail(st.error());
  return token;
}

// A bearer token when an Authorization header is present, else the session cookie
// (service/session_service.hpp) with the CSRF rule for methods that change things.
Result<domain::Principal> AuthService::authenticate_request(const RequestCredentials& credentials) const {
  if (!credentials.authorization.empty()) return authenticate_header(credentials.authorization);
  const auto session_id = cookie_value(credentials.cookie, kSessionCookie);
  if (!session_id || session_id->empty()) {
    return fail(Error::unauthorized("missing Authorization header or session cookie"));
  }
  auto active = find_session(store_, clock_, *session_id);
  if (!active) return fail(active.error());
  if (credentials.method != "GET" && credentials.method != "HEAD") {
    if (credentials.csrf_token.empty()) {
      return fail(Error::forbidden("csrf: the X-CSRF-Token header is missing (a signed-in request other than "
                                   "GET needs the session's csrf_token)"));
    }
    if (!security::constant_time_equals(credentials.csrf_token, active->session.csrf_token)) {
      return fail(Error::forbidden("csrf: the X-CSRF-Token header does not match this session"));
    }
  }
  return active->principal();
}

}  // namespace kaiku::service
