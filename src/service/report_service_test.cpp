#include "service/report_service.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

domain::Principal principal(domain::Role role, const std::string& scope) {
  domain::Principal p;
  p.user_id = 1;
  p.login = "u";
  p.role = role;
  p.scope_unit = scope;
  return p;
}

class ReportServiceTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  std::shared_ptr<const domain::Model> model = std::make_shared<const domain::Model>(fx.model);
  analytics::Engine engine{model};
  EngineFeed feed{engine};
  SurveyService svc{fx.model, *fx.store, fx.clock, fx.random, &feed};
  ReportService reports{fx.model, engine};

  std::int64_t submit(SurveyService& s, const std::string& key, const std::string& tp, const std::string& nps) {
    SubmissionInput in;
    in.touchpoint = tp;
    in.unit = tp == "tp_multi" ? "unit_b1" : "";
    in.submission_key = key;
    in.answers["nps"] = {nps};
    auto out = s.submit(in);
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    return out ? out->id : 0;
  }
  analytics::Query today() const {
    analytics::Query q;
    const analytics::Day d = analytics::TimeZone::helsinki().local_day(fx.clock.now());
    q.from = d - 30;
    q.to = d;
    return q;
  }
};

TEST_F(ReportServiceTest, IntegrationMayNotReadReports) {
  auto t = reports.indicators(principal(domain::Role::integration, "county"), today());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::forbidden);
}

TEST_F(ReportServiceTest, UnitMustBeKnownAndInScope) {
  auto manager = principal(domain::Role::unit_manager, "area_a");
  auto q = today();
  q.unit = "county";
  auto above = reports.indicators(manager, q);
  ASSERT_FALSE(above);
  EXPECT_EQ(above.error().kind, ErrorKind::forbidden);
  q.unit = "unit_b1";
  EXPECT_EQ(reports.indicators(manager, q).error().kind, ErrorKind::forbidden);
  q.unit = "nowhere";
  auto unknown = reports.indicators(manager, q);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(unknown.error().message.rfind("unit:", 0), 0u) << unknown.error().message;
  q.unit = "unit_a2";
  auto inside = reports.indicators(manager, q);
  ASSERT_TRUE(inside) << inside.error().message;
  EXPECT_EQ(inside->unit, "unit_a2");

  auto lost = principal(domain::Role::director, "gone");
  EXPECT_EQ(reports.indicators(lost, today()).error().kind, ErrorKind::forbidden);
}

TEST_F(ReportServiceTest, DefaultUnitIsTheScopeAndEngineErrorsAreInvalid) {
  auto t = reports.indicators(principal(domain::Role::director, "area_b"), today());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->unit, "area_b");
  auto q = today();
  q.indicator = "no_such_question";
  auto bad = reports.indicators(principal(domain::Role::analyst, "county"), q);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
}

TEST_F(ReportServiceTest, NewResponsesReachTheEngineOnceAndAtOnce) {
  for (int i = 0; i < 6; ++i) submit(svc, "key-report-" + std::to_string(i) + "aaaaaaaaa", "tp1", "10");
  EXPECT_EQ(engine.response_count(), 6);
  submit(svc, "key-report-0aaaaaaaaa", "tp1", "10");  // a duplicate
  EXPECT_EQ(engine.response_count(), 6);
  auto q = today();
  q.unit = "unit_a1";
  auto t = reports.indicators(principal(domain::Role::director, "county"), q);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->cells.size(), 1u);
  ASSERT_TRUE(t->cells[0].figure);
  EXPECT_EQ(t->cells[0].figure->n, 6);
  EXPECT_DOUBLE_EQ(t->cells[0].figure->value, 100.0);
}

TEST_F(ReportServiceTest, InvitationsReachTheEngineWithTheirSeq) {
  InvitationRequest req;
  req.touchpoint = "tp1";
  req.age_group = domain::AgeGroup::from_75;
  auto a = svc.create_invitation(req);
  ASSERT_TRUE(a) << a.error().message;
  auto b = svc.create_invitation(req);
  ASSERT_TRUE(b);
  auto listed = fx.store->invitations().list(0, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].age_group, domain::AgeGroup::from_75);
  EXPECT_EQ(engine.max_invitation_seq(), (*listed)[1].seq);

  // The answer through an invitation carries the invitation's age group.
  SubmissionInput in;
  in.submission_key = "key-report-invitation";
  in.answers["nps"] = {"8"};
  auto out = svc.submit_invitation(a->token, in);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(fx.store->responses().get(out->id)->age_group, domain::AgeGroup::from_75);
  auto q = today();
  q.indicator = "response_rate";
  auto t = reports.indicators(principal(domain::Role::director, "county"), q);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->kind, analytics::IndicatorKind::response_rate);
}

