// The outbox state machine of the SQLite store (storage/outreach_store.hpp):
// every legal transition, every illegal one (conflict naming the state), claims
// that never hand one message out twice, expiry, crash recovery and delivery
// reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "storage/outreach_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::at_ms;
using testing::bytes;

class OutboxTest : public testing::OutreachTest {
 protected:
  void SetUp() override {
    OutreachTest::SetUp();
    contact_ = add_contact("number-1");
  }
  // A message due now (or after `delay`), expiring a day later.
  std::int64_t enqueue(const std::string& ref, std::chrono::milliseconds delay = 0ms,
                       OutboxKind kind = OutboxKind::followup) {
    OutboxMessage m = message(contact_, kind, ref);
    m.not_before = clock_.now() + delay;
    m.next_attempt_at = m.not_before;
    auto id = repo().enqueue(m);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
  // Claims everything due now; returns the ids.
  std::vector<std::int64_t> claim(int limit = 100) {
    auto r = repo().claim_due(clock_.now(), limit);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::int64_t> ids;
    if (r) {
      for (auto& m : *r) ids.push_back(m.id);
    }
    return ids;
  }
  static void expect_conflict(const Status& s, const std::string& state) {
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::conflict);
    EXPECT_NE(s.error().message.find(" is " + state), std::string::npos) << s.error().message;
  }

  std::int64_t contact_ = 0;
};

