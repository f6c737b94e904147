// MailDispatcher: the mail outbox to a transport -- sent, retried with backoff,
// refused, given up; sealed data deleted when finished.
#include "service/mail_dispatch.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "service/outreach_test_support.hpp"
#include "storage/mail_store.hpp"

namespace kaiku::service {
namespace {

class RecordingTransport final : public MailTransport {
 public:
  std::deque<MailOutcome::Kind> script;
  MailOutcome::Kind fallback = MailOutcome::Kind::accepted;
  std::vector<OutgoingMail> sent;
  std::function<void()> on_send;  // called during each hand-over (e.g. a stop arriving)
  MailOutcome send(const OutgoingMail& mail) override {
    sent.push_back(mail);
    if (on_send) on_send();
    MailOutcome out;
    out.kind = fallback;
    if (!script.empty()) {
      out.kind = script.front();
      script.pop_front();
    }
    out.detail = out.kind == MailOutcome::Kind::accepted ? "250 OK" : out.kind == MailOutcome::Kind::rejected ? "550 no" : "421 busy";
    return out;
  }
};

struct MailFixture {
  testing::Fixture fx;
  security::Sealer sealer{testing::test_key()};
  RecordingTransport transport;
  MailDispatchOptions options;
  MailFixture() { options.from = "Kaiku <kaiku@hyvinvointialue.fi>"; }
  MailDispatcher dispatcher() { return MailDispatcher(*fx.store, sealer, fx.clock, transport, options); }
  std::int64_t queue(const std::string& to, const std::string& body) {
    storage::MailMessage m;
    m.kind = storage::MailKind::reply;
    m.case_id = 4;
    m.sealed_to = sealer.seal(to);
    m.subject = "Vastaus palautteeseesi";
    m.sealed_body = sealer.seal(body);
    auto id = fx.store->mail().enqueue(m);
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }
  storage::MailMessage get(std::int64_t id) { return *fx.store->mail().get(id); }
};

TEST(MailDispatcher, SendsAndForgetsTheAddressAndBody) {
  MailFixture f;
  const auto id = f.queue("maija@example.fi", "Hei Maija");
  MailDispatchStats s = f.dispatcher().dispatch_once();
  EXPECT_EQ(s.claimed, 1);
  EXPECT_EQ(s.sent, 1);
  ASSERT_EQ(f.transport.sent.size(), 1u);
  EXPECT_EQ(f.transport.sent[0].to, "maija@example.fi");
  EXPECT_EQ(f.transport.sent[0].from, "Kaiku <kaiku@hyvinvointialue.fi>");
  EXPECT_EQ(f.transport.sent[0].body, "Hei Maija");
  EXPECT_EQ(f.transport.sent[0].subject, "Vastaus palautteeseesi");
  EXPECT_EQ(f.transport.sent[0].message_id, "<kaiku.reply." + std::to_string(id) + "." +
                                                std::to_string(f.get(id).created_at.time_since_epoch().count()) +
                                                "@hyvinvointialue.fi>");
  storage::MailMessage m = f.get(id);
  EXPECT_EQ(m.state, storage::MailState::sent);
  EXPECT_TRUE(m.sent_at.has_value());
  EXPECT_TRUE(m.sealed_to.empty());
  EXPECT_TRUE(m.sealed_body.empty());
  // Nothing more to send.
  EXPECT_EQ(f.dispatcher().dispatch_once().claimed, 0);
}

TEST(MailDispatcher, RelayAwayRetriesWithBackoffAndTheRestOfTheBatchWaits) {
  MailFixture f;
  const auto a = f.queue("a@example.fi", "A");
  const auto b = f.queue("b@example.fi", "B");
  f.transport.script = {MailOutcome::Kind::unavailable};
  MailDispatchStats s = f.dispatcher().dispatch_once();
  EXPECT_EQ(s.retried, 2);
  EXPECT_EQ(f.transport.sent.size(), 1u);  // b was not tried
  EXPECT_EQ(f.get(a).state, storage::MailState::pending);
  EXPECT_EQ(f.get(a).next_attempt_at, f.fx.clock.now() + std::chrono::seconds(30));
  EXPECT_EQ(f.get(b).state, storage::MailState::pending);
  // Not before the backoff.
  EXPECT_EQ(f.dispatcher().dispatch_once().claimed, 0);
  f.fx.clock.advance(std::chrono::seconds(30));
  s = f.dispatcher().dispatch_once();
  EXPECT_EQ(s.sent, 2);
  EXPECT_EQ(f.get(a).state, storage::MailState::sent);
  EXPECT_EQ(f.get(b).state, storage::MailState::sent);
}

TEST(MailDispatcher, AStopDuringAPassSendsNoMoreAndReleasesTheRestOfTheBatch) {
  MailFixture f;
  const auto a = f.queue("a@example.fi", "A");
  const auto b = f.queue("b@example.fi", "B");
  const auto c = f.queue("c@example.fi", "C");
  MailDispatcher d = f.dispatcher();
  f.transport.on_send = [&d] { d.set_stopping(true); };  // the stop arrives while a is handed over
  MailDispatchStats s = d.dispatch_once();
  EXPECT_EQ(s.claimed, 3);
  EXPECT_EQ(s.sent, 1);
  EXPECT_EQ(s.retried, 2);
  ASSERT_EQ(f.transport.sent.size(), 1u);  // b and c were not tried
  EXPECT_EQ(f.get(a).state, storage::MailState::sent);
  // Nothing is lost: b and c are back in the outbox, due at once.
  EXPECT_EQ(f.get(b).state, storage::MailState::pending);
  EXPECT_EQ(f.get(c).state, storage::MailState::pending);
  EXPECT_EQ(f.get(b).next_attempt_at, f.fx.clock.now());
  EXPECT_EQ(d.dispatch_once().sent, 0);  // still stopping: nothing handed over
  EXPECT_EQ(f.transport.sent.size(), 1u);
  f.transport.on_send = nullptr;
  d.set_stopping(false);
  s = d.dispatch_once();  // the next start sends them
  EXPECT_EQ(s.sent, 2);
  EXPECT_EQ(f.get(b).state, storage::MailState::sent);
  EXPECT_EQ(f.get(c).state, storage::MailState::sent);
}

TEST(MailDispatcher, BackoffDoublesUpToTheMaximum) {
  MailFixture f;
  MailDispatcher d = f.dispatcher();
  EXPECT_EQ(d.backoff(1), std::chrono::seconds(30));
  EXPECT_EQ(d.backoff(2), std::chrono::seconds(60));
  EXPECT_EQ(d.backoff(4), std::chrono::seconds(240));
  EXPECT_EQ(d.backoff(20), std::chrono::hours(1));
}

TEST(MailDispatcher, RefusedForGoodFailsAndGivesUpAfterMaxAttempts) {
  MailFixture f;
  const auto a = f.queue("a@example.fi", "A");
  f.transport.script = {MailOutcome::Kind::rejected};
  EXPECT_EQ(f.dispatcher().dispatch_once().failed, 1);
  EXPECT_EQ(f.get(a).state, storage::MailState::failed);
  EXPECT_TRUE(f.get(a).sealed_to.empty());
  EXPECT_EQ(f.get(a).last_detail, "550 no");

  f.options.max_attempts = 3;
  const auto b = f.queue("b@example.fi", "B");
  f.transport.fallback = MailOutcome::Kind::unavailable;
  for (int i = 0; i < 3; ++i) {
    (void)f.dispatcher().dispatch_once();
    f.fx.clock.advance(std::chrono::hours(1));
  }
  EXPECT_EQ(f.get(b).state, storage::MailState::failed);
  EXPECT_EQ(f.get(b).attempts, 3);
  EXPECT_NE(f.get(b).last_detail.find("gave up after 3 attempts"), std::string::npos);
}

TEST(MailDispatcher, InFlightAtACrashIsSentAgainAfterRecovery) {
  MailFixture f;
  const auto a = f.queue("a@example.fi", "A");
  auto claimed = f.fx.store->mail().claim_due(f.fx.clock.now(), 10);  // the crashed run's claim
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(f.dispatcher().dispatch_once().claimed, 0);
  auto n = f.dispatcher().recover();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(f.dispatcher().dispatch_once().sent, 1);
  EXPECT_EQ(f.get(a).attempts, 2);
}

TEST(MailDispatcher, SealedWithAnotherKeyFailsWithoutSending) {
  MailFixture f;
  security::SecretKey other{};
  other[0] = 1;
  security::Sealer stranger(other);
  storage::MailMessage m;
  m.sealed_to = stranger.seal("a@example.fi");
  m.sealed_body = stranger.seal("A");
  m.subject = "S";
  auto id = f.fx.store->mail().enqueue(m);
  ASSERT_TRUE(id);
  EXPECT_EQ(f.dispatcher().dispatch_once().failed, 1);
  EXPECT_TRUE(f.transport.sent.empty());
  EXPECT_EQ(f.get(*id).state, storage::MailState::failed);
}

}  // namespace
}  // namespace kaiku::service
