// ActionService: who may write, scope of units, actions and linked cases, the
// field rules (title.fi, title.sv to publish, real dates, model themes), audit of
// writes and refusals, and the public reads.
#include "service/action_service.hpp"

#include <gtest/gtest.h>

#include "service/test_support.hpp"
#include "storage/action_store.hpp"

namespace kaiku::service {
namespace {

using domain::Language;
using domain::Role;

class ActionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Theme phone;
    phone.id = "phone_service";
    phone.label = kaiku::testing::tr("Puhelinpalvelu");
    domain::Theme waiting;
    waiting.id = "access_waiting";
    waiting.label = kaiku::testing::tr("Odotus");
    fx.model.themes = {phone, waiting};
    manager = user("anna", Role::unit_manager, "area_a");
    analyst = user("olli", Role::analyst, "county");
    admin = user("root", Role::admin, "county");
    case_a1 = response("a1", "unit_a1", "Jono oli pitkä", true);
    old_comment_a2 = response("a2", "unit_a2", "Ei kahvia", false);  // stored before the inbox
    no_text_a1 = response("a1-plain", "unit_a1", "", false);
    case_b1 = response("b1", "unit_b1", "Hyvä palvelu", true);
  }

  domain::Principal user(const std::string& login, Role role, const std::string& scope) {
    storage::User u;
    u.login = login;
    u.password_hash = "x";
    u.role = role;
    u.scope_unit = scope;
    auto id = fx.store->users().add(u);
    EXPECT_TRUE(id) << id.error().message;
    return domain::Principal{id ? *id : 0, login, role, scope};
  }

  std::int64_t response(const std::string& key, const std::string& unit, const std::string& text, bool opened) {
    domain::Response r;
    r.submission_key = key;
    r.model_version = fx.model.version;
    r.touchpoint = unit == "unit_b1" ? "tp_b" : "tp1";
    r.unit = unit;
    r.survey = "core";
    r.channel = domain::Channel::web;
    r.language = Language::fi;
    r.answered_at = fx.clock.now();
    domain::Answer nps;
    nps.key = "nps";
    nps.number = 3;
    r.answers.push_back(nps);
    if (!text.empty()) {
      domain::Answer open;
      open.key = "open";
      open.text = text;
      r.answers.push_back(open);
    }
    if (opened) r.case_opening = domain::open_case(fx.model, r);
    auto out = fx.store->responses().append(r);
    EXPECT_TRUE(out) << out.error().message;
    return out ? out->id : 0;
  }

  ActionInput input(const std::string& unit = "unit_a1") const {
    ActionInput in;
    in.unit = unit;
    in.title.texts = {{Language::fi, "Takaisinsoitto"}, {Language::sv, "Återuppringning"}};
    in.description.texts = {{Language::fi, "Soitamme takaisin."}};
    in.reason.texts = {{Language::fi, "Jonot olivat pitkiä."}};
    in.done_on = "2026-10-01";
    in.themes = {"phone_service"};
    in.cases = {case_a1};
    in.published = true;
    return in;
  }

  std::vector<storage::AuditEntry> audit() {
    auto r = fx.store->audit().recent(100);
    EXPECT_TRUE(r);
    return r ? *r : std::vector<storage::AuditEntry>{};
  }

  void expect_invalid(const ActionInput& in, const std::string& field) {
    auto r = svc.create(manager, in);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << r.error().message;
    EXPECT_EQ(r.error().message.rfind(field + ":", 0), 0u) << r.error().message;
  }

  kaiku::testing::Fixture fx;
  ActionService svc{fx.model, *fx.store, fx.clock};
  domain::Principal manager, analyst, admin;
  std::int64_t case_a1 = 0, old_comment_a2 = 0, no_text_a1 = 0, case_b1 = 0;
};

TEST_F(ActionServiceTest, ManagerCreatesAnActionInScopeAndItIsAudited) {
  auto made = svc.create(manager, input());
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_GT(made->action.id, 0);
  EXPECT_EQ(made->action.unit, "unit_a1");
  EXPECT_EQ(made->action.created_by, manager.user_id);
  EXPECT_EQ(made->created_by_login, "anna");
  EXPECT_EQ(made->action.cases, std::vector<std::int64_t>{case_a1});
  EXPECT_TRUE(made->action.published);
  auto log = audit();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().action, "actions.write");
  EXPECT_EQ(log.front().login, "anna");
  EXPECT_NE(log.front().object.find("create action=" + std::to_string(made->action.id)), std::string::npos)
      << log.front().object;
}

