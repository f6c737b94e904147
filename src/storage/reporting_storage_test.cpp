// Schema version 3 of the SQLite store (reporting): the instance id, age groups
// on responses and invitations, append_batch, scan, invitation sequence numbers and list, the
// fingerprint's compatibility with rows stored before, and the migration from a
// database written by schema version 2.
#include <gtest/gtest.h>

#include <set>

#include "storage/fingerprint.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::sample_response;
using testing::TempDir;

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class ReportingStorageTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::string scalar(const std::string& sql) { return testing::raw_scalar(sqlite_database_file(dir_.path()), sql); }
  Invitation invitation(const std::string& id, domain::AgeGroup age = domain::AgeGroup::unknown) {
    Invitation inv;
    inv.id = id;
    inv.token_hash = "hash-" + id;
    inv.touchpoint = "tp-outpatient";
    inv.unit = "u-1";
    inv.event_ref = "visit-" + id;
    inv.age_group = age;
    inv.created_at = clock_.now();
    inv.expires_at = clock_.now() + 48h;
    return inv;
  }

  TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

// ---- instance id ----

bool is_instance_id(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_F(ReportingStorageTest, InstanceIdIsRandomStoredAndKeptByCopies) {
  const std::string id = store_->instance_id();
  EXPECT_TRUE(is_instance_id(id)) << id;
  EXPECT_EQ(scalar("SELECT value FROM store_meta WHERE key = 'instance_id'"), id);
  // Reopening keeps it; another database has another.
  open();
  EXPECT_EQ(store_->instance_id(), id);
  TempDir other_dir;
  auto other = open_sqlite_store(other_dir.path(), clock_);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_TRUE(is_instance_id((*other)->instance_id()));
  EXPECT_NE((*other)->instance_id(), id);
  // A copy of the file (a backup) is the same database.
  store_.reset();  // closing checkpoints the WAL into kaiku.db
  TempDir copy_dir;
  std::filesystem::copy_file(sqlite_database_file(dir_.path()), sqlite_database_file(copy_dir.path()));
  auto copy = open_sqlite_store(copy_dir.path(), clock_);
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_EQ((*copy)->instance_id(), id);
}

TEST(SchemaMigration, DatabaseWithoutAnInstanceIdDoesNotOpen) {
  // Schema 3 as a pre-release build wrote it (no store_meta): refused with a
  // message naming the file, not served with an empty id.
  TempDir dir;
  const auto db = sqlite_database_file(dir.path());
  ManualClock clock(at_ms(1'700'000'000'000));
  std::string sql = "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations("
                    " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
  sql += std::string(sqlite::migrations().at(0)) + std::string(sqlite::migrations().at(1)) +
         std::string(sqlite::migrations().at(2)) +
         "DELETE FROM store_meta; INSERT INTO schema_migrations VALUES(1, 0), (2, 0), (3, 0);";
  std::string err;
  ASSERT_EQ(testing::raw_exec(db, sql, &err), SQLITE_OK) << err;
  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().kind, ErrorKind::unavailable);
  EXPECT_NE(store.error().message.find("instance id"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(db.string()), std::string::npos) << store.error().message;
}

// ---- age groups ----

// Pinned on purpose: a new migration must be added here (10: the staff workspace's
// sessions, cases, actions, model publications and mail, schema 6..10).
TEST_F(ReportingStorageTest, SchemaVersionIsTen) {
  EXPECT_EQ(store_->schema_version(), 10);
  EXPECT_EQ(sqlite::migrations().size(), 10u);
}

TEST_F(ReportingStorageTest, ResponseAgeGroupRoundTripsByName) {
  auto r = sample_response("k-age");
  r.age_group = domain::AgeGroup::from_65_to_74;
  auto out = store_->responses().append(r);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(store_->responses().get(out->id)->age_group, domain::AgeGroup::from_65_to_74);
  EXPECT_EQ(scalar("SELECT age_group FROM responses WHERE id = " + std::to_string(out->id)), "65_74");

  auto plain = store_->responses().append(sample_response("k-plain"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(store_->responses().get(plain->id)->age_group, domain::AgeGroup::unknown);
  EXPECT_EQ(scalar("SELECT age_group FROM responses WHERE id = " + std::to_string(plain->id)), "unknown");
}

TEST_F(ReportingStorageTest, UnknownAgeGroupInTheDatabaseIsAnInternalError) {
  auto out = store_->responses().append(sample_response("k-bad"));
  ASSERT_TRUE(out);
  // Responses are append-only (UPDATE raises), so write a bad row directly.
  ASSERT_EQ(testing::raw_exec(sqlite_database_file(dir_.path()),
                              "INSERT INTO responses(submission_key, model_version, touchpoint, unit, survey, channel,"
                              " language, respondent, answered_at, answers, created_at, age_group) VALUES('k-x', 'mv',"
                              " 'tp', 'u-1', 's', 'web', 'fi', 'self', 0, '{}', 0, 'ninety')"),
            SQLITE_OK);
  auto scanned = store_->responses().scan(0, 10);
  ASSERT_FALSE(scanned);
  EXPECT_EQ(scanned.error().kind, ErrorKind::internal);
  EXPECT_NE(scanned.error().message.find("age_group 'ninety'"), std::string::npos) << scanned.error().message;
}

// ---- the fingerprint ----

TEST(FingerprintCompatibility, UnknownAgeGroupKeepsTheFingerprintOfEarlierRows) {
  // The value response_fingerprint gave this response before schema 3 (computed
  // independently from the documented encoding).
  auto r = sample_response("any");
  EXPECT_EQ(response_fingerprint(r), "cfc71db20b3fc4b81d7e0dbb3090e00fc77638d95ea6876bab26eed1b72f0031");
  std::set<std::string> seen{response_fingerprint(r)};
  for (int i = 1; i < domain::kAgeGroupCount; ++i) {
    r.age_group = static_cast<domain::AgeGroup>(i);
    EXPECT_TRUE(seen.insert(response_fingerprint(r)).second) << domain::age_group_name(r.age_group);
  }
}

TEST_F(ReportingStorageTest, ReusedKeyWithAnotherAgeGroupConflicts) {
  auto r = sample_response("k-1");
  r.age_group = domain::AgeGroup::from_18_to_34;
  ASSERT_TRUE(store_->responses().append(r));
  auto same = store_->responses().append(r);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->duplicate);
  r.age_group = domain::AgeGroup::from_75;
  auto other = store_->responses().append(r);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::conflict);
}

// ---- append_batch ----

TEST_F(ReportingStorageTest, AppendBatchStoresAllInOrderInOneCommit) {
  std::vector<domain::Response> batch;
  for (int i = 0; i < 50; ++i) {
    auto r = sample_response("b-" + std::to_string(i), i % 2 == 0 ? "u-1" : "u-2", 1'700'000'000'000 + i);
    r.age_group = static_cast<domain::AgeGroup>(i % domain::kAgeGroupCount);
    if (i == 7) r.contact = domain::ContactRequest{"Anna", "0401234567", "", true};
    batch.push_back(r);
  }
  auto out = store_->responses().append_batch(batch);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 50u);
  for (std::size_t i = 0; i < out->size(); ++i) {
    EXPECT_FALSE((*out)[i].duplicate);
    if (i > 0) {
      EXPECT_EQ((*out)[i].id, (*out)[i - 1].id + 1) << "ids in batch order";
    }
    auto got = store_->responses().get((*out)[i].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->submission_key, batch[i].submission_key);
    EXPECT_EQ(got->age_group, batch[i].age_group);
  }
  EXPECT_EQ(*store_->responses().count(), 50);
  auto contact = store_->responses().contact_for((*out)[7].id);
  ASSERT_TRUE(contact && contact->has_value());
  EXPECT_EQ((*contact)->name, "Anna");
}

