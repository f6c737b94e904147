#include "storage/sqlite/read_pool.hpp"

namespace kaiku::storage::sqlite {

ReadPool::ReadPool(std::filesystem::path file, ConnectionOptions options, std::size_t max_idle)
    : file_(std::move(file)), options_(options), max_idle_(max_idle) {}

Result<ReadPool::Lease> ReadPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  auto c = Connection::open(file_, options_);
  if (!c) return fail(c.error());
  return Lease(*this, std::move(*c));
}

void ReadPool::give_back(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace kaiku::storage::sqlite
