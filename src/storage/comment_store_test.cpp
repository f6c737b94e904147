// Free text in the SQLite store (schema 5): insights stored with a response and
// returned by get/list/scan; sealed originals written by append and read only
// through CommentRepository, expiring and purged; responses needing analysis;
// store_analysis's rules; the SMS comment path; the migration from schema 4.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

#include <sqlite3.h>

#include "storage/storage_test_util.hpp"
#include "storage/fingerprint.hpp"
#include "storage/outreach_test_util.hpp"
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::at_ms;
using testing::sample_response;
using testing::TempDir;

constexpr std::int64_t kStart = 1'700'000'000'000;

// Sealed bytes are opaque to storage; NUL and high bytes must survive.
const std::string kSealed("\x00sealed\xff\x01 went_well", 18);

domain::CommentInsight insight(const std::string& key, domain::Sentiment s = domain::Sentiment::positive) {
  domain::CommentInsight in;
  in.question_key = key;
  in.language = "fi";
  in.sentiment = s;
  in.themes = {"staff_kindness", "access_waiting"};
  in.suggestion = true;
  in.placeholders = {"nimi", "puhelin", "nimi"};
  return in;
}

domain::SealedOriginal original(const std::string& key, TimePoint expires, const std::string& sealed = kSealed) {
  return domain::SealedOriginal{key, sealed, expires};
}

// sample_response with a second open answer, "improve".
domain::Response two_texts(const std::string& key, const std::string& unit = "u-1") {
  domain::Response r = sample_response(key, unit);
  domain::Answer improve;
  improve.key = "improve";
  improve.text = "Soittakaa [puhelin]";
  r.answers.push_back(improve);
  return r;
}

// two_texts as the service stores it: both texts analysed, both originals sealed.
domain::Response analysed(const std::string& key, TimePoint expires, const std::string& unit = "u-1") {
  domain::Response r = two_texts(key, unit);
  r.insights = {insight("went_well"), insight("improve", domain::Sentiment::mixed)};
  r.insights[1].themes.clear();
  r.insights[1].placeholders = {"puhelin"};
  r.insights[1].suggestion = false;
  r.originals = {original("went_well", expires), original("improve", expires, "sealed improve")};
  return r;
}

void expect_same_insights(const std::vector<domain::CommentInsight>& got,
                          const std::vector<domain::CommentInsight>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].question_key, want[i].question_key);
    EXPECT_EQ(got[i].language, want[i].language);
    EXPECT_EQ(got[i].sentiment, want[i].sentiment);
    EXPECT_EQ(got[i].themes, want[i].themes);
    EXPECT_EQ(got[i].suggestion, want[i].suggestion);
    EXPECT_EQ(got[i].placeholders, want[i].placeholders);
  }
}

const std::string& text_of(const domain::Response& r, const std::string& key) {
  for (const auto& a : r.answers) {
    if (a.key == key) return a.text;
  }
  static const std::string none = "<no such answer>";
  return none;
}

class CommentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open(SqliteOptions o = no_purge()) {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_, o);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  static SqliteOptions no_purge() {
    SqliteOptions o;
    o.purge_interval = 0ms;
    return o;
  }
  std::int64_t append(const domain::Response& r) {
    auto out = store_->responses().append(r);
    EXPECT_TRUE(out) << out.error().message;
    return out ? out->id : 0;
  }
  std::vector<std::int64_t> needing(std::int64_t after = 0, int limit = 100) {
    auto page = store_->comments().needing_analysis(after, limit);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::int64_t> ids;
    if (page) {
      for (const auto& r : *page) ids.push_back(r.id);
    }
    return ids;
  }
  std::string scalar(const std::string& sql) { return testing::raw_scalar(sqlite_database_file(dir_.path()), sql); }
  CommentRepository& comments() { return store_->comments(); }

  TempDir dir_;
  ManualClock clock_{at_ms(kStart)};
  std::unique_ptr<Store> store_;
};

