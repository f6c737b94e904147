// Group-commit semantics of the writer, made deterministic with Writer::hold().
#include "storage/sqlite/writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/answers_json.hpp"
#include "storage/fingerprint.hpp"
#include "storage/sqlite/repositories.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage::sqlite {
namespace {

using testing::TempDir;

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = dir_.path() / "w.db";
    auto c = Connection::open(file_, ConnectionOptions{true, false, std::chrono::milliseconds(5000), 0});
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_TRUE((*c)->scalar_text("PRAGMA journal_mode=WAL"));
    ASSERT_TRUE((*c)->exec("CREATE TABLE t(x INTEGER UNIQUE)"));
    ASSERT_TRUE(migrate(**c, 0));
    writer_ = std::make_unique<Writer>(std::move(*c), 16);
  }
  static Writer::Work insert(std::int64_t x, Status then = {}) {
    return [x, then](Connection& c) -> Status {
      auto q = c.query("INSERT INTO t(x) VALUES(?1)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, x).run();
      if (!n) return fail(n.error());
      return then;
    };
  }
  std::int64_t rows() {
    auto c = Connection::open(file_, ConnectionOptions{});
    auto v = (*c)->scalar_text("SELECT count(*) FROM t");
    return std::stoll(*v);
  }
  void wait_queued(std::size_t n) {
    while (writer_->queued() < n) std::this_thread::yield();
  }

  TempDir dir_;
  std::filesystem::path file_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, ConcurrentCallersShareOneCommit) {
  constexpr int kCallers = 40;  // with max_batch 16: batches of 16, 16, 8
  std::vector<Status> results(kCallers);
  std::vector<std::thread> threads;
  {
    auto held = writer_->hold();
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&, i] { results[i] = writer_->submit(insert(i)); });
    }
    wait_queued(kCallers);
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r);
  EXPECT_EQ(writer_->batches_committed(), 3u);
  EXPECT_EQ(rows(), kCallers);
}

TEST_F(WriterTest, FailingItemIsRolledBackAlone) {
  Status a, b, c;
  std::vector<std::thread> threads;
  {
    auto held = writer_->hold();
    threads.emplace_back([&] { a = writer_->submit(insert(1)); });
    wait_queued(1);
    threads.emplace_back([&] { b = writer_->submit(insert(2, fail(Error::conflict("nope")))); });
    wait_queued(2);
    threads.emplace_back([&] { c = writer_->submit(insert(1)); });  // UNIQUE violation
    wait_queued(3);
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(a);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, ErrorKind::conflict);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::conflict);
  EXPECT_EQ(writer_->batches_committed(), 1u);
  EXPECT_EQ(rows(), 1);  // only x=1 from the first job; job 2's insert was rolled back
}

TEST_F(WriterTest, StorageFailureFailsWholeBatchAndAcknowledgesNothing) {
  std::vector<Status> results(3);
  std::vector<std::thread> threads;
  {
    auto held = writer_->hold();
    threads.emplace_back([&] { results[0] = writer_->submit(insert(1)); });
    threads.emplace_back([&] { results[1] = writer_->submit(insert(2, fail(Error::unavailable("disk gone")))); });
    threads.emplace_back([&] { results[2] = writer_->submit(insert(3)); });
    wait_queued(3);
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  }
  EXPECT_EQ(rows(), 0);
  // The writer keeps working afterwards.
  EXPECT_TRUE(writer_->submit(insert(4)));
  EXPECT_EQ(rows(), 1);
}

TEST_F(WriterTest, ExceptionInJobBecomesItsError) {
  Status s = writer_->submit([](Connection&) -> Status { throw std::runtime_error("boom"); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::internal);
  EXPECT_TRUE(writer_->submit(insert(1)));
}

TEST_F(WriterTest, ShutdownDrainsQueue) {
  constexpr int kCallers = 20;
  std::vector<Status> results(kCallers);
  std::vector<std::thread> threads;
  std::thread closer;
  {
    auto held = writer_->hold();
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&, i] { results[i] = writer_->submit(insert(i)); });
    }
    wait_queued(kCallers);
    closer = std::thread([&] { writer_.reset(); });  // blocks until drained
  }
  closer.join();
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r);
  EXPECT_EQ(rows(), kCallers);
}

