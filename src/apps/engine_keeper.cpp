#include "apps/engine_keeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace kaiku::apps {
namespace {

constexpr std::string_view kPrefix = "analytics-";
constexpr std::string_view kSuffix = ".snapshot";

// analytics-<32 lowercase hex digits>.snapshot
bool is_instance_snapshot_name(std::string_view name) {
  if (name.size() != kPrefix.size() + 32 + kSuffix.size()) return false;
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
  const std::string_view id = name.substr(kPrefix.size(), 32);
  return id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

long long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::filesystem::path snapshot_file(const std::filesystem::path& data_dir, std::string_view instance_id) {
  return data_dir / (std::string(kPrefix) + std::string(instance_id) + std::string(kSuffix));
}

EngineKeeper::EngineKeeper(std::shared_ptr<const domain::Model> model, storage::Store& store,
                           EngineKeeperOptions options)
    : model_(std::move(model)),
      store_(store),
      options_(std::move(options)),
      engine_(std::make_unique<analytics::Engine>(model_)) {}

EngineKeeper::~EngineKeeper() { stop(); }

void EngineKeeper::remove_other_snapshots() const {
  const std::string own = snapshot_.filename().string();
  std::error_code ec;
  std::filesystem::directory_iterator it(options_.data_dir, ec);
  if (ec) return;  // nothing to clean (the store opened, so the directory exists)
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    std::string_view base = name;
    if (base.ends_with(".tmp")) base.remove_suffix(4);  // a save interrupted by a crash
    const bool other = base == "analytics.snapshot" || (is_instance_snapshot_name(base) && base != own);
    if (!other) continue;
    std::error_code rm;
    if (std::filesystem::remove(entry.path(), rm)) {
      spdlog::info("reports: removed {}, the snapshot of another database", entry.path().string());
    } else if (rm) {
      spdlog::warn("reports: cannot remove {}, the snapshot of another database: {}", entry.path().string(),
                   rm.message());
    }
  }
}

Result<std::string> EngineKeeper::snapshot_mismatch() {
  if (const std::int64_t id = engine_->max_response_id(); id > 0) {
    auto r = store_.responses().get(id);
    if (!r && r.error().kind == ErrorKind::not_found) {
      return "the database has no response " + std::to_string(id) + ", the last one the snapshot has seen";
    }
    if (!r) return fail(r.error());
  }
  if (const std::int64_t seq = engine_->max_invitation_seq(); seq > 0) {
    auto rows = store_.invitations().list(seq - 1, 1);
    if (!rows) return fail(rows.error());
    if (rows->empty() || rows->front().seq != seq) {
      return "the database has no invitation " + std::to_string(seq) + ", the last one the snapshot has seen";
    }
  }
  return std::string();
}

void EngineKeeper::load_snapshot() {
  std::error_code ec;
  if (!std::filesystem::exists(snapshot_, ec)) return;
  Status loaded = engine_->load_snapshot(snapshot_.string());
  if (!loaded) {
    spdlog::warn("reports: ignoring the snapshot {} ({}); rebuilding from storage", snapshot_.string(),
                 loaded.error().message);
    engine_ = std::make_unique<analytics::Engine>(model_);
    return;
  }
  auto mismatch = snapshot_mismatch();
  if (!mismatch || !mismatch->empty()) {
    // Ahead of the database: it was restored from an older backup. Its answers
    // may no longer exist, and new responses reusing its ids would be ignored.
    spdlog::warn("reports: discarding the snapshot {} ({}); rebuilding from storage", snapshot_.string(),
                 mismatch ? *mismatch + " (restored from an older backup?)"
                          : "cannot check it against the database: " + mismatch.error().message);
    engine_ = std::make_unique<analytics::Engine>(model_);
    std::filesystem::remove(snapshot_, ec);
    return;
  }
  saved_count_ = engine_->response_count();
  saved_invitation_seq_ = engine_->max_invitation_seq();
  spdlog::info("reports: snapshot {} loaded: {} responses (up to id {}), invitations up to seq {}",
               snapshot_.string(), engine_->response_count(), engine_->max_response_id(),
               engine_->max_invitation_seq());
}

Status EngineKeeper::start() {
  const auto t0 = std::chrono::steady_clock::now();
  snapshot_ = snapshot_file(options_.data_dir, store_.instance_id());
  remove_other_snapshots();
  load_snapshot();
  // The snapshot may have been written under another model version.
  engine_->set_model(model_);
  const long long snapshot_ms = ms_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto counts = service::catch_up(*engine_, store_);
  if (!counts) return fail(Error::unavailable("reports: catching up from storage failed: " + counts.error().message));
  spdlog::info(
      "reports: engine ready with {} responses and invitations up to seq {} (snapshot {} ms, catch-up of {} "
      "responses and {} invitations from storage {} ms)",
      engine_->response_count(), engine_->max_invitation_seq(), snapshot_ms, counts->responses, counts->invitations,
      ms_since(t1));
  cursor_.response_id = std::max(counts->end.response_id, engine_->max_response_id());
  cursor_.invitation_seq = std::max(counts->end.invitation_seq, engine_->max_invitation_seq());
  std::lock_guard<std::mutex> lock(mu_);
  started_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  return {};
}

void EngineKeeper::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_) return;
    started_ = false;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  save();
}

bool EngineKeeper::poll_storage() {
  const service::StorageCursor before = cursor_;
  auto counts = service::add_stored_rows(*engine_, store_, cursor_);
  if (!counts) spdlog::warn("reports: reading new rows from storage failed: {}", counts.error().message);
  return cursor_.response_id != before.response_id || cursor_.invitation_seq != before.invitation_seq;
}

void EngineKeeper::save() {
  const std::int64_t count = engine_->response_count();
  const std::int64_t seq = engine_->max_invitation_seq();
  if (count == saved_count_ && seq == saved_invitation_seq_) return;
  const auto t0 = std::chrono::steady_clock::now();
  Status s = engine_->save_snapshot(snapshot_.string());
  if (!s) {
    spdlog::warn("reports: could not save the snapshot {}: {}", snapshot_.string(), s.error().message);
    return;
  }
  saved_count_ = count;
  saved_invitation_seq_ = seq;
  spdlog::info("reports: snapshot saved ({} responses, {} ms)", count, ms_since(t0));
}

void EngineKeeper::run() {
  auto next_save = std::chrono::steady_clock::now() + options_.save_every;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.poll_storage_every, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    poll_storage();
    if (std::chrono::steady_clock::now() >= next_save) {
      save();
      next_save = std::chrono::steady_clock::now() + options_.save_every;
    }
    lock.lock();
  }
}

}  // namespace kaiku::apps
