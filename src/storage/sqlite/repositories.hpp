// Internal: the SQLite implementations of the repositories of storage/store.hpp.
// Writes go through the shared Writer (group commit); reads through the ReadPool.
#pragma once

#include <atomic>
#include <memory>

#include "base/clock.hpp"
#include "storage/sqlite/read_pool.hpp"
#include "storage/sqlite/writer.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/store.hpp"

namespace kaiku::storage::sqlite {

// What every repository of one store shares.
struct Context {
  Clock& clock;
  SqliteOptions options;
  ReadPool reads;
  std::unique_ptr<Writer> writer;
  // Since schema 5: set when store_analysis replaced texts by their redacted form;
  // the next periodic purge then truncates the WAL even if it deleted nothing, so
  // that the old page images with the original texts leave the files. Also set
  // when a purge's (or flush_replaced_texts') checkpoint could not truncate the WAL.
  std::shared_ptr<std::atomic<bool>> texts_replaced;
};

inline std::int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// "SELECT <the columns of a response> FROM responses " -- append the WHERE clause;
// read the rows with read_response_rows.
extern const char* const kResponseSelect;
// Every remaining row of `q` (selected with kResponseSelect) as a response,
// without contact details and without insights (see attach_insights).
Result<std::vector<domain::Response>> read_response_rows(Query& q);

// The body of one append job (runs on the writer thread inside a savepoint):
// idempotency check on the submission key (also against earlier jobs of the same
// batch; same `fingerprint` = duplicate, another = conflict), one follow-up per
// tap, invitation consumption (used_at set, event_ref forgotten), insert, contact
// request; since schema 5 the response's insights and sealed originals, and its
// text_analysed flag. Every response row is written here (append, append_batch,
// OutreachRepository::apply_reply). Sets `out`. `fingerprint` is
// response_fingerprint(r).
Status append_in_transaction(Connection& c, const domain::Response& r, const std::string& answers_json,
                             const std::string& fingerprint, std::int64_t now_ms, std::int64_t contact_expires_ms,
                             AppendOutcome& out);

// The body of a contact purge job: deletes contact requests whose expires_at is
// at or before `now_ms`; sets `deleted`.
Status purge_contacts_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t& deleted);

class SqliteResponses final : public ResponseRepository {
 public:
  explicit SqliteResponses(Context& ctx) : ctx_(ctx) {}
  Result<AppendOutcome> append(const domain::Response& r) override;
  Result<std::vector<AppendOutcome>> append_batch(const std::vector<domain::Response>& rs) override;
  Result<std::vector<domain::Response>> list(const ResponseQuery& q) override;
  Result<std::vector<domain::Response>> scan(std::int64_t after_id, int limit) override;
  Result<domain::Response> get(std::int64_t id) override;
  Result<std::optional<domain::ContactRequest>> contact_for(std::int64_t response_id) override;
  Result<std::int64_t> count() override;
  Result<std::int64_t> purge_expired_contacts(TimePoint now) override;

 private:
  Context& ctx_;
};

class SqliteInvitations final : public InvitationRepository {
 public:
  explicit SqliteInvitations(Context& ctx) : ctx_(ctx) {}
  Status create(const Invitation& inv) override;
  Result<Invitation> find_by_token_hash(const std::string& token_hash) override;
  Result<Invitation> get(const std::string& id) override;
  Result<std::vector<Invitation>> list(std::int64_t after_seq, int limit) override;

 private:
  Context& ctx_;
};

class SqliteUsers final : public UserRepository {
 public:
  explicit SqliteUsers(Context& ctx) : ctx_(ctx) {}
  Result<std::int64_t> add(const User& u) override;
  Result<User> find_by_login(const std::string& login) override;
  Result<User> find_by_id(std::int64_t id) override;
  Status add_token(const ApiToken& t) override;
  Result<User> user_for_token(const std::string& token_hash, TimePoint now) override;
  Result<std::vector<User>> list() override;                               // sessions.cpp (schema 6)
  Status set_email(std::int64_t user_id, const std::string& email) override;  // sessions.cpp (schema 6)

 private:
  Context& ctx_;
};

class SqliteAudit final : public AuditLog {
 public:
  explicit SqliteAudit(Context& ctx) : ctx_(ctx) {}
  Status record(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> recent(int limit) override;
  Result<std::vector<AuditEntry>> query(const AuditFilter& f) override;

 private:
  Context& ctx_;
};

class SqliteModelVersions final : public ModelVersionRepository {
 public:
  explicit SqliteModelVersions(Context& ctx) : ctx_(ctx) {}
  Status remember(const std::string& version, const std::string& model_json, TimePoint at) override;
  Result<std::string> load(const std::string& version) override;
  Result<std::string> latest() override;
  Result<std::vector<ModelVersionInfo>> list() override;
  Status publish(const std::string& version, std::int64_t user_id, const std::string& login,
                 TimePoint at) override;
  Result<std::string> published() override;

 private:
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