TEST_F(WriterTest, SameSubmissionKeyTwiceInOneBatch) {
  const auto r = testing::sample_response("twice");
  const std::string answers = answers_to_json(r.answers);
  AppendOutcome first, second;
  Status s1, s2;
  std::vector<std::thread> threads;
  {
    auto held = writer_->hold();
    threads.emplace_back([&] {
      s1 = writer_->submit(
          [&](Connection& c) { return append_in_transaction(c, r, answers, response_fingerprint(r), 1, 2, first); });
    });
    wait_queued(1);
    threads.emplace_back([&] {
      s2 = writer_->submit(
          [&](Connection& c) { return append_in_transaction(c, r, answers, response_fingerprint(r), 1, 2, second); });
    });
    wait_queued(2);
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(s1) << s1.error().message;
  ASSERT_TRUE(s2) << s2.error().message;
  EXPECT_EQ(writer_->batches_committed(), 1u);
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(second.duplicate);
  EXPECT_EQ(first.id, second.id);
}

TEST_F(WriterTest, SameKeyOtherContentInOneBatchConflicts) {
  const auto r = testing::sample_response("twice");
  auto other = r;
  other.unit = "u-2";
  const std::string answers = answers_to_json(r.answers);
  AppendOutcome first, second;
  Status s1, s2;
  std::vector<std::thread> threads;
  {
    auto held = writer_->hold();
    threads.emplace_back([&] {
      s1 = writer_->submit(
          [&](Connection& c) { return append_in_transaction(c, r, answers, response_fingerprint(r), 1, 2, first); });
    });
    wait_queued(1);
    threads.emplace_back([&] {
      s2 = writer_->submit([&](Connection& c) {
        return append_in_transaction(c, other, answers, response_fingerprint(other), 1, 2, second);
      });
    });
    wait_queued(2);
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(s1) << s1.error().message;
  ASSERT_FALSE(s2);
  EXPECT_EQ(s2.error().kind, ErrorKind::conflict);
  EXPECT_EQ(s2.error().message.rfind(kSubmissionKeyReused, 0), 0u) << s2.error().message;
  EXPECT_EQ(writer_->batches_committed(), 1u);
}

// Maintenance: due by the injected clock, checked before each batch, its own
// transaction; a failed run is rolled back and tried again one interval later.
TEST(WriterMaintenance, RunsWhenDueByTheClockAndRetriesAfterFailure) {
  TempDir dir;
  const auto file = dir.path() / "m.db";
  auto c = Connection::open(file, ConnectionOptions{true, false, std::chrono::milliseconds(5000), 0});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE((*c)->exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER)"));
  ManualClock clock(TimePoint(std::chrono::milliseconds(1'000'000)));
  std::atomic<int> attempts{0};
  std::atomic<bool> fail_next{false};
  int after = 0;
  Writer::Maintenance m;
  m.clock = &clock;
  m.every = std::chrono::hours(1);
  m.poll = std::chrono::hours(24);  // no timed wakes: only the check before a batch
  m.work = [&](Connection& conn) -> Status {
    ++attempts;
    Status s = conn.exec("INSERT INTO t(x) VALUES(-1)");
    if (!s) return s;
    if (fail_next) return fail(Error::internal("maintenance failed"));
    return {};
  };
  m.after_commit = [&](Connection& conn) {
    EXPECT_TRUE(conn.autocommit()) << "after_commit runs outside any transaction";
    ++after;
  };
  Writer w(std::move(*c), 4, m);
  auto noop = [](Connection&) -> Status { return {}; };
  auto maintained_rows = [&] {
    auto r = Connection::open(file, ConnectionOptions{});
    return std::stoll(*(*r)->scalar_text("SELECT count(*) FROM t WHERE x = -1"));
  };

  ASSERT_TRUE(w.submit(noop));
  EXPECT_EQ(attempts.load(), 0) << "not due before one interval";
  clock.advance(std::chrono::minutes(59));
  ASSERT_TRUE(w.submit(noop));
  EXPECT_EQ(attempts.load(), 0);
  clock.advance(std::chrono::minutes(1));
  ASSERT_TRUE(w.submit(noop));
  EXPECT_EQ(attempts.load(), 1);
  EXPECT_EQ(w.maintenance_runs(), 1u);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(maintained_rows(), 1);
  ASSERT_TRUE(w.submit(noop));
  EXPECT_EQ(attempts.load(), 1) << "once per interval";

  fail_next = true;
  clock.advance(std::chrono::hours(1));
  ASSERT_TRUE(w.submit(noop)) << "a failed maintenance run does not fail the batch after it";
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_EQ(w.maintenance_runs(), 1u);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(maintained_rows(), 1) << "the failed run was rolled back";
  fail_next = false;
  clock.advance(std::chrono::hours(1));
  ASSERT_TRUE(w.submit(noop));
  EXPECT_EQ(attempts.load(), 3);
  EXPECT_EQ(w.maintenance_runs(), 2u);
  EXPECT_EQ(maintained_rows(), 2);
}

}  // namespace
}  // namespace kaiku::storage::sqlite