TEST_F(OutboxTest, EnqueueStoresAPendingMessage) {
  OutboxMessage m = message(contact_, OutboxKind::thanks, "ref-1");
  m.ucs2 = true;
  m.state = OutboxState::sent;  // ignored: a queued message is pending
  m.attempts = 5;               // ignored
  auto id = repo().enqueue(m);
  ASSERT_TRUE(id) << id.error().message;
  auto got = repo().get_message(*id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, OutboxState::pending);
  EXPECT_EQ(got->attempts, 0);
  EXPECT_EQ(got->kind, OutboxKind::thanks);
  EXPECT_TRUE(got->ucs2);
  EXPECT_EQ(got->contact_id, contact_);
  EXPECT_EQ(got->event_id, 0);
  EXPECT_EQ(got->sealed_text, bytes("text ref-1"));
  EXPECT_EQ(got->reference, "ref-1");
  EXPECT_EQ(got->created_at, clock_.now());
  EXPECT_EQ(got->updated_at, clock_.now());

  auto dup = repo().enqueue(message(contact_, OutboxKind::thanks, "ref-1"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  auto no_contact = repo().enqueue(message(0, OutboxKind::thanks, "ref-2"));
  ASSERT_FALSE(no_contact);
  EXPECT_EQ(no_contact.error().kind, ErrorKind::invalid_input);
  auto unknown_contact = repo().enqueue(message(777, OutboxKind::thanks, "ref-3"));
  ASSERT_FALSE(unknown_contact);
  EXPECT_EQ(unknown_contact.error().kind, ErrorKind::invalid_input);
  OutboxMessage empty = message(contact_, OutboxKind::thanks, "ref-4");
  empty.sealed_text.clear();
  EXPECT_FALSE(repo().enqueue(empty));

  // Without a reference, storage draws one.
  auto anon = repo().enqueue(message(contact_, OutboxKind::thanks, ""));
  ASSERT_TRUE(anon);
  std::string ref = repo().get_message(*anon)->reference;
  EXPECT_EQ(ref.size(), 32u);
  EXPECT_EQ(ref.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto missing = repo().get_message(999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(OutboxTest, ClaimDueTakesDueMessagesOnceOldestFirst) {
  std::int64_t later = enqueue("later", 1h);
  clock_.advance(1ms);
  std::int64_t b = enqueue("b");
  OutboxMessage older = message(contact_, OutboxKind::followup, "a");
  older.not_before = clock_.now() - 10min;
  older.next_attempt_at = older.not_before;
  std::int64_t a = *repo().enqueue(older);

  auto claimed = repo().claim_due(clock_.now(), 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, a);
  EXPECT_EQ((*claimed)[1].id, b);
  for (auto& m : *claimed) {
    EXPECT_EQ(m.state, OutboxState::sending);
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.updated_at, clock_.now());
    EXPECT_FALSE(m.sealed_text.empty());
  }
  EXPECT_TRUE(claim().empty()) << "claimed messages are not handed out again";
  EXPECT_EQ(state(later), OutboxState::pending);
  clock_.advance(1h);
  EXPECT_EQ(claim(), std::vector<std::int64_t>{later});

  EXPECT_FALSE(repo().claim_due(clock_.now(), 0));
  EXPECT_FALSE(repo().claim_due(clock_.now(), 10001));
}

TEST_F(OutboxTest, ClaimDueRespectsTheLimit) {
  for (int i = 0; i < 5; ++i) enqueue("m" + std::to_string(i));
  EXPECT_EQ(claim(2).size(), 2u);
  EXPECT_EQ(claim(2).size(), 2u);
  EXPECT_EQ(claim(2).size(), 1u);
  EXPECT_TRUE(claim(2).empty());
}

TEST_F(OutboxTest, ClaimDueExpiresMessagesPastTheirWindow) {
  std::int64_t stale = enqueue("stale", 2h);  // due only after it expires? no: expires a day after creation
  OutboxMessage m = message(contact_, OutboxKind::invite, "short");
  m.expires_at = clock_.now() + 30min;
  m.not_before = clock_.now() + 1h;  // would be due only after its window
  m.next_attempt_at = m.not_before;
  std::int64_t short_window = *repo().enqueue(m);
  clock_.advance(1h);
  EXPECT_TRUE(claim().empty());
  EXPECT_EQ(state(short_window), OutboxState::expired);
  EXPECT_EQ(state(stale), OutboxState::pending);
  clock_.advance(24h);
  EXPECT_TRUE(claim().empty());
  EXPECT_EQ(state(stale), OutboxState::expired);
  auto got = repo().get_message(stale);
  EXPECT_NE(got->last_detail.find("expired"), std::string::npos) << got->last_detail;
}

TEST_F(OutboxTest, SentAndItsIllegalTransitions) {
  std::int64_t id = enqueue("a");
  expect_conflict(repo().mark_sent(id, clock_.now(), "x"), "pending");
  expect_conflict(repo().mark_retry(id, clock_.now(), "x"), "pending");
  expect_conflict(repo().mark_failed(id, clock_.now(), "x"), "pending");
  ASSERT_EQ(claim().size(), 1u);
  clock_.advance(1s);
  ASSERT_TRUE(repo().mark_sent(id, clock_.now(), "0: Accepted for delivery"));
  auto m = repo().get_message(id);
  EXPECT_EQ(m->state, OutboxState::sent);
  EXPECT_EQ(m->sent_at, clock_.now());
  EXPECT_EQ(m->last_detail, "0: Accepted for delivery");
  expect_conflict(repo().mark_sent(id, clock_.now(), "again"), "sent");
  expect_conflict(repo().mark_retry(id, clock_.now(), "x"), "sent");
  expect_conflict(repo().mark_failed(id, clock_.now(), "x"), "sent");
  auto missing = repo().mark_sent(12345, clock_.now(), "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(OutboxTest, RetryGoesBackToPendingUntilRetryAt) {
  std::int64_t id = enqueue("a");
  ASSERT_EQ(claim().size(), 1u);
  ASSERT_TRUE(repo().mark_retry(id, clock_.now() + 5min, "connection refused"));
  auto m = repo().get_message(id);
  EXPECT_EQ(m->state, OutboxState::pending);
  EXPECT_EQ(m->next_attempt_at, clock_.now() + 5min);
  EXPECT_EQ(m->last_detail, "connection refused");
  EXPECT_TRUE(claim().empty());
  clock_.advance(5min);
  auto again = repo().claim_due(clock_.now(), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TEST_F(OutboxTest, FailedIsFinal) {
  std::int64_t id = enqueue("a");
  ASSERT_EQ(claim().size(), 1u);
  ASSERT_TRUE(repo().mark_failed(id, clock_.now(), "3: rejected"));
  EXPECT_EQ(state(id), OutboxState::failed);
  expect_conflict(repo().mark_sent(id, clock_.now(), "x"), "failed");
  expect_conflict(repo().mark_retry(id, clock_.now(), "x"), "failed");
  expect_conflict(repo().mark_failed(id, clock_.now(), "x"), "failed");
  EXPECT_TRUE(claim().empty());
}

TEST_F(OutboxTest, CancelledAndExpiredAcceptNothing) {
  std::int64_t cancelled = enqueue("a");
  ASSERT_TRUE(repo().add_opt_out("number-1", "", clock_.now()));
  OutboxMessage m = message(contact_, OutboxKind::opt_out_confirm, "b");
  m.expires_at = clock_.now() + 1s;
  std::int64_t expired = *repo().enqueue(m);
  clock_.advance(2s);
  EXPECT_TRUE(claim().empty());
  for (auto [id, name] : {std::pair{cancelled, "cancelled"}, std::pair{expired, "expired"}}) {
    expect_conflict(repo().mark_sent(id, clock_.now(), "x"), name);
    expect_conflict(repo().mark_retry(id, clock_.now(), "x"), name);
    expect_conflict(repo().mark_failed(id, clock_.now(), "x"), name);
    auto ref = repo().get_message(id)->reference;
    auto dlr = repo().delivery_report(ref, 1, clock_.now());
    ASSERT_FALSE(dlr);
    EXPECT_EQ(dlr.error().kind, ErrorKind::conflict);
  }
}

TEST_F(OutboxTest, DeliveryReports) {
  std::int64_t a = enqueue("a");
  std::int64_t b = enqueue("b");
  enqueue("c");
  std::int64_t never = enqueue("never", 1h);
  ASSERT_EQ(claim().size(), 3u);
  ASSERT_TRUE(repo().mark_sent(a, clock_.now(), "ok"));
  clock_.advance(1min);

  // a: SMSC ack, then delivered; a later ack does not undo it.
  auto r = repo().delivery_report("a", 8, clock_.now());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->state, OutboxState::sent);
  r = repo().delivery_report("a", 1, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::delivered);
  EXPECT_EQ(r->delivered_at, clock_.now());
  EXPECT_EQ(r->sent_at, clock_.now() - 1min);
  r = repo().delivery_report("a", 8, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::delivered);

  // b: the report overtakes the gateway's answer; mark_sent then changes nothing.
  r = repo().delivery_report("b", 1, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::delivered);
  EXPECT_EQ(r->sent_at, clock_.now());
  ASSERT_TRUE(repo().mark_sent(b, clock_.now(), "ok"));
  EXPECT_EQ(state(b), OutboxState::delivered);
  expect_conflict(repo().mark_retry(b, clock_.now(), "x"), "delivered");

  // c: rejected by the SMSC.
  r = repo().delivery_report("c", 16, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::failed);
  r = repo().delivery_report("c", 1, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::failed) << "final states stay";

  // never handed over: a report cannot apply.
  auto bad = repo().delivery_report("never", 1, clock_.now());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::conflict);
  EXPECT_EQ(state(never), OutboxState::pending);

  auto unknown = repo().delivery_report("nope", 1, clock_.now());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  for (int type : {0, 3, 32, -1}) {
    auto invalid = repo().delivery_report("a", type, clock_.now());
    ASSERT_FALSE(invalid) << type;
    EXPECT_EQ(invalid.error().kind, ErrorKind::invalid_input);
  }
  auto failed2 = repo().delivery_report("never", 2, clock_.now());
  EXPECT_FALSE(failed2);
}

TEST_F(OutboxTest, RecoverInFlightThenReportOrResend) {
  std::int64_t reported = enqueue("reported");
  std::int64_t silent = enqueue("silent");
  std::int64_t waiting = enqueue("waiting", 1h);
  ASSERT_EQ(claim().size(), 2u);
  // The server dies here. At start-up:
  clock_.advance(1min);
  auto n = repo().recover_in_flight(clock_.now());
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(state(reported), OutboxState::uncertain);
  EXPECT_EQ(state(silent), OutboxState::uncertain);
  EXPECT_EQ(state(waiting), OutboxState::pending);
  EXPECT_TRUE(claim().empty()) << "uncertain messages are not sent again at once";
  expect_conflict(repo().mark_sent(silent, clock_.now(), "x"), "uncertain");

  auto r = repo().delivery_report("reported", 1, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::delivered);

  // Grace period not over: nothing resolves.
  EXPECT_EQ(*repo().resolve_uncertain(clock_.now() - 1min), 0);
  clock_.advance(10min);
  EXPECT_EQ(*repo().resolve_uncertain(clock_.now() - 5min), 1);
  EXPECT_EQ(state(silent), OutboxState::pending);
  auto again = repo().claim_due(clock_.now(), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, silent);
  EXPECT_EQ((*again)[0].attempts, 2);
  EXPECT_EQ(*repo().recover_in_flight(clock_.now()), 1);

  // A report arriving after the resend decision still stops a second send.
  EXPECT_EQ(*repo().resolve_uncertain(clock_.now() + 1ms), 1);
  EXPECT_EQ(state(silent), OutboxState::pending);
  r = repo().delivery_report("silent", 8, clock_.now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, OutboxState::sent);
  EXPECT_TRUE(claim().empty());
}

TEST_F(OutboxTest, MarkUncertainWaitsForAReportOrTheGrace) {
  std::int64_t reported = enqueue("u-reported");
  std::int64_t silent = enqueue("u-silent");
  expect_conflict(repo().mark_uncertain(reported, clock_.now(), "x"), "pending");
  ASSERT_EQ(claim().size(), 2u);
  clock_.advance(1s);
  ASSERT_TRUE(repo().mark_uncertain(reported, clock_.now(), "no answer within 5000 ms"));
  ASSERT_TRUE(repo().mark_uncertain(silent, clock_.now(), "no answer within 5000 ms"));
  auto m = repo().get_message(silent);
  EXPECT_EQ(m->state, OutboxState::uncertain);
  EXPECT_EQ(m->updated_at, clock_.now());
  EXPECT_EQ(m->last_detail, "no answer within 5000 ms");
  EXPECT_FALSE(m->sent_at);
  expect_conflict(repo().mark_uncertain(silent, clock_.now(), "again"), "uncertain");
  EXPECT_TRUE(claim().empty()) << "an uncertain message is not sent again at once";

  auto r = repo().delivery_report("u-reported", 8, clock_.now());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->state, OutboxState::sent);
  // The grace runs from mark_uncertain.
  EXPECT_EQ(*repo().resolve_uncertain(clock_.now() - 1ms), 0);
  clock_.advance(10min);
  EXPECT_EQ(*repo().resolve_uncertain(clock_.now() - 5min), 1);
  EXPECT_EQ(state(silent), OutboxState::pending);
  EXPECT_EQ(state(reported), OutboxState::sent);

  // A report that overtook the lost answer: mark_uncertain changes nothing.
  std::int64_t overtaken = enqueue("u-overtaken");
  ASSERT_EQ(claim().size(), 2u);  // overtaken and silent again
  ASSERT_TRUE(repo().delivery_report("u-overtaken", 1, clock_.now()));
  ASSERT_TRUE(repo().mark_uncertain(overtaken, clock_.now(), "x"));
  EXPECT_EQ(state(overtaken), OutboxState::delivered);
}

TEST_F(OutboxTest, DeferPutsBackWithoutCountingAnAttempt) {
  std::int64_t id = enqueue("d");
  expect_conflict(repo().defer(id, clock_.now() + 1h, "quiet hours"), "pending");
  ASSERT_EQ(claim().size(), 1u);
  ASSERT_TRUE(repo().defer(id, clock_.now() + 1h, "quiet hours"));
  auto m = repo().get_message(id);
  EXPECT_EQ(m->state, OutboxState::pending);
  EXPECT_EQ(m->attempts, 0);
  EXPECT_EQ(m->next_attempt_at, clock_.now() + 1h);
  EXPECT_EQ(m->last_detail, "quiet hours");
  // Never tried, so a report for it is still a conflict.
  auto dlr = repo().delivery_report("d", 1, clock_.now());
  ASSERT_FALSE(dlr);
  EXPECT_EQ(dlr.error().kind, ErrorKind::conflict);
  EXPECT_TRUE(claim().empty());
  clock_.advance(1h);
  auto again = repo().claim_due(clock_.now(), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 1);
  // A tried message deferred later keeps its earlier attempts.
  ASSERT_TRUE(repo().mark_retry(id, clock_.now(), "connection refused"));
  ASSERT_EQ(claim().size(), 1u);
  ASSERT_TRUE(repo().defer(id, clock_.now() + 1h, "quiet hours"));
  EXPECT_EQ(repo().get_message(id)->attempts, 1);
}

TEST_F(OutboxTest, AReportForAHandedOverMessageThatExpiredOrWasCancelledApplies) {
  // Both were claimed (attempts 1) and put back for a retry, then one expired and
  // the other was cancelled by an opt-out before the report came.
  OutboxMessage m = message(contact_, OutboxKind::followup, "late-expired");
  m.expires_at = clock_.now() + 1min;
  std::int64_t expired = *repo().enqueue(m);
  std::int64_t cancelled = enqueue("late-cancelled");
  ASSERT_EQ(claim().size(), 2u);
  ASSERT_TRUE(repo().mark_retry(expired, clock_.now() + 1h, "no answer"));
  ASSERT_TRUE(repo().mark_retry(cancelled, clock_.now() + 1h, "no answer"));
  clock_.advance(2min);
  EXPECT_TRUE(claim().empty());
  ASSERT_EQ(state(expired), OutboxState::expired);
  ASSERT_TRUE(repo().add_opt_out("number-1", "", clock_.now()));
  ASSERT_EQ(state(cancelled), OutboxState::cancelled);

  auto r = repo().delivery_report("late-expired", 1, clock_.now());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->state, OutboxState::delivered);
  EXPECT_EQ(r->sent_at, clock_.now());
  r = repo().delivery_report("late-cancelled", 2, clock_.now());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->state, OutboxState::failed);
}

TEST_F(OutboxTest, MessagesWhoseContactIsGoneExpire) {
  OutboxMessage m = message(contact_, OutboxKind::invite, "a");
  m.event_id = 0;
  std::int64_t id = *repo().enqueue(m);
  ASSERT_EQ(testing::raw_exec(db(), "PRAGMA foreign_keys=ON; DELETE FROM contacts"), SQLITE_OK);
  EXPECT_TRUE(claim().empty());
  EXPECT_EQ(state(id), OutboxState::expired);
}

TEST_F(OutboxTest, CountsByState) {
  enqueue("a");
  enqueue("b");
  enqueue("c", 1h);
  ASSERT_EQ(claim(1).size(), 1u);
  auto counts = repo().count_messages_by_state();
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 8u);
  EXPECT_EQ((*counts)[static_cast<int>(OutboxState::pending)], 2);
  EXPECT_EQ((*counts)[static_cast<int>(OutboxState::sending)], 1);
  EXPECT_EQ((*counts)[static_cast<int>(OutboxState::sent)], 0);
}

TEST_F(OutboxTest, TwoThreadsNeverClaimTheSameMessage) {
  constexpr int kMessages = 300;
  for (int i = 0; i < kMessages; ++i) enqueue("m" + std::to_string(i));
  std::mutex mu;
  std::vector<std::int64_t> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        auto r = repo().claim_due(clock_.now(), 7);
        if (!r || r->empty()) return;
        std::lock_guard<std::mutex> lock(mu);
        for (auto& m : *r) all.push_back(m.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::int64_t> unique(all.begin(), all.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(testing::raw_scalar(db(), "SELECT count(*) FROM outbox WHERE state = 'sending' AND attempts = 1"),
            std::to_string(kMessages));
}

TEST_F(OutboxTest, OutboxNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(OutboxState::uncertain); ++i) {
    auto s = static_cast<OutboxState>(i);
    EXPECT_EQ(parse_outbox_state(outbox_state_name(s)), s);
  }
  EXPECT_FALSE(parse_outbox_state("nope"));
  EXPECT_EQ(outbox_kind_name(OutboxKind::opt_out_confirm), "opt_out_confirm");
  EXPECT_EQ(dialogue_state_name(DialogueState::awaiting_comment), "awaiting_comment");
}

}  // namespace
}  // namespace kaiku::storage
