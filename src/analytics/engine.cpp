// The reporting engine (engine.hpp): a lock around the columnar store.
#include "analytics/engine.hpp"

#include <mutex>
#include <shared_mutex>

#include "analytics/columns.hpp"
#include "analytics/engine_query.hpp"
#include "analytics/snapshot.hpp"

namespace kaiku::analytics {

struct Engine::Impl {
  Impl(std::shared_ptr<const domain::Model> m, const TimeZone& z) : model(std::move(m)), zone(z) {}
  mutable std::shared_mutex mu;
  std::shared_ptr<const domain::Model> model;
  TimeZone zone;
  detail::Store store;
};

Engine::Engine(std::shared_ptr<const domain::Model> model, const TimeZone& zone)
    : impl_(std::make_unique<Impl>(std::move(model), zone)) {
  impl_->store.intern_themes(*impl_->model);
}

Engine::~Engine() = default;

void Engine::set_model(std::shared_ptr<const domain::Model> model) {
  std::unique_lock lock(impl_->mu);
  impl_->model = std::move(model);
  impl_->store.intern_themes(*impl_->model);
}

void Engine::add(const domain::Response& r) {
  std::unique_lock lock(impl_->mu);
  impl_->store.add_response(r, *impl_->model, impl_->zone);
}

void Engine::add_invitation(const InvitationFact& inv) {
  std::unique_lock lock(impl_->mu);
  impl_->store.add_invitation(inv, impl_->zone);
}

Result<Table> Engine::query(const Query& q) const {
  std::shared_lock lock(impl_->mu);
  return detail::run_query(impl_->store, *impl_->model, q);
}

std::int64_t Engine::response_count() const {
  std::shared_lock lock(impl_->mu);
  return impl_->store.response_count;
}

std::int64_t Engine::max_response_id() const {
  std::shared_lock lock(impl_->mu);
  return impl_->store.max_response_id;
}

std::int64_t Engine::max_invitation_seq() const {
  std::shared_lock lock(impl_->mu);
  return impl_->store.max_invitation_seq;
}

std::size_t Engine::memory_bytes() const {
  std::shared_lock lock(impl_->mu);
  return impl_->store.memory_bytes();
}

Status Engine::save_snapshot(const std::string& path) const {
  // Only the copy into memory holds the lock; writing and fsync do not block add().
  std::vector<unsigned char> bytes;
  {
    std::shared_lock lock(impl_->mu);
    bytes = detail::serialize_store(impl_->store);
  }
  return detail::write_snapshot(bytes, path);
}

Status Engine::load_snapshot(const std::string& path) {
  detail::Store loaded;
  Status st = detail::load_store(loaded, path);
  std::unique_lock lock(impl_->mu);
  if (st)
    impl_->store = std::move(loaded);
  else
    impl_->store.clear();
  impl_->store.intern_themes(*impl_->model);
  return st;
}

}  // namespace kaiku::analytics
