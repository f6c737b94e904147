#include "storage/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::sample_response;

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open(SqliteOptions options = {}) {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_, options);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  // Runs raw SQL on the database file through a separate connection.
  int raw_exec(const std::string& sql, std::string* err = nullptr) {
    sqlite3* db = nullptr;
    sqlite3_open(sqlite_database_file(dir_.path()).c_str(), &db);
    sqlite3_busy_timeout(db, 5000);
    char* msg = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    if (err && msg) *err = msg;
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc;
  }
  std::string raw_scalar(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(sqlite_database_file(dir_.path()).c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  Invitation invitation(const std::string& id, std::int64_t expires_ms) {
    Invitation inv;
    inv.id = id;
    inv.token_hash = "hash-" + id;
    inv.touchpoint = "tp-outpatient";
    inv.unit = "u-1";
    inv.event_ref = "visit-" + id;
    inv.language = domain::Language::en;
    inv.channel = domain::Channel::sms;
    inv.created_at = clock_.now();
    inv.expires_at = at_ms(expires_ms);
    return inv;
  }

  TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

// ---- schema ----

TEST_F(SqliteStoreTest, MigratesEmptyDatabaseWithDurablePragmas) {
  EXPECT_EQ(store_->schema_version(), kaiku::storage::testing::latest_schema_version());
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "kaiku.db"));
  EXPECT_EQ(raw_scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM schema_migrations"), std::to_string(kaiku::storage::testing::latest_schema_version()));
  for (const char* t : {"responses", "contact_requests", "invitations", "users", "api_tokens", "audit_log",
                        "model_versions", "events", "contacts", "dialogues", "outbox", "person_history", "opt_outs"}) {
    EXPECT_EQ(raw_scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='") + t + "'"),
              "1")
        << t;
  }
}

TEST_F(SqliteStoreTest, ReopenIsIdempotent) {
  open();
  open();
  EXPECT_EQ(store_->schema_version(), kaiku::storage::testing::latest_schema_version());
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM schema_migrations"), std::to_string(kaiku::storage::testing::latest_schema_version()));
}

TEST_F(SqliteStoreTest, NewerSchemaIsAClearError) {
  store_.reset();
  ASSERT_EQ(raw_exec("INSERT INTO schema_migrations(version, applied_at) VALUES(99, 0)"), SQLITE_OK);
  auto s = open_sqlite_store(dir_.path(), clock_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::unavailable);
  EXPECT_NE(s.error().message.find("99"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("newer"), std::string::npos) << s.error().message;
}

TEST_F(SqliteStoreTest, UnopenableDirectoryIsUnavailable) {
  SqliteOptions o;
  o.create_dir = false;
  auto s = open_sqlite_store(dir_.path() / "missing", clock_, o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::unavailable);
}

// ---- responses ----

TEST_F(SqliteStoreTest, AppendAndGetRoundTrip) {
  auto r = sample_response("key-1");
  auto out = store_->responses().append(r);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_GT(out->id, 0);
  EXPECT_FALSE(out->duplicate);
  auto got = store_->responses().get(out->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->id, out->id);
  EXPECT_EQ(got->submission_key, "key-1");
  EXPECT_EQ(got->model_version, "mv-1");
  EXPECT_EQ(got->touchpoint, "tp-outpatient");
  EXPECT_EQ(got->unit, "u-1");
  EXPECT_EQ(got->survey, "core");
  EXPECT_EQ(got->channel, domain::Channel::web);
  EXPECT_EQ(got->language, domain::Language::sv);
  EXPECT_EQ(got->respondent, domain::Respondent::relative);
  EXPECT_EQ(got->answered_at, r.answered_at);
  ASSERT_EQ(got->answers.size(), 4u);
  EXPECT_EQ(got->answers[0].number, 9);
  EXPECT_TRUE(got->answers[1].cant_say);
  EXPECT_EQ(got->answers[3].text, r.answers[3].text);
  EXPECT_FALSE(got->contact.has_value());
  EXPECT_EQ(got->supplements, 0);
  EXPECT_EQ(*store_->responses().count(), 1);

  auto missing = store_->responses().get(out->id + 100);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(SqliteStoreTest, EmptySubmissionKeyIsInvalid) {
  auto out = store_->responses().append(sample_response(""));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::invalid_input);
}

TEST_F(SqliteStoreTest, SupplementsRefersToAnExistingResponse) {
  auto first = store_->responses().append(sample_response("tap"));
  ASSERT_TRUE(first);
  auto follow = sample_response("follow");
  follow.channel = domain::Channel::kiosk;
  follow.supplements = first->id;
  auto out = store_->responses().append(follow);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(store_->responses().get(out->id)->supplements, first->id);

  auto dangling = sample_response("dangling");
  dangling.supplements = 9999;
  auto bad = store_->responses().append(dangling);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(*store_->responses().count(), 2);
}

TEST_F(SqliteStoreTest, ListFiltersAndPages) {
  // 10 responses: units alternate u-1/u-2, touchpoints alternate every 5, channel qr for odd i.
  for (int i = 0; i < 10; ++i) {
    auto r = sample_response("k" + std::to_string(i), i % 2 == 0 ? "u-1" : "u-2", 1'000'000 + i * 1000);
    r.touchpoint = i < 5 ? "tp-a" : "tp-b";
    r.channel = i % 2 == 1 ? domain::Channel::qr : domain::Channel::web;
    ASSERT_TRUE(store_->responses().append(r));
  }
  auto& repo = store_->responses();
  ResponseQuery q;
  EXPECT_TRUE(repo.list(q)->empty()) << "empty units means no rows";

  q.units = {"u-1", "u-2"};
  EXPECT_EQ(repo.list(q)->size(), 10u);
  q.units = {"u-1"};
  auto u1 = *repo.list(q);
  ASSERT_EQ(u1.size(), 5u);
  for (const auto& r : u1) EXPECT_EQ(r.unit, "u-1");
  for (std::size_t i = 1; i < u1.size(); ++i) EXPECT_LT(u1[i - 1].id, u1[i].id);

  q.units = {"u-1", "u-2"};
  q.touchpoint = "tp-b";
  EXPECT_EQ(repo.list(q)->size(), 5u);
  q.channel = domain::Channel::qr;
  EXPECT_EQ(repo.list(q)->size(), 3u);  // i = 5, 7, 9
  q.touchpoint.reset();
  q.channel.reset();
  q.from = at_ms(1'002'000);
  q.to = at_ms(1'005'000);
  auto window = *repo.list(q);
  ASSERT_EQ(window.size(), 3u);  // i = 2, 3, 4: from inclusive, to exclusive
  EXPECT_EQ(window.front().submission_key, "k2");
  EXPECT_EQ(window.back().submission_key, "k4");

  // Cursor paging: 3 pages of at most 4.
  q = ResponseQuery{};
  q.units = {"u-1", "u-2"};
  q.limit = 4;
  std::vector<std::string> keys;
  for (int page = 0; page < 5; ++page) {
    auto items = *repo.list(q);
    if (items.empty()) break;
    for (const auto& r : items) keys.push_back(r.submission_key);
    q.after_id = items.back().id;
  }
  ASSERT_EQ(keys.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(keys[i], "k" + std::to_string(i));

  // Hostile unit strings are data, not SQL.
  q = ResponseQuery{};
  q.units = {"u-1' OR '1'='1", "\"]"};
  EXPECT_TRUE(repo.list(q)->empty());
}

TEST_F(SqliteStoreTest, ListWithWideScopeUsesSameSemantics) {
  // >= 16 units in scope takes the primary-key plan; results must be the same.
  for (int i = 0; i < 30; ++i) {
    auto r = sample_response("k" + std::to_string(i), "u-" + std::to_string(i % 3), 1'000'000 + i);
    r.touchpoint = i % 2 == 0 ? "tp-a" : "tp-b";
    ASSERT_TRUE(store_->responses().append(r));
  }
  ResponseQuery q;
  for (int u = 1; u <= 20; ++u) q.units.push_back("u-" + std::to_string(u));  // u-1, u-2 in scope, not u-0
  q.limit = 7;
  std::vector<std::string> keys;
  for (;;) {
    auto items = store_->responses().list(q);
    ASSERT_TRUE(items) << items.error().message;
    if (items->empty()) break;
    EXPECT_LE(items->size(), 7u);
    for (const auto& r : *items) {
      EXPECT_NE(r.unit, "u-0");
      keys.push_back(r.submission_key);
    }
    q.after_id = items->back().id;
  }
  EXPECT_EQ(keys.size(), 20u);
  q.after_id = 0;
  q.limit = 100;
  q.touchpoint = "tp-a";
  q.from = at_ms(1'000'010);
  auto filtered = *store_->responses().list(q);
  // even i in 10..29 with i % 3 != 0: 10, 14, 16, 20, 22, 26, 28
  ASSERT_EQ(filtered.size(), 7u);
  EXPECT_EQ(filtered.front().submission_key, "k10");
  EXPECT_EQ(filtered.back().submission_key, "k28");
}

TEST_F(SqliteStoreTest, ListRejectsBadLimit) {
  ResponseQuery q;
  q.units = {"u-1"};
  q.limit = 0;
  EXPECT_EQ(store_->responses().list(q).error().kind, ErrorKind::invalid_input);
  q.limit = 1001;
  EXPECT_EQ(store_->responses().list(q).error().kind, ErrorKind::invalid_input);
  q.limit = 1000;
  EXPECT_TRUE(store_->responses().list(q));
}

TEST_F(SqliteStoreTest, DuplicateKeySequential) {
  auto a = store_->responses().append(sample_response("same"));
  auto again = sample_response("same");
  again.answered_at += std::chrono::seconds(3);  // a retry a moment later is the same submission
  again.model_version = "mv-2";                  // also after a model reload
  auto b = store_->responses().append(again);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->duplicate);
  EXPECT_TRUE(b->duplicate);
  EXPECT_EQ(a->id, b->id);
  auto changed = store_->responses().append(sample_response("same", "u-2"));
  ASSERT_FALSE(changed) << "a reused key with other content is not a duplicate";
  EXPECT_EQ(changed.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store_->responses().count(), 1);
  EXPECT_EQ(store_->responses().get(a->id)->unit, "u-1") << "the first submission wins";
}

TEST_F(SqliteStoreTest, DuplicateKeysConcurrentStoredExactlyOnce) {
  // 16 threads submit overlapping keys (each key by 4 threads); each key is stored
  // exactly once and every caller of a key learns the same id.
  constexpr int kThreads = 16;
  constexpr int kKeys = 200;
  std::mutex mu;
  std::map<std::string, std::set<std::int64_t>> ids;
  std::map<std::string, int> fresh;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kKeys; ++k) {
        if ((k + t) % 4 != 0) continue;  // keys spread over the threads, 4 submitters each
        std::string key = "key-" + std::to_string(k);
        auto out = store_->responses().append(sample_response(key));
        if (!out) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        ids[key].insert(out->id);
        if (!out->duplicate) ++fresh[key];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->responses().count(), kKeys);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kKeys));
  for (const auto& [key, set] : ids) {
    EXPECT_EQ(set.size(), 1u) << key;
    EXPECT_EQ(fresh[key], 1) << key << " acknowledged as new more than once";
  }
  EXPECT_EQ(raw_scalar("SELECT count(DISTINCT submission_key) FROM responses"), std::to_string(kKeys));
}

