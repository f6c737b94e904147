// kill -9 durability at the storage level: every append acknowledged before the
// process died is present exactly once after reopening.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

// The child: 8 threads append until killed; after each acknowledgement writes
// "<key>\n" to `fd` (one write per line, atomic for pipes below PIPE_BUF).
[[noreturn]] void child(const std::filesystem::path& dir, int fd) {
  SystemClock clock;
  auto store = open_sqlite_store(dir, clock);
  if (!store) _exit(3);
  std::atomic<long> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        std::string key = "crash-" + std::to_string(next++);
        auto out = (*store)->responses().append(testing::sample_response(key));
        if (!out || out->duplicate) _exit(4);
        std::string line = key + "\n";
        if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
      }
    });
  }
  for (auto& th : threads) th.join();
  _exit(0);
}

TEST(StorageCrash, AcknowledgedAppendsSurviveKill9) {
  testing::TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    child(dir.path(), fds[1]);
  }
  ::close(fds[1]);

  std::set<std::string> acked;
  std::string buf;
  char chunk[4096];
  while (acked.size() < 3000) {
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    ASSERT_GT(n, 0) << "child stopped early";
    buf.append(chunk, static_cast<std::size_t>(n));
    std::size_t pos;
    while ((pos = buf.find('\n')) != std::string::npos) {
      acked.insert(buf.substr(0, pos));
      buf.erase(0, pos + 1);
    }
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // Acknowledgements already in the pipe when the child died count too.
  for (;;) {
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  std::size_t pos;
  while ((pos = buf.find('\n')) != std::string::npos) {
    acked.insert(buf.substr(0, pos));
    buf.erase(0, pos + 1);
  }

  SystemClock clock;
  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(store) << store.error().message;
  std::multiset<std::string> stored;
  ResponseQuery q;
  q.units = {"u-1"};
  q.limit = 1000;
  for (;;) {
    auto items = (*store)->responses().list(q);
    ASSERT_TRUE(items) << items.error().message;
    if (items->empty()) break;
    for (const auto& r : *items) stored.insert(r.submission_key);
    q.after_id = items->back().id;
  }
  for (const auto& key : acked) EXPECT_EQ(stored.count(key), 1u) << key << " was acknowledged but is not stored once";
  EXPECT_GE(stored.size(), acked.size());
  for (const auto& key : stored) EXPECT_EQ(stored.count(key), 1u) << key;
}

}  // namespace
}  // namespace kaiku::storage
