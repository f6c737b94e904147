// OutreachService dispatch: hand-over to the gateway, quiet hours, rejections,
// retries with backoff, restart recovery; never the same invitation twice.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "service/outreach_test_support.hpp"

namespace kaiku::service {
namespace {

using kaiku::testing::item_of;
using kaiku::testing::RecordingGateway;
using kaiku::testing::utc;
using kaiku::testing::visit_event;
using Kind = SendOutcome::Kind;
using storage::OutboxState;

using kaiku::testing::kNow;
using kaiku::testing::kSendAt;
using kaiku::testing::kVisit;

class OutreachDispatchTest : public ::testing::Test {
 protected:
  kaiku::testing::OutreachFixture of;
  RecordingGateway gw;

  void SetUp() override { of.make(); }
  std::int64_t schedule(const std::string& unit_code, const std::string& visit_id) {
    auto r = of.svc->intake({item_of(visit_event(unit_code, visit_id, kVisit))});
    EXPECT_TRUE(r && r->front().decision == domain::Decision::scheduled);
    return r ? r->front().event_id : 0;
  }
  storage::OutboxMessage message_of(std::int64_t event_id) {
    auto m = of.repo().messages_for_event(event_id);
    EXPECT_TRUE(m && m->size() == 1);
    return m && !m->empty() ? m->front() : storage::OutboxMessage{};
  }
};

TEST_F(OutreachDispatchTest, NothingGoesBeforeItsMomentThenItGoesOnce) {
  const std::int64_t ev = schedule("1.2.246.1", "a1");
  DispatchStats early = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(early.claimed, 0);
  of.fx.clock.set(kSendAt - std::chrono::seconds(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_TRUE(gw.sent.empty());

  of.fx.clock.set(kSendAt);
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.claimed, 1);
  EXPECT_EQ(s.sent, 1);
  ASSERT_EQ(gw.sent.size(), 1u);
  const OutgoingSms& sms = gw.sent[0];
  EXPECT_EQ(sms.to, kaiku::testing::kMobileE164);
  EXPECT_EQ(sms.from, "Kaiku");
  EXPECT_EQ(sms.coding, SmsCoding::gsm7);
  EXPECT_NE(sms.text.find("https://palaute.example.fi/i/"), std::string::npos);
  storage::OutboxMessage m = message_of(ev);
  EXPECT_EQ(sms.reference, m.reference);
  EXPECT_EQ(m.state, OutboxState::sent);
  EXPECT_EQ(m.attempts, 1);
  ASSERT_TRUE(m.sent_at);
  EXPECT_EQ(*m.sent_at, kSendAt);

  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 1u);

  // Delivery reports by our reference; unknown (purged) references are
  // acknowledged and ignored, so that the gateway does not retry them.
  ASSERT_TRUE(of.svc->on_delivery_report(m.reference, 1));
  EXPECT_EQ(message_of(ev).state, OutboxState::delivered);
  auto unknown = of.svc->on_delivery_report("nope", 1);
  EXPECT_TRUE(unknown) << unknown.error().message;
  auto bad_type = of.svc->on_delivery_report(m.reference, 3);
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().kind, ErrorKind::invalid_input);
}

// Response rates count an SMS invitation only once its SMS was handed over: not
// the invitations of cancelled visits, nor those whose SMS expired unsent.
TEST_F(OutreachDispatchTest, AnInvitationCountsForReportsOnlyOnceItsSmsIsHandedOver) {
  auto listed = [&] {
    std::set<std::string> ids;
    auto rows = of.fx.store->invitations().list(0, 1000);
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) {
      for (const auto& inv : *rows) ids.insert(inv.id);
    }
    return ids;
  };
  const std::set<std::string> before = listed();
  const std::int64_t sent = schedule("1.2.246.1", "s1");
  const std::int64_t cancelled = schedule("1.2.246.1", "s2");
  const std::int64_t refused = schedule("1.2.246.1", "s3");
  const std::string sent_inv = message_of(sent).invitation_id;
  const std::string cancelled_inv = message_of(cancelled).invitation_id;
  const std::string refused_inv = message_of(refused).invitation_id;
  EXPECT_EQ(listed(), before) << "scheduled is not yet invited";
  EXPECT_TRUE(of.observer.invitations.empty());

