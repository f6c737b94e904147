// The reporting engine's life in `kaiku serve`: loaded at start from the snapshot
// of this database (DATA/analytics-<instance id>.snapshot; a damaged snapshot, or
// one ahead of the database, is logged and ignored), caught up from storage, kept
// current by a background thread (new rows written by other processes such as
// `kaiku gen`, every few seconds) and saved periodically and at shutdown.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "analytics/engine.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "service/report_service.hpp"
#include "storage/store.hpp"

namespace kaiku::apps {

// The snapshot file of the database with `instance_id` (storage::Store::instance_id)
// in `data_dir`: data_dir/analytics-<instance_id>.snapshot. Naming it after the
// database means a snapshot never applies to another database (kaiku.db replaced).
std::filesystem::path snapshot_file(const std::filesystem::path& data_dir, std::string_view instance_id);

struct EngineKeeperOptions {
  std::filesystem::path data_dir;                 // where the snapshot lives (DATA)
  std::chrono::seconds save_every{300};           // save when anything was added since the last save
  std::chrono::seconds poll_storage_every{5};     // look for rows written by other processes
};

class EngineKeeper {
 public:
  // `store` must outlive the keeper.
  EngineKeeper(std::shared_ptr<const domain::Model> model, storage::Store& store, EngineKeeperOptions options);
  ~EngineKeeper();  // stop()
  EngineKeeper(const EngineKeeper&) = delete;
  EngineKeeper& operator=(const EngineKeeper&) = delete;

  // Removes the snapshots of other databases from the data directory (files
  // analytics-<32 hex digits>.snapshot of another instance id, and the
  // pre-release analytics.snapshot), loads this database's snapshot if present,
  // and discards it (logged; rebuilt from storage) when it is damaged or ahead of
  // the database: the store lacks the snapshot's last response id or last
  // invitation seq, as after restoring an older backup. Then catches up from
  // storage (logging counts and time) and starts the background thread.
  // unavailable when storage fails. Call engine() only after start().
  Status start();
  // Stops the background thread and saves the snapshot. Idempotent.
  void stop();

  analytics::Engine& engine() { return *engine_; }
  // The snapshot file in use (set by start()).
  const std::filesystem::path& snapshot() const { return snapshot_; }

 private:
  void remove_other_snapshots() const;
  void load_snapshot();
  // Why the loaded engine does not fit the store ("" when it does).
  Result<std::string> snapshot_mismatch();
  void run();
  // Adds rows stored since the last look (any process); true when any was new.
  bool poll_storage();
  void save();

  std::shared_ptr<const domain::Model> model_;
  storage::Store& store_;
  EngineKeeperOptions options_;
  std::filesystem::path snapshot_;
  std::unique_ptr<analytics::Engine> engine_;
  service::StorageCursor cursor_;       // storage read up to here (by this process)
  std::int64_t saved_count_ = -1;       // response_count() at the last save
  std::int64_t saved_invitation_seq_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace kaiku::apps
