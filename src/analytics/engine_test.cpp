// The engine's indicators against a brute-force computation written here, over
// random responses, for every indicator and many groupings and filters.
#include "analytics/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

#include "analytics/engine_test_util.hpp"

namespace kaiku::analytics {
namespace {

using namespace testing;
using domain::Response;

// Random responses: every unit (and one the model does not know), every channel,
// language, age group and respondent, core and kiosk surveys, kiosk follow-ups
// (supplements), free-form feedback, six months around a year end.
std::vector<Response> random_responses(int count, std::uint64_t seed, Day first = date(2025, 11, 1),
                                       Day last = date(2026, 4, 30)) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::string> units = {"a1", "a1", "a2", "a2", "a3", "b1", "b1", "a", "c", "ghost"};
  std::vector<Response> out;
  for (int i = 1; i <= count; ++i) {
    Response r;
    r.id = i;
    r.unit = units[static_cast<std::size_t>(pick(static_cast<int>(units.size())))];
    r.channel = static_cast<domain::Channel>(pick(9));
    r.language = static_cast<domain::Language>(pick(4));
    r.respondent = static_cast<domain::Respondent>(pick(4));
    r.age_group = static_cast<domain::AgeGroup>(pick(7));
    r.answered_at = TimeZone::helsinki().start_of_day(first + pick(last - first + 1)) +
                    std::chrono::minutes(pick(24 * 60));
    const int kind = pick(10);
    if (kind < 7 || r.unit != "a1") {
      r.survey = "core";
      r.touchpoint = r.unit == "b1" ? "tp2" : kind == 9 ? "" : "tp1";
      if (pick(10) < 9) r.answers.push_back(number("nps", pick(11)));
      if (pick(10) < 8) {
        if (pick(10) == 0) {
          domain::Answer a;
          a.key = "agree";
          a.cant_say = true;
          r.answers.push_back(a);
        } else {
          r.answers.push_back(number("agree", 1 + pick(5)));
        }
      }
      if (pick(2) == 0) r.answers.push_back(number("smile3", 1 + pick(3)));
      domain::Answer c;
      c.key = "choice";
      c.choices = {std::string(1, static_cast<char>('x' + pick(3)))};
      r.answers.push_back(c);
      domain::Answer t;
      t.key = "text";
      t.text = "free text is not kept";
      r.answers.push_back(t);
    } else {
      r.survey = "kiosk";
      r.touchpoint = "tp3";
      if (kind == 9 && !out.empty()) {
        r.supplements = out.back().id;
        domain::Answer f;
        f.key = "followup";
        f.choices = {"y"};
        r.answers.push_back(f);
      } else {
        r.answers.push_back(number("face", 1 + pick(5)));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

struct BruteCell {
  std::int64_t n = 0, positive = 0, promoters = 0, detractors = 0, cant_say = 0, sum = 0;
};

// The group value of a response in a dimension; nullopt when the response is not in any group.
std::optional<std::string> label(const domain::Model& m, const Response& r, Dimension d,
                                 const std::string& unit) {
  switch (d) {
    case Dimension::unit: {
      std::string cur = r.unit;
      std::string below;
      while (true) {
        if (cur == unit) return below.empty() ? unit : below;
        std::string parent;
        bool found = false;
        for (const auto& u : m.units)
          if (u.id == cur) parent = u.parent, found = true;
        if (!found || parent.empty()) return std::nullopt;
        below = cur;
        cur = parent;
      }
    }
    case Dimension::journey:
    case Dimension::touchpoint:
      for (const auto& t : m.touchpoints)
        if (t.id == r.touchpoint) return d == Dimension::journey ? t.journey : t.id;
      return std::nullopt;
    case Dimension::channel:
      return std::string(domain::channel_name(r.channel));
    case Dimension::language:
      return std::string(domain::language_tag(r.language));
    case Dimension::age_group:
      return std::string(domain::age_group_name(r.age_group));
    case Dimension::respondent:
      return std::string(domain::respondent_name(r.respondent));
    default:
      return period_key(*period_of(d), TimeZone::helsinki().local_day(r.answered_at));
  }
}

template <class T>
bool allowed(const std::vector<T>& filter, const T& v) {
  return filter.empty() || std::find(filter.begin(), filter.end(), v) != filter.end();
}

std::map<std::vector<std::string>, BruteCell> brute(const domain::Model& m, const std::vector<Response>& rs,
                                                    const Query& q) {
  std::map<std::vector<std::string>, BruteCell> out;
  for (const Response& r : rs) {
    if (!label(m, r, Dimension::unit, q.unit)) continue;
    const Day d = TimeZone::helsinki().local_day(r.answered_at);
    if (d < q.from || d > q.to) continue;
    if (!allowed(q.filters.channels, r.channel) || !allowed(q.filters.languages, r.language) ||
        !allowed(q.filters.age_groups, r.age_group) || !allowed(q.filters.respondents, r.respondent))
      continue;
    if (!q.filters.touchpoints.empty() && !allowed(q.filters.touchpoints, r.touchpoint)) continue;
    if (!q.filters.journeys.empty()) {
      auto j = label(m, r, Dimension::journey, q.unit);
      if (!j || !allowed(q.filters.journeys, *j)) continue;
    }
    std::vector<std::string> key;
    bool in = true;
    for (Dimension g : q.group_by) {
      auto l = label(m, r, g, q.unit);
      if (!l)
        in = false;
      else
        key.push_back(*l);
    }
    if (!in) continue;
    if (q.indicator == "responses") {
      if (r.supplements == 0) out[key].n += 1;
      continue;
    }
    for (const auto& a : r.answers) {
      if (a.key != q.indicator) continue;
      BruteCell& c = out[key];
      if (a.cant_say) {
        c.cant_say += 1;
        continue;
      }
      const int v = *a.number;
      c.n += 1;
      c.sum += v;
      if (q.indicator == "nps") {
        if (v >= 9) c.promoters += 1;
        if (v <= 6) c.detractors += 1;
      } else if (q.indicator == "smile3") {
        if (v == 3) c.positive += 1;
      } else if (v >= 4) {
        c.positive += 1;
      }
    }
  }
  for (auto it = out.begin(); it != out.end();) it = it->second.n == 0 ? out.erase(it) : std::next(it);
  return out;
}

// Checks every cell of the engine's table against the brute-force groups.
// Returns the number of cells shown.
int check(const domain::Model& m, const std::vector<Response>& rs, const Query& q, const Table& t) {
  int shown = 0;
  SCOPED_TRACE(q.indicator + " unit " + q.unit);
  const auto expected = brute(m, rs, q);
  EXPECT_EQ(t.cells.size(), expected.size());
  std::vector<std::string> previous;
  for (const Cell& c : t.cells) {
    std::vector<std::string> key;
    for (const auto& [d, v] : c.group) key.push_back(v);
    auto it = expected.find(key);
    if (it == expected.end()) {
      ADD_FAILURE() << "unexpected group " << (key.empty() ? "" : key[0]);
      continue;
    }
    const BruteCell& b = it->second;
    if (c.suppression == Suppression::below_threshold) {
      EXPECT_LT(b.n, t.threshold);
      EXPECT_FALSE(c.figure.has_value());
      continue;
    }
    if (c.suppression == Suppression::complementary) {
      EXPECT_FALSE(c.figure.has_value());
      continue;
    }
    if (!c.figure.has_value()) {
      ADD_FAILURE() << "a shown cell without a figure";
      continue;
    }
    ++shown;
    EXPECT_GE(b.n, t.threshold);
    const Figure& f = *c.figure;
    EXPECT_EQ(f.n, b.n);
    const double n = static_cast<double>(b.n);
    if (q.indicator == "nps") {
      EXPECT_EQ(f.promoters, b.promoters);
      EXPECT_EQ(f.detractors, b.detractors);
      EXPECT_NEAR(f.value, 100.0 * static_cast<double>(b.promoters - b.detractors) / n, 1e-9);
      EXPECT_LE(*f.ci_low, f.value);
      EXPECT_GE(*f.ci_high, f.value);
    } else if (q.indicator == "responses") {
      EXPECT_EQ(f.value, n);
      EXPECT_FALSE(f.ci_low.has_value());
    } else {
      EXPECT_EQ(f.positive, b.positive);
      EXPECT_NEAR(f.value, 100.0 * static_cast<double>(b.positive) / n, 1e-9);
      EXPECT_TRUE(f.mean.has_value());
      if (f.mean) {
        EXPECT_NEAR(*f.mean, static_cast<double>(b.sum) / n, 1e-9);
      }
      if (q.indicator == "agree") {
        EXPECT_EQ(f.cant_say, b.cant_say);
      }
    }
  }
  // Cells are ordered by group: units in model order (the unit itself first),
  // time buckets chronologically, the others in enum or model order.
  auto rank = [&](Dimension d, const std::string& v) -> std::string {
    char buf[8];
    int r = 0;
    switch (d) {
      case Dimension::unit:
        if (v == q.unit) return "0000";
        for (const auto& u : m.units) {
          ++r;
          if (u.id == v) break;
        }
        break;
      case Dimension::journey:
        for (const auto& j : m.journeys) {
          if (j.id == v) break;
          ++r;
        }
        break;
      case Dimension::touchpoint:
        for (const auto& t : m.touchpoints) {
          if (t.id == v) break;
          ++r;
        }
        break;
      case Dimension::channel:
        r = static_cast<int>(*domain::parse_channel(v));
        break;
      case Dimension::language:
        r = static_cast<int>(*domain::parse_language(v));
        break;
      case Dimension::age_group:
        r = static_cast<int>(*domain::parse_age_group(v));
        break;
      case Dimension::respondent:
        r = static_cast<int>(*domain::parse_respondent(v));
        break;
      default:
        return v;  // period keys sort chronologically as text
    }
    std::snprintf(buf, sizeof buf, "%04d", r);
    return buf;
  };
  for (std::size_t k = 1; k < t.cells.size(); ++k) {
    std::vector<std::string> a, b;
    for (const auto& [d, v] : t.cells[k - 1].group) a.push_back(rank(d, v));
    for (const auto& [d, v] : t.cells[k].group) b.push_back(rank(d, v));
    EXPECT_LT(a, b) << "cells out of order at " << k;
  }
  return shown;
}

class EngineBruteForce : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = test_model();
    engine_ = std::make_unique<Engine>(model_);
    responses_ = random_responses(4000, 7);
    for (const Response& r : responses_) engine_->add(r);
  }
  std::shared_ptr<domain::Model> model_;
  std::unique_ptr<Engine> engine_;
  std::vector<Response> responses_;
};

TEST_F(EngineBruteForce, EveryIndicatorAndGroupingMatches) {
  const std::vector<std::vector<Dimension>> groupings = {
      {},
      {Dimension::unit},
      {Dimension::journey},
      {Dimension::touchpoint},
      {Dimension::channel},
      {Dimension::language},
      {Dimension::age_group},
      {Dimension::respondent},
      {Dimension::day},
      {Dimension::week},
      {Dimension::month},
      {Dimension::quarter},
      {Dimension::year},
      {Dimension::unit, Dimension::month},
      {Dimension::month, Dimension::unit},
      {Dimension::channel, Dimension::age_group},
      {Dimension::journey, Dimension::touchpoint},
      {Dimension::week, Dimension::year},
  };
  int queries = 0, shown = 0;
  for (const char* indicator : {"nps", "agree", "smile3", "face", "responses"})
    for (const char* unit : {"c", "a", "a1", "b"})
      for (const auto& g : groupings) {
        Query q = query(indicator, unit, date(2025, 11, 15), date(2026, 4, 10), g);
        auto t = engine_->query(q);
        ASSERT_TRUE(t.has_value()) << t.error().message;
        shown += check(*model_, responses_, q, *t);
        ++queries;
      }
  EXPECT_EQ(queries, 5 * 4 * 18);
  EXPECT_GT(shown, 3000);  // most of the comparisons are of shown figures
}

// Without answers from units the model does not know, county-level queries by
// period or channel are answered from the blocks' pre-aggregates.
TEST(EngineBruteForceSummaries, CountyByPeriodAndChannelMatches) {
  auto model = test_model();
  Engine engine(model);
  std::vector<Response> responses;
  for (Response& r : random_responses(3000, 9))
    if (r.unit != "ghost") responses.push_back(std::move(r));
  for (const Response& r : responses) engine.add(r);
  int shown = 0;
  for (const char* indicator : {"nps", "agree", "face", "responses"})
    for (const std::vector<Dimension>& g :
         std::vector<std::vector<Dimension>>{{},
                                             {Dimension::month},
                                             {Dimension::channel},
                                             {Dimension::week, Dimension::channel},
                                             {Dimension::day}}) {
      Query q = query(indicator, "c", date(2025, 11, 15), date(2026, 4, 10), g);
      auto t = engine.query(q);
      ASSERT_TRUE(t.has_value());
      shown += check(*model, responses, q, *t);
      q.filters.channels = {domain::Channel::sms, domain::Channel::kiosk};
      t = engine.query(q);
      ASSERT_TRUE(t.has_value());
      shown += check(*model, responses, q, *t);
    }
  EXPECT_GT(shown, 100);
}

// Many answers a day: blocks are sorted by unit (in parts), so scans go by runs
// of units for the sorted rows and row by row for the rest.
TEST(EngineBruteForceDense, SortedBlocksMatch) {
  auto model = test_model();
  Engine engine(model);
  const auto responses = random_responses(6000, 5, date(2026, 3, 1), date(2026, 3, 8));
  for (const Response& r : responses) engine.add(r);
  int shown = 0;
  for (const char* indicator : {"nps", "agree", "responses"})
    for (const char* unit : {"c", "a", "a2", "b"})
      for (const std::vector<Dimension>& g :
           std::vector<std::vector<Dimension>>{{},
                                               {Dimension::unit},
                                               {Dimension::day, Dimension::unit},
                                               {Dimension::unit, Dimension::age_group},
                                               {Dimension::touchpoint},
                                               {Dimension::channel}}) {
        Query q = query(indicator, unit, date(2026, 3, 1), date(2026, 3, 8), g);
        auto t = engine.query(q);
        ASSERT_TRUE(t.has_value());
        shown += check(*model, responses, q, *t);
        q.standardise = true;
        t = engine.query(q);
        ASSERT_TRUE(t.has_value());
        shown += check(*model, responses, q, *t);
      }
  EXPECT_GT(shown, 300);
}

TEST_F(EngineBruteForce, FiltersMatch) {
  Query q = query("nps", "c", date(2025, 11, 1), date(2026, 4, 30), {Dimension::unit});
  q.filters.channels = {domain::Channel::sms, domain::Channel::web, domain::Channel::qr};
  auto t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*model_, responses_, q, *t);

  q.filters = {};
  q.filters.languages = {domain::Language::sv};
  q.filters.respondents = {domain::Respondent::self, domain::Respondent::on_behalf};
  q.group_by = {Dimension::month};
  t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*model_, responses_, q, *t);

