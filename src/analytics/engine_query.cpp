// Answering a Query (engine_query.hpp): validation, the group axes and lookup
// tables, the scans, and turning counters into suppressed cells.
#include "analytics/engine_query.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "analytics/engine_scan.hpp"
#include "analytics/stats.hpp"
#include "analytics/suppression.hpp"

namespace kaiku::analytics::detail {
namespace {

constexpr std::size_t kMaxCounters = std::size_t{64} << 20;  // 256 MB of counters
constexpr std::size_t kMaxBuckets = 20000;

using Counts = std::array<std::int64_t, 12>;

struct Indicator {
  IndicatorKind kind = IndicatorKind::nps;
  std::optional<std::uint16_t> key;  // question code in the store, if it has one
  int pos_lo = 0, pos_hi = 0;        // the values counted as positive
};

Result<Indicator> resolve_indicator(const Store& store, const domain::Model& m, const std::string& name) {
  Indicator ind;
  if (name == "responses") {
    ind.kind = IndicatorKind::count;
    return ind;
  }
  if (name == "response_rate") {
    ind.kind = IndicatorKind::response_rate;
    return ind;
  }
  const domain::Question* q = nullptr;
  for (const domain::Survey& s : m.surveys)
    if ((q = s.question(name)) != nullptr) break;
  using domain::QuestionType;
  if (q == nullptr) {
    if (name != "nps") return fail(Error::invalid("indicator: unknown indicator \"" + name + "\""));
    ind.kind = IndicatorKind::nps;
  } else if (q->type == QuestionType::nps) {
    ind.kind = IndicatorKind::nps;
  } else if (q->type == QuestionType::agreement) {
    ind.kind = IndicatorKind::top_two_box;
    ind.pos_lo = 4, ind.pos_hi = 5;
  } else if (q->type == QuestionType::smiley3) {
    ind.kind = IndicatorKind::positive_share;
    ind.pos_lo = 3, ind.pos_hi = 3;
  } else if (q->type == QuestionType::smiley5) {
    ind.kind = IndicatorKind::positive_share;
    ind.pos_lo = 4, ind.pos_hi = 5;
  } else {
    return fail(Error::invalid("indicator: question \"" + name + "\" is of type " +
                               std::string(domain::question_type_name(q->type)) +
                               ", which has no indicator"));
  }
  ind.key = store.questions.find(name);
  return ind;
}

bool value_kind(IndicatorKind k) {
  return k == IndicatorKind::nps || k == IndicatorKind::top_two_box || k == IndicatorKind::positive_share;
}

// One group_by dimension: its slots and what each is called.
struct Axis {
  Dimension dim = Dimension::unit;
  std::vector<std::string> labels;
  std::optional<Period> period;
  std::vector<Day> start, first, last;  // time: the bucket's first day, and its clipped days
};

Result<Axis> make_axis(const domain::Model& m, const Query& q, Dimension d) {
  Axis a;
  a.dim = d;
  switch (d) {
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
                   const Layout& layout, bool whole_tree) {
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
  t.finish(width);
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

// The counters of group (a, b) over adaptive steps [step_lo, step_hi], one
// channel and age group or all (-1).
Counts sum_steps(const std::vector<std::uint32_t>& acc, const Layout& L, int a, int b, int step_lo,
                 int step_hi, int channel = -1, int age = -1) {
  Counts c{};
  for (int s = step_lo; s <= step_hi; ++s)
    for (int ch = 0; ch < L.channels; ++ch) {
      if (channel >= 0 && ch != channel) continue;
      for (int ag = 0; ag < L.ages; ++ag) {
        if (age >= 0 && ag != age) continue;
        const std::size_t k = L.key(a, b, s, ch, ag) * static_cast<std::size_t>(L.width);
        for (int w = 0; w < L.width; ++w)
          c[static_cast<std::size_t>(w)] += acc[k + static_cast<std::size_t>(w)];
      }
    }
  return c;
}

Counts sum_counts(const std::vector<std::uint32_t>& acc, const Layout& L, int a, int b, int step_hi,
                  int channel = -1, int age = -1) {
  return sum_steps(acc, L, a, b, 0, step_hi, channel, age);
}

std::int64_t n_of(IndicatorKind kind, const Counts& c) {
  if (!value_kind(kind)) return c[0];
  std::int64_t n = 0;
  for (int v = 0; v <= 10; ++v) n += c[static_cast<std::size_t>(v)];
  return n;
}

Histogram histogram_of(const Counts& c) {
  Histogram h;
  for (int v = 0; v <= 10; ++v) h.counts[static_cast<std::size_t>(v)] = c[static_cast<std::size_t>(v)];
  h.cant_say = c[11];
  return h;
}

Estimate estimate_of(const Indicator& ind, const Counts& c) {
  switch (ind.kind) {
    case IndicatorKind::nps: {
      const Histogram h = histogram_of(c);
      return nps_estimate(h.between(9, 10), h.between(7, 8), h.between(0, 6));
    }
    case IndicatorKind::top_two_box:
    case IndicatorKind::positive_share: {
      const Histogram h = histogram_of(c);
      return share_estimate(h.between(ind.pos_lo, ind.pos_hi), h.n());
    }
    case IndicatorKind::count: {
      Estimate e;
      e.value = e.ci_low = e.ci_high = static_cast<double>(c[0]);
      e.n = c[0];
      return e;
    }
    case IndicatorKind::response_rate:
      return share_estimate(c[1], c[0]);
  }
  return {};
}

Figure figure_of(const Indicator& ind, const Counts& c) {
  Figure f;
  const Estimate e = estimate_of(ind, c);
  f.n = n_of(ind.kind, c);
  f.value = e.value;
  if (ind.kind != IndicatorKind::count) {
    f.ci_low = e.ci_low;
    f.ci_high = e.ci_high;
  }
  const Histogram h = histogram_of(c);
  switch (ind.kind) {
    case IndicatorKind::nps:
      f.promoters = h.between(9, 10);
      f.passives = h.between(7, 8);
      f.detractors = h.between(0, 6);
      break;
    case IndicatorKind::top_two_box:
      f.cant_say = h.cant_say;
      [[fallthrough]];
    case IndicatorKind::positive_share:
      f.positive = h.between(ind.pos_lo, ind.pos_hi);
      f.mean = h.mean();
      break;
    case IndicatorKind::response_rate:
      f.positive = c[1];
      break;
    case IndicatorKind::count:
      break;
  }
  return f;
}

// A non-empty group of a table, before and after suppression.
struct Work {
  int a = 0, b = 0;
  int step = 0;  // adaptive: the last step included
  std::int64_t n = 0;
  bool widened = false;
  Suppression suppression = Suppression::none;
};

// Suppresses the cells (primary + complementary). A widened cell is shown for its
// longer period, but its count in the table's own period is below the threshold, so
// it takes part as a hidden cell: otherwise that small count could be derived from
// the margin and the other cells of its line.
void suppress(std::vector<Work>& cells, std::int64_t threshold) {
  std::vector<SuppressionCell> sc;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    sc.push_back({cells[i].a, cells[i].b, cells[i].widened ? 0 : cells[i].n});
    index.push_back(i);
  }
  apply_suppression(sc, threshold);
  for (std::size_t j = 0; j < sc.size(); ++j)
    if (!cells[index[j]].widened)
      cells[index[j]].suppression = sc[j].primary         ? Suppression::below_threshold
                                  : sc[j].complementary ? Suppression::complementary
                                                        : Suppression::none;
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
    return fail(Error::invalid("group_by: too many groups in one table"));
  Counted c;
  c.layout = layout;
  Counters counters;
  counters.reset(layout.keys * static_cast<std::size_t>(layout.width));
  const Tables t = make_tables(s, m, q, axes, layout, whole_tree);
  if (ind.kind == IndicatorKind::response_rate)
    scan_invitations(s, t, ranges, layout, counters);
  else if (value_kind(ind.kind))
    scan_responses(s, t, ranges, layout, ind.key, counters);
  else
    scan_responses(s, t, ranges, layout, std::nullopt, counters);
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
    if (static_cast<int>(d) > static_cast<int>(Dimension::year))
      return fail(Error::invalid("group_by: unknown dimension"));
    if (q.adaptive && is_time_dimension(d))
      return fail(Error::invalid("adaptive: not allowed with the time dimension \"" +
                                 std::string(dimension_name(d)) + "\" in group_by"));
    if (ind.kind == IndicatorKind::response_rate && d == Dimension::respondent)
      return fail(Error::invalid("group_by: response_rate has no respondent dimension"));
  }
  if (ind.kind == IndicatorKind::response_rate && !q.filters.respondents.empty())
    return fail(Error::invalid("respondent: response_rate has no respondent dimension"));
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

// The comparison of a table with an earlier period: `which` 0 = previous, 1 = a year ago.
struct ComparisonTable {
  Counted counted;
  std::vector<Work> cells;
  std::map<std::pair<int, int>, std::size_t> index;
  std::vector<std::pair<Day, Day>> period;  // per time slot, or one for the table
};

Day shifted_start(Period p, Day start, int which) {
  if (which == 0) return shift_period(p, start, -1);
  return period_start(p, add_years(start, -1));
}

Result<ComparisonTable> compare_table(const Store& s, const domain::Model& m, const Query& q,
                                      const Indicator& ind, const std::vector<Axis>& axes, const Layout& main,
                                      int which) {
  ComparisonTable ct;
  Layout layout;
  layout.g0 = main.g0, layout.g1 = main.g1;
  layout.width = main.width;
  layout.finish();
  std::vector<Range> ranges;
  int time_axis = -1;
  for (std::size_t i = 0; i < axes.size(); ++i)
    if (axes[i].period) time_axis = static_cast<int>(i);
  if (time_axis < 0) {
    const Day len = q.to - q.from + 1;
    const Day f = which == 0 ? q.from - len : add_years(q.from, -1);
    const Day t = which == 0 ? q.from - 1 : add_years(q.to, -1);
    ranges.push_back({f, t, 0});
    ct.period.emplace_back(f, t);
  } else {
    const Axis& a = axes[static_cast<std::size_t>(time_axis)];
    const std::int32_t stride = time_axis == 0 ? layout.stride_g0 : layout.stride_g1;
    for (std::size_t i = 0; i < a.start.size(); ++i) {
      const Day ps = shifted_start(*a.period, a.start[i], which);
      const Day f = ps + (a.first[i] - a.start[i]);
      const Day t = std::min(period_end(*a.period, ps), ps + (a.last[i] - a.start[i]));
      ranges.push_back({f, t, static_cast<std::int32_t>(i) * stride});
      ct.period.emplace_back(f, t);
    }
  }
  auto counted = count(s, m, q, ind, axes, layout, ranges, false);
  if (!counted) return fail(counted.error());
  ct.counted = std::move(*counted);
  for (int a = 0; a < layout.g0; ++a)
    for (int b = 0; b < layout.g1; ++b) {
      const std::int64_t n = n_of(ind.kind, sum_counts(ct.counted.acc, ct.counted.layout, a, b, 0));
      if (n > 0) ct.cells.push_back({a, b, 0, n});
    }
  suppress(ct.cells, m.reporting_threshold);
  for (std::size_t i = 0; i < ct.cells.size(); ++i) ct.index[{ct.cells[i].a, ct.cells[i].b}] = i;
  return ct;
}

Comparison comparison_for(const ComparisonTable& ct, const Indicator& ind, const Axis* time_axis, int slot,
                          const Work& now, const Counts& now_counts, bool shown) {
  Comparison c;
  const auto& period = ct.period[time_axis != nullptr ? static_cast<std::size_t>(slot) : 0];
  c.from = period.first;
  c.to = period.second;
  auto it = ct.index.find({now.a, now.b});
  if (it == ct.index.end()) return c;
  const Work& w = ct.cells[it->second];
  if (w.suppression != Suppression::none) return c;
  const Counts then = sum_counts(ct.counted.acc, ct.counted.layout, w.a, w.b, 0);
  c.suppressed = false;
  c.figure = figure_of(ind, then);
  if (shown && !now.widened) {
    const Estimate e_now = estimate_of(ind, now_counts), e_then = estimate_of(ind, then);
    c.change = e_now.value - e_then.value;
    c.significant = ind.kind != IndicatorKind::count && compare_estimates(e_now, e_then).significant;
  }
  return c;
}

}  // namespace

Result<Table> run_query(const Store& s, const domain::Model& m, const Query& q) {
  auto resolved = resolve_indicator(s, m, q.indicator);
  if (!resolved) return fail(resolved.error());
  const Indicator ind = *resolved;
  if (auto ok = validate(m, q, ind); !ok) return fail(ok.error());

  std::vector<Axis> axes;
  for (Dimension d : q.group_by) {
    auto a = make_axis(m, q, d);
    if (!a) return fail(a.error());
    axes.push_back(std::move(*a));
  }
  const bool do_standardise = q.standardise && value_kind(ind.kind);
  Layout layout;
  if (!axes.empty()) layout.g0 = static_cast<int>(axes[0].labels.size());
  if (axes.size() > 1) layout.g1 = static_cast<int>(axes[1].labels.size());
  layout.steps = q.adaptive ? q.adaptive_max_months + 1 : 1;
  layout.channels = kChannelCount;
  layout.ages = do_standardise ? kAgeCount : 1;
  layout.finish();
  if (layout.keys * 12 > kMaxCounters)  // checked before any key offset is computed
    return fail(Error::invalid("group_by: too many groups in one table"));
  std::vector<Range> ranges = time_ranges(axes, layout, q.from, q.to);
  if (q.adaptive)
    for (int k = 1; k <= q.adaptive_max_months; ++k) {
      const Day f = add_months(q.from, -k), t = add_months(q.from, -(k - 1)) - 1;
      if (f <= t) ranges.push_back({f, t, k * layout.stride_step});
    }
  auto counted = count(s, m, q, ind, axes, layout, ranges, false);
  if (!counted) return fail(counted.error());
  const Layout& L = counted->layout;
  const std::vector<std::uint32_t>& acc = counted->acc;
  const std::int64_t threshold = m.reporting_threshold;

  // The non-empty cells, widened where asked.
  std::vector<Work> cells;
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
      if (w.n > 0) cells.push_back(w);
    }
  suppress(cells, threshold);

