// AuthService, add_user/issue_token, ResponseQueryService scope rules and audit,
// and the rate limiter.
#include <gtest/gtest.h>

#include <algorithm>

#include "security/password.hpp"
#include "service/auth_service.hpp"
#include "service/query_service.hpp"
#include "service/rate_limiter.hpp"
#include "service/survey_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

using domain::Role;

class AccessTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random};
  AuthService auth{*fx.store, fx.clock};
  ResponseQueryService queries{fx.model, *fx.store, fx.clock};
  int next_key = 0;

  std::string user(const std::string& login, Role role, const std::string& unit) {
    auto id =
        add_user(*fx.store, fx.model, login, role, unit, "correct horse", security::PasswordCost::minimal());
    EXPECT_TRUE(id) << id.error().message;
    auto token = issue_token(*fx.store, login, fx.random, fx.clock);
    EXPECT_TRUE(token) << token.error().message;
    return *token;
  }
  domain::Principal principal(const std::string& token) {
    auto p = auth.authenticate_header("Bearer " + token);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }
  void answer(const std::string& touchpoint, const std::string& unit = "") {
    SubmissionInput in;
    in.touchpoint = touchpoint;
    in.unit = unit;
    char key[32];
    std::snprintf(key, sizeof key, "key-%016d", next_key++);
    in.submission_key = key;
    in.answers["nps"] = {"8"};
    in.answers["contact.wanted"] = {"yes"};
    in.answers["contact.phone"] = {"+358 40 123 4567"};
    in.answers["contact.consent"] = {"yes"};
    auto out = surveys.submit(in);
    ASSERT_TRUE(out) << out.error().message;
  }
  std::vector<std::string> units_seen(const domain::Principal& p, ListRequest req = {}) {
    auto page = queries.list(p, req);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> units;
    if (page) {
      for (const auto& r : page->items) units.push_back(r.unit);
    }
    return units;
  }
};

TEST_F(AccessTest, TokensAuthenticateAndExpire) {
  std::string token = user("maija", Role::analyst, "area_a");
  auto p = auth.authenticate_header("bearer " + token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->login, "maija");
  EXPECT_EQ(p->scope_unit, "area_a");
  EXPECT_EQ(auth.authenticate_header("").error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(auth.authenticate_header("Basic abc").error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(auth.authenticate_header("Bearer kk_" + std::string(43, 'A')).error().kind,
            ErrorKind::unauthorized);

  auto short_lived = issue_token(*fx.store, "maija", fx.random, fx.clock, std::chrono::hours(1));
  ASSERT_TRUE(short_lived);
  EXPECT_TRUE(auth.authenticate_token(*short_lived));
  fx.clock.advance(std::chrono::hours(2));
  EXPECT_EQ(auth.authenticate_token(*short_lived).error().kind, ErrorKind::unauthorized);
  EXPECT_TRUE(auth.authenticate_token(token)) << "a token without expiry still works";
}

TEST_F(AccessTest, AddUserChecksLoginUnitAndDuplicates) {
  auto cost = security::PasswordCost::minimal();
  EXPECT_EQ(add_user(*fx.store, fx.model, "Bad Login", Role::analyst, "", "a long test passphrase", cost).error().kind,
            ErrorKind::invalid_input);
  EXPECT_EQ(add_user(*fx.store, fx.model, "x", Role::analyst, "no_such_unit", "a long test passphrase", cost).error().kind,
            ErrorKind::invalid_input);
  EXPECT_EQ(add_user(*fx.store, fx.model, "x", Role::analyst, "", "", cost).error().kind,
            ErrorKind::invalid_input);
  // The account policy holds on this path too, not only in the CLI.
  EXPECT_EQ(add_user(*fx.store, fx.model, "x", Role::analyst, "", "short", cost).error().kind,
            ErrorKind::invalid_input);
  EXPECT_EQ(add_user(*fx.store, fx.model, "x", Role::unit_manager, "", "a long test passphrase", cost).error().kind,
            ErrorKind::invalid_input);
  ASSERT_TRUE(add_user(*fx.store, fx.model, "x", Role::admin, "", "a long test passphrase", cost));
  EXPECT_EQ(fx.store->users().find_by_login("x")->scope_unit, "county");
  EXPECT_TRUE(security::verify_password(fx.store->users().find_by_login("x")->password_hash, "a long test passphrase"));
  EXPECT_EQ(add_user(*fx.store, fx.model, "x", Role::admin, "", "a long test passphrase", cost).error().kind,
            ErrorKind::conflict);
  EXPECT_EQ(issue_token(*fx.store, "nobody", fx.random, fx.clock).error().kind, ErrorKind::not_found);
}

TEST_F(AccessTest, ScopeRules) {
  answer("tp1");                  // unit_a1
  answer("tp_b");                 // unit_b1
  answer("tp_multi", "unit_b1");  // unit_b1
  auto manager = principal(user("manager_a1", Role::unit_manager, "unit_a1"));
  EXPECT_EQ(units_seen(manager), std::vector<std::string>{"unit_a1"});
  ListRequest other;
  other.unit = "unit_b1";
  auto denied = queries.list(manager, other);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().kind, ErrorKind::forbidden);
  other.unit = "county";
  EXPECT_EQ(queries.list(manager, other).error().kind, ErrorKind::forbidden);

  auto director = principal(user("director_b", Role::director, "area_b"));
  EXPECT_EQ(units_seen(director), (std::vector<std::string>{"unit_b1", "unit_b1"}));
  ListRequest tp;
  tp.touchpoint = "tp_multi";
  EXPECT_EQ(units_seen(director, tp), std::vector<std::string>{"unit_b1"});

  auto cx = principal(user("cx", Role::cx_specialist, ""));
  EXPECT_EQ(units_seen(cx).size(), 3u);

  auto integration = principal(user("ehr", Role::integration, ""));
  EXPECT_EQ(queries.list(integration, {}).error().kind, ErrorKind::forbidden);

  auto analyst = principal(user("analyst", Role::analyst, ""));
  ListRequest with_contact;
  with_contact.include_contact = true;
  EXPECT_EQ(queries.list(analyst, with_contact).error().kind, ErrorKind::forbidden);
  auto page = queries.list(analyst, {});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->contacts.empty());

  auto with = queries.list(manager, with_contact);
  ASSERT_TRUE(with) << with.error().message;
  ASSERT_EQ(with->contacts.size(), 1u);
  EXPECT_EQ(with->contacts.begin()->second.phone, "+358 40 123 4567");
}