TEST_F(SqliteStoreTest, ReadersRunConcurrentlyWithWriters) {
  std::atomic<bool> writing{true};
  std::atomic<int> read_errors{0}, write_errors{0};
  std::vector<std::thread> writers, readers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!store_->responses().append(sample_response("w" + std::to_string(t) + "-" + std::to_string(i)))) {
          ++write_errors;
        }
      }
    });
  }
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      ResponseQuery q;
      q.units = {"u-1"};
      q.limit = 1000;
      std::int64_t seen = 0;
      while (writing) {
        auto n = store_->responses().count();
        auto items = store_->responses().list(q);
        if (!n || !items) {
          ++read_errors;
          continue;
        }
        // Within one reader, a later snapshot never shows fewer rows.
        if (static_cast<std::int64_t>(items->size()) < seen) ++read_errors;
        seen = *n;
      }
    });
  }
  for (auto& th : writers) th.join();
  writing = false;
  for (auto& th : readers) th.join();
  EXPECT_EQ(write_errors.load(), 0);
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(*store_->responses().count(), 400);
}

TEST_F(SqliteStoreTest, ResponsesAreAppendOnly) {
  auto out = store_->responses().append(sample_response("k"));
  ASSERT_TRUE(out);
  std::string err;
  EXPECT_NE(raw_exec("UPDATE responses SET unit='u-9'", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
  err.clear();
  EXPECT_NE(raw_exec("DELETE FROM responses", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
  EXPECT_EQ(store_->responses().get(out->id)->unit, "u-1");
  ASSERT_TRUE(store_->audit().record({clock_.now(), 1, "a", "responses.get", "1", 1}));
  EXPECT_NE(raw_exec("DELETE FROM audit_log"), SQLITE_OK);
  EXPECT_NE(raw_exec("UPDATE audit_log SET login = 'b'"), SQLITE_OK);
  EXPECT_EQ(store_->audit().recent(10)->size(), 1u);
}

// ---- invitations ----

TEST_F(SqliteStoreTest, InvitationCreateFindAndDuplicate) {
  auto inv = invitation("inv-1", 1'800'000'000'000);
  ASSERT_TRUE(store_->invitations().create(inv));
  auto found = store_->invitations().find_by_token_hash("hash-inv-1");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->id, "inv-1");
  EXPECT_EQ(found->event_ref, "visit-inv-1");
  EXPECT_EQ(found->language, domain::Language::en);
  EXPECT_EQ(found->channel, domain::Channel::sms);
  EXPECT_EQ(found->expires_at, inv.expires_at);
  EXPECT_FALSE(found->used_at);
  auto again = store_->invitations().create(inv);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(store_->invitations().find_by_token_hash("nope").error().kind, ErrorKind::not_found);
}

TEST_F(SqliteStoreTest, InvitationIsSingleUse) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1", 1'800'000'000'000)));
  auto r1 = sample_response("k1");
  r1.invitation = "inv-1";
  auto first = store_->responses().append(r1);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(store_->invitations().find_by_token_hash("hash-inv-1")->used_at, clock_.now());

  // A retry of the same submission is a duplicate, not a conflict.
  auto retry = store_->responses().append(r1);
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->id, first->id);

  // A different submission with the used invitation conflicts and stores nothing.
  auto r2 = sample_response("k2");
  r2.invitation = "inv-1";
  r2.contact = domain::ContactRequest{"N", "040 123 4567", "", true};
  auto second = store_->responses().append(r2);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store_->responses().count(), 1);
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM contact_requests"), "0");
}

