// Development actions in the SQLite store (schema 8): create, replace, remove, get,
// list by units / published / theme / case, newest first, links kept in order and
// deleted with the action, the checks the store makes itself.
#include <gtest/gtest.h>

#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"
#include "storage/action_store.hpp"

namespace kaiku::storage {
namespace {

using domain::Language;
using testing::raw_scalar;
using testing::sample_response;
using testing::TempDir;

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

class ActionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite_store(dir_.path(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    User u;
    u.login = "anna";
    u.password_hash = "x";
    u.role = domain::Role::unit_manager;
    u.scope_unit = "u-1";
    auto id = store_->users().add(u);
    ASSERT_TRUE(id) << id.error().message;
    user_ = *id;
    for (int i = 0; i < 3; ++i) {
      auto r = store_->responses().append(sample_response("k" + std::to_string(i)));
      ASSERT_TRUE(r) << r.error().message;
      responses_.push_back(r->id);
    }
  }

  domain::DevelopmentAction action(const std::string& unit, const std::string& done_on) const {
    domain::DevelopmentAction a;
    a.unit = unit;
    a.title.texts = {{Language::fi, "Takaisinsoittopalvelu"}, {Language::sv, "Återuppringning"}};
    a.description.texts = {{Language::fi, "Soitamme takaisin <b>saman päivän</b> aikana."}};
    a.reason.texts = {{Language::fi, "Jonot puhelimessa olivat pitkiä."}, {Language::en, ""}};
    a.done_on = done_on;
    a.themes = {"phone_service", "access_waiting"};
    a.cases = {responses_[2], responses_[0]};
    a.created_by = user_;
    return a;
  }

  std::string db() const { return (dir_.path() / "kaiku.db").string(); }

  TempDir dir_;
  ManualClock clock_{at_ms(1'790'000'000'000)};
  std::unique_ptr<Store> store_;
  std::int64_t user_ = 0;
  std::vector<std::int64_t> responses_;
};

TEST_F(ActionStoreTest, CreateAssignsIdAndTimesAndRoundTrips) {
  auto made = store_->actions().create(action("u-1", "2026-10-01"));
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_GT(made->id, 0);
  EXPECT_EQ(made->created_at, clock_.now());
  EXPECT_EQ(made->updated_at, clock_.now());
  auto got = store_->actions().get(made->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->unit, "u-1");
  EXPECT_EQ(got->title.get(Language::sv), "Återuppringning");
  EXPECT_EQ(got->description.get(Language::fi), "Soitamme takaisin <b>saman päivän</b> aikana.");
  EXPECT_FALSE(got->reason.has(Language::en)) << "empty texts are not stored";
  EXPECT_EQ(got->done_on, "2026-10-01");
  EXPECT_EQ(got->themes, (std::vector<std::string>{"phone_service", "access_waiting"})) << "order kept";
  EXPECT_EQ(got->cases, (std::vector<std::int64_t>{responses_[2], responses_[0]})) << "order kept";
  EXPECT_FALSE(got->published);
  EXPECT_EQ(got->created_by, user_);
}

TEST_F(ActionStoreTest, ReplaceKeepsCreatorAndCreationTimeAndSwapsLinks) {
  auto made = store_->actions().create(action("u-1", "2026-10-01"));
  ASSERT_TRUE(made) << made.error().message;
  clock_.advance(std::chrono::minutes(5));
  domain::DevelopmentAction changed = action("u-2", "2026-10-02");
  changed.id = made->id;
  changed.created_by = 999;  // ignored: the creator stays
  changed.themes = {"staff_kindness"};
  changed.cases = {responses_[1]};
  changed.published = true;
  auto replaced = store_->actions().replace(changed);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->unit, "u-2");
  EXPECT_EQ(replaced->done_on, "2026-10-02");
  EXPECT_TRUE(replaced->published);
  EXPECT_EQ(replaced->created_by, user_);
  EXPECT_EQ(replaced->created_at, made->created_at);
  EXPECT_EQ(replaced->updated_at, clock_.now());
  EXPECT_EQ(replaced->themes, std::vector<std::string>{"staff_kindness"});
  EXPECT_EQ(replaced->cases, std::vector<std::int64_t>{responses_[1]});
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_action_themes"), "1");
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_action_cases"), "1");
}

TEST_F(ActionStoreTest, ReplaceOrRemoveOfUnknownActionIsNotFound) {
  domain::DevelopmentAction a = action("u-1", "2026-10-01");
  a.id = 4242;
  auto r = store_->actions().replace(a);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::not_found);
  auto d = store_->actions().remove(4242);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().kind, ErrorKind::not_found);
  auto g = store_->actions().get(4242);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().kind, ErrorKind::not_found);
}

