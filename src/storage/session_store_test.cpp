// SessionRepository (schema 6) on SQLite: sessions, failed sign-ins and lock-out,
// second factors, and the users' e-mail / list additions.
#include "storage/session_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    User u;
    u.login = "anna";
    u.password_hash = "$argon2id$placeholder";
    u.role = domain::Role::unit_manager;
    u.scope_unit = "u-1";
    auto id = store_->users().add(u);
    ASSERT_TRUE(id) << id.error().message;
    anna_ = *id;
  }

  Session session(const std::string& hash, TimePoint at) {
    Session s;
    s.id_hash = hash;
    s.user_id = anna_;
    s.csrf_token = "csrf-" + hash;
    s.created_at = at;
    s.last_seen_at = at;
    s.expires_at = at + hours(12);
    return s;
  }

  SessionRepository& sessions() { return store_->sessions(); }

  testing::TempDir dir_;
  ManualClock clock_{TimePoint(milliseconds(1'800'000'000'000))};
  std::unique_ptr<Store> store_;
  std::int64_t anna_ = 0;
};

TEST_F(SessionStoreTest, SchemaIsAtLeastSix) {
  EXPECT_GE(store_->schema_version(), 6);
}

TEST_F(SessionStoreTest, CreateFindTouchRevoke) {
  const TimePoint t0 = clock_.now();
  ASSERT_TRUE(sessions().create(session("h1", t0)));
  auto found = sessions().find("h1");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->user_id, anna_);
  EXPECT_EQ(found->csrf_token, "csrf-h1");
  EXPECT_EQ(found->created_at, t0);
  EXPECT_EQ(found->expires_at, t0 + hours(12));
  EXPECT_FALSE(found->revoked_at);

  ASSERT_TRUE(sessions().touch("h1", t0 + minutes(5)));
  ASSERT_TRUE(sessions().touch("h1", t0 + minutes(1)));  // never moves back
  EXPECT_EQ(sessions().find("h1")->last_seen_at, t0 + minutes(5));

  auto revoked = sessions().revoke("h1", t0 + minutes(6));
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(*revoked);
  EXPECT_EQ(sessions().find("h1")->revoked_at, t0 + minutes(6));
  EXPECT_FALSE(*sessions().revoke("h1", t0 + minutes(7)));  // already revoked

  auto missing = sessions().find("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

TEST_F(SessionStoreTest, CreateRefusesDuplicatesAndUnknownUsers) {
  ASSERT_TRUE(sessions().create(session("h1", clock_.now())));
  auto dup = sessions().create(session("h1", clock_.now()));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  Session stranger = session("h2", clock_.now());
  stranger.user_id = 999;
  auto st = sessions().create(stranger);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::not_found);
}

TEST_F(SessionStoreTest, RevokeAllCountsOnlyLiveSessionsOfTheUser) {
  User bob;
  bob.login = "bob";
  bob.password_hash = "x";
  bob.scope_unit = "u-1";
  auto bob_id = store_->users().add(bob);
  ASSERT_TRUE(bob_id);
  const TimePoint t0 = clock_.now();
  ASSERT_TRUE(sessions().create(session("a1", t0)));
  ASSERT_TRUE(sessions().create(session("a2", t0)));
  ASSERT_TRUE(sessions().create(session("old", t0 - hours(13))));  // expired
  ASSERT_TRUE(sessions().create(session("gone", t0)));
  ASSERT_TRUE(*sessions().revoke("gone", t0));
  Session b = session("b1", t0);
  b.user_id = *bob_id;
  ASSERT_TRUE(sessions().create(b));

  auto n = sessions().revoke_all(anna_, t0 + minutes(1));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(sessions().find("a1")->revoked_at);
  EXPECT_TRUE(sessions().find("a2")->revoked_at);
  EXPECT_FALSE(sessions().find("b1")->revoked_at);  // another user's session lives on
}

TEST_F(SessionStoreTest, PurgeDeletesEndedSessions) {
  const TimePoint t0 = clock_.now();
  ASSERT_TRUE(sessions().create(session("live", t0)));
  ASSERT_TRUE(sessions().create(session("old", t0 - hours(20))));
  auto n = sessions().purge(t0);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(sessions().find("live"));
  EXPECT_FALSE(sessions().find("old"));
}

TEST_F(SessionStoreTest, FiveFailuresInTheWindowLockTheLogin) {
  const TimePoint t0 = clock_.now();
  const auto window = minutes(15);
  for (int i = 1; i <= 4; ++i) {
    auto r = sessions().record_failure("anna", t0 + minutes(i), window, 5, minutes(15));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->recent_failures, i);
    EXPECT_FALSE(r->locked_until);
  }
  EXPECT_FALSE(*sessions().locked_until("anna", t0 + minutes(4)));
  auto fifth = sessions().record_failure("anna", t0 + minutes(5), window, 5, minutes(15));
  ASSERT_TRUE(fifth);
  ASSERT_TRUE(fifth->locked_until);
  EXPECT_EQ(*fifth->locked_until, t0 + minutes(20));
  EXPECT_EQ(*sessions().locked_until("anna", t0 + minutes(6)), t0 + minutes(20));
  EXPECT_FALSE(*sessions().locked_until("anna", t0 + minutes(20)));  // lock over
  EXPECT_FALSE(*sessions().locked_until("other", t0 + minutes(6)));  // per login
  // After the lock the count starts afresh.
  auto again = sessions().record_failure("anna", t0 + minutes(21), window, 5, minutes(15));
  EXPECT_EQ(again->recent_failures, 1);
}