TEST_F(AccessTest, EveryReadIsAuditedAndPagingUsesTheCursor) {
  for (int i = 0; i < 5; ++i) answer("tp1");
  auto cx = principal(user("cx", Role::cx_specialist, ""));
  ListRequest req;
  req.limit = 2;
  req.query_text = "limit=2";
  std::vector<std::int64_t> ids;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = queries.list(cx, req);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& r : page->items) ids.push_back(r.id);
    if (!page->next_cursor) break;
    req.cursor = *page->next_cursor;
  }
  EXPECT_EQ(ids.size(), 5u);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
  auto audit = fx.store->audit().recent(10);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 3u);  // 2 + 2 + 1
  EXPECT_EQ((*audit)[0].login, "cx");
  EXPECT_EQ((*audit)[0].action, "responses.list");
  EXPECT_EQ((*audit)[0].count, 1);

  ListRequest bad;
  bad.limit = 0;
  EXPECT_EQ(queries.list(cx, bad).error().kind, ErrorKind::invalid_input);
  bad.limit = 10;
  bad.cursor = "abc";
  EXPECT_EQ(queries.list(cx, bad).error().kind, ErrorKind::invalid_input);
  bad.cursor.clear();
  bad.unit = "ghost";
  EXPECT_EQ(queries.list(cx, bad).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(fx.store->audit().recent(10)->size(), 3u) << "refused reads write no audit entry";
}

TEST_F(AccessTest, DeniedReadsAreAuditedAndEntriesNameTheIdsServed) {
  for (int i = 0; i < 3; ++i) answer("tp1");  // ids 1..3 at unit_a1
  answer("tp_b");                             // id 4 at unit_b1
  auto manager = principal(user("manager_a1", Role::unit_manager, "unit_a1"));
  ListRequest other;
  other.unit = "unit_b1";
  other.query_text = "unit=unit_b1";
  ASSERT_EQ(queries.list(manager, other).error().kind, ErrorKind::forbidden);
  auto integration = principal(user("ehr", Role::integration, ""));
  ASSERT_EQ(queries.list(integration, {}).error().kind, ErrorKind::forbidden);
  auto audit = fx.store->audit().recent(10);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 2u) << "both refused reads are audited";
  std::vector<std::string> actions{(*audit)[0].action, (*audit)[1].action};
  std::vector<std::string> logins{(*audit)[0].login, (*audit)[1].login};
  EXPECT_NE(std::find(logins.begin(), logins.end(), "manager_a1"), logins.end());
  EXPECT_NE(std::find(logins.begin(), logins.end(), "ehr"), logins.end());
  for (const auto& a : *audit) {
    EXPECT_EQ(a.action, "responses.list.denied");
    EXPECT_EQ(a.count, 0);
  }

  ListRequest mine;
  mine.query_text = "touchpoint=tp1";
  auto page = queries.list(manager, mine);
  ASSERT_TRUE(page);
  auto last = fx.store->audit().recent(1);
  ASSERT_TRUE(last);
  EXPECT_EQ((*last)[0].object, "touchpoint=tp1 ids=1,2,3");

  // One response by id: inside the scope served and audited; outside = not found.
  auto one = queries.get(manager, 2);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->id, 2);
  EXPECT_EQ(fx.store->audit().recent(1)->at(0).action, "responses.get");
  EXPECT_EQ(fx.store->audit().recent(1)->at(0).object, "unit=unit_a1&touchpoint=tp1 ids=2");
  auto outside = queries.get(manager, 4);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().kind, ErrorKind::not_found);
  EXPECT_EQ(outside.error().message, "no response 4") << "no existence leak";
  EXPECT_EQ(queries.get(manager, 999).error().message, "no response 999");
  EXPECT_EQ(fx.store->audit().recent(1)->at(0).action, "responses.get.denied");
  EXPECT_EQ(queries.get(integration, 2).error().kind, ErrorKind::forbidden);
}

