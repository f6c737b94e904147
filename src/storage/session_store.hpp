// Staff sign-in (schema 6): browser sessions, login failures and lock-out, TOTP second factors, users' e-mail
// addresses. Contract owned by the auth work; see docs/workspace-api.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace kaiku::storage {

// One staff browser session. The session id itself (the cookie value) is never
// stored: only its SHA-256 (`id_hash`).
struct Session {
  std::string id_hash;  // lower-case hex SHA-256 of the session id
  std::int64_t user_id = 0;
  std::string csrf_token;  // echoed by the app in X-CSRF-Token
  TimePoint created_at{};
  TimePoint last_seen_at{};
  TimePoint expires_at{};  // the absolute end (created_at + the absolute lifetime)
  std::optional<TimePoint> revoked_at;
};

// What one failed sign-in led to.
struct FailureOutcome {
  std::int64_t recent_failures = 0;       // failures of the login within the window, this one included
  std::optional<TimePoint> locked_until;  // set when this failure locked the login
};

// A user's second factor.
struct TotpState {
  std::vector<std::uint8_t> sealed_secret;  // empty: none (sealed with the server key)
  bool enabled = false;                     // confirmed with a code
  std::int64_t last_step = 0;               // the last time step accepted
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;

  // --- sessions
  // Stores a new session. conflict when `id_hash` exists; not_found for an unknown user.
  virtual Status create(const Session& s) = 0;
  // The session with this hash (also revoked or expired ones: the caller judges);
  // not_found when there is none.
  virtual Result<Session> find(const std::string& id_hash) = 0;
  // Sets last_seen_at of a session (no-op for an unknown hash).
  virtual Status touch(const std::string& id_hash, TimePoint at) = 0;
  // Revokes one session; true when it was live (not revoked, expires_at after `at`).
  virtual Result<bool> revoke(const std::string& id_hash, TimePoint at) = 0;
  // Revokes every live session of a user (not its API tokens); returns how many.
  virtual Result<std::int64_t> revoke_all(std::int64_t user_id, TimePoint at) = 0;
  // Deletes sessions whose absolute end or revocation is before `before`; returns how many.
  virtual Result<std::int64_t> purge(TimePoint before) = 0;

  // --- failed sign-ins and lock-out (keyed by the login as typed, known or not)
  // Records a failure at `at`, forgets failures older than `at - window`, and when
  // there are now `threshold` or more within the window locks the login until
  // `at + lock_for` (and forgets its failures: after the lock it starts afresh).
  // One atomic step.
  virtual Result<FailureOutcome> record_failure(const std::string& login, TimePoint at,
                                                std::chrono::milliseconds window, int threshold,
                                                std::chrono::milliseconds lock_for) = 0;
  // The end of the login's lock when it is locked at `at`; nullopt otherwise.
  virtual Result<std::optional<TimePoint>> locked_until(const std::string& login, TimePoint at) = 0;
  // Forgets the login's failures and lifts its lock (a successful sign-in, `kaiku
  // user unlock`). True when there was a lock or a failure to forget.
  virtual Result<bool> clear_failures(const std::string& login) = 0;

  // --- second factor (columns of users)
  // not_found for an unknown user.
  virtual Result<TotpState> totp(std::int64_t user_id) = 0;
  // Stores a new (not yet enabled) sealed secret, replacing any earlier one; last step 0.
  virtual Status set_totp_pending(std::int64_t user_id, const std::vector<std::uint8_t>& sealed_secret) = 0;
  // Enables the stored secret (after a right code).
  virtual Status enable_totp(std::int64_t user_id) = 0;
  // Removes the secret; the user signs in with a password only.
  virtual Status clear_totp(std::int64_t user_id) = 0;
  // Records `step` as used when it is later than the last one used: true; false
  // when it is not (a replayed code). Atomic.
  virtual Result<bool> use_totp_step(std::int64_t user_id, std::int64_t step) = 0;
};

}  // namespace kaiku::storage
