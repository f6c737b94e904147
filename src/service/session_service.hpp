// Staff sign-in for the web app (docs/workspace-api.md "Authentication"): password
// (argon2id) and optional TOTP second factor, lock-out after repeated failures,
// browser sessions with idle and absolute expiry, sign-out (one or everywhere),
// enrolling and removing the second factor. Every sign-in, failure and lock-out is
// audited (session.login, session.failed, session.locked).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "security/password.hpp"
#include "storage/session_store.hpp"
#include "storage/store.hpp"

namespace kaiku::security {
class Sealer;
}  // namespace kaiku::security

namespace kaiku::service {

// The name of the session cookie.
inline constexpr std::string_view kSessionCookie = "kaiku_session";

struct SessionPolicy {
  std::chrono::milliseconds idle = std::chrono::hours(8);       // without use
  std::chrono::milliseconds absolute = std::chrono::hours(12);  // at most
  int max_failures = 5;                                         // within failure_window ...
  std::chrono::milliseconds failure_window = std::chrono::minutes(15);
  std::chrono::milliseconds lock_for = std::chrono::minutes(15);  // ... lock the login this long
  // A session's last use is written at most this often (not on every request).
  std::chrono::milliseconds touch_every = std::chrono::seconds(60);
  // Cost of the decoy hash verified for unknown logins (so that timing does not
  // tell which logins exist); tests lower it.
  security::PasswordCost decoy_cost = security::PasswordCost::interactive();
};

// The value of cookie `name` in a Cookie request header ("a=1; kaiku_session=x"),
// or nullopt. Tolerates spaces and empty items; a quoted value is unquoted; the
// first occurrence wins. Pure.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// A live session with its user.
struct ActiveSession {
  storage::Session session;
  storage::User user;
  TimePoint expires_at{};  // the earlier of idle and absolute expiry, as of this lookup
  domain::Principal principal() const { return {user.id, user.login, user.role, user.scope_unit}; }
};

// Looks up the session whose id (the cookie value) is `session_id`. unauthorized
// when it is unknown, revoked, expired (idle or absolute) or its user disabled;
// unavailable when the store fails. Refreshes its last use (see touch_every).
// Thread-safe.
Result<ActiveSession> find_session(storage::Store& store, Clock& clock, std::string_view session_id,
                                   const SessionPolicy& policy = {});

struct SignInRequest {
  std::string login;
  std::string password;
  std::optional<std::string> totp;  // the 6-digit code, when the account has a second factor
};

// Why a sign-in failed: `error` is unauthorized (wrong login or password, or a
// second factor needed: `totp_required`), rate_limited (locked: `retry_after_s`)
// or unavailable.
struct SignInFailure {
  Error error;
  bool totp_required = false;
  int retry_after_s = 0;
};

struct NewSession {
  std::string session_id;  // the cookie value; shown once, only its hash is stored
  ActiveSession active;
};

struct TotpEnrolment {
  std::string secret_base32;  // for typing into an authenticator app
  std::string otpauth_uri;    // for its QR code
};

// Thread-safe; every reference must outlive it. `sealer` (the server key) seals
// TOTP secrets; without it the second factor cannot be enrolled or checked
// (unavailable).
class SessionService {
 public:
  SessionService(storage::Store& store, Clock& clock, Random& random, const security::Sealer* sealer,
                 SessionPolicy policy = {});

  // Signs in: lock check, password, second factor, then a new session. The lock is
  // checked again after each factor (so parallel attempts cannot sign in once one
  // of them locked the login). A wrong
  // login and a wrong password give the same error ("login or password is wrong").
  // The max_failures-th failure within failure_window locks the login for
  // lock_for: that answer and every attempt while locked (also with the right
  // password) are rate_limited. A missing code is not a failure; a wrong one is.
  Result<NewSession, SignInFailure> sign_in(const SignInRequest& request);

  // find_session with this service's policy.
  Result<ActiveSession> find(std::string_view session_id) const;

  // Ends the session `session_id` (no error when it was already over).
  Status sign_out(std::string_view session_id);
  // Ends every live session of the user (not their API tokens); how many.
  Result<std::int64_t> revoke_all(std::int64_t user_id);

  // True when the user's second factor is on.
  Result<bool> totp_enabled(std::int64_t user_id) const;
  // Draws a new secret for `user` (replacing one not yet confirmed). conflict when
  // a second factor is already on.
  Result<TotpEnrolment> start_totp(const domain::Principal& user);
  // Turns the pending secret on with a code from it. invalid_input for a wrong
  // code; conflict when nothing is pending or it is already on. A wrong code is a
  // failure of the user's login (the sign-in lock-out counts it); rate_limited
  // while the login is locked (also with the right code).
  Status confirm_totp(std::int64_t user_id, std::string_view code);
  // Turns the second factor off with a current code. invalid_input for a wrong
  // code; conflict when it is not on. Wrong codes and the lock as confirm_totp.
  Status disable_totp(std::int64_t user_id, std::string_view code);

  const SessionPolicy& policy() const { return policy_; }

 private:
  // Records a failure of `login` (and the lock it may cause): the answer to give.
  SignInFailure failed(const std::string& login, std::int64_t user_id, const std::string& reason, bool totp);
  // rate_limited (with the seconds left) when `login` is locked at `now`,
  // unavailable when the store fails, nullopt when it is not locked.
  std::optional<SignInFailure> lock_of(const std::string& login, TimePoint now);
  // check_code for a signed-in user (confirm/disable): refused while the user's
  // login is locked; a wrong code is recorded as a failure (`reason`) and is
  // invalid_input, or rate_limited when it locked the login.
  Status check_code_counted(std::int64_t user_id, const storage::TotpState& state, std::string_view code,
                            const std::string& reason);
  void audit(const std::string& action, std::int64_t user_id, const std::string& login,
             const std::string& object);
  Result<std::string> open_secret(const storage::TotpState& state) const;
  // The step of `code` under the user's secret when right and not used before.
  Result<std::optional<std::int64_t>> check_code(std::int64_t user_id, const storage::TotpState& state,
                                                 std::string_view code);

  storage::Store& store_;
  Clock& clock_;
  Random& random_;
  const security::Sealer* sealer_;
  SessionPolicy policy_;
  std::string decoy_hash_;  // argon2id of a random password, verified for unknown logins
};

}  // namespace kaiku::service