TEST_F(SqliteStoreTest, ExpiredOrUnknownInvitationConflicts) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-old", 1'700'000'100'000)));
  clock_.advance(200s);  // now past expiry
  auto r = sample_response("k1");
  r.invitation = "inv-old";
  auto out = store_->responses().append(r);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::conflict);
  EXPECT_FALSE(store_->invitations().find_by_token_hash("hash-inv-old")->used_at);

  r.invitation = "inv-unknown";
  out = store_->responses().append(r);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::conflict);
  EXPECT_EQ(*store_->responses().count(), 0);
}

TEST_F(SqliteStoreTest, ConcurrentUseOfOneInvitationOnlyOneWins) {
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1", 1'800'000'000'000)));
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = sample_response("k" + std::to_string(t));
      r.invitation = "inv-1";
      auto out = store_->responses().append(r);
      if (out) ++ok;
      else if (out.error().kind == ErrorKind::conflict) ++conflicts;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  EXPECT_EQ(*store_->responses().count(), 1);
}

// ---- contact requests ----

TEST_F(SqliteStoreTest, ContactStoredApartAndExpires) {
  SqliteOptions o;
  o.contact_retention = std::chrono::hours(24 * 90);
  o.purge_interval = 0ms;  // only the explicit purge below (the periodic one: retention_test.cpp)
  open(o);
  auto r = sample_response("k1");
  r.contact = domain::ContactRequest{"Maija Meikäläinen", "+358 40 123 4567", "maija@example.fi", true};
  auto out = store_->responses().append(r);
  ASSERT_TRUE(out);
  // Not in the response or its answers.
  auto got = store_->responses().get(out->id);
  EXPECT_FALSE(got->contact.has_value());
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM responses WHERE answers LIKE '%Maija%'"), "0");
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM contact_requests"), "1");

  auto c = store_->responses().contact_for(out->id);
  ASSERT_TRUE(c && c->has_value());
  EXPECT_EQ((*c)->name, "Maija Meikäläinen");
  EXPECT_EQ((*c)->phone, "+358 40 123 4567");
  EXPECT_EQ((*c)->email, "maija@example.fi");
  EXPECT_TRUE((*c)->consent);
  auto none = store_->responses().contact_for(out->id + 1);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  clock_.advance(std::chrono::hours(24 * 90 - 1));
  EXPECT_TRUE(store_->responses().contact_for(out->id)->has_value());
  clock_.advance(std::chrono::hours(1));
  EXPECT_FALSE(store_->responses().contact_for(out->id)->has_value()) << "expired contact is never served";
  auto purged = store_->responses().purge_expired_contacts(clock_.now());
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM contact_requests"), "0");
  EXPECT_EQ(*store_->responses().count(), 1) << "the response itself stays";
}

