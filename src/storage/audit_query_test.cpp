// AuditLog::query on SQLite: newest first, each filter, the id cursor, limits.
#include <gtest/gtest.h>

#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class AuditQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    // 10 entries one second apart: logins a/b alternating, actions x.list / x.get / export.csv.
    for (int i = 0; i < 10; ++i) {
      AuditEntry e;
      e.at = at_ms(1'700'000'000'000 + i * 1000);
      e.user_id = i % 2 + 1;
      e.login = i % 2 == 0 ? "a" : "b";
      e.action = i % 3 == 0 ? "export.csv" : (i % 3 == 1 ? "x.list" : "x.get");
      e.object = "o" + std::to_string(i);
      e.count = i;
      ASSERT_TRUE(store_->audit().record(e));
    }
  }
  std::vector<std::string> objects(const AuditFilter& f) {
    auto got = store_->audit().query(f);
    EXPECT_TRUE(got) << got.error().message;
    std::vector<std::string> out;
    if (got) {
      for (const auto& e : *got) out.push_back(e.object);
    }
    return out;
  }

  testing::TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(AuditQueryTest, NewestFirstWithIdsAndAllFields) {
  AuditFilter f;
  f.limit = 3;
  auto got = store_->audit().query(f);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].object, "o9");
  EXPECT_EQ((*got)[0].login, "b");
  EXPECT_EQ((*got)[0].user_id, 2);
  EXPECT_EQ((*got)[0].action, "export.csv");
  EXPECT_EQ((*got)[0].count, 9);
  EXPECT_EQ((*got)[0].at, at_ms(1'700'000'009'000));
  EXPECT_GT((*got)[0].id, (*got)[1].id);
  EXPECT_GT((*got)[1].id, (*got)[2].id);
}

TEST_F(AuditQueryTest, FiltersCombine) {
  AuditFilter f;
  f.login = "a";
  EXPECT_EQ(objects(f), (std::vector<std::string>{"o8", "o6", "o4", "o2", "o0"}));
  f.actions = {"export.csv", "x.get"};
  EXPECT_EQ(objects(f), (std::vector<std::string>{"o8", "o6", "o2", "o0"}));
  f.from = at_ms(1'700'000'002'000);
  f.to = at_ms(1'700'000'008'000);  // exclusive
  EXPECT_EQ(objects(f), (std::vector<std::string>{"o6", "o2"}));
  AuditFilter none;
  none.login = "nobody";
  EXPECT_TRUE(objects(none).empty());
}

TEST_F(AuditQueryTest, CursorWalksBackwardsWithoutGapsOrRepeats) {
  AuditFilter f;
  f.actions = {"x.list", "x.get"};
  f.limit = 2;
  std::vector<std::string> all;
  for (int page = 0; page < 10; ++page) {
    auto got = store_->audit().query(f);
    ASSERT_TRUE(got);
    for (const auto& e : *got) all.push_back(e.object);
    if (static_cast<int>(got->size()) < f.limit) break;
    f.before_id = got->back().id;
  }
  EXPECT_EQ(all, (std::vector<std::string>{"o8", "o7", "o5", "o4", "o2", "o1"}));
}

TEST_F(AuditQueryTest, LimitOutsideRangeIsInvalid) {
  for (int limit : {0, 1001}) {
    AuditFilter f;
    f.limit = limit;
    auto got = store_->audit().query(f);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, ErrorKind::invalid_input);
  }
}

}  // namespace
}  // namespace kaiku::storage