TEST_F(ReportingStorageTest, AppendBatchIsIdempotentAcrossAndWithinBatches) {
  auto first = store_->responses().append(sample_response("k-0"));
  ASSERT_TRUE(first);
  std::vector<domain::Response> batch{sample_response("k-0"), sample_response("k-1"), sample_response("k-1"),
                                      sample_response("k-2")};
  auto out = store_->responses().append_batch(batch);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TRUE((*out)[0].duplicate);
  EXPECT_EQ((*out)[0].id, first->id);
  EXPECT_FALSE((*out)[1].duplicate);
  EXPECT_TRUE((*out)[2].duplicate);
  EXPECT_EQ((*out)[2].id, (*out)[1].id);
  EXPECT_FALSE((*out)[3].duplicate);
  EXPECT_EQ(*store_->responses().count(), 3);

  // Re-running the same batch stores nothing new.
  auto again = store_->responses().append_batch(batch);
  ASSERT_TRUE(again);
  for (const auto& o : *again) EXPECT_TRUE(o.duplicate);
  EXPECT_EQ(*store_->responses().count(), 3);
}

TEST_F(ReportingStorageTest, AppendBatchFailsAsAWhole) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1")));
  ASSERT_TRUE(store_->responses().append(sample_response("used-key")));

  // A reused key with other content in the middle: nothing of the batch is stored,
  // not even the invitation consumed by an earlier response of the batch.
  std::vector<domain::Response> batch{sample_response("n-1"), sample_response("n-2")};
  batch[0].invitation = "inv-1";
  auto changed = sample_response("used-key");
  changed.answers[0].number = 3;
  batch.push_back(changed);
  batch.push_back(sample_response("n-3"));
  auto out = store_->responses().append_batch(batch);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::conflict);
  EXPECT_NE(out.error().message.find("response 2 of the batch"), std::string::npos) << out.error().message;
  EXPECT_NE(out.error().message.find(std::string(kSubmissionKeyReused)), std::string::npos);
  EXPECT_EQ(*store_->responses().count(), 1);
  EXPECT_EQ(scalar("SELECT used_at IS NULL FROM invitations WHERE id = 'inv-1'"), "1");
  EXPECT_EQ(scalar("SELECT event_ref FROM invitations WHERE id = 'inv-1'"), "visit-inv-1");

  // An invalid response (empty key) is refused before anything is written.
  std::vector<domain::Response> bad{sample_response("n-4"), sample_response("")};
  auto refused = store_->responses().append_batch(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(refused.error().message.find("response 1"), std::string::npos) << refused.error().message;
  EXPECT_EQ(*store_->responses().count(), 1);

  // A dangling follow-up fails the batch too; a valid batch afterwards works.
  std::vector<domain::Response> dangling{sample_response("n-5"), sample_response("n-6")};
  dangling[1].supplements = 99999;
  ASSERT_FALSE(store_->responses().append_batch(dangling));
  EXPECT_EQ(*store_->responses().count(), 1);
  batch.erase(batch.begin() + 2);
  auto ok = store_->responses().append_batch(batch);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*store_->responses().count(), 4);
  EXPECT_EQ(scalar("SELECT used_at IS NULL FROM invitations WHERE id = 'inv-1'"), "0");
}

