// OutreachService dispatch: hand-over to the gateway, quiet hours, rejections,
// retries with backoff, restart recovery; never the same invitation twice.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "service/outreach_test_support.hpp"
#include "storage/action_store.hpp"
#include "storage/case_store.hpp"
#include "storage/mail_store.hpp"
#include "storage/session_store.hpp"

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

// The outreach repository of a real store, with mark_sent failing (unavailable)
// `fail_mark_sent` times and mark_uncertain `fail_mark_uncertain` times.
class FlakyOutreach : public storage::OutreachRepository {
 public:
  explicit FlakyOutreach(storage::OutreachRepository& r) : r_(r) {}
  int fail_mark_sent = 0;
  int fail_mark_uncertain = 0;
  int mark_sent_calls = 0;

  Status mark_sent(std::int64_t id, TimePoint now, const std::string& detail) override {
    ++mark_sent_calls;
    if (fail_mark_sent > 0) {
      --fail_mark_sent;
      return fail(Error::unavailable("disk I/O error"));
    }
    return r_.mark_sent(id, now, detail);
  }
  Status mark_uncertain(std::int64_t id, TimePoint now, const std::string& detail) override {
    if (fail_mark_uncertain > 0) {
      --fail_mark_uncertain;
      return fail(Error::unavailable("disk I/O error"));
    }
    return r_.mark_uncertain(id, now, detail);
  }

  Result<std::vector<Status>> intake(std::vector<IntakeWork> works) override { return r_.intake(std::move(works)); }
  Result<std::vector<storage::EventRecord>> list_events(const storage::EventQuery& q) override {
    return r_.list_events(q);
  }
  Result<storage::EventRecord> get_event(std::int64_t id) override { return r_.get_event(id); }
  Result<std::vector<std::int64_t>> count_events_by_decision() override { return r_.count_events_by_decision(); }
  Result<std::vector<storage::OutboxMessage>> claim_due(TimePoint now, int limit) override {
    return r_.claim_due(now, limit);
  }
  Status mark_retry(std::int64_t id, TimePoint at, const std::string& d) override { return r_.mark_retry(id, at, d); }
  Status mark_failed(std::int64_t id, TimePoint at, const std::string& d) override {
    return r_.mark_failed(id, at, d);
  }
  Status defer(std::int64_t id, TimePoint until, const std::string& d) override { return r_.defer(id, until, d); }
  Result<storage::OutboxMessage> delivery_report(const std::string& ref, int type, TimePoint now) override {
    return r_.delivery_report(ref, type, now);
  }
  Result<int> recover_in_flight(TimePoint now) override { return r_.recover_in_flight(now); }
  Result<int> resolve_uncertain(TimePoint before) override { return r_.resolve_uncertain(before); }
  Result<std::int64_t> enqueue(const storage::OutboxMessage& m) override { return r_.enqueue(m); }
  Result<storage::OutboxMessage> get_message(std::int64_t id) override { return r_.get_message(id); }
  Result<std::vector<storage::OutboxMessage>> messages_for_event(std::int64_t id) override {
    return r_.messages_for_event(id);
  }
  Result<std::vector<std::int64_t>> count_messages_by_state() override { return r_.count_messages_by_state(); }
  Result<storage::ContactRecord> get_contact(std::int64_t id) override { return r_.get_contact(id); }
  Result<std::int64_t> add_contact(const storage::ContactRecord& c) override { return r_.add_contact(c); }
  Status add_opt_out(const std::string& nk, const std::string& pk, TimePoint now) override {
    return r_.add_opt_out(nk, pk, now);
  }
  Result<bool> is_opted_out(const std::string& nk) override { return r_.is_opted_out(nk); }
  Result<std::optional<storage::Dialogue>> dialogue_for_number(const std::string& nk) override {
    return r_.dialogue_for_number(nk);
  }
  Result<storage::Dialogue> get_dialogue(std::int64_t id) override { return r_.get_dialogue(id); }
  Status update_dialogue(const storage::Dialogue& d) override { return r_.update_dialogue(d); }
  Result<storage::ReplyOutcome> apply_reply(const storage::ReplyStep& step) override { return r_.apply_reply(step); }
  Result<std::int64_t> purge_outreach(TimePoint now, TimePoint history_before) override {
    return r_.purge_outreach(now, history_before);
  }

 private:
  storage::OutreachRepository& r_;
};

