// Internal: the SQLite MailRepository (see storage/mail_store.hpp).
#pragma once

#include "storage/mail_store.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

class SqliteMail final : public MailRepository {
 public:
  explicit SqliteMail(Context& ctx) : ctx_(ctx) {}
  Result<std::int64_t> enqueue(const MailMessage& m) override;
  Result<std::vector<MailMessage>> claim_due(TimePoint now, int limit) override;
  Status mark_sent(std::int64_t id, TimePoint now, const std::string& detail) override;
  Status mark_retry(std::int64_t id, TimePoint retry_at, const std::string& detail) override;
  Status mark_failed(std::int64_t id, TimePoint now, const std::string& detail) override;
  Result<int> recover_in_flight(TimePoint now) override;
  Result<MailMessage> get(std::int64_t id) override;
  Result<std::vector<std::int64_t>> count_by_state() override;

 private:
  // Moves message `id` from sending to `to` (see the mark_* contracts).
  Status move_from_sending(std::int64_t id, MailState to, std::int64_t at_ms, std::int64_t retry_ms,
                           const std::string& detail);
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
