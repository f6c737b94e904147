// The engine's suppression, adaptive periods, calendar grouping, comparisons,
// standardisation, response rates, targets, errors and thread safety, each in a
// small case whose answer is known.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "analytics/engine.hpp"
#include "analytics/engine_test_util.hpp"

namespace kaiku::analytics {
namespace {

using namespace testing;
using domain::Channel;
using namespace std::chrono;

void add_many(Engine& e, std::int64_t& id, const std::string& unit, Day d, int count, int nps,
              Channel ch = Channel::sms) {
  for (int i = 0; i < count; ++i) e.add(nps_response(++id, unit, d, nps, ch));
}

const Cell* find_cell(const Table& t, const std::string& group) {
  for (const Cell& c : t.cells)
    if (!c.group.empty() && c.group[0].second == group) return &c;
  return nullptr;
}

TEST(EngineSuppression, SmallCellAndItsComplementAreHidden) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  add_many(e, id, "a1", d, 3, 10);
  add_many(e, id, "a2", d, 10, 9);
  add_many(e, id, "a3", d, 20, 5);
  auto t = e.query(query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit}));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  ASSERT_EQ(t->cells.size(), 3U);
  EXPECT_EQ(t->cells[0].group[0].second, "a1");
  EXPECT_EQ(t->cells[0].suppression, Suppression::below_threshold);
  EXPECT_FALSE(t->cells[0].figure.has_value());
  EXPECT_TRUE(t->cells[0].channel_mix.empty());
  EXPECT_FALSE(t->cells[0].target_met.has_value());
  EXPECT_EQ(t->cells[1].group[0].second, "a2");
  EXPECT_EQ(t->cells[1].suppression, Suppression::complementary);
  EXPECT_FALSE(t->cells[1].figure.has_value());
  EXPECT_EQ(t->cells[2].suppression, Suppression::none);
  ASSERT_TRUE(t->cells[2].figure.has_value());
  EXPECT_EQ(t->cells[2].figure->n, 20);
  EXPECT_DOUBLE_EQ(t->cells[2].figure->value, -100.0);

  // Without grouping the table is one cell: the area total is shown.
  t = e.query(query("nps", "a", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 1U);
  EXPECT_EQ(t->cells[0].figure->n, 33);
  // A unit alone with 3 answers is one suppressed cell.
  t = e.query(query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 1U);
  EXPECT_EQ(t->cells[0].suppression, Suppression::below_threshold);
}

TEST(EngineSuppression, TwoDimensionalTableHidesAlongRowsAndColumns) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 1, 10), 2, 10);  // a1 x Jan: primary
  add_many(e, id, "a1", date(2026, 2, 10), 30, 10);
  add_many(e, id, "a2", date(2026, 1, 10), 40, 10);
  add_many(e, id, "a2", date(2026, 2, 10), 50, 10);
  auto t =
      e.query(query("nps", "a", date(2026, 1, 1), date(2026, 2, 28), {Dimension::unit, Dimension::month}));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 4U);
  // Row a1 and column January each hold one hidden cell, so all four must hide.
  int hidden = 0;
  for (const Cell& c : t->cells) hidden += c.suppression != Suppression::none ? 1 : 0;
  EXPECT_EQ(hidden, 4);
  EXPECT_EQ(t->cells[0].suppression, Suppression::below_threshold);
}

