// kill -9 at the storage level for SMS outreach: every intake acknowledged
// before the process died is stored with its message, and no message that had
// been claimed for sending is ever claimable again after the restart (so a
// crash never makes the same SMS go out twice by itself).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/outreach_store.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

// One line to the parent: atomic for pipes below PIPE_BUF.
void report(int fd, const std::string& line) {
  std::string l = line + "\n";
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) _exit(5);
}

// The child: 4 threads record and schedule events ("E event message" after each
// acknowledged intake), 1 thread claims due messages ("C message" after each
// acknowledged claim), until killed.
[[noreturn]] void child(const std::filesystem::path& dir, int fd) {
  SystemClock clock;
  auto store = open_sqlite_store(dir, clock);
  if (!store) _exit(3);
  OutreachRepository& repo = (*store)->outreach();
  std::atomic<long> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        const std::string key = std::to_string(next++);
        const TimePoint now = clock.now();
        EventRecord e;
        e.sender = "crash";
        e.message_id = key;
        e.dedup_key = "dedup-" + key;
        e.visit_key = "visit-" + key;
        e.trigger = "A03";
        e.received_at = now;
        e.unit = "u-1";
        e.touchpoint = "tp";
        e.decision = domain::Decision::scheduled;
        Scheduling s;
        s.person_key = "p-" + key;
        s.number_key = "n-" + key;
        s.sealed_number = bytes("sealed");
        s.contact_expires_at = now + 24h;
        s.visit_time = now;
        s.invitation.id = "inv-" + key;
        s.invitation.token_hash = "hash-" + key;
        s.invitation.touchpoint = "tp";
        s.invitation.unit = "u-1";
        s.invitation.created_at = now;
        s.invitation.expires_at = now + 24h;
        s.message.sealed_text = bytes("text");
        s.message.not_before = now;
        s.message.next_attempt_at = now;
        s.message.expires_at = now + 24h;
        s.message.reference = "ref-" + key;
        std::int64_t event_id = 0, message_id = 0;
        auto r = repo.intake({[&](IntakeTransaction& tx) -> Status {
          auto id = tx.insert_event(e);
          if (!id) return fail(id.error());
          event_id = *id;
          auto m = tx.schedule(*id, "2026-01-01", s);
          if (!m) return fail(m.error());
          message_id = *m;
          return {};
        }});
        if (!r || !(*r)[0]) _exit(4);
        report(fd, "E " + std::to_string(event_id) + " " + std::to_string(message_id));
      }
    });
  }
  threads.emplace_back([&] {
    for (;;) {
      auto claimed = repo.claim_due(clock.now(), 7);
      if (!claimed) _exit(6);
      for (const auto& m : *claimed) report(fd, "C " + std::to_string(m.id));
    }
  });
  for (auto& th : threads) th.join();
  _exit(0);
}

TEST(OutreachCrash, AcknowledgedIntakesSurviveAndClaimsAreNeverRepeated) {
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

  std::map<std::int64_t, std::int64_t> acked;  // event -> message
  std::set<std::int64_t> claimed;
  std::string buf;
  char chunk[4096];
  auto take_lines = [&] {
    std::size_t pos;
    while ((pos = buf.find('\n')) != std::string::npos) {
      std::istringstream line(buf.substr(0, pos));
      buf.erase(0, pos + 1);
      char kind = 0;
      std::int64_t a = 0, b = 0;
      line >> kind >> a;
      if (kind == 'E') {
        line >> b;
        acked[a] = b;
      } else {
        claimed.insert(a);
      }
    }
  };
  while (acked.size() < 1500 || claimed.size() < 300) {
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    ASSERT_GT(n, 0) << "child stopped early";
    buf.append(chunk, static_cast<std::size_t>(n));
    take_lines();
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  for (;;) {  // acknowledgements already in the pipe count too
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  take_lines();

  SystemClock clock;
  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(store) << store.error().message;
  OutreachRepository& repo = (*store)->outreach();
  for (const auto& [event_id, message_id] : acked) {
    auto e = repo.get_event(event_id);
    ASSERT_TRUE(e) << "event " << event_id << " was acknowledged but is not stored";
    auto m = repo.get_message(message_id);
    ASSERT_TRUE(m) << "message " << message_id << " was acknowledged but is not stored";
    EXPECT_EQ(m->event_id, event_id);
    EXPECT_TRUE(m->state == OutboxState::pending || m->state == OutboxState::sending) << message_id;
  }
  for (std::int64_t id : claimed) {
    EXPECT_EQ(repo.get_message(id)->state, OutboxState::sending) << "claimed message " << id;
  }
  // At start-up the in-flight messages become uncertain; none is claimable.
  auto recovered = repo.recover_in_flight(clock.now());
  ASSERT_TRUE(recovered);
  EXPECT_GE(*recovered, static_cast<int>(claimed.size()));
  for (;;) {
    auto again = repo.claim_due(clock.now() + 1h, 1000);
    ASSERT_TRUE(again) << again.error().message;
    if (again->empty()) break;
    for (const auto& m : *again) {
      EXPECT_EQ(claimed.count(m.id), 0u) << "message " << m.id << " was claimed twice";
      EXPECT_EQ(m.attempts, 1);
    }
  }
  EXPECT_EQ(testing::raw_scalar(sqlite_database_file(dir.path()),
                                "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id"),
            testing::raw_scalar(sqlite_database_file(dir.path()), "SELECT count(*) FROM events"))
      << "every stored event has its message (intake is atomic)";
}

}  // namespace
}  // namespace kaiku::storage
