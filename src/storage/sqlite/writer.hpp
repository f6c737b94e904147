// Internal: the single writer thread of the SQLite store (group commit).
//
// Every write to the database goes through Writer::submit. The writer thread owns
// the only write connection. It takes up to `max_batch` queued jobs at once and
// runs them in ONE transaction (BEGIN IMMEDIATE ... COMMIT, synchronous=FULL, so
// the commit is fsync'd), each job inside its own SAVEPOINT: a job that fails
// with a non-storage error is rolled back alone and reports its error; a storage
// failure (disk, I/O, full) or a failed COMMIT fails every job of the batch with
// ErrorKind::unavailable. Callers are woken only after COMMIT has returned, so
// nothing is acknowledged that is not durable.
//
// Optionally the writer also runs a periodic maintenance job (the store uses it
// to purge expired contact details): due every `every` as measured by the
// injected Clock, it runs in its own transaction on the writer thread, checked
// before each batch and whenever the thread wakes (at the latest every `poll`
// of real time while idle).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "storage/sqlite/db.hpp"

namespace kaiku::storage::sqlite {

class Writer {
 public:
  // The work of one job: runs on the writer thread inside a savepoint. Returning
  // an error of kind unavailable aborts the whole batch; any other error rolls
  // back this job only. Output values are written through captured references;
  // the caller may trust them only when submit() returns success.
  using Work = std::function<Status(Connection&)>;

  // A periodic job; see the class comment.
  struct Maintenance {
    Clock* clock = nullptr;                  // measures `every`; must outlive the writer
    std::chrono::milliseconds every{0};      // > 0
    std::chrono::milliseconds poll{60000};   // real-time bound on idle sleeps, > 0
    Work work;                               // runs in its own transaction (errors: retried next time)
    // Optional: runs after `work` committed, outside any transaction (e.g. a WAL checkpoint).
    std::function<void(Connection&)> after_commit;
  };

  // Starts the writer thread. `max_batch` >= 1. With `maintenance`, its first run
  // is due one interval after construction.
  Writer(std::unique_ptr<Connection> conn, std::size_t max_batch,
         std::optional<Maintenance> maintenance = std::nullopt);
  // Drains the queue (every queued job still runs and commits), then joins.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues `work` and blocks until its batch has committed (or failed).
  // After shutdown began: unavailable.
  Status submit(Work work);

  // For tests: while the returned lock is held the writer starts no new batch,
  // so jobs accumulate and the next batch is predictable.
  std::unique_lock<std::mutex> hold();
  // For tests: the number of jobs waiting for a batch.
  std::size_t queued();
  // Statistics: batches committed and jobs in them since start.
  std::size_t batches_committed();
  // Statistics: maintenance runs that committed since start.
  std::size_t maintenance_runs();

 private:
  struct Job;
  void run();
  void run_batch(std::deque<Job*>& batch);
  // Runs the maintenance job when it is due.
  void maybe_maintain();
  // How long an idle writer may sleep before checking the maintenance clock.
  std::chrono::milliseconds idle_wait() const;

  std::unique_ptr<Connection> conn_;
  const std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::size_t batches_ = 0;
  std::optional<Maintenance> maintenance_;
  TimePoint next_maintenance_{};   // touched by the writer thread only
  std::size_t maintenance_runs_ = 0;
  std::mutex hold_mu_;
  std::thread thread_;
};

}  // namespace kaiku::storage::sqlite
