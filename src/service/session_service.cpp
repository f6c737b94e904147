#include "service/session_service.hpp"

#include <algorithm>
#include <cctype>

#include "security/digest.hpp"
#include "security/sealer.hpp"
#include "security/totp.hpp"

namespace kaiku::service {
namespace {

constexpr std::string_view kWrongLogin = "login or password is wrong";
constexpr std::size_t kMaxLoginBytes = 64;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The key failures and locks are counted under: the login as typed, lower case, at
// most 64 bytes (what a login can be), so that case variants share one count.
std::string failure_key(std::string_view login) {
  std::string key(login.substr(0, kMaxLoginBytes));
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// The login as the audit log records it: only what could be a login (people type
// passwords into the login field; those must not land in the log).
std::string audited_login(std::string_view login) {
  const bool plausible = !login.empty() && std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
  return plausible ? std::string(login) : std::string("(malformed login)");
}

int seconds_until(TimePoint from, TimePoint to) {
  const auto ms = (to - from).count();
  return static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

}  // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view item = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(item.substr(0, eq)) != name) continue;
    std::string_view value = trim(item.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

Result<ActiveSession> find_session(storage::Store& store, Clock& clock, std::string_view session_id,
                                   const SessionPolicy& policy) {
  // Session ids are 43 base64url characters; anything else cannot be one.
  if (session_id.empty() || session_id.size() > 128)
    return fail(Error::unauthorized("session: unknown or signed out"));
  const TimePoint now = clock.now();
  auto s = store.sessions().find(security::sha256_hex(session_id));
  if (!s) {
    if (s.error().kind == ErrorKind::not_found)
      return fail(Error::unauthorized("session: unknown or signed out"));
    return fail(Error::unavailable(s.error().message));
  }
  if (s->revoked_at) return fail(Error::unauthorized("session: signed out"));
  if (now >= s->expires_at || now >= s->created_at + policy.absolute) {
    return fail(Error::unauthorized("session: expired (signed in too long ago); sign in again"));
  }
  if (now >= s->last_seen_at + policy.idle)
    return fail(Error::unauthorized("session: expired (unused too long); sign in again"));
  auto user = store.users().find_by_id(s->user_id);
  if (!user) {
    if (user.error().kind == ErrorKind::not_found)
      return fail(Error::unauthorized("session: the user no longer exists"));
    return fail(Error::unavailable(user.error().message));
  }
  if (user->disabled) return fail(Error::unauthorized("the user is disabled"));
  if (now - s->last_seen_at >= policy.touch_every) {
    if (auto t = store.sessions().touch(s->id_hash, now); !t)
      return fail(Error::unavailable(t.error().message));
    s->last_seen_at = now;
  }
  ActiveSession a;
  a.expires_at =
      std::min(s->last_seen_at + policy.idle, std::min(s->expires_at, s->created_at + policy.absolute));
  a.session = std::move(*s);
  a.user = std::move(*user);
  return a;
}

SessionService::SessionService(storage::Store& store, Clock& clock, Random& random,
                               const security::Sealer* sealer, SessionPolicy policy)
    : store_(store), clock_(clock), random_(random), sealer_(sealer), policy_(policy) {
  auto decoy = security::hash_password(random_token(random_, 16), policy_.decoy_cost);
  if (decoy) decoy_hash_ = std::move(*decoy);
}

void SessionService::audit(const std::string& action, std::int64_t user_id, const std::string& login,
                           const std::string& object) {
  storage::AuditEntry e;
  e.at = clock_.now();
  e.user_id = user_id;
  e.login = login;
  e.action = action;
  e.object = object;
  e.count = 1;
  (void)store_.audit().record(e);  // a sign-in is not refused because the audit log failed
}

std::optional<SignInFailure> SessionService::lock_of(const std::string& login, TimePoint now) {
  auto locked = store_.sessions().locked_until(failure_key(login), now);
  if (!locked) return SignInFailure{Error::unavailable(locked.error().message)};
  if (!*locked) return std::nullopt;
  const int s = seconds_until(now, **locked);
  return SignInFailure{
      Error{ErrorKind::rate_limited, "login: locked after repeated failed sign-ins; try again in " +
                                         std::to_string((s + 59) / 60) + " minutes"},
      false, s};
}

SignInFailure SessionService::failed(const std::string& login, std::int64_t user_id,
                                     const std::string& reason, bool totp) {
  const TimePoint now = clock_.now();
  audit("session.failed", user_id, audited_login(login), reason);
  auto outcome = store_.sessions().record_failure(failure_key(login), now, policy_.failure_window,
                                                  policy_.max_failures, policy_.lock_for);
  if (!outcome) return {Error::unavailable(outcome.error().message)};
  if (outcome->locked_until) {
    audit("session.locked", user_id, audited_login(login), "until " + format_rfc3339(*outcome->locked_until));
    const int s = seconds_until(now, *outcome->locked_until);
    return {Error{ErrorKind::rate_limited, "login: locked after " + std::to_string(policy_.max_failures) +
                                               " failed sign-ins; try again in " +
                                               std::to_string((s + 59) / 60) + " minutes"},
            false, s};
  }
  // Locked by a parallel attempt since this one began: the same answer as for
  // the right password (no oracle).
  if (auto lock = lock_of(login, now)) return *lock;
  if (totp) return {Error::unauthorized("totp: the code is wrong or expired"), true};
  return {Error::unauthorized(std::string(kWrongLogin))};
}

Result<NewSession, SignInFailure> SessionService::sign_in(const SignInRequest& request) {
  const std::string login(trim(request.login).substr(0, kMaxLoginBytes));
  const TimePoint now = clock_.now();
  // The lock is checked before the (costly) password and again after each factor:
  // parallel attempts that all passed the first check must not sign in once one of
  // them has locked the login.
  auto still_locked = [&]() -> std::optional<SignInFailure> {
    auto lock = lock_of(login, clock_.now());
    if (lock && lock->error.kind == ErrorKind::rate_limited)
      audit("session.failed", 0, audited_login(login), "locked");
    return lock;
  };
  if (auto lock = still_locked()) return unexpected(*lock);
  auto user = store_.users().find_by_login(login);
  if (!user && user.error().kind != ErrorKind::not_found) {
    return unexpected(SignInFailure{Error::unavailable(user.error().message)});
  }
  if (!user || user->disabled || request.password.size() > security::kMaxPasswordBytes) {
    (void)security::verify_password(decoy_hash_, request.password.substr(0, security::kMaxPasswordBytes));
    if (auto lock = still_locked()) return unexpected(*lock);
    return unexpected(failed(login, user ? user->id : 0, !user ? "unknown login" : "password", false));
  }
  const bool password_right = security::verify_password(user->password_hash, request.password);
  if (auto lock = still_locked()) return unexpected(*lock);
  if (!password_right) return unexpected(failed(login, user->id, "password", false));
  auto totp = store_.sessions().totp(user->id);
  if (!totp) return unexpected(SignInFailure{Error::unavailable(totp.error().message)});
  if (totp->enabled) {
    if (!request.totp || trim(*request.totp).empty()) {
      return unexpected(SignInFailure{
          Error::unauthorized("totp: this account needs the code from its authenticator app"), true});
    }
    auto step = check_code(user->id, *totp, *request.totp);
    if (!step) return unexpected(SignInFailure{Error::unavailable(step.error().message)});
    if (!*step) return unexpected(failed(login, user->id, "totp", true));
    if (auto lock = still_locked()) return unexpected(*lock);
  }
  if (auto cleared = store_.sessions().clear_failures(failure_key(login)); !cleared) {
    return unexpected(SignInFailure{Error::unavailable(cleared.error().message)});
  }
  NewSession out;
  out.session_id = random_token(random_, 32);
  storage::Session s;
  s.id_hash = security::sha256_hex(out.session_id);
  s.user_id = user->id;
  s.csrf_token = random_token(random_, 32);
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + policy_.absolute;
  if (auto st = store_.sessions().create(s); !st)
    return unexpected(SignInFailure{Error::unavailable(st.error().message)});
  audit("session.login", user->id, user->login, totp->enabled ? "password+totp" : "password");
  // Housekeeping: sessions that ended over a day ago are of no further use.
  (void)store_.sessions().purge(now - std::chrono::hours(24));
  out.active.session = std::move(s);
  out.active.user = std::move(*user);
  out.active.expires_at = now + std::min(policy_.idle, policy_.absolute);
  return out;
}

Result<ActiveSession> SessionService::find(std::string_view session_id) const {
  return find_session(store_, clock_, session_id, policy_);
}

Status SessionService::sign_out(std::string_view session_id) {
  if (session_id.empty()) return {};
  auto r = store_.sessions().revoke(security::sha256_hex(session_id), clock_.now());
  if (!r) return fail(r.error());
  return {};
}

Result<std::int64_t> SessionService::revoke_all(std::int64_t user_id) {
  return store_.sessions().revoke_all(user_id, clock_.now());
}

Result<bool> SessionService::totp_enabled(std::int64_t user_id) const {
  auto t = store_.sessions().totp(user_id);
  if (!t) return fail(t.error());
  return t->enabled;
}

Result<std::string> SessionService::open_secret(const storage::TotpState& state) const {
  if (sealer_ == nullptr) return fail(Error::unavailable("totp: the server key is not available"));
  auto secret = sealer_->open(state.sealed_secret);
  if (!secret) return fail(Error::internal("totp: the stored secret cannot be opened with the server key"));
  return secret;
}

Result<std::optional<std::int64_t>> SessionService::check_code(std::int64_t user_id,
                                                               const storage::TotpState& state,
                                                               std::string_view code) {
  auto secret = open_secret(state);
  if (!secret) return fail(secret.error());
  auto step = security::verify_totp(*secret, code, clock_.now());
  if (!step) return std::optional<std::int64_t>();
  auto fresh = store_.sessions().use_totp_step(user_id, *step);
  if (!fresh) return fail(fresh.error());
  if (!*fresh) return std::optional<std::int64_t>();  // replayed
  return step;
}

Status SessionService::check_code_counted(std::int64_t user_id, const storage::TotpState& state,
                                          std::string_view code, const std::string& reason) {
  auto user = store_.users().find_by_id(user_id);
  if (!user) return fail(user.error());
  if (auto lock = lock_of(user->login, clock_.now())) return fail(lock->error);
  auto step = check_code(user_id, state, code);
  if (!step) return fail(step.error());
  if (!*step) {
    SignInFailure f = failed(user->login, user_id, reason, true);
    if (f.error.kind == ErrorKind::unauthorized) return fail(Error::invalid("code: wrong or expired code"));
    return fail(f.error);
  }
  if (auto lock = lock_of(user->login, clock_.now())) return fail(lock->error);
  return {};
}

Result<TotpEnrolment> SessionService::start_totp(const domain::Principal& user) {
  if (sealer_ == nullptr) return fail(Error::unavailable("totp: the server key is not available"));
  auto state = store_.sessions().totp(user.user_id);
  if (!state) return fail(state.error());
  if (state->enabled) return fail(Error::conflict("totp: a second factor is already on; turn it off first"));
  const std::string secret = security::new_totp_secret(random_);
  if (auto st = store_.sessions().set_totp_pending(user.user_id, sealer_->seal(secret)); !st)
    return fail(st.error());
  TotpEnrolment e;
  e.secret_base32 = security::base32_encode(secret);
  e.otpauth_uri = security::otpauth_uri("Kaiku", user.login, e.secret_base32);
  return e;
}

Status SessionService::confirm_totp(std::int64_t user_id, std::string_view code) {
  auto state = store_.sessions().totp(user_id);
  if (!state) return fail(state.error());
  if (state->enabled) return fail(Error::conflict("totp: the second factor is already on"));
  if (state->sealed_secret.empty())
    return fail(Error::conflict("totp: nothing to confirm; start enrolling first"));
  if (auto st = check_code_counted(user_id, *state, code, "totp (confirm)"); !st) return st;
  return store_.sessions().enable_totp(user_id);
}

Status SessionService::disable_totp(std::int64_t user_id, std::string_view code) {
  auto state = store_.sessions().totp(user_id);
  if (!state) return fail(state.error());
  if (!state->enabled) return fail(Error::conflict("totp: the second factor is not on"));
  if (auto st = check_code_counted(user_id, *state, code, "totp (disable)"); !st) return st;
  return store_.sessions().clear_totp(user_id);
}

}  // namespace kaiku::service
