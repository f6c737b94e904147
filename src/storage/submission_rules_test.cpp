// Schema version 2 rules of the SQLite store: a reused submission key with other
// content conflicts, one follow-up per kiosk tap, a used invitation forgets its
// event, and a database written by schema version 1 migrates.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "storage/sqlite/schema.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::sample_response;
using testing::TempDir;

TimePoint at_ms(std::int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

class SubmissionRulesTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::filesystem::path db() const { return sqlite_database_file(dir_.path()); }
  std::string scalar(const std::string& sql) { return testing::raw_scalar(db(), sql); }
  Invitation invitation(const std::string& id) {
    Invitation inv;
    inv.id = id;
    inv.token_hash = "hash-" + id;
    inv.touchpoint = "tp-outpatient";
    inv.unit = "u-1";
    inv.event_ref = "visit-" + id;
    inv.created_at = clock_.now();
    inv.expires_at = clock_.now() + 48h;
    return inv;
  }
  domain::Response kiosk(const std::string& key, std::int64_t supplements = 0) {
    auto r = sample_response(key);
    r.channel = domain::Channel::kiosk;
    r.answers.resize(1);
    r.supplements = supplements;
    return r;
  }

  TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

// ---- 1. a reused submission key ----

TEST_F(SubmissionRulesTest, ReusedKeyWithOtherAnswersConflictsAndStoresNothing) {
  auto first = store_->responses().append(sample_response("key-1"));
  ASSERT_TRUE(first) << first.error().message;
  auto other = sample_response("key-1");
  other.answers[0].number = 2;
  other.contact = domain::ContactRequest{"N", "0401234567", "", true};
  auto out = store_->responses().append(other);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::conflict);
  EXPECT_TRUE(starts_with(out.error().message, "submission_key reused with different content"))
      << out.error().message;
  EXPECT_TRUE(starts_with(out.error().message, kSubmissionKeyReused));
  EXPECT_EQ(*store_->responses().count(), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM contact_requests"), "0");
  EXPECT_EQ(store_->responses().get(first->id)->answers[0].number, 9) << "the first submission stands";

  auto same = store_->responses().append(sample_response("key-1"));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->duplicate);
  EXPECT_EQ(same->id, first->id);
  EXPECT_EQ(scalar("SELECT length(fingerprint) FROM responses"), "64");
}

TEST_F(SubmissionRulesTest, ReusedKeyWithContactAddedOrRemovedConflicts) {
  auto with = sample_response("key-c");
  with.contact = domain::ContactRequest{"N", "0401234567", "", true};
  ASSERT_TRUE(store_->responses().append(with));
  auto retry = store_->responses().append(with);
  ASSERT_TRUE(retry);
  EXPECT_TRUE(retry->duplicate);
  auto without = store_->responses().append(sample_response("key-c"));
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().kind, ErrorKind::conflict);
}

TEST_F(SubmissionRulesTest, ReusedInvitationKeyWithOtherContentDoesNotTouchTheInvitation) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1")));
  auto r = sample_response("key-i");
  r.invitation = "inv-1";
  ASSERT_TRUE(store_->responses().append(r));
  auto retry = store_->responses().append(r);
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  auto changed = r;
  changed.answers[0].number = 0;
  auto out = store_->responses().append(changed);
  ASSERT_FALSE(out);
  EXPECT_TRUE(starts_with(out.error().message, kSubmissionKeyReused)) << out.error().message;
}

TEST_F(SubmissionRulesTest, ConcurrentSameKeyDifferentContentOneContentWins) {
  // 8 callers, one key, two contents: one content is stored once; its callers all
  // succeed with the same id, the other content's callers all conflict.
  std::mutex mu;
  std::set<std::int64_t> ids;
  std::set<int> winning_variants;
  std::atomic<int> conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = sample_response("shared-key");
      r.answers[0].number = t % 2;
      auto out = store_->responses().append(r);
      std::lock_guard<std::mutex> lock(mu);
      if (out) {
        ids.insert(out->id);
        winning_variants.insert(t % 2);
      } else if (out.error().kind == ErrorKind::conflict &&
                 starts_with(out.error().message, kSubmissionKeyReused)) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(winning_variants.size(), 1u);
  EXPECT_EQ(conflicts.load(), 4);
  EXPECT_EQ(*store_->responses().count(), 1);
}