TEST_F(ActionServiceTest, AnalystAndIntegrationMayNotWrite) {
  auto r = svc.create(analyst, input());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(audit().front().action, "actions.write.denied");
  domain::Principal robot{99, "robot", Role::integration, "county"};
  EXPECT_EQ(svc.create(robot, input()).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(svc.list(robot, {}).error().kind, ErrorKind::forbidden);
  // The analyst may still read.
  EXPECT_TRUE(svc.list(analyst, {}));
}

TEST_F(ActionServiceTest, UnitOutsideTheScopeIsForbiddenAndAudited) {
  auto r = svc.create(manager, input("unit_b1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(audit().front().action, "actions.write.denied");
  EXPECT_NE(audit().front().object.find("unit=unit_b1"), std::string::npos);
  auto unknown = svc.create(manager, input("nowhere"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid_input);
}

TEST_F(ActionServiceTest, FieldRules) {
  ActionInput in = input();
  in.title.texts.erase(Language::fi);
  expect_invalid(in, "title.fi");
  in = input();
  in.title.texts[Language::fi] = "   ";
  expect_invalid(in, "title.fi");
  in = input();
  in.title.texts.erase(Language::sv);
  expect_invalid(in, "title.sv");
  in.published = false;  // a draft needs only Finnish
  EXPECT_TRUE(svc.create(manager, in));
  in = input();
  in.title.texts[Language::fi] = std::string(201, 'a');
  expect_invalid(in, "title.fi");
  in = input();
  in.title.texts[Language::fi] = "";
  for (int i = 0; i < 200; ++i) in.title.texts[Language::fi] += "ä";  // 200 characters, 400 bytes
  EXPECT_TRUE(svc.create(manager, in));
  in = input();
  in.reason.texts[Language::sv] = std::string(4001, 'b');
  expect_invalid(in, "reason.sv");
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "1.10.2026", "", "2026-10-01T00:00"}) {
    in = input();
    in.done_on = bad;
    expect_invalid(in, "done_on");
  }
  in = input();
  in.done_on = "2024-02-29";
  EXPECT_TRUE(svc.create(manager, in));
  in = input();
  in.themes = {"nope"};
  expect_invalid(in, "themes");
  in.themes = {"phone_service", "phone_service"};
  expect_invalid(in, "themes");
  in = input();
  in.cases = {case_a1, case_a1};
  expect_invalid(in, "cases");
  in = input();
  in.unit = "";
  expect_invalid(in, "unit");
}

TEST_F(ActionServiceTest, LinkedCasesMustBeCasesInScope) {
  ActionInput in = input();
  in.cases = {case_b1};  // a case of another area
  expect_invalid(in, "cases");
  in.cases = {987654};  // no such response: the same answer
  auto missing = svc.create(manager, in);
  ASSERT_FALSE(missing);
  in.cases = {case_b1};
  auto outside = svc.create(manager, in);
  ASSERT_FALSE(outside);
  EXPECT_EQ(missing.error().message.substr(0, 14), outside.error().message.substr(0, 14));
  in.cases = {no_text_a1};  // a response that opens no case
  expect_invalid(in, "cases");
  in.cases = {old_comment_a2, case_a1};  // a comment stored before the inbox still counts
  auto ok = svc.create(manager, in);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->action.cases, (std::vector<std::int64_t>{old_comment_a2, case_a1}));
  // The admin of the whole county may link the other area's case.
  in = input("unit_b1");
  in.cases = {case_b1};
  EXPECT_TRUE(svc.create(admin, in));
}

TEST_F(ActionServiceTest, ReadsAreScoped) {
  auto a = svc.create(manager, input());
  ASSERT_TRUE(a);
  ActionInput b_in = input("unit_b1");
  b_in.cases = {case_b1};
  b_in.published = false;
  b_in.themes = {"access_waiting"};
  auto b = svc.create(admin, b_in);
  ASSERT_TRUE(b) << b.error().message;

  auto mine = svc.list(manager, {});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().action.id, a->action.id);
  auto other = svc.get(manager, b->action.id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::not_found);
  EXPECT_EQ(svc.get(manager, 999999).error().message, "no action 999999");
  EXPECT_EQ(svc.get(manager, b->action.id).error().message, "no action " + std::to_string(b->action.id));

  ActionFilter f;
  f.unit = "area_b";
  EXPECT_EQ(svc.list(manager, f).error().kind, ErrorKind::forbidden);
  f.unit = "nowhere";
  EXPECT_EQ(svc.list(manager, f).error().kind, ErrorKind::invalid_input);
  auto all = svc.list(admin, {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  f = {};
  f.published = false;
  ASSERT_EQ(svc.list(admin, f)->size(), 1u);
  EXPECT_EQ(svc.list(admin, f)->front().action.id, b->action.id);
  f = {};
  f.theme = "phone_service";
  ASSERT_EQ(svc.list(admin, f)->size(), 1u);
  f.theme = "unknown_theme";
  EXPECT_EQ(svc.list(admin, f).error().kind, ErrorKind::invalid_input);
}

TEST_F(ActionServiceTest, ReplaceAndRemoveStayInScope) {
  auto a = svc.create(manager, input());
  ASSERT_TRUE(a);
  ActionInput b_in = input("unit_b1");
  b_in.cases = {};
  auto b = svc.create(admin, b_in);
  ASSERT_TRUE(b);

  ActionInput moved = input("unit_a2");
  moved.cases = {};
  moved.published = false;
  fx.clock.advance(std::chrono::minutes(1));
  auto r = svc.replace(manager, a->action.id, moved);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->action.unit, "unit_a2");
  EXPECT_FALSE(r->action.published);
  EXPECT_TRUE(r->action.cases.empty());
  EXPECT_EQ(r->action.created_by, manager.user_id);
  EXPECT_GT(r->action.updated_at, r->action.created_at);
  EXPECT_EQ(audit().front().action, "actions.write");

  EXPECT_EQ(svc.replace(manager, b->action.id, moved).error().kind, ErrorKind::not_found);
  EXPECT_EQ(svc.replace(manager, a->action.id, input("unit_b1")).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(svc.replace(analyst, a->action.id, moved).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(svc.remove(manager, b->action.id).error().kind, ErrorKind::not_found);
  EXPECT_EQ(svc.remove(analyst, a->action.id).error().kind, ErrorKind::forbidden);
  ASSERT_TRUE(svc.remove(manager, a->action.id));
  EXPECT_EQ(svc.get(manager, a->action.id).error().kind, ErrorKind::not_found);
  EXPECT_NE(audit().front().object.find("delete action=" + std::to_string(a->action.id)), std::string::npos);
  EXPECT_TRUE(svc.get(admin, b->action.id));
}

TEST_F(ActionServiceTest, PublicReadsShowOnlyPublishedActionsOfTheSubtree) {
  auto a = svc.create(manager, input("unit_a2x"));
  ASSERT_TRUE(a);
  ActionInput draft = input("unit_a1");
  draft.published = false;
  ASSERT_TRUE(svc.create(manager, draft));

  auto area = svc.published_in("area_a");
  ASSERT_TRUE(area);
  ASSERT_EQ(area->size(), 1u);
  EXPECT_EQ(area->front().id, a->action.id);
  EXPECT_TRUE(svc.published_in("area_b")->empty());
  EXPECT_EQ(svc.published_in("nowhere").error().kind, ErrorKind::not_found);

  auto areas = svc.areas_with_published();
  ASSERT_TRUE(areas);
  std::vector<std::string> ids;
  for (const auto* u : *areas) ids.push_back(u->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"county", "area_a", "unit_a2", "unit_a2x"}));
}

TEST(CalendarDate, AcceptsOnlyRealDates) {
  EXPECT_TRUE(is_calendar_date("2026-10-01"));
  EXPECT_TRUE(is_calendar_date("2024-02-29"));
  EXPECT_FALSE(is_calendar_date("2026-02-29"));
  EXPECT_FALSE(is_calendar_date("2026-04-31"));
  EXPECT_FALSE(is_calendar_date("2026-00-10"));
  EXPECT_FALSE(is_calendar_date("20261001"));
  EXPECT_FALSE(is_calendar_date("2026-10-0a"));
  EXPECT_FALSE(is_calendar_date("0000-01-01"));
}

}  // namespace
}  // namespace kaiku::service