TEST(AccessFullDisk, AReadThatCannotBeAuditedIsNotServed) {
  storage::SqliteOptions tiny;
  // A tiny "disk": room for the schema (all migrations: 54 pages at schema 4,
  // more with the workspace's tables since schema 6) and a few hundred responses,
  // so that the submissions below fill it.
  tiny.max_page_count = 160;
  kaiku::testing::Fixture fx(tiny);
  auto id =
      add_user(*fx.store, fx.model, "cx", Role::cx_specialist, "", "a long test passphrase", security::PasswordCost::minimal());
  ASSERT_TRUE(id) << id.error().message;
  auto token = issue_token(*fx.store, "cx", fx.random, fx.clock);
  ASSERT_TRUE(token);
  SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random};
  Result<SubmitOutcome, SubmitError> last = SubmitOutcome{};
  int stored = 0;
  for (int i = 0; i < 5000 && last; ++i) {
    SubmissionInput in;
    in.touchpoint = "tp1";
    in.submission_key = "fullkey-" + std::to_string(100000000 + i);
    in.answers["nps"] = {"5"};
    in.answers["open"] = {std::string(40, 'x')};
    last = surveys.submit(in);
    if (last) ++stored;
  }
  ASSERT_FALSE(last) << "the tiny disk never filled up";
  EXPECT_EQ(last.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(fx.store->responses().count().value(), stored) << "nothing unacknowledged was stored";

  AuthService auth{*fx.store, fx.clock};
  auto who = auth.authenticate_token(*token);
  ASSERT_TRUE(who);
  ResponseQueryService queries{fx.model, *fx.store, fx.clock};
  // Audit rows are small and may still fit for a while: read until the audit
  // log itself is full. From then on nothing is served.
  Result<ListPage> page = ListPage{};
  for (int i = 0; i < 20000 && page; ++i) page = queries.list(*who, {});
  ASSERT_FALSE(page) << "the audit log never filled up";
  EXPECT_EQ(page.error().kind, ErrorKind::unavailable);
  EXPECT_NE(page.error().message.find("audited"), std::string::npos) << page.error().message;
}

TEST(RateLimiter, BucketEmptiesAndRefills) {
  ManualClock clock{TimePoint(std::chrono::milliseconds(0))};
  RateLimiter limiter(clock, RateLimit{1.0, 3.0});
  EXPECT_TRUE(limiter.allow("1.2.3.4|tp1"));
  EXPECT_TRUE(limiter.allow("1.2.3.4|tp1"));
  EXPECT_TRUE(limiter.allow("1.2.3.4|tp1"));
  EXPECT_FALSE(limiter.allow("1.2.3.4|tp1"));
  EXPECT_GT(limiter.retry_after_s("1.2.3.4|tp1"), 0.0);
  EXPECT_TRUE(limiter.allow("1.2.3.4|tp2")) << "touchpoints have separate buckets";
  EXPECT_TRUE(limiter.allow("5.6.7.8|tp1")) << "clients have separate buckets";
  clock.advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(limiter.allow("1.2.3.4|tp1"));
  EXPECT_FALSE(limiter.allow("1.2.3.4|tp1"));
}

TEST(RateLimiter, MemoryStaysBounded) {
  ManualClock clock{TimePoint(std::chrono::milliseconds(0))};
  RateLimiter limiter(clock, RateLimit{1.0, 1.0}, 4);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.allow("client" + std::to_string(i)));
}

}  // namespace
}  // namespace kaiku::service