  auto cancel = visit_event("1.2.246.1", "s2", kVisit);
  cancel.trigger = "A11";
  cancel.message_id = "MSG-s2-cancel";
  ASSERT_TRUE(of.svc->intake({item_of(cancel)}));
  ASSERT_EQ(message_of(cancelled).state, OutboxState::cancelled);

  // s3's SMS never goes: the gateway refuses it for good.
  of.fx.clock.set(kSendAt);
  gw.script = {Kind::accepted, Kind::rejected};
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).sent, 1);
  ASSERT_EQ(message_of(sent).state, OutboxState::sent);
  ASSERT_EQ(message_of(refused).state, OutboxState::failed);

  std::set<std::string> now_listed = listed();
  EXPECT_EQ(now_listed.size(), before.size() + 1);
  EXPECT_EQ(now_listed.count(sent_inv), 1u);
  EXPECT_EQ(now_listed.count(cancelled_inv), 0u);
  EXPECT_EQ(now_listed.count(refused_inv), 0u);
  ASSERT_EQ(of.observer.invitations.size(), 1u);
  EXPECT_EQ(of.observer.invitations[0].id, sent_inv);
  EXPECT_GT(of.observer.invitations[0].seq, 0);
  // The engine's cursor: the seq is the newest, so list(after the old max) finds it.
  auto after = of.fx.store->invitations().list(of.observer.invitations[0].seq - 1, 10);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().id, sent_inv);
}

TEST_F(OutreachDispatchTest, AReportForAMessageThatTakesNoneIsAcknowledgedAndIgnored) {
  // Never handed over (pending, never claimed), then cancelled with its visit: the
  // store calls a report for either a conflict; the service acknowledges it (the
  // HTTP mount answers 200) instead of asking the gateway to retry (503) forever.
  const std::int64_t ev = schedule("1.2.246.1", "c1");
  const storage::OutboxMessage m = message_of(ev);
  ASSERT_EQ(m.state, OutboxState::pending);
  auto direct = of.repo().delivery_report(m.reference, 1, of.fx.clock.now());
  ASSERT_FALSE(direct);
  ASSERT_EQ(direct.error().kind, ErrorKind::conflict) << "the premise: storage calls it a conflict";
  auto st = of.svc->on_delivery_report(m.reference, 1);
  EXPECT_TRUE(st) << st.error().message;
  EXPECT_EQ(message_of(ev).state, OutboxState::pending) << "and it changes nothing";

  auto cancel = visit_event("1.2.246.1", "c1", kVisit);
  cancel.trigger = "A11";
  cancel.message_id = "MSG-c1-cancel";
  auto r = of.svc->intake({item_of(cancel)});
  ASSERT_TRUE(r);
  ASSERT_EQ(message_of(ev).state, OutboxState::cancelled);
  st = of.svc->on_delivery_report(m.reference, 2);
  EXPECT_TRUE(st) << st.error().message;
  EXPECT_EQ(message_of(ev).state, OutboxState::cancelled);
}

TEST_F(OutreachDispatchTest, ARejectedMessageFailsForGood) {
  const std::int64_t ev = schedule("1.2.246.1", "r1");
  of.fx.clock.set(kSendAt);
  gw.fallback = Kind::rejected;
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(message_of(ev).state, OutboxState::failed);
  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 1u);
}

