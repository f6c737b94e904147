// Internal: the SQLite SessionRepository (see storage/session_store.hpp).
#pragma once

#include "storage/session_store.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

class SqliteSessions final : public SessionRepository {
 public:
  explicit SqliteSessions(Context& ctx) : ctx_(ctx) {}

  Status create(const Session& s) override;
  Result<Session> find(const std::string& id_hash) override;
  Status touch(const std::string& id_hash, TimePoint at) override;
  Result<bool> revoke(const std::string& id_hash, TimePoint at) override;
  Result<std::int64_t> revoke_all(std::int64_t user_id, TimePoint at) override;
  Result<std::int64_t> purge(TimePoint before) override;

  Result<FailureOutcome> record_failure(const std::string& login, TimePoint at,
                                        std::chrono::milliseconds window, int threshold,
                                        std::chrono::milliseconds lock_for) override;
  Result<std::optional<TimePoint>> locked_until(const std::string& login, TimePoint at) override;
  Result<bool> clear_failures(const std::string& login) override;

  Result<TotpState> totp(std::int64_t user_id) override;
  Status set_totp_pending(std::int64_t user_id, const std::vector<std::uint8_t>& sealed_secret) override;
  Status enable_totp(std::int64_t user_id) override;
  Status clear_totp(std::int64_t user_id) override;
  Result<bool> use_totp_step(std::int64_t user_id, std::int64_t step) override;

 private:
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