TEST_F(SqliteStoreTest, OpeningPurgesExpiredContacts) {
  auto r = sample_response("k1");
  r.contact = domain::ContactRequest{"A", "0401234567", "", true};
  ASSERT_TRUE(store_->responses().append(r));
  clock_.advance(std::chrono::hours(24 * 91));
  open();
  EXPECT_EQ(raw_scalar("SELECT count(*) FROM contact_requests"), "0");
}

// ---- users and tokens ----

TEST_F(SqliteStoreTest, UsersAndTokens) {
  User u;
  u.login = "maija";
  u.password_hash = "$argon2id$fake";
  u.role = domain::Role::unit_manager;
  u.scope_unit = "u-1";
  auto id = store_->users().add(u);
  ASSERT_TRUE(id) << id.error().message;
  auto dup = store_->users().add(u);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  EXPECT_NE(dup.error().message.find("maija"), std::string::npos);

  auto by_login = store_->users().find_by_login("maija");
  ASSERT_TRUE(by_login);
  EXPECT_EQ(by_login->id, *id);
  EXPECT_EQ(by_login->role, domain::Role::unit_manager);
  EXPECT_EQ(by_login->scope_unit, "u-1");
  EXPECT_EQ(by_login->password_hash, "$argon2id$fake");
  EXPECT_EQ(store_->users().find_by_id(*id)->login, "maija");
  EXPECT_EQ(store_->users().find_by_login("nobody").error().kind, ErrorKind::not_found);

  ApiToken forever{*id, "th-forever", clock_.now(), std::nullopt};
  ApiToken shortlived{*id, "th-short", clock_.now(), clock_.now() + 1h};
  ASSERT_TRUE(store_->users().add_token(forever));
  ASSERT_TRUE(store_->users().add_token(shortlived));
  EXPECT_EQ(store_->users().add_token(forever).error().kind, ErrorKind::conflict);
  EXPECT_EQ(store_->users().add_token({*id + 5, "th-x", clock_.now(), std::nullopt}).error().kind,
            ErrorKind::not_found);

  EXPECT_EQ(store_->users().user_for_token("th-forever", clock_.now())->login, "maija");
  EXPECT_TRUE(store_->users().user_for_token("th-short", clock_.now() + 59min));
  auto expired = store_->users().user_for_token("th-short", clock_.now() + 1h);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(store_->users().user_for_token("th-unknown", clock_.now()).error().kind, ErrorKind::unauthorized);

  ASSERT_EQ(raw_exec("UPDATE api_tokens SET revoked_at = 1 WHERE token_hash = 'th-forever'"), SQLITE_OK);
  EXPECT_EQ(store_->users().user_for_token("th-forever", clock_.now()).error().kind, ErrorKind::unauthorized);
}

