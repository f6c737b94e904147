// open_sqlite_store: the SQLite Store and its start-up sequence.
#include "storage/sqlite_store.hpp"

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "storage/sqlite/actions.hpp"
#include "storage/sqlite/cases.hpp"
#include "storage/sqlite/comments.hpp"
#include "storage/sqlite/mail.hpp"
#include "storage/sqlite/outreach.hpp"
#include "storage/sqlite/repositories.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/sessions.hpp"

namespace kaiku::storage {
namespace sqlite {
namespace {

// Privacy: the writer purges expired contact details (and, since schema 4,
// expired outreach contacts, dialogues, texts and old person history; since
// schema 5, sealed originals of free-text answers past their retention) every
// `options.purge_interval` (by `clock`); when it deleted any, it then truncates
// the WAL so that the deleted rows' old page images do not linger there either
// (secure_delete zeroes them in the database file itself).
// (schema 5) It truncates the WAL also after store_analysis replaced texts
// (`texts_replaced`), since the WAL and the database file may hold the originals,
// and sets `texts_replaced` again when the checkpoint could not truncate the whole
// WAL (readers kept it busy), so that every later purge tries again until one does.
std::optional<Writer::Maintenance> purge_job(Clock& clock, const SqliteOptions& options,
                                             std::shared_ptr<std::atomic<bool>> texts_replaced) {
  if (options.purge_interval.count() <= 0) return std::nullopt;
  auto deleted = std::make_shared<std::int64_t>(0);
  Writer::Maintenance m;
  m.clock = &clock;
  m.every = options.purge_interval;
  m.poll = options.maintenance_poll;
  m.work = [&clock, deleted, history = options.person_history_retention,
            dialogues = options.dialogue_retention](Connection& c) -> Status {
    const std::int64_t now = to_ms(clock.now());
    *deleted = 0;
    Status s = purge_contacts_in_transaction(c, now, *deleted);
    if (!s) return s;
    std::int64_t outreach = 0;
    s = purge_outreach_in_transaction(c, now, now - history.count(), now - dialogues.count(), outreach);
    if (!s) return s;
    *deleted += outreach;
    std::int64_t originals = 0;  // schema 5: sealed originals past their retention
    s = purge_originals_in_transaction(c, now, originals);
    if (!s) return s;
    *deleted += originals;
    return {};
  };
  m.after_commit = [deleted, texts_replaced, busy = options.busy_timeout](Connection& c) {
    const bool replaced = texts_replaced->exchange(false);
    if (*deleted == 0 && !replaced) return;
    // Brief: a checkpoint that would wait long for readers gives up and is tried
    // again at the next purge (the flag set again), whether or not it deletes rows.
    sqlite3_busy_timeout(c.raw(), 100);
    const bool truncated = static_cast<bool>(truncate_wal(c));
    sqlite3_busy_timeout(c.raw(), static_cast<int>(busy.count()));
    if (!truncated) texts_replaced->store(true);
  };
  return m;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(Clock& clock, const SqliteOptions& options, const std::filesystem::path& file,
              std::unique_ptr<Connection> write_conn, std::string instance_id,
              std::shared_ptr<std::atomic<bool>> texts_replaced = std::make_shared<std::atomic<bool>>(false))
      : instance_id_(std::move(instance_id)),
        ctx_{clock, options,
             ReadPool(file, ConnectionOptions{false, true, options.busy_timeout, 0}, options.read_connections),
             std::make_unique<Writer>(std::move(write_conn), options.max_batch,
                                      purge_job(clock, options, texts_replaced)),
             texts_replaced},
        responses_(ctx_),
        invitations_(ctx_),
        users_(ctx_),
        audit_(ctx_),
        model_versions_(ctx_),
        outreach_(ctx_),
        comments_(ctx_),
        sessions_(ctx_),
        cases_(ctx_),
        actions_(ctx_),
        mail_(ctx_) {}

  ResponseRepository& responses() override { return responses_; }
  InvitationRepository& invitations() override { return invitations_; }
  UserRepository& users() override { return users_; }
  AuditLog& audit() override { return audit_; }
  ModelVersionRepository& model_versions() override { return model_versions_; }
  OutreachRepository& outreach() override { return outreach_; }
  CommentRepository& comments() override { return comments_; }
  SessionRepository& sessions() override { return sessions_; }
  CaseRepository& cases() override { return cases_; }
  ActionRepository& actions() override { return actions_; }
  MailRepository& mail() override { return mail_; }

  int schema_version() override {
    auto conn = ctx_.reads.acquire();
    if (!conn) return -1;
    auto v = current_schema_version(**conn);
    return v ? *v : -1;
  }

  // Read once at open: the id never changes while the file is open.
  std::string instance_id() override { return instance_id_; }

 private:
  const std::string instance_id_;
  Context ctx_;
  SqliteResponses responses_;
  SqliteInvitations invitations_;
  SqliteUsers users_;
  SqliteAudit audit_;
  SqliteModelVersions model_versions_;
  SqliteOutreach outreach_;
  SqliteComments comments_;
  SqliteSessions sessions_;
  SqliteCases cases_;
  SqliteActions actions_;
  SqliteMail mail_;
};

// The instance id the schema-3 migration stored (store_meta).
Result<std::string> read_instance_id(Connection& c, const std::filesystem::path& file) {
  auto has_table = c.scalar_text("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='store_meta'");
  if (!has_table) return fail(has_table.error());
  std::string id;
  if (*has_table != "0") {
    auto value = c.scalar_text("SELECT coalesce(max(value), '') FROM store_meta WHERE key='instance_id'");
    if (!value) return fail(value.error());
    id = std::move(*value);
  }
  if (id.size() != 32 || id.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return fail(Error::unavailable(
        file.string() + " has no valid instance id in store_meta (a database written by a pre-release build of "
                        "schema 3?); restore it from a release or start from a new data directory"));
  }
  return id;
}

}  // namespace
}  // namespace sqlite

std::filesystem::path sqlite_database_file(const std::filesystem::path& data_dir) { return data_dir / "kaiku.db"; }

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir, Clock& clock,
                                                 const SqliteOptions& options) {
  using namespace sqlite;
  std::error_code ec;
  if (options.create_dir) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return fail(Error::unavailable("cannot create data directory " + data_dir.string() + ": " + ec.message()));
  }
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return fail(Error::unavailable("data directory " + data_dir.string() + " does not exist"));
  }
  const std::filesystem::path file = sqlite_database_file(data_dir);
  auto conn = Connection::open(file, ConnectionOptions{true, false, options.busy_timeout, options.max_page_count});
  if (!conn) return fail(conn.error());
  Connection& c = **conn;
  auto mode = c.scalar_text("PRAGMA journal_mode=WAL");
  if (!mode) return fail(mode.error());
  if (*mode != "wal") {
    return fail(Error::unavailable("cannot switch " + file.string() + " to WAL mode (journal_mode is " + *mode + ")"));
  }
  auto sync = c.scalar_text("PRAGMA synchronous");
  if (!sync) return fail(sync.error());
  if (*sync != "2") {  // 2 = FULL: the WAL is fsync'd at every commit
    return fail(Error::internal("synchronous is " + *sync + ", expected FULL (2)"));
  }
  auto version = migrate(c, clock.now().time_since_epoch().count());
  if (!version) return fail(version.error());

  auto instance = read_instance_id(c, file);
  if (!instance) return fail(instance.error());

  auto store = std::make_unique<SqliteStore>(clock, options, file, std::move(*conn), std::move(*instance));
  // Privacy: contact details past their retention are removed at every start.
  auto purged = store->responses().purge_expired_contacts(clock.now());
  if (!purged) return fail(purged.error());
  const TimePoint now = clock.now();
  auto purged_outreach = store->outreach().purge_outreach(
      now, now - std::chrono::duration_cast<TimePoint::duration>(options.person_history_retention));
  if (!purged_outreach) return fail(purged_outreach.error());
  auto purged_originals = store->comments().purge_expired_originals(now);
  if (!purged_originals) return fail(purged_originals.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace kaiku::storage
