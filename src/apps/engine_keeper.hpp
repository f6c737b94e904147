// The reporting engine's life in `kaiku serve`: loaded from DATA/analytics.snapshot
// at start (a damaged snapshot is logged and ignored), caught up from storage,
// kept current by a background thread (new rows written by other processes such
// as `kaiku gen`, every few seconds) and saved periodically and at shutdown.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "analytics/engine.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"

namespace kaiku::apps {

struct EngineKeeperOptions {
  std::filesystem::path snapshot;                 // DATA/analytics.snapshot
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

  // Loads the snapshot (if present), catches up from storage (logging counts and
  // time) and starts the background thread. unavailable when storage fails.
  Status start();
  // Stops the background thread and saves the snapshot. Idempotent.
  void stop();

  analytics::Engine& engine() { return *engine_; }

 private:
  void run();
  // Adds rows stored since the last look (any process); true when any was new.
  bool poll_storage();
  void save();

  std::shared_ptr<const domain::Model> model_;
  storage::Store& store_;
  EngineKeeperOptions options_;
  std::unique_ptr<analytics::Engine> engine_;
  std::int64_t response_cursor_ = 0;    // storage scanned up to here (responses)
  std::int64_t invitation_cursor_ = 0;  // and invitations
  std::int64_t saved_count_ = -1;       // response_count() at the last save
  std::int64_t saved_invitation_seq_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace kaiku::apps