  // The reference mix of standardisation: the whole county, same period and filters.
  std::vector<double> weights;
  if (do_standardise) {
    // At the root, when the groups partition the answers (journey and touchpoint
    // groups leave out answers without a touchpoint), the main table's step-0
    // counters already hold the reference population: no second scan.
    const bool at_root = m.path_to(q.unit).size() == 1;
    bool partition = at_root;
    for (Dimension d : q.group_by)
      partition = partition && d != Dimension::journey && d != Dimension::touchpoint;
    std::optional<Counted> rc;
    if (!partition) {
      Layout ref;
      ref.channels = kChannelCount;
      ref.ages = kAgeCount;
      Query rq = q;
      rq.group_by.clear();
      auto scanned = count(s, m, rq, ind, {}, ref, {{q.from, q.to, 0}}, true);
      if (!scanned) return fail(scanned.error());
      rc = std::move(*scanned);
    }
    std::int64_t total = 0;
    std::vector<std::int64_t> n(kChannelCount * kAgeCount, 0);
    for (int ch = 0; ch < kChannelCount; ++ch)
      for (int ag = 0; ag < kAgeCount; ++ag) {
        std::int64_t x = 0;
        if (rc) {
          x = n_of(ind.kind, sum_counts(rc->acc, rc->layout, 0, 0, 0, ch, ag));
        } else {
          for (int a = 0; a < L.g0; ++a)
            for (int b = 0; b < L.g1; ++b) x += n_of(ind.kind, sum_counts(acc, L, a, b, 0, ch, ag));
        }
        n[static_cast<std::size_t>(ch * kAgeCount + ag)] = x;
        total += x;
      }
    if (total > 0)
      for (std::int64_t x : n) weights.push_back(static_cast<double>(x) / static_cast<double>(total));
  }