TEST(EngineAdaptive, WidensBackAMonthAtATimeAndSaysWhich) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 3, 15), 2, 10);
  add_many(e, id, "a1", date(2026, 2, 10), 2, 10);
  add_many(e, id, "a1", date(2026, 1, 10), 2, 0);
  add_many(e, id, "a2", date(2026, 3, 15), 10, 10);
  add_many(e, id, "a2", date(2026, 3, 16), 10, 10);
  add_many(e, id, "a3", date(2026, 3, 15), 1, 10);
  Query q = query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
  q.adaptive = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  const Cell* a1 = find_cell(*t, "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_TRUE(a1->widened);
  EXPECT_EQ(a1->suppression, Suppression::none);
  EXPECT_EQ(a1->from, date(2026, 1, 1));
  EXPECT_EQ(a1->to, date(2026, 3, 31));
  ASSERT_TRUE(a1->figure.has_value());
  EXPECT_EQ(a1->figure->n, 6);
  EXPECT_NEAR(a1->figure->value, 100.0 * (4 - 2) / 6, 1e-9);
  const Cell* a2 = find_cell(*t, "a2");
  ASSERT_NE(a2, nullptr);
  EXPECT_FALSE(a2->widened);
  EXPECT_EQ(a2->from, date(2026, 3, 1));
  const Cell* a3 = find_cell(*t, "a3");
  ASSERT_NE(a3, nullptr);
  EXPECT_FALSE(a3->widened);
  EXPECT_EQ(a3->suppression, Suppression::below_threshold);
  // a1 is small in March too: it counts as hidden in the line with a3, so the two
  // hidden cells protect each other and a2 can be shown.
  EXPECT_EQ(a2->suppression, Suppression::none);

  q.adaptive_max_months = 1;  // Feb + Mar = 4 answers: not enough
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  a1 = find_cell(*t, "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_FALSE(a1->widened);
  EXPECT_EQ(a1->suppression, Suppression::below_threshold);
}

TimePoint utc(int y, unsigned m, unsigned d, int h, int min) {
  return TimePoint(sys_days(year_month_day(year(y), month(m), day(d))) + hours(h) + minutes(min));
}

TEST(EngineCalendar, DaysFollowHelsinkiAcrossDaylightSavingAndIsoWeeks) {
  Engine e(test_model(1));
  std::int64_t id = 0;
  auto add_at = [&](TimePoint t) {
    domain::Response r = nps_response(++id, "a1", 0, 10);
    r.answered_at = t;
    e.add(r);
  };
  add_at(utc(2026, 3, 28, 22, 30));  // 29 Mar 00:30 +02:00
  add_at(utc(2026, 3, 29, 20, 30));  // 29 Mar 23:30 +03:00 (summer time since 03:00)
  add_at(utc(2026, 3, 29, 21, 30));  // 30 Mar 00:30 +03:00
  add_at(utc(2026, 3, 28, 21, 30));  // 28 Mar 23:30 +02:00
  auto t = e.query(query("responses", "c", date(2026, 3, 28), date(2026, 3, 30), {Dimension::day}));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 3U);
  EXPECT_EQ(t->cells[0].group[0].second, "2026-03-28");
  EXPECT_EQ(t->cells[0].figure->n, 1);
  EXPECT_EQ(t->cells[1].group[0].second, "2026-03-29");
  EXPECT_EQ(t->cells[1].figure->n, 2);
  EXPECT_EQ(t->cells[2].group[0].second, "2026-03-30");
  EXPECT_EQ(t->cells[2].figure->n, 1);
  EXPECT_EQ(t->cells[1].from, date(2026, 3, 29));
  EXPECT_EQ(t->cells[1].to, date(2026, 3, 29));

  add_at(utc(2026, 12, 31, 21, 30));  // 31 Dec 2026 23:30 local
  add_at(utc(2026, 12, 31, 22, 30));  // 1 Jan 2027 00:30 local: still ISO week 2026-W53
  add_at(utc(2027, 1, 4, 10, 0));     // Monday: 2027-W01
  Query q = query("responses", "c", date(2026, 12, 30), date(2027, 1, 5), {Dimension::week});
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 2U);
  EXPECT_EQ(t->cells[0].group[0].second, "2026-W53");
  EXPECT_EQ(t->cells[0].figure->n, 2);
  EXPECT_EQ(t->cells[0].from, date(2026, 12, 30));  // clipped to the query
  EXPECT_EQ(t->cells[0].to, date(2027, 1, 3));
  EXPECT_EQ(t->cells[1].group[0].second, "2027-W01");
  EXPECT_EQ(t->cells[1].to, date(2027, 1, 5));
  q.group_by = {Dimension::year, Dimension::month};
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 2U);
  EXPECT_EQ(t->cells[0].group[0].second, "2026");
  EXPECT_EQ(t->cells[0].group[1].second, "2026-12");
  EXPECT_EQ(t->cells[0].figure->n, 1);
  EXPECT_EQ(t->cells[1].group[1].second, "2027-01");
  EXPECT_EQ(t->cells[1].figure->n, 2);
}