// A store whose outreach() is a FlakyOutreach over `inner`'s.
class FlakyStore : public storage::Store {
 public:
  explicit FlakyStore(storage::Store& inner) : inner_(inner), outreach_(inner.outreach()) {}
  FlakyOutreach& flaky() { return outreach_; }
  storage::ResponseRepository& responses() override { return inner_.responses(); }
  storage::InvitationRepository& invitations() override { return inner_.invitations(); }
  storage::UserRepository& users() override { return inner_.users(); }
  storage::AuditLog& audit() override { return inner_.audit(); }
  storage::ModelVersionRepository& model_versions() override { return inner_.model_versions(); }
  storage::OutreachRepository& outreach() override { return outreach_; }
  storage::CommentRepository& comments() override { return inner_.comments(); }
  storage::SessionRepository& sessions() override { return inner_.sessions(); }
  storage::CaseRepository& cases() override { return inner_.cases(); }
  storage::ActionRepository& actions() override { return inner_.actions(); }
  storage::MailRepository& mail() override { return inner_.mail(); }
  int schema_version() override { return inner_.schema_version(); }
  std::string instance_id() override { return inner_.instance_id(); }

 private:
  storage::Store& inner_;
  FlakyOutreach outreach_;
};

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

// Kannel's answer was lost after the request went out (timeout, reset): the message
// may be queued there, so it is not sent again until the grace period passed
// without a delivery report.
TEST_F(OutreachDispatchTest, AnUnknownOutcomeIsUncertainNotResentAtOnce) {
  const std::int64_t settled = schedule("1.2.246.1", "k1");
  const std::int64_t silent = schedule("1.2.246.2", "k2");
  of.fx.clock.set(kSendAt);
  gw.script = {Kind::unknown, Kind::unknown};
  DispatchStats s1 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s1.uncertain, 1);
  EXPECT_EQ(s1.retried, 1) << "the rest of the batch waits: the gateway is in trouble";
  ASSERT_EQ(gw.sent.size(), 1u);
  const std::string first_ref = gw.sent[0].reference;
  const std::int64_t first = message_of(settled).reference == first_ref ? settled : silent;
  const std::int64_t second = first == settled ? silent : settled;
  EXPECT_EQ(message_of(first).state, OutboxState::uncertain);
  EXPECT_EQ(message_of(second).state, OutboxState::pending);

  // The next passes within the grace: the other message goes (answer lost as well),
  // the first is not tried again.
  of.fx.clock.advance(of.options.backoff_min);
  DispatchStats s2 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s2.claimed, 1);
  EXPECT_EQ(s2.uncertain, 1);
  ASSERT_EQ(gw.sent.size(), 2u);
  EXPECT_NE(gw.sent[1].reference, first_ref);
  EXPECT_EQ(message_of(second).state, OutboxState::uncertain);
  of.fx.clock.advance(of.options.uncertain_grace - of.options.backoff_min - std::chrono::seconds(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 2u);

  // The report settles the first; the second, without one, goes again after the grace.
  ASSERT_TRUE(of.svc->on_delivery_report(first_ref, 1));
  EXPECT_EQ(message_of(first).state, OutboxState::delivered);
  of.fx.clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0) << "the second's grace runs from its own hand-over";
  of.fx.clock.advance(of.options.backoff_min);
  DispatchStats s3 = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s3.sent, 1);
  ASSERT_EQ(gw.sent.size(), 3u);
  EXPECT_EQ(gw.sent[2].reference, message_of(second).reference);
  EXPECT_EQ(message_of(second).state, OutboxState::sent);
  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 3u);
}

// Waiting out quiet hours is no attempt: it does not lengthen the retry backoff.
TEST_F(OutreachDispatchTest, QuietHoursDoNotCountAsAttempts) {
  const std::int64_t ev = schedule("1.2.246.1", "q2");
  // Due since noon, first seen at 20:30 Helsinki: claimed and put back untried.
  of.fx.clock.set(utc(2026, 9, 23, 17, 30));
  DispatchStats s = of.svc->dispatch_once(gw, 10);
  EXPECT_EQ(s.claimed, 1);
  EXPECT_EQ(s.deferred, 1);
  EXPECT_EQ(s.retried, 0);
  EXPECT_TRUE(gw.sent.empty());
  storage::OutboxMessage m = message_of(ev);
  EXPECT_EQ(m.state, OutboxState::pending);
  EXPECT_EQ(m.attempts, 0) << "the quiet-hours claim is undone";
  EXPECT_EQ(m.next_attempt_at, utc(2026, 9, 24, 9));
  EXPECT_EQ(m.last_detail, "quiet hours");
  // Never handed over: a report for it is still refused (and acknowledged).
  ASSERT_FALSE(of.repo().delivery_report(m.reference, 1, of.fx.clock.now()));
  // At noon Kannel is down: the backoff is that of a first attempt.
  of.fx.clock.set(utc(2026, 9, 24, 9));
  gw.fallback = Kind::unavailable;
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).retried, 1);
  m = message_of(ev);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, utc(2026, 9, 24, 9) + of.options.backoff_min);
}

