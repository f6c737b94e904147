// Internal: a thin RAII layer over one SQLite connection with a prepared
// statement cache. Not thread-safe: one connection is used by one thread at a
// time (the writer thread, or a read-pool lease).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kaiku::storage::sqlite {

// Turns an SQLite result code into a Kaiku error:
//  UNIQUE / PRIMARY KEY / trigger violations -> conflict; other constraints -> invalid_input;
//  busy, locked, I/O, full, corrupt, out of memory, read-only -> unavailable; else internal.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

// True when `rc` means the database or the disk failed (not the statement).
bool is_storage_failure(int rc) noexcept;

class Connection;

// One execution of a cached prepared statement. Resets the statement and clears
// its bindings when destroyed. Parameters are 1-based, columns 0-based.
class Query {
 public:
  Query(Connection& conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  Query(Query&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
    other.stmt_ = nullptr;
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query();

  Query& bind(int i, std::int64_t v);
  Query& bind(int i, std::string_view v);  // bound as TEXT (SQLITE_TRANSIENT copy)
  Query& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Query& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Query& bind_null(int i);
  Query& bind_blob(int i, const std::vector<std::uint8_t>& v);  // bound as BLOB (copied); empty = zero-length BLOB
  Query& bind_opt(int i, const std::optional<std::int64_t>& v);
  Query& bind_opt_text(int i, const std::optional<std::string>& v);

  // Advances: true when a row is available, false when done; an error otherwise
  // (including an earlier failed bind).
  Result<bool> step();
  // Runs to completion (for INSERT/UPDATE/DELETE); returns the number of rows changed.
  Result<int> run();

  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  std::string text(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  std::vector<std::uint8_t> blob(int col) const;  // NULL reads as empty

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = 0;
};

struct ConnectionOptions {
  bool create = false;     // create the file when missing
  bool read_only = false;  // PRAGMA query_only: a reader connection
  std::chrono::milliseconds busy_timeout{5000};
  std::int64_t max_page_count = 0;  // 0 = SQLite's default; tests use it to simulate a full disk
};

// One open SQLite connection in multi-thread mode, with the Kaiku pragmas applied:
// foreign_keys=ON, synchronous=FULL, secure_delete=ON, busy_timeout. (journal_mode=WAL is a property
// of the database file, set once by open_sqlite_store.)
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& file,
                                                  const ConnectionOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Executes SQL without parameters (DDL, pragmas, transaction control); may hold
  // several statements. Never pass text that contains user data.
  Status exec(const char* sql);
  // A query on the cached prepared statement for `sql` (compiled on first use).
  // `sql` must be a single statement, normally a string literal; values are bound
  // as parameters, never spliced into the text. Only one Query per statement text
  // may be live at a time.
  Result<Query> query(const char* sql);
  // The single text value of a one-row pragma or query without parameters.
  Result<std::string> scalar_text(const char* sql);

  std::int64_t last_insert_rowid() const;
  // True when no transaction is open (SQLite rolled back after a failure, or none began).
  bool autocommit() const;
  sqlite3* raw() const { return db_; }
  Error error(int rc, std::string_view what) const { return sqlite_error(db_, rc, what); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace kaiku::storage::sqlite
