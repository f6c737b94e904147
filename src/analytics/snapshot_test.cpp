// Engine snapshots: a round trip gives identical answers; damaged, truncated,
// foreign or hostile files are refused without crashing and leave the engine empty.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "analytics/engine.hpp"
#include "analytics/engine_test_util.hpp"

namespace kaiku::analytics {
namespace {

using namespace testing;
namespace fs = std::filesystem;

std::string temp_dir() {
  fs::path p = fs::temp_directory_path() / ("kaiku-snapshot-test-" + std::to_string(::getpid()));
  fs::create_directories(p);
  return p.string();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_all(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// The checksum as documented in snapshot.hpp, written independently: FNV-1a
// over 64-bit little-endian words, then the tail bytes.
std::uint64_t checksum(const std::string& payload) {
  std::uint64_t h = 14695981039346656037ULL;
  std::size_t i = 0;
  for (; i + 8 <= payload.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, payload.data() + i, 8);
    h = (h ^ w) * 1099511628211ULL;
  }
  for (; i < payload.size(); ++i) h = (h ^ static_cast<unsigned char>(payload[i])) * 1099511628211ULL;
  return h;
}

// Replaces the payload of a snapshot file image and fixes up length and checksum.
std::string with_payload(const std::string& file, const std::string& payload) {
  std::string out = file.substr(0, 32) + payload;
  const std::uint64_t size = payload.size(), sum = checksum(payload);
  std::memcpy(out.data() + 16, &size, 8);
  std::memcpy(out.data() + 24, &sum, 8);
  return out;
}

void fill(Engine& e) {
  std::mt19937 rng(3);
  for (int i = 1; i <= 600; ++i) {
    domain::Response r =
        nps_response(i,
                     i % 3 == 0   ? "a1"
                     : i % 3 == 1 ? "a2"
                                  : "b1",
                     date(2026, 1, 1) + static_cast<Day>(rng() % 90), static_cast<int>(rng() % 11),
                     static_cast<domain::Channel>(rng() % 9), static_cast<domain::AgeGroup>(rng() % 7));
    if (i % 4 == 0) r.answers.push_back(number("agree", 1 + static_cast<int>(rng() % 5)));
    if (i % 10 == 0) r.invitation = "inv" + std::to_string(i / 10);
    e.add(r);
  }
  for (int i = 1; i <= 80; ++i) {
    InvitationFact inv;
    inv.id = "inv" + std::to_string(i);
    inv.seq = 1000 + i;
    inv.created_at = at(date(2026, 1, 1) + i % 60, 8);
    inv.unit = i % 2 == 0 ? "a1" : "b1";
    inv.touchpoint = "tp1";
    inv.channel = domain::Channel::sms;
    e.add_invitation(inv);
  }
  // Named by a response, never added: stays pending in the snapshot.
  domain::Response r = nps_response(5000, "a1", date(2026, 2, 1), 9);
  r.invitation = "inv-later";
  e.add(r);
}

std::vector<Query> queries() {
  std::vector<Query> qs;
  qs.push_back(query("nps", "c", date(2026, 1, 1), date(2026, 3, 31), {Dimension::unit, Dimension::month}));
  qs.push_back(query("agree", "c", date(2026, 1, 1), date(2026, 3, 31), {Dimension::channel}));
  qs.push_back(query("responses", "a", date(2026, 1, 1), date(2026, 3, 31), {Dimension::week}));
  qs.push_back(query("response_rate", "c", date(2026, 1, 1), date(2026, 3, 31), {Dimension::unit}));
  // County-level: answered from the block pre-aggregates, rebuilt on load.
  qs.push_back(query("nps", "c", date(2026, 1, 1), date(2026, 3, 31), {Dimension::month}));
  qs.push_back(query("responses", "c", date(2026, 1, 1), date(2026, 3, 31), {Dimension::channel}));
  qs.push_back(query("agree", "c", date(2026, 1, 1), date(2026, 3, 31)));
  Query q = query("nps", "c", date(2026, 2, 1), date(2026, 2, 28), {Dimension::unit});
  q.standardise = q.compare = true;
  qs.push_back(q);
  return qs;
}

void expect_same(const Table& a, const Table& b) {
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    const Cell& x = a.cells[i];
    const Cell& y = b.cells[i];
    EXPECT_EQ(x.group, y.group);
    EXPECT_EQ(x.suppression, y.suppression);
    ASSERT_EQ(x.figure.has_value(), y.figure.has_value());
    if (x.figure) {
      EXPECT_EQ(x.figure->n, y.figure->n);
      EXPECT_EQ(x.figure->value, y.figure->value);
      EXPECT_EQ(x.figure->positive, y.figure->positive);
    }
    EXPECT_EQ(x.standardised.has_value(), y.standardised.has_value());
    if (x.standardised && y.standardised) {
      EXPECT_EQ(x.standardised->value, y.standardised->value);
    }
    EXPECT_EQ(x.previous.has_value(), y.previous.has_value());
    if (x.previous && y.previous) {
      EXPECT_EQ(x.previous->change, y.previous->change);
    }
  }
}

class Snapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir();
    path_ = dir_ + "/engine.snap";
    model_ = test_model();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_, path_;
  std::shared_ptr<domain::Model> model_;
};

TEST_F(Snapshot, RoundTripGivesIdenticalAnswers) {
  Engine a(model_);
  fill(a);
  ASSERT_TRUE(a.save_snapshot(path_).has_value());
  EXPECT_FALSE(fs::exists(path_ + ".tmp"));
  Engine b(model_);
  auto st = b.load_snapshot(path_);
  ASSERT_TRUE(st.has_value()) << st.error().message;
  EXPECT_EQ(b.response_count(), a.response_count());
  EXPECT_EQ(b.max_response_id(), 5000);
  EXPECT_EQ(b.max_invitation_seq(), 1080);
  for (const Query& q : queries()) {
    auto ta = a.query(q), tb = b.query(q);
    ASSERT_TRUE(ta.has_value() && tb.has_value());
    EXPECT_FALSE(ta->cells.empty());
    expect_same(*ta, *tb);
  }
  // Ids and invitations survive: old ids are ignored, a pending invitation is marked used.
  b.add(nps_response(7, "a1", date(2026, 1, 5), 10));
  EXPECT_EQ(b.response_count(), a.response_count());
  InvitationFact later;
  later.id = "inv-later";
  later.created_at = at(date(2026, 1, 10));
  later.unit = "a1";
  later.touchpoint = "tp1";
  b.add_invitation(later);
  a.add_invitation(later);
  Query q = query("response_rate", "c", date(2026, 1, 1), date(2026, 3, 31));
  auto ta = a.query(q), tb = b.query(q);
  ASSERT_TRUE(ta.has_value() && tb.has_value());
  expect_same(*ta, *tb);
  EXPECT_EQ(ta->cells[0].figure->n, 81);
  EXPECT_EQ(ta->cells[0].figure->positive, 61);  // 60 answered + the pending one
}

TEST_F(Snapshot, LargeLastBlockRoundTrips) {
  Engine a(model_);
  const char* units[] = {"a1", "b1", "a2", "a3"};
  for (int i = 1; i <= 5000; ++i) a.add(nps_response(i, units[i % 4], date(2026, 3, 31), i % 11));
  ASSERT_TRUE(a.save_snapshot(path_).has_value());
  Engine b(model_);
  auto st = b.load_snapshot(path_);
  ASSERT_TRUE(st.has_value()) << st.error().message;
  EXPECT_EQ(b.response_count(), 5000);
  for (const char* unit : {"c", "a"}) {
    const Query q = query("nps", unit, date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
    auto ta = a.query(q), tb = b.query(q);
    ASSERT_TRUE(ta.has_value() && tb.has_value());
    EXPECT_FALSE(ta->cells.empty());
    expect_same(*ta, *tb);
  }
}

// The snapshot's temporary file is a FIFO that nobody drains: the save blocks
// in its write. add() must still go through (the lock is held only while the
// engine is copied into memory, not during the write and fsync).
TEST_F(Snapshot, AddIsNotBlockedWhileTheSnapshotIsWritten) {
  Engine e(model_);
  const Day d = date(2026, 3, 10);
  e.add(nps_response(1, "a1", d, 10));
  e.add(nps_response(20'000'000, "a1", d, 9));  // a seen-id bitset of 2.5 MB: more than any buffer
  const std::string fifo = path_ + ".tmp";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  const int rd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(rd, 0);
  std::atomic<bool> saved{false}, added{false};
  std::thread saver([&] {
    (void)e.save_snapshot(path_);  // fails at fsync (a FIFO); only the blocking matters here
    saved = true;
  });
  // Wait until the pipe is full: the saver is then stuck in its write.
  const int capacity = ::fcntl(rd, F_GETPIPE_SZ);
  ASSERT_GT(capacity, 0);
  for (int avail = 0; avail < capacity;) {
    std::this_thread::yield();
    ASSERT_EQ(::ioctl(rd, FIONREAD, &avail), 0);
  }
  std::thread adder([&] {
    e.add(nps_response(2, "a2", d, 7));
    added = true;
  });
  // Give the adder ample time (a bound, not a measurement), then drain the pipe
  // so that the test ends either way.
  for (int i = 0; i < 2000 && !added; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool added_while_saving = added && !saved;
  std::vector<char> buf(1 << 16);
  while (!saved) {
    if (::read(rd, buf.data(), buf.size()) <= 0) std::this_thread::yield();
  }
  saver.join();
  adder.join();
  ::close(rd);
  EXPECT_TRUE(added_while_saving);
  EXPECT_EQ(e.response_count(), 3);
}

TEST_F(Snapshot, MissingFileIsNotFound) {
  Engine e(model_);
  auto st = e.load_snapshot(dir_ + "/nothing.snap");
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().kind, ErrorKind::not_found);
}

TEST_F(Snapshot, EmptyEngineRoundTrips) {
  Engine a(model_);
  ASSERT_TRUE(a.save_snapshot(path_).has_value());
  Engine b(model_);
  fill(b);
  ASSERT_TRUE(b.load_snapshot(path_).has_value());
  EXPECT_EQ(b.response_count(), 0);
}

TEST_F(Snapshot, DamagedFilesAreRefusedAndLeaveTheEngineEmpty) {
  Engine a(model_);
  fill(a);
  ASSERT_TRUE(a.save_snapshot(path_).has_value());
  const std::string good = read_all(path_);
  ASSERT_GT(good.size(), 1000U);
  auto expect_refused = [&](const std::string& data, const std::string& why) {
    write_all(path_, data);
    Engine e(model_);
    fill(e);
    auto st = e.load_snapshot(path_);
    ASSERT_FALSE(st.has_value()) << why;
    EXPECT_EQ(st.error().kind, ErrorKind::invalid_input) << why;
    EXPECT_NE(st.error().message.find(why), std::string::npos) << st.error().message;
    EXPECT_EQ(e.response_count(), 0);
    auto t = e.query(query("responses", "c", date(2026, 1, 1), date(2026, 3, 31)));
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(t->cells.empty());
  };
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x10;
  expect_refused(flipped, "checksum");
  expect_refused(good.substr(0, good.size() - 7), "truncated");
  expect_refused(good.substr(0, 20), "truncated");
  std::string magic = good;
  magic[0] = 'X';
  expect_refused(magic, "magic");
  std::string version = good;
  version[8] = 9;
  expect_refused(version, "version");
  // Hostile payloads with a valid checksum: huge counts, codes out of range.
  std::string payload = good.substr(32);
  std::string huge = payload;
  const std::uint32_t big = 0xFFFFFFF0U;
  std::memcpy(huge.data() + 24, &big, 4);  // the unit dictionary's size
  expect_refused(with_payload(good, huge), "dictionary");
  expect_refused(with_payload(good, payload + "x"), "trailing");
  expect_refused(with_payload(good, payload.substr(0, payload.size() - 3)), "truncated");
}

TEST_F(Snapshot, RandomDamageWithValidChecksumNeverCrashes) {
  Engine a(model_);
  fill(a);
  ASSERT_TRUE(a.save_snapshot(path_).has_value());
  const std::string good = read_all(path_);
  const std::string payload = good.substr(32);
  std::mt19937 rng(11);
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string p = payload;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) p[rng() % p.size()] = static_cast<char>(rng() % 256);
    write_all(path_, with_payload(good, p));
    Engine e(model_);
    auto st = e.load_snapshot(path_);
    if (!st.has_value()) {
      ++refused;
      EXPECT_EQ(e.response_count(), 0);
    }
    // Loaded or not, queries must work.
    for (const Query& q : queries()) (void)e.query(q);
  }
  EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace kaiku::analytics
