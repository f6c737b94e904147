// The embedded default Store: SQLite in WAL mode, one file DIR/kaiku.db.
// Only apps/ (and tests) name this header; everything else uses storage/store.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "storage/store.hpp"

namespace kaiku::storage {

struct SqliteOptions {
  // Most jobs (appends, audit entries, other writes) committed in one transaction.
  std::size_t max_batch = 512;
  // How long contact details left with a response are kept (privacy: then purged).
  std::chrono::milliseconds contact_retention = std::chrono::hours(24 * 90);
  // Since schema 4: how long the person history of SMS outreach (keyed hashes of
  // who was asked when, for contact caps and follow-up rules) is kept; older rows
  // are purged with the contacts, and lookups ignore them. Must exceed the
  // longest contact cap or follow-up window the model configures.
  std::chrono::milliseconds person_history_retention = std::chrono::hours(24 * 400);
  // Since schema 4: how long an SMS dialogue row (keyed hashes, invitation id,
  // state -- no number) is kept after its expires_at, so that a late reply is still
  // recognised and stored as late. Its contact (the sealed number) is deleted at
  // expires_at regardless.
  std::chrono::milliseconds dialogue_retention = std::chrono::hours(24 * 90);
  // How often the writer thread purges expired contact details, by the store's
  // Clock (besides the purge at open). 0 = only at open.
  std::chrono::milliseconds purge_interval = std::chrono::hours(1);
  // While idle, the writer looks at the Clock at least this often (real time) to
  // see whether a purge is due. Tests with a ManualClock may shorten it.
  std::chrono::milliseconds maintenance_poll = std::chrono::minutes(1);
  // How long a connection waits for another process holding the write lock
  // (e.g. `kaiku user add` while the server runs).
  std::chrono::milliseconds busy_timeout{5000};
  // Idle read connections kept open.
  std::size_t read_connections = 8;
  // Create DIR (and its parents) when missing.
  bool create_dir = true;
  // For tests: caps the database at this many pages to simulate a full disk (0 = no cap).
  std::int64_t max_page_count = 0;
};

// Opens (creating when missing) the SQLite store in `data_dir`/kaiku.db: sets WAL
// mode, synchronous=FULL (every commit fsync'd), foreign_keys=ON, secure_delete=ON
// (deleted rows are overwritten with zeros), busy_timeout; applies pending schema
// migrations; purges expired contact details and (schema 4) expired outreach data
// (OutreachRepository::purge_outreach with person_history_retention) and (schema 5)
// expired sealed originals (CommentRepository::purge_expired_originals); starts the
// group-commit writer thread, which purges all three again every `purge_interval`.
// `clock` must outlive the store.
// Errors: unavailable when the directory or file cannot be opened, or the database
// has a newer schema than this build knows (the message names both versions).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir, Clock& clock,
                                                 const SqliteOptions& options = {});

// The database file used for `data_dir`.
std::filesystem::path sqlite_database_file(const std::filesystem::path& data_dir);

}  // namespace kaiku::storage
