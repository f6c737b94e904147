#include "storage/sqlite/db.hpp"

#include <sqlite3.h>

namespace kaiku::storage::sqlite {

bool is_storage_failure(int rc) noexcept {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
    case SQLITE_PERM:
      return true;
    default:
      return false;
  }
}

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg = "sqlite: ";
  msg += what;
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (is_storage_failure(rc)) return Error::unavailable(std::move(msg));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_TRIGGER) {
      return Error::conflict(std::move(msg));
    }
    return Error::invalid(std::move(msg));
  }
  return Error::internal(std::move(msg));
}

// ---- Query ----

Query::~Query() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Query& Query::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
  return *this;
}

Query& Query::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
  return *this;
}

Query& Query::bind_null(int i) {
  int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
  return *this;
}

Query& Query::bind_blob(int i, const std::vector<std::uint8_t>& v) {
  static const std::uint8_t kEmpty = 0;
  int rc = sqlite3_bind_blob64(stmt_, i, v.empty() ? &kEmpty : v.data(), v.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
  return *this;
}

Query& Query::bind_opt(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

Query& Query::bind_opt_text(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

Result<bool> Query::step() {
  if (bind_rc_ != 0) return fail(conn_.error(bind_rc_, "binding parameters"));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step's legacy code may be generic; the extended code says more.
  int ext = sqlite3_extended_errcode(conn_.raw());
  return fail(conn_.error(ext != 0 ? ext : rc, sqlite3_sql(stmt_)));
}

Result<int> Query::run() {
  for (;;) {
    auto r = step();
    if (!r) return fail(r.error());
    if (!*r) break;
  }
  return sqlite3_changes(conn_.raw());
}

bool Query::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::int64_t Query::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Query::text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::int64_t> Query::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::vector<std::uint8_t> Query::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  const auto* b = static_cast<const std::uint8_t*>(p);
  return std::vector<std::uint8_t>(b, b + n);
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& file,
                                                     const ConnectionOptions& options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(db, rc, "opening " + file.string());
    sqlite3_close_v2(db);
    e.kind = ErrorKind::unavailable;
    return fail(std::move(e));
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  // secure_delete: deleted content (expired contact details, a used invitation's
  // event_ref) is overwritten with zeros instead of lingering in free space.
  Status s = conn->exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;");
  if (!s) return fail(s.error());
  if (options.read_only) {
    s = conn->exec("PRAGMA query_only=ON;");
    if (!s) return fail(s.error());
  }
  if (options.max_page_count > 0) {
    // A pragma takes no bound parameters; the value is an integer we format.
    std::string pragma = "PRAGMA max_page_count=" + std::to_string(options.max_page_count) + ";";
    s = conn->exec(pragma.c_str());
    if (!s) return fail(s.error());
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Connection::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(db_, sqlite3_extended_errcode(db_), std::string_view(sql).substr(0, 80));
    sqlite3_free(err);
    return fail(std::move(e));
  }
  return {};
}

Result<Query> Connection::query(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return fail(sqlite_error(db_, rc, std::string("preparing ") + sql));
    it = cache_.emplace(sql, stmt).first;
  }
  return Query(*this, it->second);
}

Result<std::string> Connection::scalar_text(const char* sql) {
  auto q = query(sql);
  if (!q) return fail(q.error());
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::internal(std::string("no row from ") + sql));
  return q->text(0);
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool Connection::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace kaiku::storage::sqlite
