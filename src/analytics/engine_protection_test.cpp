// What a table must not disclose, and what a query may cost: comparisons of
// time-grouped tables, the channel mix, widened cells, the reference mix of
// standardisation; the NPS indicator's question; per-query resource limits.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "analytics/engine.hpp"
#include "analytics/engine_test_util.hpp"

namespace kaiku::analytics {
namespace {

using namespace testing;
using domain::Channel;

void add_many(Engine& e, std::int64_t& id, const std::string& unit, Day d, int count, int nps,
              Channel ch = Channel::sms, domain::AgeGroup age = domain::AgeGroup::unknown) {
  for (int i = 0; i < count; ++i) e.add(nps_response(++id, unit, d, nps, ch, age));
}

const Cell* find_cell(const Table& t, const std::string& group) {
  for (const Cell& c : t.cells)
    if (!c.group.empty() && c.group[0].second == group) return &c;
  return nullptr;
}

bool hidden(const Cell& c) {
  return c.suppression != Suppression::none;
}

// Every comparison whose period is also a cell of the table (same other groups)
// must have that cell's status: a bucket has one status wherever it appears.
void expect_one_status_per_bucket(const Table& t, Dimension time) {
  std::map<std::tuple<std::string, Day, Day>, bool> status;  // (other group, from, to) -> hidden
  auto other = [&](const Cell& c) {
    std::string s;
    for (const auto& [d, v] : c.group)
      if (d != time) s += v + "|";
    return s;
  };
  for (const Cell& c : t.cells) status[{other(c), c.from, c.to}] = hidden(c);
  int checked = 0;
  for (const Cell& c : t.cells)
    for (const auto* cmp : {&c.previous, &c.year_ago}) {
      if (!cmp->has_value()) continue;
      auto it = status.find({other(c), (*cmp)->from, (*cmp)->to});
      if (it == status.end()) continue;
      ++checked;
      EXPECT_EQ((*cmp)->suppressed, it->second)
          << "cell " << other(c) << group_of(c, time) << ": its comparison " << format_date((*cmp)->from)
          << ".." << format_date((*cmp)->to) << " is " << ((*cmp)->suppressed ? "hidden" : "shown")
          << " but that bucket's own cell is not";
      if (!(*cmp)->suppressed) {
        EXPECT_TRUE((*cmp)->figure.has_value());
      }
    }
  EXPECT_GT(checked, 0);
}

TEST(EngineCompareProtection, AHiddenBucketIsNotShownAsAnotherCellsPrevious) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2025, 12, 10), 5, 10);
  add_many(e, id, "a1", date(2026, 1, 10), 2, 10);  // January: below the threshold
  add_many(e, id, "a1", date(2026, 2, 10), 10, 0);  // February: its complement in the table
  add_many(e, id, "a1", date(2026, 3, 10), 50, 10);
  Query q = query("nps", "a1", date(2026, 1, 1), date(2026, 3, 31), {Dimension::month});
  q.compare = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  ASSERT_EQ(t->cells.size(), 3U);
  EXPECT_EQ(t->cells[0].suppression, Suppression::below_threshold);
  EXPECT_EQ(t->cells[1].suppression, Suppression::complementary);
  const Cell& march = t->cells[2];
  ASSERT_FALSE(hidden(march));
  ASSERT_TRUE(march.previous.has_value());
  EXPECT_EQ(march.previous->from, date(2026, 2, 1));
  EXPECT_TRUE(march.previous->suppressed);  // February's 10 answers: hidden in the table
  EXPECT_FALSE(march.previous->figure.has_value());
  expect_one_status_per_bucket(*t, Dimension::month);
}

TEST(EngineCompareProtection, TheQuerysOwnMarginsStillProtectItsCells) {
  // Earlier buckets that are hidden must not stand in for the complement that the
  // query's own total needs: February (3) would be the total minus March.
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2025, 3, 10), 3, 10);
  add_many(e, id, "a1", date(2026, 1, 10), 2, 10);
  add_many(e, id, "a1", date(2026, 2, 10), 3, 10);
  add_many(e, id, "a1", date(2026, 3, 10), 50, 10);
  Query q = query("nps", "a1", date(2026, 2, 1), date(2026, 3, 31), {Dimension::month});
  q.compare = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 2U);
  EXPECT_EQ(t->cells[0].suppression, Suppression::below_threshold);
  EXPECT_EQ(t->cells[1].suppression, Suppression::complementary);
}