TEST_F(CommentStoreTest, InsightsComeBackWithGetListAndScanButOriginalsNever) {
  const TimePoint expires = clock_.now() + 90 * 24h;
  const domain::Response a = analysed("a", expires);
  append(sample_response("plain"));  // id 1, no insights
  const std::int64_t id = append(a);
  append(analysed("other-unit", expires, "u-2"));

  auto got = store_->responses().get(id);
  ASSERT_TRUE(got) << got.error().message;
  expect_same_insights(got->insights, a.insights);
  EXPECT_TRUE(got->originals.empty());

  auto scanned = store_->responses().scan(0, 100);
  ASSERT_TRUE(scanned) << scanned.error().message;
  ASSERT_EQ(scanned->size(), 3u);
  EXPECT_TRUE((*scanned)[0].insights.empty());
  expect_same_insights((*scanned)[1].insights, a.insights);
  EXPECT_EQ((*scanned)[2].insights.size(), 2u);
  for (const auto& r : *scanned) EXPECT_TRUE(r.originals.empty());

  ResponseQuery q;
  q.units = {"u-1"};
  auto listed = store_->responses().list(q);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_TRUE((*listed)[0].insights.empty());
  expect_same_insights((*listed)[1].insights, a.insights);
  EXPECT_TRUE((*listed)[1].originals.empty());

  auto originals = comments().originals(id, clock_.now());
  ASSERT_TRUE(originals) << originals.error().message;
  ASSERT_EQ(originals->size(), 2u);
  EXPECT_EQ((*originals)[0].question_key, "improve");  // by question key
  EXPECT_EQ((*originals)[0].sealed, "sealed improve");
  EXPECT_EQ((*originals)[1].question_key, "went_well");
  EXPECT_EQ((*originals)[1].sealed, kSealed) << "bytes kept exactly, NUL included";
  EXPECT_EQ((*originals)[1].expires_at, expires);

  EXPECT_EQ(needing(), (std::vector<std::int64_t>{1})) << "only the response without insights needs analysis";
}

TEST_F(CommentStoreTest, InsightsOfASparsePageGoToTheirOwnResponses) {
  // Units interleaved, so a page of u-1 has gaps in its ids (the seek-by-ids path).
  std::vector<std::int64_t> u1;
  for (int i = 0; i < 20; ++i) {
    domain::Response r = analysed("k" + std::to_string(i), clock_.now() + 24h, i % 3 == 0 ? "u-1" : "u-2");
    r.insights[0].language = "lang-" + std::to_string(i);
    const std::int64_t id = append(r);
    if (i % 3 == 0) u1.push_back(id);
  }
  ResponseQuery q;
  q.units = {"u-1"};
  auto listed = store_->responses().list(q);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), u1.size());
  for (std::size_t i = 0; i < u1.size(); ++i) {
    ASSERT_EQ((*listed)[i].insights.size(), 2u);
    EXPECT_EQ((*listed)[i].insights[0].language, "lang-" + std::to_string(3 * i));
    EXPECT_EQ((*listed)[i].insights[0].question_key, "went_well") << "in the order of the answers";
  }
  // A page boundary inside the range: scan pages of 7.
  std::int64_t after = 0;
  std::size_t seen = 0;
  for (;;) {
    auto page = store_->responses().scan(after, 7);
    ASSERT_TRUE(page) << page.error().message;
    if (page->empty()) break;
    for (const auto& r : *page) {
      ASSERT_EQ(r.insights.size(), 2u);
      EXPECT_EQ(r.insights[0].language, "lang-" + std::to_string(r.id - 1));
      ++seen;
    }
    after = page->back().id;
  }
  EXPECT_EQ(seen, 20u);
}