TEST_F(ReportingStorageTest, EmptyBatchIsFine) {
  auto out = store_->responses().append_batch({});
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->empty());
}

// ---- scan ----

TEST_F(ReportingStorageTest, ScanPagesThroughEveryUnitWithoutContacts) {
  std::vector<domain::Response> batch;
  for (int i = 0; i < 25; ++i) {
    auto r = sample_response("s-" + std::to_string(i), "u-" + std::to_string(i % 5));
    r.contact = domain::ContactRequest{"N", "0401234567", "", true};
    batch.push_back(r);
  }
  ASSERT_TRUE(store_->responses().append_batch(batch));
  std::vector<std::string> keys;
  std::int64_t cursor = 0;
  int pages = 0;
  for (;;) {
    auto page = store_->responses().scan(cursor, 10);
    ASSERT_TRUE(page) << page.error().message;
    if (page->empty()) break;
    ++pages;
    EXPECT_LE(page->size(), 10u);
    for (const auto& r : *page) {
      EXPECT_GT(r.id, cursor);
      EXPECT_FALSE(r.contact.has_value());
      cursor = r.id;
      keys.push_back(r.submission_key);
    }
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(keys.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(keys[static_cast<std::size_t>(i)], "s-" + std::to_string(i));

  for (int bad : {0, -1, 10001}) {
    auto r = store_->responses().scan(0, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  }
  EXPECT_TRUE(store_->responses().scan(0, 10000));
}

// ---- invitations ----

TEST_F(ReportingStorageTest, InvitationsGetGrowingSeqAndListPages) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(store_->invitations().create(
        invitation("inv-" + std::to_string(i), static_cast<domain::AgeGroup>(i % domain::kAgeGroupCount))));
  }
  auto found = store_->invitations().find_by_token_hash("hash-inv-3");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->age_group, domain::AgeGroup::from_35_to_49);
  EXPECT_GT(found->seq, 0);

  std::vector<Invitation> all;
  std::int64_t after = 0;
  for (;;) {
    auto page = store_->invitations().list(after, 3);
    ASSERT_TRUE(page) << page.error().message;
    if (page->empty()) break;
    for (auto& inv : *page) {
      EXPECT_GT(inv.seq, after);
      after = inv.seq;
      all.push_back(std::move(inv));
    }
  }
  ASSERT_EQ(all.size(), 7u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id, "inv-" + std::to_string(i));
    EXPECT_EQ(all[i].age_group, static_cast<domain::AgeGroup>(i % domain::kAgeGroupCount));
    EXPECT_EQ(all[i].event_ref, "visit-inv-" + std::to_string(i));
  }
  EXPECT_EQ(all[3].seq, found->seq);
  auto tail = store_->invitations().list(all[4].seq, 100);
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[0].id, "inv-5");

  // Using one does not change its seq; the list shows it used.
  auto r = sample_response("via-inv");
  r.invitation = "inv-2";
  ASSERT_TRUE(store_->responses().append(r));
  auto after_use = store_->invitations().list(0, 100);
  ASSERT_TRUE(after_use);
  EXPECT_EQ((*after_use)[2].seq, all[2].seq);
  EXPECT_TRUE((*after_use)[2].used_at.has_value());
  EXPECT_EQ((*after_use)[2].event_ref, "");

  ASSERT_FALSE(store_->invitations().list(0, 0));
  ASSERT_FALSE(store_->invitations().list(0, 10001));
}