TEST(EngineCompareProtection, RandomTablesGiveEachBucketOneStatus) {
  for (int threshold : {10, 15, 25}) {  // 15: about half the unit-weeks below it
    Engine e(test_model(threshold));
    std::mt19937_64 rng(11);
    const std::vector<std::string> units = {"a1", "a2", "a3", "b1"};
    for (std::int64_t i = 1; i <= 6000; ++i) {
      const std::string& u = units[rng() % units.size()];
      const Day d = date(2024, 10, 1) + static_cast<Day>(rng() % 640);
      e.add(nps_response(i, u, d, static_cast<int>(rng() % 11)));
    }
    for (auto group_by : std::vector<std::vector<Dimension>>{{Dimension::month},
                                                             {Dimension::unit, Dimension::month},
                                                             {Dimension::week, Dimension::unit},
                                                             {Dimension::unit, Dimension::quarter}}) {
      for (const std::string unit : {"c", "a"}) {
        Query q = query("nps", unit, date(2025, 9, 15), date(2026, 5, 31), group_by);
        q.compare = true;
        auto t = e.query(q);
        ASSERT_TRUE(t.has_value()) << t.error().message;
        const Dimension time = is_time_dimension(group_by[0]) ? group_by[0] : group_by[1];
        SCOPED_TRACE(std::string(dimension_name(time)) + " at " + unit + ", threshold " +
                     std::to_string(threshold));
        expect_one_status_per_bucket(*t, time);
        int shown = 0, hidden_cells = 0;
        for (const Cell& c : t->cells) (hidden(c) ? hidden_cells : shown) += 1;
        EXPECT_GT(shown, 0);
        if (time == Dimension::week && threshold >= 15) {
          EXPECT_GT(hidden_cells, 0);
        }
      }
    }
  }
}

TEST(EngineCompareProtection, AWidenedCellHasNoComparison) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 2, 10), 8, 10);  // widens a1's March (2 answers) to February
  add_many(e, id, "a1", date(2026, 3, 15), 2, 10);
  add_many(e, id, "a2", date(2026, 2, 10), 10, 10);
  add_many(e, id, "a2", date(2026, 3, 15), 10, 10);
  add_many(e, id, "a3", date(2026, 3, 15), 12, 10);
  Query q = query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit});
  q.adaptive = true;
  q.compare = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a3 = find_cell(*t, "a3");
  ASSERT_TRUE(a1 && a3);
  ASSERT_TRUE(a1->widened);
  EXPECT_FALSE(a1->previous.has_value());
  EXPECT_FALSE(a1->year_ago.has_value());
  EXPECT_TRUE(a3->previous.has_value());
  EXPECT_TRUE(a3->year_ago.has_value());
}

// Per unit and channel: the answers of the channel-mix tests.
using Mix = std::map<std::string, std::map<Channel, int>>;

void add_mix(Engine& e, std::int64_t& id, const Mix& mix, Day d) {
  for (const auto& [unit, channels] : mix)
    for (const auto& [ch, n] : channels) add_many(e, id, unit, d, n, 10, ch);
}