TEST_F(ActionStoreTest, RemoveDeletesTheLinksToo) {
  auto made = store_->actions().create(action("u-1", "2026-10-01"));
  ASSERT_TRUE(made) << made.error().message;
  ASSERT_TRUE(store_->actions().remove(made->id));
  EXPECT_FALSE(store_->actions().get(made->id));
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_action_themes"), "0");
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_action_cases"), "0");
  // The responses themselves stay (append-only).
  EXPECT_TRUE(store_->responses().get(responses_[0]));
}

TEST_F(ActionStoreTest, ListFiltersAndOrdersNewestFirst) {
  auto a = action("u-1", "2026-09-01");
  auto b = action("u-2", "2026-10-01");
  b.published = true;
  b.themes = {"signage"};
  b.cases = {};
  auto c = action("u-1", "2026-10-01");
  c.published = true;
  c.cases = {responses_[1]};
  std::vector<std::int64_t> ids;
  for (const auto& x : {a, b, c}) {
    auto made = store_->actions().create(x);
    ASSERT_TRUE(made) << made.error().message;
    ids.push_back(made->id);
  }
  auto ids_of = [](const std::vector<domain::DevelopmentAction>& v) {
    std::vector<std::int64_t> out;
    for (const auto& x : v) out.push_back(x.id);
    return out;
  };
  ActionQuery q;
  q.units = {"u-1", "u-2"};
  auto all = store_->actions().list(q);
  ASSERT_TRUE(all) << all.error().message;
  // done_on descending; on the same day the later id first.
  EXPECT_EQ(ids_of(*all), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));

  q.units = {"u-1"};
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[2], ids[0]}));
  q.published = false;
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[0]}));
  q.units = {"u-1", "u-2"};
  q.published = true;
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[2], ids[1]}));
  q.published.reset();
  q.theme = "signage";
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[1]}));
  q.theme = "phone_service";
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[2], ids[0]}));
  q.theme.reset();
  q.case_id = responses_[1];
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[2]}));
  q.case_id.reset();
  q.limit = 1;
  EXPECT_EQ(ids_of(*store_->actions().list(q)), (std::vector<std::int64_t>{ids[2]}));

  ActionQuery none;  // no units: no rows, never all
  EXPECT_TRUE(store_->actions().list(none)->empty());
  ActionQuery bad;
  bad.units = {"u-1"};
  bad.limit = 0;
  EXPECT_EQ(store_->actions().list(bad).error().kind, ErrorKind::invalid_input);

  auto units = store_->actions().units_with_published();
  ASSERT_TRUE(units) << units.error().message;
  EXPECT_EQ(*units, (std::vector<std::string>{"u-1", "u-2"}));
}

TEST_F(ActionStoreTest, StoreRefusesBrokenShapesAndDanglingReferences) {
  auto expect_invalid = [&](domain::DevelopmentAction a, const std::string& what) {
    auto r = store_->actions().create(a);
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << what << ": " << r.error().message;
  };
  auto a = action("", "2026-10-01");
  expect_invalid(a, "empty unit");
  a = action("u-1", "1.10.2026");
  expect_invalid(a, "bad date shape");
  a = action("u-1", "2026-10-01");
  a.themes = {"x", "x"};
  expect_invalid(a, "duplicate theme");
  a = action("u-1", "2026-10-01");
  a.cases = {responses_[0], responses_[0]};
  expect_invalid(a, "duplicate case");
  a = action("u-1", "2026-10-01");
  a.cases = {responses_[0], 987654};
  expect_invalid(a, "unknown response");
  a = action("u-1", "2026-10-01");
  a.created_by = 987654;
  expect_invalid(a, "unknown user");
  // Nothing of the failed jobs was left behind.
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_actions"), "0");
  EXPECT_EQ(raw_scalar(db(), "SELECT count(*) FROM development_action_cases"), "0");
}

TEST_F(ActionStoreTest, SurvivesReopen) {
  auto made = store_->actions().create(action("u-1", "2026-10-01"));
  ASSERT_TRUE(made) << made.error().message;
  store_.reset();
  auto s = open_sqlite_store(dir_.path(), clock_);
  ASSERT_TRUE(s) << s.error().message;
  store_ = std::move(*s);
  auto got = store_->actions().get(made->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->title.get(Language::fi), "Takaisinsoittopalvelu");
}

}  // namespace
}  // namespace kaiku::storage