TEST_F(OutreachDispatchTest, AnUnavailableGatewayIsRetriedWithGrowingBackoffAndNothingIsSentTwice) {
  const std::int64_t a = schedule("1.2.246.1", "u1");
  const std::int64_t b = schedule("1.2.246.2", "u2");
  of.fx.clock.set(kSendAt);
  gw.fallback = Kind::unavailable;
  DispatchStats s1 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s1.claimed, 2);
  EXPECT_EQ(s1.retried, 2);
  EXPECT_EQ(s1.sent, 0);
  // After the first failure the rest of the batch is not even tried.
  EXPECT_EQ(gw.sent.size(), 1u);
  storage::OutboxMessage ma = message_of(a);
  EXPECT_EQ(ma.state, OutboxState::pending);
  EXPECT_EQ(ma.next_attempt_at, kSendAt + of.options.backoff_min);

  // Within the backoff nothing is claimed.
  of.fx.clock.advance(std::chrono::seconds(4));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  // Still down: the wait doubles for a message tried twice.
  of.fx.clock.set(kSendAt + std::chrono::seconds(5));
  gw.script = {Kind::unavailable};
  DispatchStats s2 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s2.claimed, 2);
  EXPECT_EQ(s2.retried, 2);
  ASSERT_EQ(gw.sent.size(), 2u);
  const std::string tried_ref = gw.sent.back().reference;
  const storage::OutboxMessage tried = message_of(a).reference == tried_ref ? message_of(a) : message_of(b);
  const storage::OutboxMessage untried = message_of(a).reference == tried_ref ? message_of(b) : message_of(a);
  EXPECT_EQ(tried.attempts, 2);
  EXPECT_EQ(tried.next_attempt_at, kSendAt + std::chrono::seconds(5) + 2 * of.options.backoff_min);
  EXPECT_EQ(untried.next_attempt_at, kSendAt + std::chrono::seconds(5) + of.options.backoff_min);

  // Back up: everything goes, once each.
  gw.fallback = Kind::accepted;
  of.fx.clock.set(kSendAt + std::chrono::minutes(1));
  DispatchStats s3 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s3.sent, 2);
  of.fx.clock.advance(std::chrono::hours(2));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(message_of(a).state, OutboxState::sent);
  EXPECT_EQ(message_of(b).state, OutboxState::sent);
  // Each message was accepted exactly once.
  EXPECT_EQ(gw.sent.size(), 4u);  // 1 + 1 failed tries, then 2 accepted
  std::map<std::string, int> accepted;
  for (std::size_t i = 2; i < gw.sent.size(); ++i) ++accepted[gw.sent[i].reference];
  EXPECT_EQ(accepted.size(), 2u);
}

TEST_F(OutreachDispatchTest, BackoffIsCapped) {
  of.options.backoff_min = std::chrono::seconds(5);
  of.options.backoff_max = std::chrono::seconds(30);
  of.make();
  const std::int64_t ev = schedule("1.2.246.1", "cap");
  of.fx.clock.set(kSendAt);
  gw.fallback = Kind::unavailable;
  std::vector<std::chrono::milliseconds> waits;
  for (int i = 0; i < 6; ++i) {
    DispatchStats s = of.svc->dispatch_once(gw, 10);
    ASSERT_EQ(s.claimed, 1) << i;
    storage::OutboxMessage m = message_of(ev);
    waits.push_back(m.next_attempt_at - of.fx.clock.now());
    of.fx.clock.set(m.next_attempt_at);
  }
  std::vector<std::chrono::milliseconds> want{std::chrono::seconds(5),  std::chrono::seconds(10),
                                               std::chrono::seconds(20), std::chrono::seconds(30),
                                               std::chrono::seconds(30), std::chrono::seconds(30)};
  EXPECT_EQ(waits, want);
}

TEST_F(OutreachDispatchTest, TheBudgetLimitsHandOvers) {
  schedule("1.2.246.1", "b1");
  schedule("1.2.246.2", "b2");
  schedule("1.2.246.3", "b3");
  of.fx.clock.set(kSendAt);
  EXPECT_EQ(of.svc->dispatch_once(gw, 0).claimed, 0);
  EXPECT_EQ(of.svc->dispatch_once(gw, 2).sent, 2);
  EXPECT_EQ(of.svc->dispatch_once(gw, 2).sent, 1);
  EXPECT_EQ(gw.sent.size(), 3u);
}