TEST(EngineMixProtection, ChannelTotalsDoNotRevealAHiddenCellsChannels) {
  // The area's own answers (2) and a1 (3 answers: 2 by SMS, 1 on the web) are
  // suppressed and protect each other. The area's web total (group_by=channel)
  // minus the web counts shown for a2 and a3 would give a1's web count: one more
  // web entry must be hidden, and then its row's complement.
  const Mix mix = {{"a", {{Channel::sms, 2}}},
                   {"a1", {{Channel::sms, 2}, {Channel::web, 1}}},
                   {"a2", {{Channel::sms, 20}, {Channel::web, 10}}},
                   {"a3", {{Channel::sms, 30}, {Channel::web, 8}}}};
  Engine e(test_model());
  std::int64_t id = 0;
  add_mix(e, id, mix, date(2026, 3, 10));
  auto t = e.query(query("nps", "a", date(2026, 3, 1), date(2026, 3, 31), {Dimension::unit}));
  ASSERT_TRUE(t.has_value());
  const Cell* a1 = find_cell(*t, "a1");
  const Cell* a2 = find_cell(*t, "a2");
  const Cell* a3 = find_cell(*t, "a3");
  ASSERT_TRUE(a1 && a2 && a3);
  EXPECT_EQ(a1->suppression, Suppression::below_threshold);
  ASSERT_FALSE(hidden(*a2));
  ASSERT_FALSE(hidden(*a3));
  // Per channel, the entries of the table (any cell with answers there) that are
  // not shown: never exactly one.
  for (Channel ch : {Channel::sms, Channel::web}) {
    int entries = 0, not_shown = 0;
    for (const Cell& c : t->cells) {
      const std::string unit = group_of(c, Dimension::unit);
      if (mix.at(unit).count(ch) == 0) continue;
      ++entries;
      bool listed = false;
      for (const ChannelShare& s : c.channel_mix) listed = listed || s.channel == ch;
      if (!listed) ++not_shown;
    }
    EXPECT_NE(not_shown, 1) << domain::channel_name(ch) << " of " << entries;
  }
  // a3 has the smaller web count: hidden, and with it its SMS share.
  EXPECT_TRUE(a3->channel_mix.empty());
  ASSERT_EQ(a2->channel_mix.size(), 2U);
  for (const ChannelShare& s : a2->channel_mix) {
    ASSERT_TRUE(s.share.has_value());
    EXPECT_NEAR(*s.share, s.channel == Channel::sms ? 100.0 * 20 / 30 : 100.0 * 10 / 30, 1e-9);
  }
}

TEST(EngineMixProtection, HiddenChannelsAreNotListed) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_mix(e, id, {{"a2", {{Channel::sms, 20}, {Channel::web, 10}, {Channel::kiosk, 3}}}}, date(2026, 3, 10));
  auto t = e.query(query("nps", "a2", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 1U);
  // kiosk (3) is hidden, web (10) as its complement: only SMS is listed, with its share.
  ASSERT_EQ(t->cells[0].channel_mix.size(), 1U);
  EXPECT_EQ(t->cells[0].channel_mix[0].channel, Channel::sms);
  ASSERT_TRUE(t->cells[0].channel_mix[0].share.has_value());
}

TEST(EngineStandardiseProtection, ReferenceIsTheWholeCountyWithoutFilters) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  // The county: half SMS, half web (52 each, with the Swedish answers below).
  add_many(e, id, "a1", d, 30, 10, Channel::sms);
  add_many(e, id, "a1", d, 18, 10, Channel::web);
  add_many(e, id, "a1", d, 18, 0, Channel::web);
  add_many(e, id, "b1", d, 10, 10, Channel::sms);
  add_many(e, id, "b1", d, 10, 0, Channel::web);
  // The Swedish answers: 12 SMS (NPS 100), 6 web (NPS 0). A reference taken
  // with the filter would be these few answers' own mix (2/3 SMS: 66.7).
  for (int i = 0; i < 12; ++i) {
    domain::Response r = nps_response(++id, "a1", d, 10, Channel::sms);
    r.language = domain::Language::sv;
    e.add(r);
    if (i >= 6) continue;
    r = nps_response(++id, "a1", d, i < 3 ? 10 : 0, Channel::web);
    r.language = domain::Language::sv;
    e.add(r);
  }
  Query q = query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31));
  q.standardise = true;
  q.filters.languages = {domain::Language::sv};
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  ASSERT_EQ(t->cells.size(), 1U);
  const Cell& c = t->cells[0];
  ASSERT_TRUE(c.figure && c.standardised);
  EXPECT_EQ(c.figure->n, 18);
  // The county's mix without filters: 50/50, so (100 + 0) / 2.
  EXPECT_NEAR(c.standardised->value, 50.0, 1e-9);
  EXPECT_DOUBLE_EQ(c.standardised->coverage, 1.0);
}

