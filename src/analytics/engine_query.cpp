// Answering a Query (engine_query.hpp): validation, the group axes and lookup
// tables, the scans, and turning counters into suppressed cells.
#include "analytics/engine_query.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>

#include "analytics/engine_cells.hpp"
#include "analytics/engine_scan.hpp"
#include "analytics/stats.hpp"
#include "analytics/suppression.hpp"

namespace kaiku::analytics::detail {
namespace {

// Resource limits of one query: counters (4 bytes each; a scan on two threads
// holds a second copy) and cells of the answer.
constexpr std::size_t kMaxCounters = std::size_t{4} << 20;  // 16 MB of counters
constexpr std::size_t kMaxBuckets = 20000;
constexpr std::size_t kMaxCells = 20000;

Error too_large(const std::string& what) {
  return Error::invalid("group_by: the table would have more than " + what +
                        "; narrow the period or the grouping");
}

// One group_by dimension: its slots and what each is called.
struct Axis {
  Dimension dim = Dimension::unit;
  std::vector<std::string> labels;
  std::optional<Period> period;
  std::vector<Day> start, first, last;  // time: the bucket's first day, and its clipped days
};

Result<Axis> make_axis(const Store& s, const domain::Model& m, const Query& q, Dimension d) {
  Axis a;
  a.dim = d;
  switch (d) {
    case Dimension::theme:  // the taxonomy's order, then ids no longer in the model as first seen
      for (const domain::Theme& t : m.themes) a.labels.push_back(t.id);
      for (const std::string& id : s.themes.names())
        if (std::find(a.labels.begin(), a.labels.end(), id) == a.labels.end()) a.labels.push_back(id);
      break;
    case Dimension::sentiment:
      for (int i = 0; i < kSentimentCount; ++i)
        a.labels.emplace_back(domain::sentiment_name(static_cast<domain::Sentiment>(i)));
      break;
    case Dimension::unit:
      a.labels.push_back(q.unit);
      for (const domain::OrgUnit& u : m.units)
        if (u.parent == q.unit && u.id != q.unit) a.labels.push_back(u.id);
      break;
    case Dimension::journey:
      for (const domain::Journey& j : m.journeys) a.labels.push_back(j.id);
      break;
    case Dimension::touchpoint:
      for (const domain::Touchpoint& t : m.touchpoints) a.labels.push_back(t.id);
      break;
    case Dimension::channel:
      for (int c = 0; c < kChannelCount; ++c)
        a.labels.emplace_back(domain::channel_name(static_cast<domain::Channel>(c)));
      break;
    case Dimension::language:
      for (domain::Language l : domain::kAllLanguages) a.labels.emplace_back(domain::language_tag(l));
      break;
    case Dimension::age_group:
      for (int g = 0; g < kAgeCount; ++g)
        a.labels.emplace_back(domain::age_group_name(static_cast<domain::AgeGroup>(g)));
      break;
    case Dimension::respondent:
      for (int r = 0; r < kRespondentCount; ++r)
        a.labels.emplace_back(domain::respondent_name(static_cast<domain::Respondent>(r)));
      break;
    default: {
      const Period p = *period_of(d);
      a.period = p;
      for (Day b = period_start(p, q.from); b <= q.to; b = shift_period(p, b, 1)) {
        if (a.start.size() >= kMaxBuckets)
          return fail(Error::invalid("group_by: too many " + std::string(dimension_name(d)) + " buckets"));
        a.start.push_back(b);
        a.first.push_back(std::max(b, q.from));
        a.last.push_back(std::min(period_end(p, b), q.to));
        a.labels.push_back(period_key(p, b));
      }
    }
  }
  if (a.labels.empty()) a.labels.emplace_back();  // a model without journeys: one empty slot
  return a;
}

template <class T, class V>
bool contains(const std::vector<T>& list, const V& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The group axes of a table by dimension: the axis, and its stride in keys (0
// when the table is not grouped by that dimension).
struct Grouping {
  const std::vector<Axis>* axes;
  const Layout* layout;
  std::int32_t stride_of(Dimension d) const {
    for (std::size_t i = 0; i < axes->size(); ++i)
      if ((*axes)[i].dim == d) return i == 0 ? layout->stride_g0 : layout->stride_g1;
    return 0;
  }
  const Axis* axis(Dimension d) const {
    for (const Axis& a : *axes)
      if (a.dim == d) return &a;
    return nullptr;
  }
};

// Builds the lookup tables. `whole_tree`: every unit of the model counts (the
// reference population of standardisation), without unit grouping.
Tables make_tables(const Store& s, const domain::Model& m, const Query& q, const std::vector<Axis>& axes,
                   const Layout& layout, bool whole_tree, Source source) {
  Tables t;
  const Grouping g{&axes, &layout};
  const int width = layout.width;
  // Units.
  t.unit.assign(s.units.size(), 0);
  const Axis* unit_axis = whole_tree ? nullptr : g.axis(Dimension::unit);
  const std::int32_t unit_stride = g.stride_of(Dimension::unit);
  for (std::size_t code = 0; code < s.units.size(); ++code) {
    const std::string& id = s.units.name(static_cast<std::uint16_t>(code));
    if (m.unit(id) == nullptr) {
      t.unit[code] = kOut;
      continue;
    }
    if (whole_tree) continue;
    const std::vector<std::string> path = m.path_to(id);
    auto at = std::find(path.begin(), path.end(), q.unit);
    if (at == path.end()) {
      t.unit[code] = kOut;
    } else if (unit_axis != nullptr && at + 1 != path.end()) {
      auto slot = std::find(unit_axis->labels.begin(), unit_axis->labels.end(), *(at + 1));
      t.unit[code] =
          slot == unit_axis->labels.end()
              ? kOut
              : encode(static_cast<std::int32_t>(slot - unit_axis->labels.begin()) * unit_stride, width);
    }
  }
  // Touchpoints (and their journeys).
  const bool by_journey = g.axis(Dimension::journey) != nullptr;
  const bool by_touchpoint = g.axis(Dimension::touchpoint) != nullptr;
  if (by_journey || by_touchpoint || !q.filters.journeys.empty() || !q.filters.touchpoints.empty()) {
    t.touchpoint.assign(s.touchpoints.size(), 0);
    for (std::size_t code = 0; code < s.touchpoints.size(); ++code) {
      const std::string& id = s.touchpoints.name(static_cast<std::uint16_t>(code));
      const domain::Touchpoint* tp = m.touchpoint(id);
      std::int32_t v = 0;
      if (tp == nullptr) {
        v = kExcluded;
      } else {
        if (!q.filters.touchpoints.empty() && !contains(q.filters.touchpoints, id)) v = kExcluded;
        if (!q.filters.journeys.empty() && !contains(q.filters.journeys, tp->journey)) v = kExcluded;
        if (v == 0 && by_touchpoint)
          v += static_cast<std::int32_t>(tp - m.touchpoints.data()) * g.stride_of(Dimension::touchpoint);
        if (v >= 0 && by_journey) {
          const auto& labels = g.axis(Dimension::journey)->labels;
          auto it = std::find(labels.begin(), labels.end(), tp->journey);
          v = it == labels.end()
                  ? kExcluded
                  : v + static_cast<std::int32_t>(it - labels.begin()) * g.stride_of(Dimension::journey);
        }
      }
      t.touchpoint[code] = encode(v, width);
    }
  }
  // Enumerations: the hidden channel and age axes, filters, grouping.
  auto fill = [&](auto& table, Dimension d, const auto& filter, auto to_enum, std::int32_t hidden_stride) {
    const std::int32_t stride = g.stride_of(d);
    for (std::size_t i = 0; i < table.size(); ++i) {
      std::int32_t v = static_cast<std::int32_t>(i) * (stride + hidden_stride);
      if (!filter.empty() && !contains(filter, to_enum(i))) v = kExcluded;
      table[i] = encode(v, width);
    }
  };
  fill(
      t.channel, Dimension::channel, q.filters.channels,
      [](std::size_t i) { return static_cast<domain::Channel>(i); },
      layout.channels > 1 ? layout.stride_channel : 0);
  fill(
      t.language, Dimension::language, q.filters.languages,
      [](std::size_t i) { return static_cast<domain::Language>(i); }, 0);
  fill(
      t.age, Dimension::age_group, q.filters.age_groups,
      [](std::size_t i) { return static_cast<domain::AgeGroup>(i); },
      layout.ages > 1 ? layout.stride_age : 0);
  fill(
      t.respondent, Dimension::respondent, q.filters.respondents,
      [](std::size_t i) { return static_cast<domain::Respondent>(i); }, 0);
  // Free text. The comment byte: no comment counts in no tone.
  if (g.axis(Dimension::sentiment) != nullptr || !q.filters.sentiments.empty()) {
    const std::int32_t stride = g.stride_of(Dimension::sentiment);
    for (std::size_t code = 0; code < t.sentiment.size(); ++code) {
      const auto tone = static_cast<int>(code % kCommentSuggestion);
      std::int32_t v = tone * stride;
      if (code >= static_cast<std::size_t>(kCommentCodes) ||
          (!q.filters.sentiments.empty() && !contains(q.filters.sentiments, static_cast<domain::Sentiment>(tone))))
        v = kExcluded;
      t.sentiment[code] = encode(v, width);
    }
  }
  const Axis* theme_axis = g.axis(Dimension::theme);
  if (theme_axis != nullptr || !q.filters.themes.empty()) {
    t.use_theme = true;
    t.group_theme = theme_axis != nullptr;
    t.theme_mask = 0;
    const std::int32_t stride = g.stride_of(Dimension::theme);
    for (std::size_t code = 0; code < s.themes.size() && code < kMaxThemes; ++code) {
      const std::string& id = s.themes.name(static_cast<std::uint16_t>(code));
      if (!q.filters.themes.empty() && !contains(q.filters.themes, id)) continue;
      std::int32_t v = 0;
      if (theme_axis != nullptr) {
        auto slot = std::find(theme_axis->labels.begin(), theme_axis->labels.end(), id);
        if (slot == theme_axis->labels.end()) continue;
        v = static_cast<std::int32_t>(slot - theme_axis->labels.begin()) * stride;
      }
      t.theme[code] = encode(v, width);
      t.theme_mask |= std::uint64_t{1} << code;
    }
  }
  t.finish(source);
  return t;
}

// Blocks of [from, to] split by the time axes, each piece adding its buckets' offsets.
std::vector<Range> time_ranges(const std::vector<Axis>& axes, const Layout& layout, Day from, Day to) {
  std::vector<Range> ranges{{from, to, 0}};
  for (std::size_t i = 0; i < axes.size(); ++i) {
    if (!axes[i].period) continue;
    const std::int32_t stride = i == 0 ? layout.stride_g0 : layout.stride_g1;
    std::vector<Range> split;
    for (const Range& r : ranges)
      for (std::size_t s = 0; s < axes[i].first.size(); ++s) {
        const Day f = std::max(r.from, axes[i].first[s]), l = std::min(r.to, axes[i].last[s]);
        if (f <= l) split.push_back({f, l, r.offset + static_cast<std::int32_t>(s) * stride});
      }
    ranges = std::move(split);
  }
  return ranges;
}

struct Counted {
  Layout layout;
  std::vector<std::uint32_t> acc;
};

Result<Counted> count(const Store& s, const domain::Model& m, const Query& q, const Indicator& ind,
                      const std::vector<Axis>& axes, Layout layout, const std::vector<Range>& ranges,
                      bool whole_tree) {
  layout.width = ind.kind == IndicatorKind::count ? 1 : ind.kind == IndicatorKind::response_rate ? 2 : 12;
  layout.finish();
  if (layout.keys * static_cast<std::size_t>(layout.width) > kMaxCounters)
    return fail(too_large(std::to_string(kMaxCounters) + " counters"));
  Counted c;
  c.layout = layout;
  Counters counters;
  counters.reset(layout.keys * static_cast<std::size_t>(layout.width));
  const Tables t = make_tables(s, m, q, axes, layout, whole_tree, ind.source);
  if (ind.kind == IndicatorKind::response_rate)
    scan_invitations(s, t, ranges, layout, counters);
  else
    scan_responses(s, t, ranges, layout, ind.key, counters);
  counters.fold();
  c.acc = std::move(counters.data);
  return c;
}

std::optional<double> target_for(const domain::Model& m, const std::string& indicator,
                                 const std::string& unit) {
  const std::vector<std::string> path = m.path_to(unit);
  for (auto it = path.rbegin(); it != path.rend(); ++it)
    for (const domain::Target& t : m.targets)
      if (t.indicator == indicator && t.unit == *it) return t.value;
  return std::nullopt;
}

Status validate(const domain::Model& m, const Query& q, const Indicator& ind) {
  if (m.unit(q.unit) == nullptr) return fail(Error::invalid("unit: unknown unit \"" + q.unit + "\""));
  if (q.from > q.to)
    return fail(Error::invalid("from: " + format_date(q.from) + " is after to " + format_date(q.to)));
  if (q.group_by.size() > 2) return fail(Error::invalid("group_by: at most two dimensions"));
  if (q.group_by.size() == 2 && q.group_by[0] == q.group_by[1])
    return fail(
        Error::invalid("group_by: \"" + std::string(dimension_name(q.group_by[0])) + "\" given twice"));
  for (Dimension d : q.group_by) {
    if (static_cast<int>(d) > static_cast<int>(Dimension::sentiment))
      return fail(Error::invalid("group_by: unknown dimension"));
    if (ind.kind == IndicatorKind::response_rate && (d == Dimension::theme || d == Dimension::sentiment))
      return fail(Error::invalid("group_by: response_rate has no " + std::string(dimension_name(d)) +
                                 " dimension (invitations have no comments)"));
    if (q.adaptive && is_time_dimension(d))
      return fail(Error::invalid("adaptive: not allowed with the time dimension \"" +
                                 std::string(dimension_name(d)) + "\" in group_by"));
    if (ind.kind == IndicatorKind::response_rate && d == Dimension::respondent)
      return fail(Error::invalid("group_by: response_rate has no respondent dimension"));
  }
  if (ind.kind == IndicatorKind::response_rate && !q.filters.respondents.empty())
    return fail(Error::invalid("respondent: response_rate has no respondent dimension"));
  if (ind.kind == IndicatorKind::response_rate && !q.filters.themes.empty())
    return fail(Error::invalid("themes: response_rate has no theme dimension"));
  if (ind.kind == IndicatorKind::response_rate && !q.filters.sentiments.empty())
    return fail(Error::invalid("sentiments: response_rate has no sentiment dimension"));
  if (q.adaptive && (q.adaptive_max_months < 1 || q.adaptive_max_months > 120))
    return fail(Error::invalid("adaptive_max_months: must be 1-120"));
  if (q.compare && q.group_by.size() == 2 && is_time_dimension(q.group_by[0]) &&
      is_time_dimension(q.group_by[1]))
    return fail(Error::invalid("compare: not available with two time dimensions in group_by"));
  for (const std::string& j : q.filters.journeys)
    if (m.journey(j) == nullptr) return fail(Error::invalid("journey: unknown journey \"" + j + "\""));
  for (const std::string& t : q.filters.touchpoints)
    if (m.touchpoint(t) == nullptr)
      return fail(Error::invalid("touchpoint: unknown touchpoint \"" + t + "\""));
  return {};
}

// A counted table with its non-empty cells, suppressed.
struct Suppressed {
  Counted counted;
  std::vector<Work> cells;
  std::map<std::pair<int, int>, std::size_t> index;
  Day from = 0, to = 0;  // an earlier period's table (non-time comparisons): its days

  void build_index() {
    for (std::size_t i = 0; i < cells.size(); ++i) index[{cells[i].a, cells[i].b}] = i;
  }
  const Work* find(int a, int b) const {
    auto it = index.find({a, b});
    return it == index.end() ? nullptr : &cells[it->second];
  }
};

Day shifted_start(Period p, Day start, int which) {
  if (which == 0) return shift_period(p, start, -1);
  return period_start(p, add_years(start, -1));
}

// A time-grouped table with comparisons holds, on one time axis, the query's
// buckets and the earlier buckets they are compared with, so that it is counted
// and suppressed once and a bucket has one status wherever it appears.
struct Extension {
  int first_main = 0;           // slots [first_main, ...) are the query's buckets
  std::vector<int> earlier[2];  // per query bucket: the slot of the previous bucket, of a year ago
};

// Adds to time axis `a` the earlier buckets its buckets are compared with. A
// bucket the query clips is compared with the same days of the earlier bucket;
// an earlier bucket that is also one of the query's keeps the query's days.
Extension extend_time_axis(Axis& a) {
  const Period p = *a.period;
  std::map<Day, std::pair<Day, Day>> extra;  // bucket start -> the days it covers
  for (std::size_t i = 0; i < a.start.size(); ++i)
    for (int which = 0; which < 2; ++which) {
      const Day ps = shifted_start(p, a.start[i], which);
      if (ps >= a.start.front()) continue;  // one of the query's buckets
      const Day end = period_end(p, ps);
      const Day f = std::min(end, ps + (a.first[i] - a.start[i]));
      const Day t = std::min(end, ps + (a.last[i] - a.start[i]));
      auto [it, added] = extra.emplace(ps, std::make_pair(f, t));
      if (!added) it->second = {std::min(it->second.first, f), std::max(it->second.second, t)};
    }
  Axis u;
  u.dim = a.dim;
  u.period = p;
  for (const auto& [start, days] : extra) {
    u.start.push_back(start);
    u.first.push_back(days.first);
    u.last.push_back(days.second);
    u.labels.push_back(period_key(p, start));
  }
  Extension e;
  e.first_main = static_cast<int>(u.start.size());
  u.start.insert(u.start.end(), a.start.begin(), a.start.end());
  u.first.insert(u.first.end(), a.first.begin(), a.first.end());
  u.last.insert(u.last.end(), a.last.begin(), a.last.end());
  u.labels.insert(u.labels.end(), a.labels.begin(), a.labels.end());
  for (int which = 0; which < 2; ++which)
    for (Day start : a.start) {
      const Day ps = shifted_start(p, start, which);
      e.earlier[which].push_back(
          static_cast<int>(std::lower_bound(u.start.begin(), u.start.end(), ps) - u.start.begin()));
    }
  a = std::move(u);
  return e;
}

// The tables that an extended time-grouped table stands for, each a list of its
// cells: the query's own (its buckets), and for each comparison the table of the
// earlier buckets, each in the place of the bucket compared with it (an earlier
// bucket that two buckets are compared with, only once).
std::vector<std::vector<TableCell>> linked_tables(const std::vector<Work>& cells, const Extension& e,
                                                  int time_index) {
  const std::size_t main = e.earlier[0].size();
  const std::size_t slots = static_cast<std::size_t>(e.first_main) + main;
  std::vector<std::vector<int>> place(3, std::vector<int>(slots, -1));  // slot -> place per table
  for (std::size_t i = 0; i < main; ++i) {
    place[0][static_cast<std::size_t>(e.first_main) + i] = static_cast<int>(i);
    for (int which = 0; which < 2; ++which) {
      int& p = place[static_cast<std::size_t>(which) + 1][static_cast<std::size_t>(e.earlier[which][i])];
      if (p < 0) p = static_cast<int>(i);
    }
  }
  std::vector<std::vector<TableCell>> tables(3);
  for (std::size_t c = 0; c < cells.size(); ++c)
    for (std::size_t t = 0; t < 3; ++t) {
      int at[2] = {cells[c].a, cells[c].b};
      const int p = place[t][static_cast<std::size_t>(at[time_index])];
      if (p < 0) continue;
      at[time_index] = p;
      tables[t].push_back({c, at[0], at[1]});
    }
  return tables;
}

// The table of an earlier period for a query without a time dimension: `which`
// 0 = the period of the same length just before, 1 = the same period a year earlier.
Result<Suppressed> earlier_table(const Store& s, const domain::Model& m, const Query& q, const Indicator& ind,
                                 const std::vector<Axis>& axes, const Layout& main, int which) {
  Suppressed t;
  Layout layout;
  layout.g0 = main.g0, layout.g1 = main.g1;
  layout.finish();
  const Day len = q.to - q.from + 1;
  t.from = which == 0 ? q.from - len : add_years(q.from, -1);
  t.to = which == 0 ? q.from - 1 : add_years(q.to, -1);
  auto counted = count(s, m, q, ind, axes, layout, {{t.from, t.to, 0}}, false);
  if (!counted) return fail(counted.error());
  t.counted = std::move(*counted);
  for (int a = 0; a < layout.g0; ++a)
    for (int b = 0; b < layout.g1; ++b) {
      const std::int64_t n = n_of(ind.kind, sum_counts(t.counted.acc, t.counted.layout, a, b, 0));
      if (n > 0) t.cells.push_back({a, b, 0, n});
    }
  suppress(t.cells, m.reporting_threshold);
  t.build_index();
  return t;
}

// Cell (a, b) of `then` as the comparison of a cell with counts `now_counts`.
Comparison comparison_with(const Suppressed& then, int a, int b, Day from, Day to, const Indicator& ind,
                           const Counts& now_counts, bool shown) {
  Comparison c;
  c.from = from;
  c.to = to;
  const Work* w = then.find(a, b);
  if (w == nullptr || w->suppression != Suppression::none) return c;
  const Counts counts = sum_counts(then.counted.acc, then.counted.layout, a, b, 0);
  c.suppressed = false;
  c.figure = figure_of(ind, counts);
  if (shown) {
    const Estimate e_now = estimate_of(ind, now_counts), e_then = estimate_of(ind, counts);
    c.change = e_now.value - e_then.value;
    c.significant = ind.kind != IndicatorKind::count && compare_estimates(e_now, e_then).significant;
  }
  return c;
}

bool has_filters(const Filters& f) {
  return !f.journeys.empty() || !f.touchpoints.empty() || !f.channels.empty() || !f.languages.empty() ||
         !f.age_groups.empty() || !f.respondents.empty() || !f.themes.empty() || !f.sentiments.empty();
}

// The reference mix of standardisation, weights per (channel, age group): the
// answers of the whole county to the indicator in the query's period, without
// the query's filters, so that no filter can narrow it to a few answers outside
// the caller's scope. Empty when the county has no answers then.
Result<std::vector<double>> reference_weights(const Store& s, const domain::Model& m, const Query& q,
                                              const Indicator& ind, const Counted& main, bool extended) {
  // At the root, unfiltered, when the groups partition the answers (journey and
  // touchpoint groups leave out answers without a touchpoint), the main table's
  // step-0 counters already hold the reference population: no second scan.
  // (Theme groups overlap and leave out rows without themes; sentiment groups
  // leave out rows without a comment.)
  bool reuse = m.path_to(q.unit).size() == 1 && !has_filters(q.filters) && !extended;
  for (Dimension d : q.group_by)
    reuse = reuse && d != Dimension::journey && d != Dimension::touchpoint && d != Dimension::theme &&
            d != Dimension::sentiment;
  std::optional<Counted> rc;
  if (!reuse) {
    Layout ref;
    ref.channels = kChannelCount;
    ref.ages = kAgeCount;
    Query rq;
    rq.indicator = q.indicator;
    rq.unit = q.unit;
    auto scanned = count(s, m, rq, ind, {}, ref, {{q.from, q.to, 0}}, true);
    if (!scanned) return fail(scanned.error());
    rc = std::move(*scanned);
  }
  const Layout& L = main.layout;
  std::int64_t total = 0;
  std::vector<std::int64_t> n(kChannelCount * kAgeCount, 0);
  for (int ch = 0; ch < kChannelCount; ++ch)
    for (int ag = 0; ag < kAgeCount; ++ag) {
      std::int64_t x = 0;
      if (rc) {
        x = n_of(ind.kind, sum_counts(rc->acc, rc->layout, 0, 0, 0, ch, ag));
      } else {
        for (int a = 0; a < L.g0; ++a)
          for (int b = 0; b < L.g1; ++b) x += n_of(ind.kind, sum_counts(main.acc, L, a, b, 0, ch, ag));
      }
      n[static_cast<std::size_t>(ch * kAgeCount + ag)] = x;
      total += x;
    }
  std::vector<double> weights;
  if (total > 0)
    for (std::int64_t x : n) weights.push_back(static_cast<double>(x) / static_cast<double>(total));
  return weights;
}

}  // namespace

Result<Table> run_query(const Store& s, const domain::Model& m, const Query& q) {
  auto resolved = resolve_indicator(s, m, q.indicator);
  if (!resolved) return fail(resolved.error());
  const Indicator ind = *resolved;
  if (auto ok = validate(m, q, ind); !ok) return fail(ok.error());

  std::vector<Axis> axes;
  std::size_t groups = 1;
  int time_index = -1;
  for (Dimension d : q.group_by) {
    auto a = make_axis(s, m, q, d);
    if (!a) return fail(a.error());
    groups *= a->labels.size();
    if (a->period && time_index < 0) time_index = static_cast<int>(axes.size());
    axes.push_back(std::move(*a));
  }
  if (groups > kMaxCells) return fail(too_large(std::to_string(kMaxCells) + " cells"));
  // Time-grouped comparisons come from the same table (see Extension).
  std::optional<Extension> ext;
  if (q.compare && time_index >= 0) ext = extend_time_axis(axes[static_cast<std::size_t>(time_index)]);
  const bool do_standardise = q.standardise && value_kind(ind.kind);
  Layout layout;
  if (!axes.empty()) layout.g0 = static_cast<int>(axes[0].labels.size());
  if (axes.size() > 1) layout.g1 = static_cast<int>(axes[1].labels.size());
  layout.steps = q.adaptive ? q.adaptive_max_months + 1 : 1;
  layout.channels = kChannelCount;
  layout.ages = do_standardise ? kAgeCount : 1;
  layout.finish();
  if (layout.keys * 12 > kMaxCounters)  // checked before any key offset is computed
    return fail(too_large(std::to_string(kMaxCounters) + " counters"));
  const Day scan_from = ext ? axes[static_cast<std::size_t>(time_index)].first.front() : q.from;
  std::vector<Range> ranges = time_ranges(axes, layout, scan_from, q.to);
  if (q.adaptive)
    for (int k = 1; k <= q.adaptive_max_months; ++k) {
      const Day f = add_months(q.from, -k), t = add_months(q.from, -(k - 1)) - 1;
      if (f <= t) ranges.push_back({f, t, k * layout.stride_step});
    }
  auto counted = count(s, m, q, ind, axes, layout, ranges, false);
  if (!counted) return fail(counted.error());
  Suppressed main;
  main.counted = std::move(*counted);
  const Layout& L = main.counted.layout;
  const std::vector<std::uint32_t>& acc = main.counted.acc;
  const std::int64_t threshold = m.reporting_threshold;

  // The non-empty cells, widened where asked.
  for (int a = 0; a < L.g0; ++a)
    for (int b = 0; b < L.g1; ++b) {
      Work w{a, b, 0, n_of(ind.kind, sum_counts(acc, L, a, b, 0))};
      if (q.adaptive && w.n < threshold) {
        std::int64_t n = w.n;
        for (int k = 1; k < L.steps; ++k) {
          n += n_of(ind.kind, sum_steps(acc, L, a, b, k, k));
          if (n >= threshold) {
            w.step = k, w.n = n, w.widened = true;
            break;
          }
        }
      }
      if (w.n > 0) main.cells.push_back(w);
    }
  if (ext)
    suppress_linked(main.cells, linked_tables(main.cells, *ext, time_index), threshold);
  else
    suppress(main.cells, threshold);
  main.build_index();
  // The cells of the answer: with an extended time axis, the query's buckets only.
  std::vector<const Work*> out;
  for (const Work& w : main.cells)
    if (!ext || (time_index == 0 ? w.a : w.b) >= ext->first_main) out.push_back(&w);
  const std::vector<std::vector<ChannelShare>> mixes = channel_mixes(out, acc, L, ind, threshold);

  std::vector<double> weights;
  if (do_standardise) {
    auto w = reference_weights(s, m, q, ind, main.counted, ext.has_value());
    if (!w) return fail(w.error());
    weights = std::move(*w);
  }

  std::optional<Suppressed> cmp[2];
  if (q.compare && !ext)
    for (int which = 0; which < 2; ++which) {
      auto ct = earlier_table(s, m, q, ind, axes, L, which);
      if (!ct) return fail(ct.error());
      cmp[which] = std::move(*ct);
    }

  const Axis* unit_axis = nullptr;
  for (const Axis& a : axes)
    if (a.dim == Dimension::unit) unit_axis = &a;
  std::map<std::string, std::optional<double>> targets;
  auto target = [&](const std::string& unit) -> std::optional<double> {
    auto it = targets.find(unit);
    if (it == targets.end()) it = targets.emplace(unit, target_for(m, q.indicator, unit)).first;
    return it->second;
  };

  Table table;
  table.indicator = q.indicator;
  table.kind = ind.kind;
  table.unit = q.unit;
  table.from = q.from;
  table.to = q.to;
  table.threshold = m.reporting_threshold;
  table.group_by = q.group_by;
  for (std::size_t r = 0; r < out.size(); ++r) {
    const Work& w = *out[r];
    Cell cell;
    const int slots[2] = {w.a, w.b};
    cell.from = q.from;
    cell.to = q.to;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto slot = static_cast<std::size_t>(slots[i]);
      cell.group.emplace_back(axes[i].dim, axes[i].labels[slot]);
      if (axes[i].period) {
        cell.from = std::max(cell.from, axes[i].first[slot]);
        cell.to = std::min(cell.to, axes[i].last[slot]);
      }
    }
    if (w.widened) {
      cell.widened = true;
      cell.from = add_months(q.from, -w.step);
    }
    cell.suppression = w.suppression;
    cell.target =
        target(unit_axis != nullptr
                   ? unit_axis->labels[static_cast<std::size_t>(slots[unit_axis == &axes[0] ? 0 : 1])]
                   : q.unit);
    const Counts counts = sum_counts(acc, L, w.a, w.b, w.step);
    const bool shown = w.suppression == Suppression::none;
    if (shown) {
      cell.figure = figure_of(ind, counts);
      // Targets of scale questions are on the mean (docs/model-format.md), NPS's on the value.
      if (cell.target) {
        const bool on_mean =
            ind.kind == IndicatorKind::top_two_box || ind.kind == IndicatorKind::positive_share;
        if (!on_mean)
          cell.target_met = cell.figure->value >= *cell.target;
        else if (cell.figure->mean)
          cell.target_met = *cell.figure->mean >= *cell.target;
      }
      cell.channel_mix = mixes[r];
      if (do_standardise && !weights.empty()) {
        // Strata where the cell has fewer answers than the threshold are left out
        // like empty ones, so that the value and coverage never rest on them.
        std::vector<Estimate> strata;
        strata.reserve(weights.size());
        for (int ch = 0; ch < kChannelCount; ++ch)
          for (int ag = 0; ag < kAgeCount; ++ag) {
            const Counts sc = sum_counts(acc, L, w.a, w.b, w.step, ch, ag);
            strata.push_back(n_of(ind.kind, sc) >= threshold ? estimate_of(ind, sc) : Estimate{});
          }
        const double lo = ind.kind == IndicatorKind::nps ? -100 : 0;
        if (auto st = standardise(strata, weights, lo, 100.0))
          cell.standardised =
              StandardisedFigure{st->estimate.value, st->estimate.ci_low, st->estimate.ci_high,
                                 std::round(st->coverage * 100.0) / 100.0};
      }
    }
    // A widened cell's longer period overlaps the earlier ones: no comparison.
    if (q.compare && !w.widened)
      for (int which = 0; which < 2; ++which) {
        std::optional<Comparison>& c = which == 0 ? cell.previous : cell.year_ago;
        if (ext) {
          const auto ti = static_cast<std::size_t>(time_index);
          int at[2] = {w.a, w.b};
          const auto es = static_cast<std::size_t>(
              ext->earlier[which][static_cast<std::size_t>(at[ti] - ext->first_main)]);
          at[ti] = static_cast<int>(es);
          c = comparison_with(main, at[0], at[1], axes[ti].first[es], axes[ti].last[es], ind, counts, shown);
        } else {
          c = comparison_with(*cmp[which], w.a, w.b, cmp[which]->from, cmp[which]->to, ind, counts, shown);
        }
      }
    table.cells.push_back(std::move(cell));
  }
  return table;
}

}  // namespace kaiku::analytics::detail
