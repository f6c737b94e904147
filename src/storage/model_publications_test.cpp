// Model versions and their publications (schema 9): list, publish, published, and
// the migration of a database that remembered versions before publications existed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <string_view>

#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace sqlite {
extern const std::string_view kSchemaV9ModelPublications;
}  // namespace sqlite
namespace {

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class ModelPublicationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  ModelVersionRepository& versions() { return store_->model_versions(); }

  testing::TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(ModelPublicationsTest, NothingPublishedInAFreshDatabase) {
  EXPECT_EQ(versions().published().error().kind, ErrorKind::not_found);
  auto list = versions().list();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_TRUE(list->empty());
}

TEST_F(ModelPublicationsTest, PublishMakesAVersionCurrentAndRemembersWhoAndWhen) {
  ASSERT_TRUE(versions().remember("v1", "{}", at_ms(1000)));
  ASSERT_TRUE(versions().remember("v2", "{}", at_ms(2000)));
  ASSERT_TRUE(versions().publish("v1", 0, "", at_ms(1500)));  // loaded from a file
  EXPECT_EQ(*versions().published(), "v1");
  ASSERT_TRUE(versions().publish("v2", 7, "anna", at_ms(3000)));
  EXPECT_EQ(*versions().published(), "v2");

  auto list = versions().list();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  const ModelVersionInfo& newest = (*list)[0];
  EXPECT_EQ(newest.version, "v2") << "the most recently remembered first";
  EXPECT_EQ(newest.remembered_at, at_ms(2000));
  ASSERT_TRUE(newest.published_at);
  EXPECT_EQ(*newest.published_at, at_ms(3000));
  EXPECT_EQ(newest.published_by_user, 7);
  EXPECT_EQ(newest.published_by, "anna");
  EXPECT_TRUE(newest.current);
  const ModelVersionInfo& old = (*list)[1];
  EXPECT_EQ(old.version, "v1");
  ASSERT_TRUE(old.published_at);
  EXPECT_EQ(*old.published_at, at_ms(1500));
  EXPECT_EQ(old.published_by_user, 0);
  EXPECT_EQ(old.published_by, "");
  EXPECT_FALSE(old.current);
}

TEST_F(ModelPublicationsTest, RepublishingAnOlderVersionMakesItCurrentAgain) {
  ASSERT_TRUE(versions().remember("v1", "{}", at_ms(1000)));
  ASSERT_TRUE(versions().remember("v2", "{}", at_ms(2000)));
  ASSERT_TRUE(versions().publish("v1", 3, "eero", at_ms(1100)));
  ASSERT_TRUE(versions().publish("v2", 3, "eero", at_ms(2100)));
  ASSERT_TRUE(versions().publish("v1", 4, "anna", at_ms(3100)));
  EXPECT_EQ(*versions().published(), "v1");
  auto list = versions().list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[0].current);
  EXPECT_TRUE((*list)[1].current);
  EXPECT_EQ(*(*list)[1].published_at, at_ms(3100)) << "the last publication of the version";
  EXPECT_EQ((*list)[1].published_by, "anna");
}

TEST_F(ModelPublicationsTest, AVersionNeverPublishedIsListedWithoutPublication) {
  ASSERT_TRUE(versions().remember("v1", "{}", at_ms(1000)));
  auto list = versions().list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].published_at);
  EXPECT_FALSE((*list)[0].current);
}

TEST_F(ModelPublicationsTest, PublishingAnUnknownVersionIsNotFoundAndChangesNothing) {
  ASSERT_TRUE(versions().remember("v1", "{}", at_ms(1000)));
  ASSERT_TRUE(versions().publish("v1", 1, "a", at_ms(1000)));
  auto s = versions().publish("nope", 1, "a", at_ms(2000));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::not_found);
  EXPECT_EQ(*versions().published(), "v1");
}

TEST_F(ModelPublicationsTest, PublicationsSurviveReopening) {
  ASSERT_TRUE(versions().remember("v1", "{}", at_ms(1000)));
  ASSERT_TRUE(versions().remember("v2", "{}", at_ms(2000)));
  ASSERT_TRUE(versions().publish("v1", 2, "b", at_ms(3000)));
  store_.reset();
  auto s = open_sqlite_store(dir_.path(), clock_);
  ASSERT_TRUE(s) << s.error().message;
  store_ = std::move(*s);
  EXPECT_EQ(*versions().published(), "v1");
  EXPECT_EQ(*versions().latest(), "v2") << "latest() still means the last remembered";
}

// The migration on a database of schema 8: the version remembered last counts as
// published then, by its file; an empty table publishes nothing.
TEST(ModelPublicationsMigration, TheLastRememberedVersionBecomesPublished) {
  for (bool with_rows : {true, false}) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE model_versions (version TEXT PRIMARY KEY, model_json TEXT NOT NULL,"
        " remembered_at INTEGER NOT NULL);";
    if (with_rows) {
      sql += "INSERT INTO model_versions VALUES('b', '{}', 10), ('a', '{}', 20);";
    }
    sql += std::string(sqlite::kSchemaV9ModelPublications);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT version, published_at, user_id IS NULL, login FROM model_publications",
                                 -1, &st, nullptr),
              SQLITE_OK);
    if (with_rows) {
      ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), "a");
      EXPECT_EQ(sqlite3_column_int64(st, 1), 20);
      EXPECT_EQ(sqlite3_column_int(st, 2), 1);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))), "");
    }
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
}

}  // namespace
}  // namespace kaiku::storage
