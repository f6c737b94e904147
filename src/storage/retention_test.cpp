// Contact-detail retention in the SQLite store: the writer purges expired
// contact details periodically (by the injected Clock), and deleted rows do not
// linger in the database or WAL files (secure_delete + WAL truncation).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

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

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class RetentionTest : public ::testing::Test {
 protected:
  void open(SqliteOptions o) {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_, o);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::filesystem::path db() const { return sqlite_database_file(dir_.path()); }
  std::string contacts() { return testing::raw_scalar(db(), "SELECT count(*) FROM contact_requests"); }
  void add_contact(const std::string& key, const std::string& name) {
    auto r = sample_response(key);
    r.contact = domain::ContactRequest{name, "+358 40 123 4567", "x@example.fi", true};
    auto out = store_->responses().append(r);
    ASSERT_TRUE(out) << out.error().message;
  }
  // Any write: the writer checks before each batch whether a purge is due.
  void some_write() { ASSERT_TRUE(store_->model_versions().remember("v", "{}", clock_.now())); }

  TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(RetentionTest, WriterPurgesExpiredContactsEveryIntervalByTheClock) {
  SqliteOptions o;
  o.contact_retention = 1min;
  o.purge_interval = 1h;
  o.maintenance_poll = 24h;  // no timed wake during the test: purges come only before batches
  open(o);
  add_contact("k1", "Maija");
  clock_.advance(2min);  // expired, but the next purge is due one hour after open
  some_write();
  EXPECT_EQ(contacts(), "1");
  EXPECT_FALSE(store_->responses().contact_for(1)->has_value()) << "expired contacts are never served";

  clock_.advance(58min);  // one hour after open
  some_write();
  EXPECT_EQ(contacts(), "0");
  EXPECT_EQ(*store_->responses().count(), 1) << "the response stays";

  add_contact("k2", "Matti");  // expires at +61 min; next purge due at +2 h
  clock_.advance(30min);
  some_write();
  EXPECT_EQ(contacts(), "1");
  clock_.advance(30min);
  some_write();
  EXPECT_EQ(contacts(), "0");
}

TEST_F(RetentionTest, ContactsWithinRetentionSurviveThePurge) {
  SqliteOptions o;
  o.contact_retention = 24h * 90;
  o.purge_interval = 1h;
  o.maintenance_poll = 24h;
  open(o);
  add_contact("k1", "Maija");
  clock_.advance(24h * 89);
  some_write();
  EXPECT_EQ(contacts(), "1");
  EXPECT_TRUE(store_->responses().contact_for(1)->has_value());
  clock_.advance(24h + 1h);
  some_write();
  EXPECT_EQ(contacts(), "0");
}

TEST_F(RetentionTest, IdleWriterWakesUpToPurge) {
  SqliteOptions o;
  o.contact_retention = 1min;
  o.purge_interval = 1h;
  o.maintenance_poll = 5ms;  // the idle writer looks at the clock this often
  open(o);
  add_contact("k1", "Maija");
  clock_.advance(61min);
  // No writes: the writer thread must purge by itself. Bounded wait, no timing assertion.
  for (int i = 0; i < 2000 && contacts() != "0"; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(contacts(), "0");
}

TEST_F(RetentionTest, PurgeIntervalZeroMeansOnlyAtOpen) {
  SqliteOptions o;
  o.contact_retention = 1min;
  o.purge_interval = 0ms;
  o.maintenance_poll = 5ms;
  open(o);
  add_contact("k1", "Maija");
  clock_.advance(24h);
  some_write();
  EXPECT_EQ(contacts(), "1");
  open(o);  // the purge at open
  EXPECT_EQ(contacts(), "0");
}

TEST_F(RetentionTest, PurgedContactsLeaveNoTraceInTheFiles) {
  SqliteOptions o;
  o.contact_retention = 1min;
  o.purge_interval = 1h;
  o.maintenance_poll = 5ms;
  open(o);
  const std::string marker = "Zyxwvut-Marker-Qwerty";
  add_contact("k1", marker);
  add_contact("k2", "Another Person");
  const bool on_disk = file_bytes(db()).find(marker) != std::string::npos ||
                       file_bytes(db().string() + "-wal").find(marker) != std::string::npos;
  ASSERT_TRUE(on_disk) << "the marker must be on disk before the purge, or this test proves nothing";
  clock_.advance(61min);
  // The periodic purge deletes both rows, then truncates the WAL.
  const auto wal = std::filesystem::path(db().string() + "-wal");
  for (int i = 0; i < 2000; ++i) {
    std::error_code ec;
    if (contacts() == "0" && std::filesystem::file_size(wal, ec) == 0 && !ec) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(contacts(), "0");
  EXPECT_EQ(std::filesystem::file_size(wal), 0u) << "the WAL is truncated after a purge";
  EXPECT_EQ(file_bytes(db()).find(marker), std::string::npos) << "secure_delete: the deleted name is zeroed";
  EXPECT_EQ(file_bytes(wal).find(marker), std::string::npos);
  store_.reset();
  EXPECT_EQ(file_bytes(db()).find(marker), std::string::npos);
}

}  // namespace
}  // namespace kaiku::storage