// ---- migration from schema version 2 ----

TEST(SchemaMigration, DatabaseWrittenByVersion2Migrates) {
  TempDir dir;
  const auto db = sqlite_database_file(dir.path());
  ManualClock clock(at_ms(1'700'000'000'000));
  // A version-2 database: the first two migrations applied by hand, and rows
  // written as version 2 wrote them (with their fingerprint of the time).
  std::string v1(sqlite::migrations().at(0));
  std::string v2(sqlite::migrations().at(1));
  std::string err;
  ASSERT_EQ(testing::raw_exec(db,
                              "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations("
                              " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);" +
                                  v1 + v2 + "INSERT INTO schema_migrations VALUES(1, 0), (2, 0);",
                              &err),
            SQLITE_OK)
      << err;
  const auto old = sample_response("old-key");
  const std::string fp = response_fingerprint(old);
  ASSERT_EQ(testing::raw_exec(
                db,
                "INSERT INTO invitations VALUES('inv-a', 'h-a', 'tp', 'u-1', 'visit-1', 'fi', 'sms', 0, 9999999999999,"
                " NULL), ('inv-b', 'h-b', 'tp', 'u-1', 'visit-2', 'sv', 'web', 0, 9999999999999, NULL);"
                "INSERT INTO responses(id, submission_key, model_version, touchpoint, unit, survey, channel, language,"
                " respondent, answered_at, answers, created_at, fingerprint) VALUES(1, 'old-key', 'mv-1',"
                " 'tp-outpatient', 'u-1', 'core', 'web', 'sv', 'relative', 1700000000000,"
                " '{\"nps\":9,\"treated_well\":\"cant_say\",\"channels\":[\"phone\",\"web\"],"
                "\"went_well\":\"Yst\u00e4v\u00e4llinen hoitaja <script>alert(1)</script> \\\"quoted\\\"\"}', 0, '" +
                    fp + "');",
                &err),
            SQLITE_OK)
      << err;

  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kaiku::storage::testing::latest_schema_version());
  const std::string instance = (*store)->instance_id();
  EXPECT_TRUE(is_instance_id(instance)) << "the migration gives an existing database its id: " << instance;
  auto r = (*store)->responses().get(1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->age_group, domain::AgeGroup::unknown);
  EXPECT_EQ(response_fingerprint(*r), fp) << "a stored row's content gives the fingerprint stored with it";

  // The old row's fingerprint still identifies it: the same submission again is a
  // duplicate, other content a conflict.
  auto dup = (*store)->responses().append(old);
  ASSERT_TRUE(dup) << dup.error().message;
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->id, 1);
  auto aged = old;
  aged.age_group = domain::AgeGroup::from_35_to_49;
  auto conflict = (*store)->responses().append(aged);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().kind, ErrorKind::conflict);

  // Invitations from before get seq = rowid, age group unknown; new ones follow.
  Invitation inv;
  inv.id = "inv-c";
  inv.token_hash = "h-c";
  inv.touchpoint = "tp";
  inv.unit = "u-1";
  inv.age_group = domain::AgeGroup::under_18;
  inv.created_at = clock.now();
  inv.expires_at = clock.now() + 1h;
  ASSERT_TRUE((*store)->invitations().create(inv));
  auto list = (*store)->invitations().list(0, 10);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, "inv-a");
  EXPECT_EQ((*list)[0].seq, 1);
  EXPECT_EQ((*list)[0].age_group, domain::AgeGroup::unknown);
  EXPECT_EQ((*list)[1].seq, 2);
  EXPECT_EQ((*list)[2].id, "inv-c");
  EXPECT_EQ((*list)[2].seq, 3);
  EXPECT_EQ((*list)[2].age_group, domain::AgeGroup::under_18);

  // Reopening does not migrate again.
  store->reset();
  auto again = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)->schema_version(), kaiku::storage::testing::latest_schema_version());
  EXPECT_EQ((*again)->instance_id(), instance);
  EXPECT_EQ(testing::raw_scalar(db, "SELECT count(*) FROM schema_migrations"), std::to_string(kaiku::storage::testing::latest_schema_version()));
}

}  // namespace
}  // namespace kaiku::storage
