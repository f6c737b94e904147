#include "apps/engine_keeper.hpp"

#include <spdlog/spdlog.h>

#include "service/report_service.hpp"

namespace kaiku::apps {

EngineKeeper::EngineKeeper(std::shared_ptr<const domain::Model> model, storage::Store& store,
                           EngineKeeperOptions options)
    : model_(std::move(model)),
      store_(store),
      options_(std::move(options)),
      engine_(std::make_unique<analytics::Engine>(model_)) {}

EngineKeeper::~EngineKeeper() { stop(); }

Status EngineKeeper::start() {
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  if (std::filesystem::exists(options_.snapshot, ec)) {
    Status loaded = engine_->load_snapshot(options_.snapshot.string());
    if (loaded) {
      saved_count_ = engine_->response_count();
      saved_invitation_seq_ = engine_->max_invitation_seq();
      spdlog::info("reports: snapshot {} loaded: {} responses (up to id {}), invitations up to seq {}",
                   options_.snapshot.string(), engine_->response_count(), engine_->max_response_id(),
                   engine_->max_invitation_seq());
    } else {
      spdlog::warn("reports: ignoring the snapshot {} ({}); rebuilding from storage", options_.snapshot.string(),
                   loaded.error().message);
      engine_ = std::make_unique<analytics::Engine>(model_);
    }
  }
  // The snapshot may have been written under another model version.
  engine_->set_model(model_);
  const auto t1 = std::chrono::steady_clock::now();
  auto counts = service::catch_up(*engine_, store_);
  if (!counts) return fail(Error::unavailable("reports: catching up from storage failed: " + counts.error().message));
  const auto t2 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  spdlog::info(
      "reports: engine ready with {} responses and invitations up to seq {} (snapshot {} ms, catch-up of {} "
      "responses and {} invitations from storage {} ms)",
      engine_->response_count(), engine_->max_invitation_seq(), ms(t1 - t0), counts->responses, counts->invitations,
      ms(t2 - t1));
  response_cursor_ = engine_->max_response_id();
  invitation_cursor_ = engine_->max_invitation_seq();
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
  bool added = false;
  for (;;) {
    auto rows = store_.invitations().list(invitation_cursor_, 5000);
    if (!rows) {
      spdlog::warn("reports: reading invitations failed: {}", rows.error().message);
      break;
    }
    if (rows->empty()) break;
    for (const auto& inv : *rows) engine_->add_invitation(service::invitation_fact(inv));
    invitation_cursor_ = rows->back().seq;
    added = true;
  }
  for (;;) {
    auto rows = store_.responses().scan(response_cursor_, 5000);
    if (!rows) {
      spdlog::warn("reports: reading responses failed: {}", rows.error().message);
      break;
    }
    if (rows->empty()) break;
    for (const auto& r : *rows) engine_->add(r);  // idempotent: those added live are ignored
    response_cursor_ = rows->back().id;
    added = true;
  }
  return added;
}

void EngineKeeper::save() {
  const std::int64_t count = engine_->response_count();
  const std::int64_t seq = engine_->max_invitation_seq();
  if (count == saved_count_ && seq == saved_invitation_seq_) return;
  const auto t0 = std::chrono::steady_clock::now();
  Status s = engine_->save_snapshot(options_.snapshot.string());
  if (!s) {
    spdlog::warn("reports: could not save the snapshot {}: {}", options_.snapshot.string(), s.error().message);
    return;
  }
  saved_count_ = count;
  saved_invitation_seq_ = seq;
  spdlog::info("reports: snapshot saved ({} responses, {} ms)", count,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
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
