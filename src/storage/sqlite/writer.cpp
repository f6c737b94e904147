#include "storage/sqlite/writer.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <string>
#include <vector>

namespace kaiku::storage::sqlite {

struct Writer::Job {
  Work work;
  std::promise<Status> done;
};

Writer::Writer(std::unique_ptr<Connection> conn, std::size_t max_batch, std::optional<Maintenance> maintenance)
    : conn_(std::move(conn)), max_batch_(max_batch == 0 ? 1 : max_batch), maintenance_(std::move(maintenance)) {
  if (maintenance_ && (maintenance_->clock == nullptr || maintenance_->every.count() <= 0 || !maintenance_->work)) {
    maintenance_.reset();  // an unusable schedule: no maintenance rather than a busy loop
  }
  if (maintenance_) {
    if (maintenance_->poll.count() <= 0) maintenance_->poll = std::chrono::milliseconds(1);
    next_maintenance_ = maintenance_->clock->now() + maintenance_->every;
  }
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status Writer::submit(Work work) {
  Job job{std::move(work), {}};
  std::future<Status> outcome = job.done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return fail(Error::unavailable("storage is shutting down"));
    queue_.push_back(&job);
  }
  cv_.notify_one();
  return outcome.get();
}

std::unique_lock<std::mutex> Writer::hold() { return std::unique_lock<std::mutex>(hold_mu_); }

std::size_t Writer::queued() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::size_t Writer::batches_committed() {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

std::size_t Writer::maintenance_runs() {
  std::lock_guard<std::mutex> lock(mu_);
  return maintenance_runs_;
}

std::chrono::milliseconds Writer::idle_wait() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_maintenance_ - maintenance_->clock->now());
  if (left.count() < 0) left = std::chrono::milliseconds(0);
  return std::min(left, maintenance_->poll);
}

void Writer::maybe_maintain() {
  if (!maintenance_) return;
  const TimePoint now = maintenance_->clock->now();
  if (now < next_maintenance_) return;
  next_maintenance_ = now + maintenance_->every;
  Job job{maintenance_->work, {}};
  std::future<Status> outcome = job.done.get_future();
  std::deque<Job*> batch{&job};
  run_batch(batch);
  if (!outcome.get()) return;  // failed: rolled back; the next run tries again
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++maintenance_runs_;
  }
  if (maintenance_->after_commit && conn_->autocommit()) {
    try {
      maintenance_->after_commit(*conn_);
    } catch (const std::exception&) {  // best effort; the writer thread is a boundary
    }
  }
}

void Writer::run() {
  std::deque<Job*> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (maintenance_) {
        cv_.wait_for(lock, idle_wait(), ready);
      } else {
        cv_.wait(lock, ready);
      }
      if (stopping_ && queue_.empty()) return;  // stopping and drained
    }
    std::lock_guard<std::mutex> held(hold_mu_);
    maybe_maintain();
    {
      std::lock_guard<std::mutex> lock(mu_);
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    if (batch.empty()) continue;  // woke for maintenance only
    run_batch(batch);
    batch.clear();
  }
}

void Writer::run_batch(std::deque<Job*>& batch) {
  std::vector<Status> outcomes(batch.size());
  auto fail_all = [&](const Error& cause) {
    if (!conn_->autocommit()) (void)conn_->exec("ROLLBACK");
    Error e = Error::unavailable("not stored: the database write failed (" + cause.message + ")");
    for (Job* job : batch) job->done.set_value(fail(e));
  };

  Status s = conn_->exec("BEGIN IMMEDIATE");
  if (!s) return fail_all(s.error());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    s = conn_->exec("SAVEPOINT job");
    if (!s) return fail_all(s.error());
    Status st;
    try {
      st = batch[i]->work(*conn_);
    } catch (const std::exception& e) {  // the writer thread is a boundary: no exception escapes
      st = fail(Error::internal(std::string("storage write failed: ") + e.what()));
    }
    if (!st && (st.error().kind == ErrorKind::unavailable || conn_->autocommit())) {
      // A storage failure, or SQLite already rolled the whole transaction back.
      return fail_all(st.error());
    }
    s = conn_->exec(st ? "RELEASE job" : "ROLLBACK TO job; RELEASE job");
    if (!s) return fail_all(s.error());
    outcomes[i] = std::move(st);
  }
  s = conn_->exec("COMMIT");
  if (!s) return fail_all(s.error());
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++batches_;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(outcomes[i]));
}

}  // namespace kaiku::storage::sqlite