TEST(EngineCompare, ClearChangeIsSignificant) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 3, 10), 50, 10);
  add_many(e, id, "a1", date(2026, 2, 10), 50, 0);
  add_many(e, id, "a1", date(2025, 3, 10), 3, 0);
  Query q = query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31));
  q.compare = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  ASSERT_EQ(t->cells.size(), 1U);
  const Cell& c = t->cells[0];
  ASSERT_TRUE(c.previous.has_value());
  EXPECT_EQ(c.previous->from, date(2026, 1, 29));  // the 31 days before 1 March
  EXPECT_EQ(c.previous->to, date(2026, 2, 28));
  EXPECT_FALSE(c.previous->suppressed);
  ASSERT_TRUE(c.previous->figure.has_value());
  EXPECT_DOUBLE_EQ(c.previous->figure->value, -100.0);
  ASSERT_TRUE(c.previous->change.has_value());
  EXPECT_DOUBLE_EQ(*c.previous->change, 200.0);
  EXPECT_TRUE(c.previous->significant);
  ASSERT_TRUE(c.year_ago.has_value());
  EXPECT_EQ(c.year_ago->from, date(2025, 3, 1));
  EXPECT_EQ(c.year_ago->to, date(2025, 3, 31));
  EXPECT_TRUE(c.year_ago->suppressed);  // 3 answers
  EXPECT_FALSE(c.year_ago->figure.has_value());
  EXPECT_FALSE(c.year_ago->change.has_value());

  // By month: March against February, February against January (empty).
  q.from = date(2026, 2, 1);
  q.group_by = {Dimension::month};
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 2U);
  EXPECT_TRUE(t->cells[0].previous->suppressed);
  EXPECT_EQ(t->cells[0].previous->from, date(2026, 1, 1));
  EXPECT_EQ(t->cells[1].previous->from, date(2026, 2, 1));
  EXPECT_EQ(t->cells[1].previous->to, date(2026, 2, 28));
  EXPECT_TRUE(t->cells[1].previous->significant);
  EXPECT_EQ(t->cells[1].year_ago->from, date(2025, 3, 1));
}

TEST(EngineCompare, SmallDifferenceIsNotSignificant) {
  Engine e(test_model());
  std::int64_t id = 0;
  for (int i = 0; i < 10; ++i) {
    add_many(e, id, "a1", date(2026, 3, 10), 1, i % 2 == 0 ? 10 : 5);
    add_many(e, id, "a1", date(2026, 2, 10), 1, i % 3 == 0 ? 5 : 10);
  }
  Query q = query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31));
  q.compare = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_TRUE(t->cells[0].previous->change.has_value());
  EXPECT_FALSE(t->cells[0].previous->significant);
}

TEST(EngineStandardise, EqualStratumScoresGiveEqualStandardisedNps) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  // Both units: SMS answers all promoters (NPS 100), web half promoters half
  // detractors (NPS 0). a1 is mostly SMS, a2 mostly web; the county is 50/50.
  add_many(e, id, "a1", d, 40, 10, Channel::sms);
  add_many(e, id, "a1", d, 5, 10, Channel::web);
  add_many(e, id, "a1", d, 5, 0, Channel::web);
  add_many(e, id, "a2", d, 10, 10, Channel::sms);
  add_many(e, id, "a2", d, 20, 10, Channel::web);
  add_many(e, id, "a2", d, 20, 0, Channel::web);
  Query q = query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
  q.standardise = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a2 = find_cell(*t, "a2");
  ASSERT_TRUE(a1 && a2 && a1->figure && a2->figure);
  EXPECT_DOUBLE_EQ(a1->figure->value, 80.0);
  EXPECT_DOUBLE_EQ(a2->figure->value, 20.0);
  ASSERT_TRUE(a1->standardised && a2->standardised);
  EXPECT_NEAR(a1->standardised->value, 50.0, 1e-9);
  EXPECT_NEAR(a2->standardised->value, 50.0, 1e-9);
  EXPECT_NEAR(a1->standardised->coverage, 1.0, 1e-12);
  EXPECT_LE(a1->standardised->ci_low, 50.0);
  EXPECT_GE(a1->standardised->ci_high, 50.0);
  // At the county root the reference mix comes from the table itself; by journey
  // it is scanned apart. Area a has the county's mix, so its value stays.
  for (Dimension g : {Dimension::unit, Dimension::journey}) {
    Query root = query("nps", "c", date(2026, 3, 1), date(2026, 3, 31), {g});
    root.standardise = true;
    auto rt = e.query(root);
    ASSERT_TRUE(rt.has_value());
    ASSERT_EQ(rt->cells.size(), 1U);
    ASSERT_TRUE(rt->cells[0].standardised.has_value());
    EXPECT_NEAR(rt->cells[0].standardised->value, 50.0, 1e-9);
    EXPECT_NEAR(rt->cells[0].figure->value, 50.0, 1e-9);
  }
  Query by_channel = query("nps", "c", date(2026, 3, 1), date(2026, 3, 31), {Dimension::channel});
  by_channel.standardise = true;
  auto ct = e.query(by_channel);
  ASSERT_TRUE(ct.has_value());
  const Cell* sms = find_cell(*ct, "sms");
  ASSERT_TRUE(sms && sms->standardised);
  EXPECT_NEAR(sms->standardised->value, 100.0, 1e-9);
  EXPECT_NEAR(sms->standardised->coverage, 0.5, 1e-12);
  // Counts have no standardised value.
  q.indicator = "responses";
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  for (const Cell& c : t->cells) EXPECT_FALSE(c.standardised.has_value());
}