  q.filters = {};
  q.filters.journeys = {"j1"};
  q.filters.age_groups = {domain::AgeGroup::from_75, domain::AgeGroup::unknown};
  q.group_by = {Dimension::touchpoint};
  q.indicator = "responses";
  t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*model_, responses_, q, *t);

  q.filters = {};
  q.filters.touchpoints = {"tp2"};
  q.group_by = {Dimension::unit};
  q.indicator = "agree";
  t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*model_, responses_, q, *t);
  for (const Cell& c : t->cells) EXPECT_EQ(c.group[0].second, "b");  // tp2 is only at b1
}

TEST_F(EngineBruteForce, ScopeIsTheUnitsSubtree) {
  auto t = engine_->query(query("responses", "b", date(2025, 1, 1), date(2026, 12, 31), {Dimension::unit}));
  ASSERT_TRUE(t.has_value());
  std::int64_t expected = 0;
  for (const Response& r : responses_) expected += r.unit == "b1" && r.supplements == 0 ? 1 : 0;
  ASSERT_EQ(t->cells.size(), 1U);
  EXPECT_EQ(t->cells[0].group[0].second, "b1");
  EXPECT_EQ(t->cells[0].figure->n, expected);
  // The county total leaves out the unit the model does not know.
  t = engine_->query(query("responses", "c", date(2025, 1, 1), date(2026, 12, 31)));
  ASSERT_TRUE(t.has_value());
  std::int64_t all = 0;
  for (const Response& r : responses_) all += r.unit != "ghost" && r.supplements == 0 ? 1 : 0;
  EXPECT_EQ(t->cells[0].figure->n, all);
}