  std::optional<ComparisonTable> cmp[2];
  if (q.compare)
    for (int which = 0; which < 2; ++which) {
      auto ct = compare_table(s, m, q, ind, axes, L, which);
      if (!ct) return fail(ct.error());
      cmp[which] = std::move(*ct);
    }

  const Axis* unit_axis = nullptr;
  const Axis* time_axis = nullptr;
  int time_index = -1;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    if (axes[i].dim == Dimension::unit) unit_axis = &axes[i];
    if (axes[i].period) {
      if (time_axis == nullptr) time_axis = &axes[i], time_index = static_cast<int>(i);
    }
  }
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
  for (const Work& w : cells) {
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
        const bool on_mean = ind.kind == IndicatorKind::top_two_box || ind.kind == IndicatorKind::positive_share;
        if (!on_mean) cell.target_met = cell.figure->value >= *cell.target;
        else if (cell.figure->mean) cell.target_met = *cell.figure->mean >= *cell.target;
      }
      // Channel mix, itself protected by suppression over the one line of channels.
      std::vector<SuppressionCell> mix;
      for (int ch = 0; ch < kChannelCount; ++ch) {
        const std::int64_t n = n_of(ind.kind, sum_counts(acc, L, w.a, w.b, w.step, ch));
        if (n > 0) mix.push_back({0, ch, n});
      }
      apply_suppression(mix, threshold);
      for (const SuppressionCell& sc : mix) {
        ChannelShare share;
        share.channel = static_cast<domain::Channel>(sc.col);
        if (!sc.primary && !sc.complementary && cell.figure->n > 0)
          share.share = 100.0 * static_cast<double>(sc.n) / static_cast<double>(cell.figure->n);
        cell.channel_mix.push_back(share);
      }
      if (do_standardise && !weights.empty()) {
        std::vector<Estimate> strata;
        strata.reserve(weights.size());
        for (int ch = 0; ch < kChannelCount; ++ch)
          for (int ag = 0; ag < kAgeCount; ++ag) {
            const Counts sc = sum_counts(acc, L, w.a, w.b, w.step, ch, ag);
            strata.push_back(n_of(ind.kind, sc) > 0 ? estimate_of(ind, sc) : Estimate{});
          }
        const double lo = ind.kind == IndicatorKind::nps ? -100 : 0;
        if (auto st = standardise(strata, weights, lo, 100.0))
          cell.standardised =
              StandardisedFigure{st->estimate.value, st->estimate.ci_low, st->estimate.ci_high, st->coverage};
      }
    }
    if (q.compare) {
      const int slot = time_index < 0 ? 0 : slots[time_index];
      cell.previous = comparison_for(*cmp[0], ind, time_axis, slot, w, counts, shown);
      cell.year_ago = comparison_for(*cmp[1], ind, time_axis, slot, w, counts, shown);
    }
    table.cells.push_back(std::move(cell));
  }
  return table;
}

}  // namespace kaiku::analytics::detail