TEST(EngineStandardiseProtection, SmallStrataAreLeftOutAndCoverageIsRounded) {
  Engine e(test_model());
  std::int64_t id = 0;
  const Day d = date(2026, 3, 10);
  // The county: a third each SMS, web, kiosk.
  add_many(e, id, "a2", d, 30, 10, Channel::sms);
  add_many(e, id, "a2", d, 30, 0, Channel::web);
  add_many(e, id, "a2", d, 30, 10, Channel::kiosk);
  // a1: 20 SMS answers (NPS 100) and 4 web answers (NPS -100), below the threshold.
  add_many(e, id, "a1", d, 20, 10, Channel::sms);
  add_many(e, id, "a1", d, 4, 0, Channel::web);
  Query q = query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31));
  q.standardise = true;
  auto t = e.query(q);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->cells.size(), 1U);
  const Cell& c = t->cells[0];
  ASSERT_TRUE(c.standardised.has_value());
  // Only the SMS stratum counts: its weight 50 / 114 (all answers of the county).
  EXPECT_NEAR(c.standardised->value, 100.0, 1e-9);
  EXPECT_DOUBLE_EQ(c.standardised->coverage, 0.44);  // 0.4386 rounded
}

std::shared_ptr<domain::Model> model_with_nps_key(const std::string& key) {
  auto m = test_model();
  for (domain::Survey& s : m->surveys)
    for (domain::Question& q : s.questions)
      if (q.key == "nps") q.key = key;
  if (key.empty())
    for (domain::Survey& s : m->surveys)
      std::erase_if(s.questions,
                    [](const domain::Question& q) { return q.type == domain::QuestionType::nps; });
  m->index();
  return m;
}

TEST(EngineIndicator, NpsIsTheModelsNpsQuestionUnderAnyKey) {
  Engine e(model_with_nps_key("suosittelu"));
  for (int i = 1; i <= 8; ++i) {
    domain::Response r = nps_response(i, "a1", date(2026, 3, 10), 0);
    r.answers = {number("suosittelu", i <= 6 ? 10 : 0)};
    e.add(r);
  }
  auto t = e.query(query("nps", "a1", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->kind, IndicatorKind::nps);
  ASSERT_EQ(t->cells.size(), 1U);
  ASSERT_TRUE(t->cells[0].figure.has_value());
  EXPECT_EQ(t->cells[0].figure->n, 8);
  EXPECT_DOUBLE_EQ(t->cells[0].figure->value, 100.0 * (6 - 2) / 8);
  EXPECT_EQ(t->cells[0].target, 70.0);  // targets stay keyed "nps"
  // The question's own key works too.
  EXPECT_TRUE(e.query(query("suosittelu", "a1", date(2026, 3, 1), date(2026, 3, 31))).has_value());
}

TEST(EngineIndicator, NpsWithoutAnNpsQuestionIsAnError) {
  Engine e(model_with_nps_key(""));
  auto t = e.query(query("nps", "c", date(2026, 3, 1), date(2026, 3, 31)));
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(t.error().message, "indicator: the model has no NPS question");
}

TEST(EngineLimits, TooManyCellsOrCountersIsAnError) {
  Engine e(test_model());
  std::int64_t id = 0;
  add_many(e, id, "a1", date(2026, 3, 10), 10, 10);
  // 3 touchpoints x 7305 days: more than 20000 cells.
  auto t = e.query(
      query("nps", "c", date(2006, 1, 1), date(2025, 12, 31), {Dimension::touchpoint, Dimension::day}));
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(t.error().message.rfind("group_by: the table would have more than 20000 cells", 0), 0U)
      << t.error().message;
  EXPECT_NE(t.error().message.find("narrow the period"), std::string::npos);
  // 4 units x 2000 days, standardised (channel x age group x 12 counters each):
  // about 6M counters, over the limit.
  Query q = query("nps", "a", date(2020, 1, 1), date(2025, 6, 22), {Dimension::unit, Dimension::day});
  q.standardise = true;
  t = e.query(q);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message.rfind("group_by:", 0), 0U) << t.error().message;
  EXPECT_NE(t.error().message.find("counters"), std::string::npos);
  // The same without standardisation fits.
  q.standardise = false;
  EXPECT_TRUE(e.query(q).has_value());
}

}  // namespace
}  // namespace kaiku::analytics
