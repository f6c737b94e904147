// Test helpers for the storage tests: a temporary directory and sample data.
#pragma once

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "domain/response.hpp"
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::testing {

// The schema version a freshly opened or migrated store is at: the newest one.
inline int latest_schema_version() { return static_cast<int>(sqlite::migrations().size()); }

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kaiku-storage-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (p == nullptr) std::abort();
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A plausible web response for `unit` with submission key `key`.
inline domain::Response sample_response(const std::string& key, const std::string& unit = "u-1",
                                        std::int64_t answered_ms = 1'700'000'000'000) {
  domain::Response r;
  r.submission_key = key;
  r.model_version = "mv-1";
  r.touchpoint = "tp-outpatient";
  r.unit = unit;
  r.survey = "core";
  r.channel = domain::Channel::web;
  r.language = domain::Language::sv;
  r.respondent = domain::Respondent::relative;
  r.answered_at = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(answered_ms));
  domain::Answer nps;
  nps.key = "nps";
  nps.number = 9;
  domain::Answer agree;
  agree.key = "treated_well";
  agree.cant_say = true;
  domain::Answer multi;
  multi.key = "channels";
  multi.choices = {"phone", "web"};
  domain::Answer text;
  text.key = "went_well";
  text.text = "Ystävällinen hoitaja <script>alert(1)</script> \"quoted\"";
  r.answers = {nps, agree, multi, text};
  return r;
}

// Runs `sql` on the database file `db` through a separate raw connection;
// returns the SQLite result code (and the message in `err`).
inline int raw_exec(const std::filesystem::path& db, const std::string& sql, std::string* err = nullptr) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_busy_timeout(h, 5000);
  char* msg = nullptr;
  int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &msg);
  if (err != nullptr && msg != nullptr) *err = msg;
  sqlite3_free(msg);
  sqlite3_close(h);
  return rc;
}

// The first column of the first row of `sql` on `db` as text ("" when none).
inline std::string raw_scalar(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

}  // namespace kaiku::storage::testing