// ---- 2. one follow-up per kiosk tap ----

TEST_F(SubmissionRulesTest, SecondFollowUpOfATapConflicts) {
  auto tap = store_->responses().append(kiosk("tap-1"));
  auto tap2 = store_->responses().append(kiosk("tap-2"));
  ASSERT_TRUE(tap && tap2);
  auto f1 = store_->responses().append(kiosk("follow-1", tap->id));
  ASSERT_TRUE(f1) << f1.error().message;
  EXPECT_FALSE(f1->duplicate);

  auto retry = store_->responses().append(kiosk("follow-1", tap->id));
  ASSERT_TRUE(retry) << "a retried follow-up is a duplicate: " << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->id, f1->id);

  auto f2 = store_->responses().append(kiosk("follow-2", tap->id));
  ASSERT_FALSE(f2);
  EXPECT_EQ(f2.error().kind, ErrorKind::conflict);
  EXPECT_EQ(f2.error().message, "response " + std::to_string(tap->id) + " already has a follow-up");

  auto other_tap = store_->responses().append(kiosk("follow-3", tap2->id));
  ASSERT_TRUE(other_tap) << other_tap.error().message;
  EXPECT_EQ(*store_->responses().count(), 4);
}

TEST_F(SubmissionRulesTest, ConcurrentFollowUpsOfOneTapOnlyOneWins) {
  auto tap = store_->responses().append(kiosk("tap"));
  ASSERT_TRUE(tap);
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto out = store_->responses().append(kiosk("follow-" + std::to_string(t), tap->id));
      if (out)
        ++ok;
      else if (out.error().kind == ErrorKind::conflict)
        ++conflicts;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  EXPECT_EQ(*store_->responses().count(), 2);
}

TEST_F(SubmissionRulesTest, UniqueIndexBacksUpTheFollowUpRule) {
  auto tap = store_->responses().append(kiosk("tap"));
  ASSERT_TRUE(tap);
  ASSERT_TRUE(store_->responses().append(kiosk("follow", tap->id)));
  store_.reset();
  std::string err;
  const std::string insert =
      "INSERT INTO responses(submission_key, model_version, touchpoint, unit, survey, channel, language,"
      " respondent, answered_at, answers, supplements, created_at, fingerprint) VALUES('raw', 'mv', 'tp', "
      "'u', 's',"
      " 'kiosk', 'fi', 'self', 0, '{}', " +
      std::to_string(tap->id) + ", 0, 'x')";
  EXPECT_NE(testing::raw_exec(db(), insert, &err), SQLITE_OK);
  EXPECT_NE(err.find("UNIQUE"), std::string::npos) << err;
}

// ---- 3. a used invitation forgets its event ----

TEST_F(SubmissionRulesTest, UsingAnInvitationClearsItsEventRef) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1")));
  ASSERT_TRUE(store_->invitations().create(invitation("inv-2")));
  auto r = sample_response("k1");
  r.invitation = "inv-1";
  auto out = store_->responses().append(r);
  ASSERT_TRUE(out) << out.error().message;
  auto used = store_->invitations().find_by_token_hash("hash-inv-1");
  ASSERT_TRUE(used);
  EXPECT_TRUE(used->used_at.has_value());
  EXPECT_EQ(used->event_ref, "");
  EXPECT_EQ(scalar("SELECT count(*) FROM invitations WHERE event_ref = 'visit-inv-1'"), "0");
  EXPECT_EQ(store_->responses().get(out->id)->invitation, "inv-1") << "the response keeps the invitation id";
  EXPECT_EQ(store_->invitations().find_by_token_hash("hash-inv-2")->event_ref, "visit-inv-2")
      << "unused: kept";

  // Still single use.
  auto again = sample_response("k2");
  again.invitation = "inv-1";
  auto second = store_->responses().append(again);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);

  // A failed use (the response fails) leaves the event_ref in place.
  auto bad = sample_response("k3");
  bad.invitation = "inv-2";
  bad.supplements = 99999;  // dangling: the insert fails after the invitation update
  ASSERT_FALSE(store_->responses().append(bad));
  auto untouched = store_->invitations().find_by_token_hash("hash-inv-2");
  EXPECT_EQ(untouched->event_ref, "visit-inv-2");
  EXPECT_FALSE(untouched->used_at.has_value());
}