TEST_F(SqliteStoreTest, DisabledUserTokenIsUnauthorized) {
  User u;
  u.login = "off";
  u.password_hash = "h";
  u.role = domain::Role::integration;
  u.disabled = true;
  auto id = store_->users().add(u);
  ASSERT_TRUE(id);
  EXPECT_TRUE(store_->users().find_by_id(*id)->disabled);
  ASSERT_TRUE(store_->users().add_token({*id, "th", clock_.now(), std::nullopt}));
  EXPECT_EQ(store_->users().user_for_token("th", clock_.now()).error().kind, ErrorKind::unauthorized);
}

// ---- audit ----

TEST_F(SqliteStoreTest, AuditRecordAndRecent) {
  for (int i = 0; i < 5; ++i) {
    AuditEntry e{at_ms(1000 + i), 7, "maija", "responses.list", "unit=u-1 page " + std::to_string(i), i};
    ASSERT_TRUE(store_->audit().record(e));
  }
  auto recent = store_->audit().recent(3);
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].object, "unit=u-1 page 4");
  EXPECT_EQ((*recent)[0].at, at_ms(1004));
  EXPECT_EQ((*recent)[0].user_id, 7);
  EXPECT_EQ((*recent)[0].login, "maija");
  EXPECT_EQ((*recent)[0].action, "responses.list");
  EXPECT_EQ((*recent)[0].count, 4);
  EXPECT_EQ((*recent)[2].object, "unit=u-1 page 2");
  EXPECT_EQ(store_->audit().recent(0).error().kind, ErrorKind::invalid_input);
}