TEST(EngineMix, ChannelMixHidesSmallChannelsAndTheirComplement) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  add_many(e, id, "a2", d, 20, 10, Channel::sms);
  add_many(e, id, "a2", d, 10, 10, Channel::web);
  add_many(e, id, "a2", d, 3, 10, Channel::kiosk);
  auto t = e.query(query("nps", "a2", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 1U);
  // kiosk (3) is hidden and web (10) with it; hidden channels are not listed.
  const auto& mix = t->cells[0].channel_mix;
  ASSERT_EQ(mix.size(), 1U);
  EXPECT_EQ(mix[0].channel, Channel::sms);
  ASSERT_TRUE(mix[0].share.has_value());
  EXPECT_NEAR(*mix[0].share, 100.0 * 20 / 33, 1e-9);
}

TEST(EngineTargets, NearestTargetOnThePath) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  add_many(e, id, "a1", d, 10, 10);  // NPS 100 vs target 70
  add_many(e, id, "a2", d, 10, 0);   // NPS -100 vs the county's 50
  auto t = e.query(query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit}));
  ASSERT_TRUE(t.has_value());
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a2 = find_cell(*t, "a2");
  ASSERT_TRUE(a1 && a2);
  EXPECT_EQ(a1->target, 70.0);
  EXPECT_EQ(a1->target_met, true);
  EXPECT_EQ(a2->target, 50.0);
  EXPECT_EQ(a2->target_met, false);
  t = e.query(query("agree", "a", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  for (const Cell& c : t->cells) EXPECT_FALSE(c.target.has_value());
}

TEST(EngineAdaptive, AWidenedCellStillProtectsItsSmallCountInTheTable) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 2, 10), 8, 10);  // February: enough to widen March
  add_many(e, id, "a1", date(2026, 3, 15), 2, 10);  // March: 2 answers
  add_many(e, id, "a2", date(2026, 3, 15), 10, 10);
  add_many(e, id, "a3", date(2026, 3, 15), 12, 10);
  Query q = query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
  q.adaptive = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a2 = find_cell(*t, "a2");
  const Cell* a3 = find_cell(*t, "a3");
  ASSERT_TRUE(a1 && a2 && a3);
  EXPECT_TRUE(a1->widened);
  EXPECT_EQ(a1->suppression, Suppression::none);
  // With the area's March total published, a2 and a3 shown would give a1's March
  // count (total - 10 - 12 = 2); the smaller of them is hidden.
  EXPECT_EQ(a2->suppression, Suppression::complementary);
  EXPECT_EQ(a3->suppression, Suppression::none);
}