// ---- migration from schema version 1 ----

TEST(SchemaMigration, DatabaseWrittenByVersion1Migrates) {
  TempDir dir;
  const auto db = sqlite_database_file(dir.path());
  // A version-1 database with data, including two follow-ups of one tap (which
  // version 1 allowed) and a used invitation that still knows its event.
  std::string v1(sqlite::migrations().at(0));
  std::string err;
  ASSERT_EQ(testing::raw_exec(db,
                              "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations("
                              " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);" +
                                  v1 + "INSERT INTO schema_migrations VALUES(1, 0);",
                              &err),
            SQLITE_OK)
      << err;
  const std::string cols =
      "INSERT INTO responses(id, submission_key, model_version, touchpoint, unit, survey, channel, language,"
      " respondent, answered_at, answers, invitation, supplements, created_at) VALUES";
  ASSERT_EQ(
      testing::raw_exec(
          db,
          "INSERT INTO invitations VALUES('inv-old', 'h-old', 'tp', 'u-1', 'visit-9', 'fi', 'sms', 0, "
          "9999999999999, 5);" +
              cols +
              "(1, 'tap-old', 'mv', 'tp', 'u-1', 's', 'kiosk', 'fi', 'self', 0, '{\"face\":3}', NULL, NULL, "
              "0);" +
              cols + "(2, 'f-old-1', 'mv', 'tp', 'u-1', 's', 'kiosk', 'fi', 'self', 0, '{}', NULL, 1, 0);" +
              cols + "(3, 'f-old-2', 'mv', 'tp', 'u-1', 's', 'kiosk', 'fi', 'self', 0, '{}', NULL, 1, 0);" +
              cols +
              "(4, 'inv-key', 'mv', 'tp', 'u-1', 's', 'sms', 'fi', 'self', 0, '{}', 'inv-old', NULL, 0);",
          &err),
      SQLITE_OK)
      << err;

  ManualClock clock(at_ms(1'700'000'000'000));
  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kaiku::storage::testing::latest_schema_version());
  EXPECT_EQ(*(*store)->responses().count(), 4);
  EXPECT_EQ(testing::raw_scalar(db, "SELECT count(*) FROM responses WHERE fingerprint IS NULL"), "4");
  EXPECT_EQ(testing::raw_scalar(db, "SELECT event_ref FROM invitations WHERE id = 'inv-old'"), "")
      << "an invitation used before the migration forgets its event too";

  // Rows from before fingerprints keep the old rule: a reused key is a duplicate.
  auto legacy = sample_response("inv-key");
  auto dup = (*store)->responses().append(legacy);
  ASSERT_TRUE(dup) << dup.error().message;
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->id, 4);

  // The old tap already has follow-ups: no more.
  auto f = sample_response("f-new");
  f.channel = domain::Channel::kiosk;
  f.supplements = 1;
  auto late = (*store)->responses().append(f);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "response 1 already has a follow-up");

  // New rows follow the new rules.
  auto tap = sample_response("tap-new");
  tap.channel = domain::Channel::kiosk;
  auto t = (*store)->responses().append(tap);
  ASSERT_TRUE(t);
  f.supplements = t->id;
  ASSERT_TRUE((*store)->responses().append(f));
  f.submission_key = "f-new-2";
  auto second = (*store)->responses().append(f);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  auto changed = sample_response("tap-new");
  auto reuse = (*store)->responses().append(changed);
  ASSERT_FALSE(reuse);
  EXPECT_TRUE(starts_with(reuse.error().message, kSubmissionKeyReused));

  // Reopening does not migrate again.
  store->reset();
  auto again = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)->schema_version(), kaiku::storage::testing::latest_schema_version());
  EXPECT_EQ(testing::raw_scalar(db, "SELECT count(*) FROM schema_migrations"), std::to_string(kaiku::storage::testing::latest_schema_version()));
}

}  // namespace
}  // namespace kaiku::storage