TEST_F(OutreachDispatchTest, InvitationsWaitOutQuietHours) {
  const std::int64_t ev = schedule("1.2.246.1", "q1");
  // The gateway was down all afternoon; at 20:30 Helsinki the invitation waits for tomorrow noon.
  of.fx.clock.set(utc(2026, 9, 23, 17, 30));
  EXPECT_FALSE(of.svc->within_sending_hours(of.fx.clock.now()));
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.claimed, 1);
  EXPECT_EQ(s.sent, 0);
  EXPECT_TRUE(gw.sent.empty());
  storage::OutboxMessage m = message_of(ev);
  EXPECT_EQ(m.state, OutboxState::pending);
  EXPECT_EQ(m.next_attempt_at, utc(2026, 9, 24, 9));
  of.fx.clock.set(utc(2026, 9, 24, 3));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  of.fx.clock.set(utc(2026, 9, 24, 9));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).sent, 1);
  EXPECT_EQ(gw.sent.size(), 1u);
}

TEST_F(OutreachDispatchTest, AMessageNotSentWithinTheWindowExpires) {
  const std::int64_t ev = schedule("1.2.246.1", "x1");
  of.fx.clock.set(kSendAt + std::chrono::hours(24 * 4));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(message_of(ev).state, OutboxState::expired);
  EXPECT_TRUE(gw.sent.empty());
}

TEST_F(OutreachDispatchTest, AfterACrashAnInFlightMessageIsConfirmedByItsReportNotResent) {
  const std::int64_t ev = schedule("1.2.246.1", "c1");
  of.fx.clock.set(kSendAt);
  // The crashed run had claimed the message (state sending) and handed it over.
  auto claimed = of.repo().claim_due(kSendAt, 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  // Restart.
  of.make();
  auto n = of.svc->recover();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(message_of(ev).state, OutboxState::uncertain);
  // Within the grace period it is neither claimed nor sent.
  of.fx.clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  // Kannel's report (SMSC ack) says it went.
  ASSERT_TRUE(of.svc->on_delivery_report(claimed->front().reference, 8));
  EXPECT_EQ(message_of(ev).state, OutboxState::sent);
  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_TRUE(gw.sent.empty());
}

TEST_F(OutreachDispatchTest, AfterACrashAnInFlightMessageWithoutReportIsSentAgainAfterTheGrace) {
  const std::int64_t ev = schedule("1.2.246.1", "c2");
  of.fx.clock.set(kSendAt);
  ASSERT_TRUE(of.repo().claim_due(kSendAt, 10));
  of.make();
  ASSERT_EQ(of.svc->recover().value_or(-1), 1);
  of.fx.clock.advance(of.options.uncertain_grace - std::chrono::seconds(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  of.fx.clock.advance(std::chrono::seconds(2));
  // Resolved back to pending in this pass, claimed in the same pass.
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.sent, 1);
  EXPECT_EQ(message_of(ev).state, OutboxState::sent);
  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 1u);
  // A restart with nothing in flight recovers nothing.
  of.make();
  EXPECT_EQ(of.svc->recover().value_or(-1), 0);
}

TEST_F(OutreachDispatchTest, AMessageThatCannotBeOpenedIsSkippedNotSent) {
  of.fx.clock.set(kSendAt);
  storage::ContactRecord c;
  c.number_key = of.sealer.keyed_hash("number", kaiku::testing::kMobileE164);
  c.sealed_number = of.sealer.seal(kaiku::testing::kMobileE164);
  c.created_at = kSendAt;
  c.expires_at = kSendAt + std::chrono::hours(24);
  auto contact = of.repo().add_contact(c);
  ASSERT_TRUE(contact) << contact.error().message;
  // Sealed under another key (a key file replaced): it cannot be opened.
  security::SecretKey other{};
  other.fill(9);
  security::Sealer stranger(other);
  storage::OutboxMessage m;
  m.contact_id = *contact;
  m.kind = storage::OutboxKind::thanks;
  m.sealed_text = stranger.seal("Kiitos!");
  m.created_at = m.not_before = m.next_attempt_at = m.updated_at = kSendAt;
  m.expires_at = kSendAt + std::chrono::hours(1);
  m.reference = "ref-cannot-open";
  auto id = of.repo().enqueue(m);
  ASSERT_TRUE(id) << id.error().message;
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.claimed, 1);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_TRUE(gw.sent.empty());
  auto after = of.repo().get_message(*id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->state, OutboxState::failed);
  EXPECT_EQ(after->last_detail.find("+358"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::service