TEST_F(CommentStoreTest, WhatNeedsAnalysis) {
  domain::Response numbers = sample_response("numbers");
  numbers.answers.pop_back();  // no open answer left
  domain::Response empty_text = sample_response("empty");
  empty_text.answers.back().text = "";
  domain::Response partly = two_texts("partly");
  partly.insights = {insight("went_well")};

  const std::int64_t plain = append(sample_response("plain"));
  append(numbers);
  append(empty_text);
  const std::int64_t part = append(partly);
  append(analysed("done", clock_.now() + 24h));
  const std::int64_t plain2 = append(sample_response("plain2"));

  EXPECT_EQ(needing(), (std::vector<std::int64_t>{plain, part, plain2}));
  EXPECT_EQ(needing(plain), (std::vector<std::int64_t>{part, plain2}));
  EXPECT_EQ(needing(0, 1), (std::vector<std::int64_t>{plain}));
  auto page = comments().needing_analysis(plain, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  expect_same_insights((*page)[0].insights, partly.insights);  // as list() returns it
  EXPECT_EQ(text_of((*page)[0], "improve"), "Soittakaa [puhelin]");

  EXPECT_EQ(comments().needing_analysis(0, 0).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(comments().needing_analysis(0, 10001).error().kind, ErrorKind::invalid_input);
}

TEST_F(CommentStoreTest, AppendRefusesInsightsAndOriginalsThatNameNoOpenAnswer) {
  auto refused = [&](domain::Response r, const std::string& what) {
    auto out = store_->responses().append(r);
    ASSERT_FALSE(out) << what;
    EXPECT_EQ(out.error().kind, ErrorKind::invalid_input) << what;
    EXPECT_NE(out.error().message.find(what), std::string::npos) << out.error().message;
  };
  domain::Response r = sample_response("k");
  r.insights = {insight("nps")};
  refused(r, "'nps' is not a non-empty open-text answer");
  r.insights = {insight("went_well"), insight("went_well")};
  refused(r, "two insights for 'went_well'");
  r.insights = {insight("went_well")};
  r.originals = {original("nope", clock_.now() + 1h)};
  refused(r, "originals: 'nope'");
  r.originals = {original("went_well", clock_.now() + 1h, "")};
  refused(r, "is empty");
  // The same rules on the batch path: nothing of the batch is stored.
  domain::Response bad = sample_response("bad");
  bad.insights = {insight("channels")};
  auto batch = store_->responses().append_batch({sample_response("good"), bad});
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(*store_->responses().count(), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM comment_insights"), "0");
}

TEST_F(CommentStoreTest, ARetriedSubmissionSealedAgainIsADuplicateAndTheFirstStands) {
  const TimePoint expires = clock_.now() + 24h;
  domain::Response first = analysed("k", expires);
  const std::int64_t id = append(first);
  domain::Response retry = analysed("k", expires + 1h);
  retry.originals[0].sealed = "another nonce";  // sealing draws a new nonce every time
  retry.insights[0].sentiment = domain::Sentiment::negative;
  auto out = store_->responses().append(retry);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->duplicate);
  EXPECT_EQ(out->id, id);
  EXPECT_EQ(comments().originals(id, clock_.now())->at(1).sealed, kSealed);
  EXPECT_EQ(store_->responses().get(id)->insights.at(0).sentiment, domain::Sentiment::positive);
  // In one batch as well.
  auto batch = store_->responses().append_batch({analysed("b", expires), retry});
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_TRUE((*batch)[1].duplicate);
}

TEST_F(CommentStoreTest, OriginalsExpireAndArePurged) {
  const std::int64_t id = append(analysed("a", clock_.now() + 1h));
  domain::Response later = analysed("b", clock_.now() + 3h);
  const std::int64_t id2 = append(later);

  EXPECT_EQ(comments().originals(id, clock_.now() + 1h - 1ms)->size(), 2u);
  EXPECT_TRUE(comments().originals(id, clock_.now() + 1h)->empty()) << "expired at expires_at, before the purge";
  auto missing = comments().originals(999, clock_.now());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_TRUE(comments().originals(append(sample_response("none")), clock_.now())->empty());

  auto purged = comments().purge_expired_originals(clock_.now() + 1h - 1ms);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 0);
  purged = comments().purge_expired_originals(clock_.now() + 1h);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM sealed_originals WHERE response_id = " + std::to_string(id)), "0");
  EXPECT_EQ(comments().originals(id2, clock_.now())->size(), 2u);
  EXPECT_EQ(store_->responses().get(id)->insights.size(), 2u) << "the analysis stays";
}

TEST_F(CommentStoreTest, TheStorePurgesOriginalsAtOpenAndPeriodically) {
  SqliteOptions o;
  o.purge_interval = 1h;
  o.maintenance_poll = 24h;  // no timed wake: purges come only before batches
  open(o);
  append(analysed("a", clock_.now() + 30min));
  append(analysed("b", clock_.now() + 3h));
  auto some_write = [&] { ASSERT_TRUE(store_->model_versions().remember("v", "{}", clock_.now())); };
  clock_.advance(40min);
  some_write();
  EXPECT_EQ(scalar("SELECT count(*) FROM sealed_originals"), "4") << "a expired, but no purge is due yet";
  clock_.advance(20min);  // one hour after open
  some_write();
  EXPECT_EQ(scalar("SELECT count(*) FROM sealed_originals"), "2");
  clock_.advance(2h);
  some_write();
  EXPECT_EQ(scalar("SELECT count(*) FROM sealed_originals"), "0");

  open(no_purge());
  append(analysed("c", clock_.now() + 1min));
  clock_.advance(2min);
  open(no_purge());  // the purge at open
  EXPECT_EQ(scalar("SELECT count(*) FROM sealed_originals"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM comment_insights"), "6") << "analyses are kept";
}

TEST_F(CommentStoreTest, StoreAnalysisReplacesTheTextsOnceAndStoresTheAnalysis) {
  const std::int64_t other = append(sample_response("other"));
  const std::int64_t id = append(two_texts("k"));
  ASSERT_EQ(needing(), (std::vector<std::int64_t>{other, id}));

  auto stored = store_->responses().get(id);
  ASSERT_TRUE(stored);
  domain::Response redacted = *stored;
  for (auto& a : redacted.answers) {
    if (a.key == "went_well") a.text = "Ystävällinen hoitaja [nimi]";
  }
  redacted.insights = {insight("improve"), insight("went_well")};
  redacted.originals = {original("went_well", clock_.now() + 24h)};
  ASSERT_TRUE(comments().store_analysis(redacted));

  auto after = store_->responses().get(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(text_of(*after, "went_well"), "Ystävällinen hoitaja [nimi]");
  EXPECT_EQ(text_of(*after, "improve"), "Soittakaa [puhelin]");
  EXPECT_EQ(after->answers.size(), stored->answers.size());
  EXPECT_EQ(after->answers[0].key, stored->answers[0].key) << "answers keep their order";
  ASSERT_EQ(after->insights.size(), 2u);
  EXPECT_EQ(after->insights[0].question_key, "went_well") << "in the order of the answers";
  EXPECT_EQ(comments().originals(id, clock_.now())->size(), 1u);
  EXPECT_EQ(needing(), (std::vector<std::int64_t>{other}));
  EXPECT_EQ(scalar("SELECT count(*) FROM responses WHERE answers LIKE '%script%'"), "1") << "only `other`";

  // The same analysis again (a second processor): nothing changes, no error.
  redacted.originals[0].sealed = "a new nonce";
  ASSERT_TRUE(comments().store_analysis(redacted));
  EXPECT_EQ(comments().originals(id, clock_.now())->at(0).sealed, kSealed);
  // Another text for an analysed response: refused.
  redacted.answers.back().text = "something else";
  auto again = comments().store_analysis(redacted);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict) << again.error().message;
  EXPECT_EQ(text_of(*store_->responses().get(id), "improve"), "Soittakaa [puhelin]");
  // And the response is still append-only otherwise.
  std::string err;
  EXPECT_NE(testing::raw_exec(sqlite_database_file(dir_.path()),
                              "UPDATE responses SET answers = '{}' WHERE id = " + std::to_string(id), &err),
            SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
}

TEST_F(CommentStoreTest, StoreAnalysisRefusesAnythingButNewTexts) {
  const std::int64_t id = append(sample_response("k"));
  const domain::Response stored = *store_->responses().get(id);
  auto refused = [&](domain::Response r, ErrorKind kind, const std::string& what) {
    auto s = comments().store_analysis(r);
    ASSERT_FALSE(s) << what;
    EXPECT_EQ(s.error().kind, kind) << s.error().message;
    EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
  };
  domain::Response r = stored;
  r.answers.pop_back();
  refused(r, ErrorKind::invalid_input, "has 3 answers");
  r = stored;
  r.answers.back().key = "renamed";
  refused(r, ErrorKind::invalid_input, "'went_well' is missing");
  r = stored;
  r.answers[0].number = 3;  // nps
  refused(r, ErrorKind::invalid_input, "'nps' differs in more than its text");
  r = stored;
  r.answers[2].choices = {"phone"};
  refused(r, ErrorKind::invalid_input, "'channels' differs");
  r = stored;
  r.answers[1].cant_say = false;
  r.answers[1].text = "text now";
  refused(r, ErrorKind::invalid_input, "'treated_well' differs");
  r = stored;
  r.insights = {insight("nps")};
  refused(r, ErrorKind::invalid_input, "'nps' is not a non-empty open-text answer");
  r = stored;
  r.answers.push_back(r.answers.back());
  refused(r, ErrorKind::invalid_input, "given twice");
  r = stored;
  r.id = 999;
  refused(r, ErrorKind::not_found, "response 999 does not exist");
  r.id = 0;
  refused(r, ErrorKind::invalid_input, "id must be set");

  EXPECT_EQ(needing(), (std::vector<std::int64_t>{id})) << "nothing changed";
  EXPECT_EQ(text_of(*store_->responses().get(id), "went_well"), text_of(stored, "went_well"));
  EXPECT_EQ(scalar("SELECT count(*) FROM comment_insights"), "0");
}

TEST_F(CommentStoreTest, StoreAnalysisWithoutChangesMarksTheResponseAnalysed) {
  const std::int64_t id = append(sample_response("k"));
  domain::Response r = *store_->responses().get(id);
  r.insights = {insight("went_well")};  // nothing to redact
  ASSERT_TRUE(comments().store_analysis(r));
  EXPECT_TRUE(needing().empty());
  EXPECT_EQ(store_->responses().get(id)->insights.size(), 1u);
}

TEST_F(CommentStoreTest, ReplacedOriginalTextsLeaveNoTraceInTheFiles) {
  SqliteOptions o;
  o.purge_interval = 1h;
  o.maintenance_poll = 5ms;
  open(o);
  const std::string marker = "Zyxwvut-Original-Qwerty";
  domain::Response plain = sample_response("k");
  plain.answers.back().text = "Hoitaja " + marker + " oli ystävällinen";
  const std::int64_t id = append(plain);
  const auto db = sqlite_database_file(dir_.path());
  const auto wal = std::filesystem::path(db.string() + "-wal");
  auto bytes = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  ASSERT_TRUE(bytes(db).find(marker) != std::string::npos || bytes(wal).find(marker) != std::string::npos)
      << "the marker must be on disk first, or this test proves nothing";
  domain::Response redacted = *store_->responses().get(id);
  redacted.answers.back().text = "Hoitaja [nimi] oli ystävällinen";
  redacted.insights = {insight("went_well")};
  redacted.originals = {original("went_well", clock_.now() + 90 * 24h)};
  ASSERT_TRUE(comments().store_analysis(redacted));
  clock_.advance(61min);  // the periodic purge deletes nothing, but truncates the WAL
  for (int i = 0; i < 2000; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(wal, ec) == 0 && !ec) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  EXPECT_EQ(bytes(db).find(marker), std::string::npos) << "secure_delete: the replaced text is zeroed";
  EXPECT_EQ(bytes(wal).find(marker), std::string::npos);
  EXPECT_EQ(comments().originals(id, clock_.now())->size(), 1u);
}

TEST_F(CommentStoreTest, StoreAnalysisRecomputesTheFingerprintOverTheRedactedTexts) {
  domain::Response plain = sample_response("k");
  plain.answers.back().text = "Soittakaa 040 123 4567";
  plain.contact = domain::ContactRequest{"N", "040 123 4567", "", true};
  const std::int64_t id = append(plain);
  const std::string fp_sql = "SELECT fingerprint FROM responses WHERE id = " + std::to_string(id);
  ASSERT_EQ(scalar(fp_sql), response_fingerprint(plain)) << "the test's premise";
  // The contact details expire first: the contact bit of the fingerprint must survive.
  ASSERT_EQ(*store_->responses().purge_expired_contacts(clock_.now() + 1000 * 24h), 1);

  domain::Response redacted = *store_->responses().get(id);
  redacted.answers.back().text = "Soittakaa [puhelin]";
  redacted.insights = {insight("went_well")};
  ASSERT_TRUE(comments().store_analysis(redacted));

  domain::Response retry = plain;  // the same submission, redacted at append
  retry.answers.back().text = "Soittakaa [puhelin]";
  EXPECT_EQ(scalar(fp_sql), response_fingerprint(retry));
  EXPECT_NE(scalar(fp_sql), response_fingerprint(plain)) << "no hash of the original text stays";
  auto again = store_->responses().append(retry);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->id, id);

  // The fingerprint changes only with the analysis, once.
  std::string err;
  const auto db = sqlite_database_file(dir_.path());
  EXPECT_NE(testing::raw_exec(db, "UPDATE responses SET fingerprint = 'x' WHERE id = " + std::to_string(id), &err),
            SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
  const std::int64_t fresh = append(sample_response("fresh"));
  ASSERT_EQ(needing(), (std::vector<std::int64_t>{fresh}));
  EXPECT_NE(testing::raw_exec(db, "UPDATE responses SET fingerprint = 'x' WHERE id = " + std::to_string(fresh), &err),
            SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
}

// The test's own reader: holds a read transaction (a WAL snapshot) until released.
class RawReader {
 public:
  explicit RawReader(const std::filesystem::path& db) {
    EXPECT_EQ(sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN; SELECT count(*) FROM responses;", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void release() {
    if (db_ != nullptr) sqlite3_exec(db_, "COMMIT;", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  ~RawReader() { release(); }

 private:
  sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Appends a response whose text holds `marker`, then replaces the text; returns the id.
std::int64_t replace_marked_text(Store& store, const std::string& marker, TimePoint now) {
  domain::Response plain = sample_response("k");
  plain.answers.back().text = "Hoitaja " + marker + " oli ystävällinen";
  auto appended = store.responses().append(plain);
  EXPECT_TRUE(appended);
  if (!appended) return 0;
  domain::Response redacted = *store.responses().get(appended->id);
  redacted.answers.back().text = "Hoitaja [nimi] oli ystävällinen";
  redacted.insights = {insight("went_well")};
  redacted.originals = {original("went_well", now + 90 * 24h)};
  EXPECT_TRUE(store.comments().store_analysis(redacted));
  return appended->id;
}

TEST_F(CommentStoreTest, FlushReplacedTextsTruncatesTheWalUnlessReadersKeepItBusy) {
  SqliteOptions o = no_purge();  // no periodic purge: only the flush truncates
  o.busy_timeout = 200ms;
  open(o);
  const auto db = sqlite_database_file(dir_.path());
  const auto wal = std::filesystem::path(db.string() + "-wal");
  const std::string marker = "Zyxwvut-Flush-Qwerty";
  domain::Response first = sample_response("first");
  append(first);
  RawReader reader(db);  // its snapshot predates the original text
  replace_marked_text(*store_, marker, clock_.now());
  ASSERT_NE(file_bytes(wal).find(marker), std::string::npos) << "the original must be in the WAL first";

  auto busy = comments().flush_replaced_texts();
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().kind, ErrorKind::unavailable) << busy.error().message;
  EXPECT_NE(file_bytes(wal).find(marker), std::string::npos);

  reader.release();
  auto flushed = comments().flush_replaced_texts();
  ASSERT_TRUE(flushed) << flushed.error().message;
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  EXPECT_EQ(file_bytes(db).find(marker), std::string::npos) << "secure_delete: the replaced text is zeroed";
  EXPECT_EQ(file_bytes(wal).find(marker), std::string::npos);
  EXPECT_EQ(text_of(*store_->responses().get(1), "went_well"), text_of(first, "went_well"));
}

TEST_F(CommentStoreTest, APurgeWhoseCheckpointWasBusyTriesAgainAtTheNext) {
  SqliteOptions o;
  o.purge_interval = 1h;
  o.maintenance_poll = 24h;  // no timed wake: purges come only before batches
  open(o);
  const auto db = sqlite_database_file(dir_.path());
  const auto wal = std::filesystem::path(db.string() + "-wal");
  const std::string marker = "Zyxwvut-Retry-Qwerty";
  auto some_write = [&] { ASSERT_TRUE(store_->model_versions().remember("v", "{}", clock_.now())); };
  append(sample_response("first"));
  RawReader reader(db);
  replace_marked_text(*store_, marker, clock_.now());
  clock_.advance(61min);
  some_write();  // the purge deletes nothing; its checkpoint is busy
  ASSERT_NE(file_bytes(wal).find(marker), std::string::npos) << "the reader kept the WAL";
  reader.release();
  clock_.advance(61min);
  some_write();  // the next purge deletes nothing either, but truncates the WAL
  // (the write after it starts a new WAL, without the responses' pages)
  EXPECT_EQ(file_bytes(wal).find(marker), std::string::npos);
  EXPECT_EQ(file_bytes(db).find(marker), std::string::npos);
}

// ---- the SMS comment path ----

class CommentReplyTest : public testing::OutreachTest {};

TEST_F(CommentReplyTest, AnSmsCommentStoresItsInsightsAndOriginal) {
  Scheduling s = scheduling("a", "person-a", "number-a", true);
  s.message.not_before = clock_.now();
  s.message.next_attempt_at = clock_.now();
  auto scheduled = schedule("a", s);
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(scheduled.message_id, clock_.now(), "ok"));
  const std::int64_t dialogue = repo().get_message(scheduled.message_id)->dialogue_id;

  ReplyStep step;
  step.dialogue_id = dialogue;
  step.from_state = DialogueState::awaiting_score;
  step.to_state = DialogueState::done;
  step.updated_at = clock_.now();
  domain::Response comment;
  comment.submission_key = "sms-a-comment";
  comment.model_version = "v1";
  comment.touchpoint = "tp-u-1";
  comment.unit = "u-1";
  comment.survey = "core";
  comment.channel = domain::Channel::sms;
  comment.answered_at = clock_.now();
  domain::Answer open;
  open.key = "open";
  open.text = "Kiitos [nimi]";
  comment.answers = {open};
  comment.insights = {insight("open")};
  comment.originals = {original("open", clock_.now() + 24h)};
  step.comment = comment;
  auto out = repo().apply_reply(step);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->stored.size(), 1u);
  EXPECT_TRUE(out->stored[0].originals.empty()) << "sealed originals are not handed on with the outcome";
  expect_same_insights(out->stored[0].insights, comment.insights);
  const std::int64_t id = out->stored[0].id;
  auto got = store_->responses().get(id);
  ASSERT_TRUE(got);
  expect_same_insights(got->insights, comment.insights);
  EXPECT_EQ(store_->comments().originals(id, clock_.now())->size(), 1u);
  EXPECT_TRUE(store_->comments().needing_analysis(0, 10)->empty());
}

// ---- migration from schema version 4 ----

TEST(CommentMigration, TextAnswersOfAVersion4DatabaseNeedAnalysis) {
  TempDir dir;
  const auto db = sqlite_database_file(dir.path());
  ManualClock clock(at_ms(kStart));
  std::string sql = "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations("
                    " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
  for (int i = 0; i < 4; ++i) sql += std::string(sqlite::migrations().at(static_cast<std::size_t>(i)));
  sql += "INSERT INTO schema_migrations VALUES(1, 0), (2, 0), (3, 0), (4, 0);";
  const char* answers[] = {
      R"({"nps":9,"open":"Hoitaja Virtanen oli ystävällinen"})",  // 1: text
      R"({"nps":9,"agree":"cant_say"})",                          // 2: no text
      R"({"open":""})",                                           // 3: empty text
      R"({"choice":["a"],"multi":["a","b"]})",                    // 4: choices only
      R"({"agree":"cant_say","open":"Jonot liian pitkät"})",      // 5: text
      R"({})",                                                    // 6: nothing
  };
  int id = 0;
  for (const char* a : answers) {
    ++id;
    sql += "INSERT INTO responses(id, submission_key, model_version, touchpoint, unit, survey, channel, language,"
           " respondent, answered_at, answers, created_at) VALUES(" +
           std::to_string(id) + ", 'k" + std::to_string(id) +
           "', 'mv', 'tp', 'u-1', 'core', 'web', 'fi', 'self', 1700000000000, '" + a + "', 0);";
  }
  std::string err;
  ASSERT_EQ(testing::raw_exec(db, sql, &err), SQLITE_OK) << err;

  auto store = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), kaiku::storage::testing::latest_schema_version());
  auto page = (*store)->comments().needing_analysis(0, 100);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, 1);
  EXPECT_EQ((*page)[1].id, 5);
  EXPECT_EQ(testing::raw_scalar(db, "SELECT group_concat(text_analysed) FROM responses"), "0,1,1,1,0,1");
  // The partial index holds just those rows.
  EXPECT_EQ(testing::raw_scalar(db, "SELECT count(*) FROM responses INDEXED BY responses_needing_analysis"
                                    " WHERE text_analysed = 0"),
            "2");

  // Old rows can be analysed, once; they are append-only otherwise.
  domain::Response r = (*page)[0];
  r.answers[1].text = "Hoitaja [nimi] oli ystävällinen";
  r.insights = {insight("open")};
  r.originals = {original("open", clock.now() + 24h)};
  ASSERT_TRUE((*store)->comments().store_analysis(r));
  EXPECT_EQ((*store)->comments().needing_analysis(0, 100)->size(), 1u);
  EXPECT_EQ(text_of(*(*store)->responses().get(1), "open"), "Hoitaja [nimi] oli ystävällinen");
  EXPECT_EQ(testing::raw_scalar(db, "SELECT fingerprint IS NULL FROM responses WHERE id = 1"), "1")
      << "a row from before fingerprints keeps none";
  EXPECT_NE(testing::raw_exec(db, "UPDATE responses SET unit = 'u-9' WHERE id = 5", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
  EXPECT_NE(testing::raw_exec(db, "DELETE FROM responses WHERE id = 6", &err), SQLITE_OK);
  EXPECT_NE(testing::raw_exec(db, "UPDATE responses SET text_analysed = 0 WHERE id = 1", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
}

}  // namespace
}  // namespace kaiku::storage