TEST_F(ReportServiceTest, CatchUpLoadsWhatTheEngineMissedAndIsIdempotent) {
  SurveyService unobserved{fx.model, *fx.store, fx.clock, fx.random};
  for (int i = 0; i < 12; ++i) submit(unobserved, "key-catchup-" + std::to_string(i) + "aaaaaaaa", "tp_b", "9");
  InvitationRequest req;
  req.touchpoint = "tp_b";
  ASSERT_TRUE(unobserved.create_invitation(req));
  EXPECT_EQ(engine.response_count(), 0);
  auto counts = catch_up(engine, *fx.store, 10000, 5);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->responses, 12);
  EXPECT_EQ(counts->invitations, 1);
  EXPECT_EQ(engine.response_count(), 12);
  EXPECT_EQ(engine.max_invitation_seq(), 1);
  // Again: the overlap re-reads rows, the engine ignores them.
  auto again = catch_up(engine, *fx.store, 10000, 5);
  ASSERT_TRUE(again);
  EXPECT_EQ(engine.response_count(), 12);
  // Without overlap only newer rows are read.
  submit(unobserved, "key-catchup-late-aaaaaaa", "tp_b", "9");
  auto late = catch_up(engine, *fx.store, 0, 5);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->responses, 1);
  EXPECT_EQ(engine.response_count(), 13);
}

TEST_F(ReportServiceTest, AddStoredRowsReadsFromTheCursorAndMovesIt) {
  SurveyService unobserved{fx.model, *fx.store, fx.clock, fx.random};
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(submit(unobserved, "key-cursor-" + std::to_string(i) + "aaaaaaaa", "tp_b", "9"));
  }
  InvitationRequest req;
  req.touchpoint = "tp_b";
  ASSERT_TRUE(unobserved.create_invitation(req));
  ASSERT_TRUE(unobserved.create_invitation(req));

  // From the start of the 3rd response and the 2nd invitation, in pages of 2.
  StorageCursor cursor;
  cursor.response_id = ids[1];
  cursor.invitation_seq = 1;
  auto counts = add_stored_rows(engine, *fx.store, cursor, 2);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->responses, 5);
  EXPECT_EQ(counts->invitations, 1);
  EXPECT_EQ(engine.response_count(), 5) << "rows at or below the cursor are not read";
  EXPECT_EQ(cursor.response_id, ids.back());
  EXPECT_EQ(cursor.invitation_seq, 2);
  EXPECT_EQ(counts->end.response_id, ids.back());
  EXPECT_EQ(counts->end.invitation_seq, 2);

  // Nothing new: nothing read, the cursor stays.
  auto none = add_stored_rows(engine, *fx.store, cursor, 2);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->responses, 0);
  EXPECT_EQ(none->invitations, 0);
  EXPECT_EQ(cursor.response_id, ids.back());
  // A row stored later is read next time.
  const std::int64_t late = submit(unobserved, "key-cursor-late-aaaaaaaa", "tp_b", "3");
  auto more = add_stored_rows(engine, *fx.store, cursor, 2);
  ASSERT_TRUE(more);
  EXPECT_EQ(more->responses, 1);
  EXPECT_EQ(cursor.response_id, late);
  EXPECT_EQ(engine.response_count(), 6);

  // catch_up reports where it ended, also when its overlap re-read rows.
  auto caught = catch_up(engine, *fx.store, 10000, 3);
  ASSERT_TRUE(caught);
  EXPECT_EQ(caught->responses, 8);
  EXPECT_EQ(caught->end.response_id, late);
  EXPECT_EQ(caught->end.invitation_seq, 2);
  EXPECT_EQ(engine.response_count(), 8);
}

TEST(SurveyAgeGroup, GivenByTheCallerOrByABackgroundQuestion) {
  kaiku::testing::Fixture fx;
  domain::Question age = kaiku::testing::question("age_group", domain::QuestionType::single_choice);
  for (const char* g : {"under_18", "18_34", "75_plus"}) age.options.push_back({g, kaiku::testing::tr(g)});
  fx.model.surveys[0].questions.push_back(age);  // "core"
  fx.model.index();
  SurveyService svc{fx.model, *fx.store, fx.clock, fx.random};
  SubmissionInput in;
  in.touchpoint = "tp1";
  in.submission_key = "key-report-age-aaaaaa";
  in.answers["nps"] = {"5"};
  in.age_group = domain::AgeGroup::under_18;
  auto given = svc.submit(in);
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_EQ(fx.store->responses().get(given->id)->age_group, domain::AgeGroup::under_18);
  in.submission_key = "key-report-age-bbbbbb";
  in.answers["age_group"] = {"75_plus"};
  auto both = svc.submit(in);
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(fx.store->responses().get(both->id)->age_group, domain::AgeGroup::under_18) << "the record wins";
  in.submission_key = "key-report-age-cccccc";
  in.age_group = domain::AgeGroup::unknown;
  auto answered = svc.submit(in);
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(fx.store->responses().get(answered->id)->age_group, domain::AgeGroup::from_75);
  in.submission_key = "key-report-age-dddddd";
  in.answers["age_group"] = {};
  auto none = svc.submit(in);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(fx.store->responses().get(none->id)->age_group, domain::AgeGroup::unknown);
}

}  // namespace
}  // namespace kaiku::service