// A delivery report for a message handed over that then expired (its retry never
// came within the window) still applies, and releases the invitation to the
// response rates. One cancelled with its visit takes the report too, but its
// invitation stays out (the visit's event is excluded).
TEST_F(OutreachDispatchTest, AReportAfterExpiryOrCancellationStillApplies) {
  const std::int64_t expired = schedule("1.2.246.1", "e1");
  const std::int64_t cancelled = schedule("1.2.246.2", "e2");
  of.fx.clock.set(kSendAt);
  // Each handed over once, but the answer said "unavailable" (Kannel had queued
  // it and then failed): to be retried later.
  gw.fallback = Kind::unavailable;
  ASSERT_EQ(of.svc->dispatch_once(gw, 1).retried, 1);
  ASSERT_EQ(of.svc->dispatch_once(gw, 1).retried, 1);
  ASSERT_EQ(gw.sent.size(), 2u);
  ASSERT_NE(gw.sent[0].reference, gw.sent[1].reference);
  ASSERT_EQ(message_of(expired).attempts, 1);
  ASSERT_EQ(message_of(cancelled).attempts, 1);
  auto cancel = visit_event("1.2.246.2", "e2", kVisit);
  cancel.trigger = "A11";
  cancel.message_id = "MSG-e2-cancel";
  ASSERT_TRUE(of.svc->intake({item_of(cancel)}));
  ASSERT_EQ(message_of(cancelled).state, OutboxState::cancelled);
  of.fx.clock.set(kSendAt + std::chrono::hours(24 * 4));
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).claimed, 0);
  ASSERT_EQ(message_of(expired).state, OutboxState::expired);
  ASSERT_TRUE(of.observer.invitations.empty());

  ASSERT_TRUE(of.repo().delivery_report(message_of(expired).reference, 1, of.fx.clock.now()))
      << "the store takes it (no conflict)";
  ASSERT_TRUE(of.svc->on_delivery_report(message_of(expired).reference, 1));
  ASSERT_TRUE(of.svc->on_delivery_report(message_of(cancelled).reference, 8));
  EXPECT_EQ(message_of(expired).state, OutboxState::delivered);
  EXPECT_EQ(message_of(cancelled).state, OutboxState::sent);
  ASSERT_EQ(of.observer.invitations.size(), 1u);
  EXPECT_EQ(of.observer.invitations[0].id, message_of(expired).invitation_id);
  EXPECT_GT(of.observer.invitations[0].seq, 0);
  auto inv = of.fx.store->invitations().get(message_of(cancelled).invitation_id);
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->seq, 0) << "a cancelled visit's invitation is not counted";
}

// Kannel accepted, but recording "sent" failed: tried once more; never put back
// to pending (that would send it again at once).
TEST_F(OutreachDispatchTest, AFailedMarkSentIsRetriedOnceThenUncertainNeverPending) {
  const std::int64_t once = schedule("1.2.246.1", "m1");
  FlakyStore flaky(*of.fx.store);
  OutreachService svc(of.fx.model, flaky, of.sealer, of.fx.clock, of.fx.random, &of.observer, of.options);
  of.fx.clock.set(kSendAt);
  flaky.flaky().fail_mark_sent = 1;
  DispatchStats s1 = svc.dispatch_once(gw, 10);
  EXPECT_EQ(s1.sent, 1);
  EXPECT_EQ(s1.unrecorded, 0);
  EXPECT_EQ(flaky.flaky().mark_sent_calls, 2);
  EXPECT_EQ(message_of(once).state, OutboxState::sent);
  ASSERT_EQ(of.observer.invitations.size(), 1u) << "the invitation is released";

  const std::int64_t twice = schedule("1.2.246.2", "m2");
  of.fx.clock.set(kSendAt + std::chrono::hours(1));
  flaky.flaky().fail_mark_sent = 2;
  DispatchStats s2 = svc.dispatch_once(gw, 10);
  EXPECT_EQ(s2.sent, 1);
  EXPECT_EQ(s2.unrecorded, 1);
  EXPECT_EQ(message_of(twice).state, OutboxState::uncertain);
  ASSERT_EQ(gw.sent.size(), 2u);
  of.fx.clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(svc.dispatch_once(gw, 10).claimed, 0);
  ASSERT_TRUE(svc.on_delivery_report(message_of(twice).reference, 1));
  EXPECT_EQ(message_of(twice).state, OutboxState::delivered);
  EXPECT_EQ(of.observer.invitations.size(), 2u);

  // Neither can be recorded: it stays out of pending (sending until a restart).
  const std::int64_t stuck = schedule("1.2.246.3", "m3");
  of.fx.clock.set(kSendAt + std::chrono::hours(2));
  flaky.flaky().fail_mark_sent = 2;
  flaky.flaky().fail_mark_uncertain = 1;
  DispatchStats s3 = svc.dispatch_once(gw, 10);
  EXPECT_EQ(s3.unrecorded, 1);
  EXPECT_EQ(message_of(stuck).state, OutboxState::sending);
  of.fx.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(svc.dispatch_once(gw, 10).claimed, 0);
  EXPECT_EQ(gw.sent.size(), 3u);
}

}  // namespace
}  // namespace kaiku::service
