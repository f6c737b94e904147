// Internal: a pool of read-only connections. WAL lets readers run concurrently
// with the writer and with each other; each lease is used by one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.hpp"
#include "storage/sqlite/db.hpp"

namespace kaiku::storage::sqlite {

class ReadPool {
 public:
  // Keeps at most `max_idle` idle connections; more are opened on demand under load.
  ReadPool(std::filesystem::path file, ConnectionOptions options, std::size_t max_idle);

  // A connection for the duration of one read; returned to the pool on destruction.
  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // An idle connection, or a newly opened one; unavailable if opening fails.
  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Connection> conn);

  const std::filesystem::path file_;
  const ConnectionOptions options_;
  const std::size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace kaiku::storage::sqlite