// ---- model versions ----

TEST_F(SqliteStoreTest, ModelVersions) {
  EXPECT_EQ(store_->model_versions().latest().error().kind, ErrorKind::not_found);
  ASSERT_TRUE(store_->model_versions().remember("v1", R"({"a":1})", clock_.now()));
  ASSERT_TRUE(store_->model_versions().remember("v2", R"({"a":2})", clock_.now()));
  ASSERT_TRUE(store_->model_versions().remember("v1", R"({"changed":true})", clock_.now()));
  EXPECT_EQ(*store_->model_versions().load("v1"), R"({"a":1})") << "a known version is left untouched";
  EXPECT_EQ(*store_->model_versions().load("v2"), R"({"a":2})");
  EXPECT_EQ(*store_->model_versions().latest(), "v2");
  EXPECT_EQ(store_->model_versions().load("v3").error().kind, ErrorKind::not_found);
}

// ---- durability across reopen ----

TEST_F(SqliteStoreTest, ReopenKeepsEverything) {
  auto r = sample_response("k1");
  r.contact = domain::ContactRequest{"N", "0401234567", "", true};
  auto id = *store_->responses().append(r);
  ASSERT_TRUE(store_->invitations().create(invitation("inv-1", 1'800'000'000'000)));
  User u;
  u.login = "admin";
  u.password_hash = "h";
  u.role = domain::Role::admin;
  auto uid = *store_->users().add(u);
  ASSERT_TRUE(store_->users().add_token({uid, "th", clock_.now(), std::nullopt}));
  ASSERT_TRUE(store_->audit().record({clock_.now(), uid, "admin", "responses.get", "1", 1}));
  ASSERT_TRUE(store_->model_versions().remember("v1", "{}", clock_.now()));

  open();
  EXPECT_EQ(*store_->responses().count(), 1);
  EXPECT_EQ(store_->responses().get(id.id)->submission_key, "k1");
  EXPECT_TRUE(store_->responses().contact_for(id.id)->has_value());
  EXPECT_TRUE(store_->invitations().find_by_token_hash("hash-inv-1"));
  EXPECT_EQ(store_->users().user_for_token("th", clock_.now())->login, "admin");
  EXPECT_EQ(store_->audit().recent(10)->size(), 1u);
  EXPECT_EQ(*store_->model_versions().latest(), "v1");
  auto dup = store_->responses().append(r);
  ASSERT_TRUE(dup);
  EXPECT_TRUE(dup->duplicate) << "idempotency survives a restart";
}

// ---- storage failure ----

TEST_F(SqliteStoreTest, FullDiskFailsWithUnavailableAndAcknowledgesNothing) {
  SqliteOptions o;
  o.max_page_count = 40;  // a tiny "disk"
  open(o);
  int acknowledged = 0;
  Error last;
  for (int i = 0; i < 5000; ++i) {
    auto out = store_->responses().append(sample_response("k" + std::to_string(i)));
    if (!out) {
      last = out.error();
      break;
    }
    ++acknowledged;
  }
  EXPECT_EQ(last.kind, ErrorKind::unavailable) << last.message;
  EXPECT_LT(acknowledged, 5000);
  EXPECT_EQ(*store_->responses().count(), acknowledged);
  open();  // without the cap: every acknowledged response is there
  EXPECT_EQ(*store_->responses().count(), acknowledged);
}

}  // namespace
}  // namespace kaiku::storage