TEST(EngineTargets, ScaleQuestionTargetsAreOnTheMean) {
  auto m = test_model();
  m->targets.push_back({"agree", "c", 4.0});
  m->index();
  Engine e(m);
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  for (int v : {5, 4, 4, 3, 3, 3}) {  // top-two box 50 %, mean 3.67 < 4.0
    domain::Response r = nps_response(++id, "a1", d, 9);
    r.answers.push_back(number("agree", v));
    e.add(r);
  }
  auto t = e.query(query("agree", "a", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  ASSERT_EQ(t->cells.size(), 1U);
  ASSERT_TRUE(t->cells[0].figure.has_value());
  EXPECT_NEAR(t->cells[0].figure->value, 50.0, 1e-9);
  EXPECT_EQ(t->cells[0].target, 4.0);
  EXPECT_EQ(t->cells[0].target_met, false);  // 50 >= 4 would wrongly say met
}

TEST(EngineResponseRate, InvitationsSentAndAnswered) {
  Engine e(test_model());
  auto invite = [&](int i, const std::string& unit, Channel ch) {
    InvitationFact inv;
    inv.id = "inv" + std::to_string(i);
    inv.seq = i;
    inv.created_at = at(date(2026, 3, 5), 9);
    inv.unit = unit;
    inv.touchpoint = "tp1";
    inv.channel = ch;
    e.add_invitation(inv);
  };
  std::int64_t id = 0;
  auto answer = [&](int i, const std::string& unit) {
    domain::Response r = nps_response(++id, unit, date(2026, 3, 6), 10);
    r.invitation = "inv" + std::to_string(i);
    e.add(r);
  };
  answer(20, "a2");  // answered before the invitation reached the engine
  for (int i = 1; i <= 10; ++i) invite(i, "a1", Channel::sms);
  for (int i = 11; i <= 20; ++i) invite(i, "a2", Channel::web);
  invite(21, "a2", Channel::web);
  for (int i = 1; i <= 6; ++i) answer(i, "a1");
  for (int i = 11; i <= 13; ++i) answer(i, "a2");
  invite(3, "a1", Channel::sms);  // again: ignored
  EXPECT_EQ(e.max_invitation_seq(), 21);
  Query q = query("response_rate", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->kind, IndicatorKind::response_rate);
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a2 = find_cell(*t, "a2");
  ASSERT_TRUE(a1 && a2 && a1->figure && a2->figure);
  EXPECT_EQ(a1->figure->n, 10);
  EXPECT_EQ(a1->figure->positive, 6);
  EXPECT_DOUBLE_EQ(a1->figure->value, 60.0);
  EXPECT_EQ(a2->figure->n, 11);
  EXPECT_EQ(a2->figure->positive, 4);
  EXPECT_TRUE(a1->figure->ci_low.has_value());
  // Invitations count by the day they were created.
  q.from = date(2026, 3, 6);
  t = e.query(q);
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->cells.empty());
  q.group_by = {Dimension::respondent};
  t = e.query(q);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().message.find("respondent"), std::string::npos);
}

TEST(EngineErrors, NameTheParameter) {
  Engine e(test_model());
  auto expect_error = [&](const Query& q, const std::string& word) {
    auto t = e.query(q);
    ASSERT_FALSE(t.has_value()) << word;
    EXPECT_EQ(t.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(t.error().message.find(word), std::string::npos) << t.error().message;
  };
  const Day f = date(2026, 3, 1), t = date(2026, 3, 31);
  expect_error(query("x", "c", f, t), "indicator");
  expect_error(query("text", "c", f, t), "indicator");
  expect_error(query("choice", "c", f, t), "indicator");
  expect_error(query("nps", "nowhere", f, t), "unit");
  expect_error(query("nps", "c", t, f), "from");
  expect_error(query("nps", "c", f, t, {Dimension::unit, Dimension::month, Dimension::channel}), "group_by");
  expect_error(query("nps", "c", f, t, {Dimension::unit, Dimension::unit}), "group_by");
  Query q = query("nps", "c", f, t, {Dimension::month});
  q.adaptive = true;
  expect_error(q, "adaptive");
  q = query("nps", "c", f, t);
  q.filters.journeys = {"nope"};
  expect_error(q, "journey");
  q = query("nps", "c", date(1990, 1, 1), date(2040, 12, 31), {Dimension::day, Dimension::week});
  expect_error(q, "group_by");  // millions of groups
  q.adaptive = true;
  q.group_by = {Dimension::unit};
  q.adaptive_max_months = 0;
  expect_error(q, "adaptive_max_months");
  EXPECT_TRUE(e.query(query("nps", "c", f, t)).has_value());
}

TEST(EngineThreads, ConcurrentAddsAndQueries) {
  Engine e(test_model());
  std::atomic<bool> stop{false};
  std::atomic<int> queries{0};
  auto adder = [&](std::int64_t first) {
    for (std::int64_t i = 0; i < 2000; ++i)
      e.add(nps_response(first + i, i % 2 == 0 ? "a1" : "b1", date(2026, 3, 1) + static_cast<Day>(i % 28),
                         static_cast<int>(i % 11)));
  };
  auto reader = [&] {
    while (!stop) {
      auto t =
          e.query(query("nps", "c", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit, Dimension::week}));
      EXPECT_TRUE(t.has_value());
      (void)e.response_count();
      queries += 1;
    }
  };
  std::thread r1(reader), r2(reader);
  std::thread w1(adder, 1), w2(adder, 100001), w3(adder, 1);  // w3 repeats w1's ids
  w1.join();
  w2.join();
  w3.join();
  stop = true;
  r1.join();
  r2.join();
  EXPECT_EQ(e.response_count(), 4000);
  auto t = e.query(query("responses", "c", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->cells[0].figure->n, 4000);
  EXPECT_GT(queries.load(), 0);
}

}  // namespace
}  // namespace kaiku::analytics