TEST_F(EngineBruteForce, CountsAndIdempotency) {
  EXPECT_EQ(engine_->response_count(), static_cast<std::int64_t>(responses_.size()));
  EXPECT_EQ(engine_->max_response_id(), static_cast<std::int64_t>(responses_.size()));
  for (const Response& r : responses_) engine_->add(r);  // all again
  EXPECT_EQ(engine_->response_count(), static_cast<std::int64_t>(responses_.size()));
  Query q = query("nps", "c", date(2025, 11, 1), date(2026, 4, 30), {Dimension::unit});
  auto t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*model_, responses_, q, *t);
  EXPECT_GT(engine_->memory_bytes(), 0U);
}

TEST_F(EngineBruteForce, SetModelKeepsAnswers) {
  auto m2 = test_model();
  domain::OrgUnit ghost;
  ghost.id = "ghost";
  ghost.parent = "b";
  ghost.kind = "unit";
  ghost.name = text("ghost");
  m2->units.push_back(ghost);
  m2->index();
  engine_->set_model(m2);
  Query q = query("nps", "b", date(2025, 11, 1), date(2026, 4, 30), {Dimension::unit});
  auto t = engine_->query(q);
  ASSERT_TRUE(t.has_value());
  check(*m2, responses_, q, *t);
  bool saw_ghost = false;
  for (const Cell& c : t->cells) saw_ghost = saw_ghost || c.group[0].second == "ghost";
  EXPECT_TRUE(saw_ghost);
}

}  // namespace
}  // namespace kaiku::analytics