TEST_F(SessionStoreTest, OldFailuresFallOutOfTheWindow) {
  const TimePoint t0 = clock_.now();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sessions().record_failure("x", t0, minutes(15), 5, minutes(15)));
  auto later = sessions().record_failure("x", t0 + minutes(16), minutes(15), 5, minutes(15));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->recent_failures, 1);
  EXPECT_FALSE(later->locked_until);
}

TEST_F(SessionStoreTest, ClearFailuresLiftsTheLock) {
  const TimePoint t0 = clock_.now();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sessions().record_failure("anna", t0, minutes(15), 5, minutes(15)));
  ASSERT_TRUE(*sessions().locked_until("anna", t0));
  EXPECT_TRUE(*sessions().clear_failures("anna"));
  EXPECT_FALSE(*sessions().locked_until("anna", t0));
  EXPECT_FALSE(*sessions().clear_failures("anna"));  // nothing left
}

TEST_F(SessionStoreTest, TotpPendingEnabledClearedAndStepsNotReplayed) {
  auto none = sessions().totp(anna_);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->sealed_secret.empty());
  EXPECT_FALSE(none->enabled);

  const std::vector<std::uint8_t> sealed{1, 2, 3, 4};
  ASSERT_TRUE(sessions().set_totp_pending(anna_, sealed));
  auto pending = sessions().totp(anna_);
  EXPECT_EQ(pending->sealed_secret, sealed);
  EXPECT_FALSE(pending->enabled);
  ASSERT_TRUE(sessions().enable_totp(anna_));
  EXPECT_TRUE(sessions().totp(anna_)->enabled);

  EXPECT_TRUE(*sessions().use_totp_step(anna_, 100));
  EXPECT_FALSE(*sessions().use_totp_step(anna_, 100));  // replay
  EXPECT_FALSE(*sessions().use_totp_step(anna_, 99));   // older
  EXPECT_TRUE(*sessions().use_totp_step(anna_, 101));
  EXPECT_EQ(sessions().totp(anna_)->last_step, 101);

  ASSERT_TRUE(sessions().clear_totp(anna_));
  auto cleared = sessions().totp(anna_);
  EXPECT_TRUE(cleared->sealed_secret.empty());
  EXPECT_FALSE(cleared->enabled);
  EXPECT_EQ(cleared->last_step, 0);

  EXPECT_EQ(sessions().totp(999).error().kind, ErrorKind::not_found);
  EXPECT_EQ(sessions().set_totp_pending(999, sealed).error().kind, ErrorKind::not_found);
  EXPECT_EQ(sessions().set_totp_pending(anna_, {}).error().kind, ErrorKind::invalid_input);
}

TEST_F(SessionStoreTest, OnlyTheSessionHashIsStored) {
  ASSERT_TRUE(sessions().create(session("0123abcd", clock_.now())));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(sqlite_database_file(dir_.path()).c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT group_concat(name) FROM pragma_table_info('sessions')", -1, &st,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::string cols = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(cols, "id,id_hash,user_id,csrf_token,created_at,last_seen_at,expires_at,revoked_at");
}

TEST_F(SessionStoreTest, UsersHaveEmailAndAreListed) {
  ASSERT_TRUE(store_->users().set_email(anna_, "anna@example.fi"));
  EXPECT_EQ(store_->users().find_by_id(anna_)->email, "anna@example.fi");
  EXPECT_EQ(store_->users().find_by_login("anna")->email, "anna@example.fi");
  EXPECT_EQ(store_->users().set_email(999, "x@example.fi").error().kind, ErrorKind::not_found);
  User bob;
  bob.login = "bob";
  bob.password_hash = "x";
  bob.role = domain::Role::analyst;
  bob.scope_unit = "u-2";
  ASSERT_TRUE(store_->users().add(bob));
  auto all = store_->users().list();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].login, "anna");
  EXPECT_EQ((*all)[0].email, "anna@example.fi");
  EXPECT_EQ((*all)[1].login, "bob");
  EXPECT_EQ((*all)[1].role, domain::Role::analyst);
  EXPECT_EQ((*all)[1].email, "");
  ASSERT_TRUE(store_->users().set_email(anna_, ""));
  EXPECT_EQ(store_->users().find_by_id(anna_)->email, "");
}

}  // namespace
}  // namespace kaiku::storage
