// SqliteMail: the mail outbox state machine, idempotent queueing; and the SMS
// outbox taking staff replies (kind reply, schema 10).
#include "storage/mail_store.hpp"

#include <gtest/gtest.h>

#include "storage/outreach_store.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

// A fresh store on a manual clock.
struct MailStoreFixture {
  testing::TempDir dir;
  ManualClock clock{TimePoint(std::chrono::milliseconds(1'790'000'000'000))};
  std::unique_ptr<Store> store;
  MailStoreFixture() {
    auto s = open_sqlite_store(dir.path(), clock);
    if (!s) throw std::runtime_error(s.error().message);
    store = std::move(*s);
  }
};

MailMessage mail(const std::string& dedup = "") {
  MailMessage m;
  m.kind = MailKind::alert;
  m.case_id = 12;
  m.user_id = 3;
  m.dedup_key = dedup;
  m.sealed_to = {1, 2, 3};
  m.subject = "Kaiku: uusi hälytys";
  m.sealed_body = {4, 5, 6};
  return m;
}

TEST(MailStore, QueueClaimSendForgetsSealedData) {
  MailStoreFixture f;
  auto id = f.store->mail().enqueue(mail());
  ASSERT_TRUE(id) << id.error().message;
  auto got = f.store->mail().get(*id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, MailState::pending);
  EXPECT_EQ(got->kind, MailKind::alert);
  EXPECT_EQ(got->subject, "Kaiku: uusi hälytys");
  EXPECT_EQ(got->sealed_to, (std::vector<std::uint8_t>{1, 2, 3}));
  auto claimed = f.store->mail().claim_due(f.clock.now(), 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_EQ((*claimed)[0].state, MailState::sending);
  // A second claim gets nothing.
  EXPECT_TRUE(f.store->mail().claim_due(f.clock.now(), 10)->empty());
  ASSERT_TRUE(f.store->mail().mark_sent(*id, f.clock.now(), "250 OK"));
  got = f.store->mail().get(*id);
  EXPECT_EQ(got->state, MailState::sent);
  EXPECT_TRUE(got->sealed_to.empty());
  EXPECT_TRUE(got->sealed_body.empty());
  EXPECT_EQ(got->last_detail, "250 OK");
  // Only from sending.
  auto again = f.store->mail().mark_sent(*id, f.clock.now(), "x");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(f.store->mail().mark_failed(999, f.clock.now(), "x").error().kind, ErrorKind::not_found);
  auto counts = f.store->mail().count_by_state();
  ASSERT_TRUE(counts);
  EXPECT_EQ((*counts)[static_cast<int>(MailState::sent)], 1);
}

TEST(MailStore, RetryWaitsAndRecoveryPutsInFlightBack) {
  MailStoreFixture f;
  auto id = f.store->mail().enqueue(mail());
  ASSERT_TRUE(id);
  ASSERT_EQ(f.store->mail().claim_due(f.clock.now(), 10)->size(), 1u);
  ASSERT_TRUE(f.store->mail().mark_retry(*id, f.clock.now() + std::chrono::minutes(1), "421"));
  EXPECT_TRUE(f.store->mail().claim_due(f.clock.now(), 10)->empty());
  EXPECT_EQ(f.store->mail().claim_due(f.clock.now() + std::chrono::minutes(1), 10)->size(), 1u);
  auto n = f.store->mail().recover_in_flight(f.clock.now());
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(f.store->mail().get(*id)->state, MailState::pending);
  EXPECT_EQ(f.store->mail().get(*id)->attempts, 2);
}

TEST(MailStore, DedupKeyQueuesOnceAndEmptySealedDataIsRefused) {
  MailStoreFixture f;
  auto a = f.store->mail().enqueue(mail("alert:12:3"));
  auto b = f.store->mail().enqueue(mail("alert:12:3"));
  auto c = f.store->mail().enqueue(mail("alert:12:4"));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  MailMessage empty = mail();
  empty.sealed_to.clear();
  EXPECT_EQ(f.store->mail().enqueue(empty).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(f.store->mail().claim_due(f.clock.now(), 0).error().kind, ErrorKind::invalid_input);
}

TEST(MailStore, OutboxTakesStaffReplies) {
  MailStoreFixture f;
  ContactRecord c;
  c.number_key = "k";
  c.sealed_number = {9};
  c.expires_at = f.clock.now() + std::chrono::hours(72);
  auto cid = f.store->outreach().add_contact(c);
  ASSERT_TRUE(cid) << cid.error().message;
  OutboxMessage m;
  m.contact_id = *cid;
  m.kind = OutboxKind::reply;
  m.sealed_text = {7};
  m.created_at = m.not_before = m.next_attempt_at = f.clock.now();
  m.expires_at = c.expires_at;
  auto id = f.store->outreach().enqueue(m);
  ASSERT_TRUE(id) << id.error().message;
  auto got = f.store->outreach().get_message(*id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->kind, OutboxKind::reply);
  EXPECT_EQ(outbox_kind_name(OutboxKind::reply), "reply");
  EXPECT_GE(f.store->schema_version(), 10);
}

}  // namespace
}  // namespace kaiku::storage
