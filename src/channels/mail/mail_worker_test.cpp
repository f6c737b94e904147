// MailWorker: the thread sends queued mail and stops cleanly.
#include "channels/mail/mail_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "security/sealer.hpp"
#include "storage/mail_store.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::channels::mail {
namespace {

class CountingTransport final : public service::MailTransport {
 public:
  std::mutex mu;
  std::vector<std::string> to;
  service::MailOutcome send(const service::OutgoingMail& m) override {
    std::lock_guard lock(mu);
    to.push_back(m.to);
    return {service::MailOutcome::Kind::accepted, "250 OK"};
  }
  std::size_t count() {
    std::lock_guard lock(mu);
    return to.size();
  }
};

security::SecretKey key() {
  security::SecretKey k{};
  k[3] = 7;
  return k;
}

TEST(MailWorker, SendsQueuedMailAndStops) {
  const auto dir = std::filesystem::temp_directory_path() / ("kaiku-mail-worker-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ManualClock clock{TimePoint(std::chrono::milliseconds(1'790'000'000'000))};
  {
    auto store = storage::open_sqlite_store(dir, clock);
    ASSERT_TRUE(store) << store.error().message;
    security::Sealer sealer(key());
    CountingTransport transport;
    service::MailDispatchOptions o;
    o.from = "k@x.fi";
    service::MailDispatcher dispatcher(**store, sealer, clock, transport, o);
    MailWorker worker(dispatcher, nullptr, std::chrono::milliseconds(20));
    ASSERT_TRUE(worker.start());
    storage::MailMessage m;
    m.sealed_to = sealer.seal("a@example.fi");
    m.sealed_body = sealer.seal("hei");
    m.subject = "s";
    auto id = (*store)->mail().enqueue(m);
    ASSERT_TRUE(id);
    worker.wake();
    // The thread takes it within its next passes (bounded wait, no timing assertion).
    for (int i = 0; i < 500 && transport.count() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    worker.stop();
    worker.stop();  // idempotent
    ASSERT_EQ(transport.count(), 1u);
    EXPECT_EQ(transport.to[0], "a@example.fi");
    EXPECT_EQ((*store)->mail().get(*id)->state, storage::MailState::sent);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kaiku::channels::mail
