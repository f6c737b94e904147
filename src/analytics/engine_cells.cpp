// Counters to figures, and the suppression of a table's cells (engine_cells.hpp).
#include "analytics/engine_cells.hpp"

#include "analytics/suppression.hpp"

namespace kaiku::analytics::detail {

Result<Indicator> resolve_indicator(const Store& store, const domain::Model& m, const std::string& name) {
  Indicator ind;
  if (name == "responses") {
    ind.kind = IndicatorKind::count;
    ind.source = Source::responses;
    return ind;
  }
  if (name == "comments") {
    ind.kind = IndicatorKind::count;
    ind.source = Source::comment_count;
    return ind;
  }
  // Shares of the analysed comments: codes are sentiment (0..3) + 4 if a suggestion.
  const auto positive = static_cast<int>(domain::Sentiment::positive);
  const auto negative = static_cast<int>(domain::Sentiment::negative);
  const std::pair<const char*, std::uint16_t> shares[] = {
      {"positive_comments", static_cast<std::uint16_t>(1U << positive | 1U << (positive + kCommentSuggestion))},
      {"negative_comments", static_cast<std::uint16_t>(1U << negative | 1U << (negative + kCommentSuggestion))},
      {"suggestions", static_cast<std::uint16_t>(0xFU << kCommentSuggestion)}};
  for (const auto& [share, codes] : shares)
    if (name == share) {
      ind.kind = IndicatorKind::comment_share;
      ind.source = Source::comment_values;
      ind.codes = codes;
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
  if (q == nullptr && name == "nps") {  // the model's NPS question under another key
    for (const domain::Survey& s : m.surveys) {
      for (const domain::Question& question : s.questions)
        if (question.type == QuestionType::nps) {
          q = &question;
          break;
        }
      if (q != nullptr) break;
    }
    if (q == nullptr) return fail(Error::invalid("indicator: the model has no NPS question"));
  }
  if (q == nullptr) {
    return fail(Error::invalid("indicator: unknown indicator \"" + name + "\""));
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
  ind.key = store.questions.find(q->key);
  return ind;
}

bool value_kind(IndicatorKind k) {
  return k == IndicatorKind::nps || k == IndicatorKind::top_two_box || k == IndicatorKind::positive_share ||
         k == IndicatorKind::comment_share;
}

Counts sum_steps(const std::vector<std::uint32_t>& acc, const Layout& L, int a, int b, int step_lo,
                 int step_hi, int channel, int age) {
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
                  int channel, int age) {
  return sum_steps(acc, L, a, b, 0, step_hi, channel, age);
}

std::int64_t n_of(IndicatorKind kind, const Counts& c) {
  if (!value_kind(kind)) return c[0];
  std::int64_t n = 0;
  for (int v = 0; v <= 10; ++v) n += c[static_cast<std::size_t>(v)];
  return n;
}

namespace {

// comment_share: the comments whose codes are counted.
std::int64_t matching(const Indicator& ind, const Counts& c) {
  std::int64_t k = 0;
  for (int code = 0; code < kCommentCodes; ++code)
    if ((ind.codes >> code & 1U) != 0) k += c[static_cast<std::size_t>(code)];
  return k;
}

Histogram histogram_of(const Counts& c) {
  Histogram h;
  for (int v = 0; v <= 10; ++v) h.counts[static_cast<std::size_t>(v)] = c[static_cast<std::size_t>(v)];
  h.cant_say = c[11];
  return h;
}

}  // namespace

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
    case IndicatorKind::comment_share:
      return share_estimate(matching(ind, c), n_of(ind.kind, c));
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
    case IndicatorKind::comment_share:
      f.positive = matching(ind, c);
      break;
    case IndicatorKind::count:
      break;
  }
  return f;
}

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

void suppress_linked(std::vector<Work>& cells, const std::vector<std::vector<TableCell>>& tables,
                     std::int64_t threshold) {
  std::vector<char> hidden(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) hidden[i] = cells[i].n < threshold ? 1 : 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (const std::vector<TableCell>& table : tables) {
      std::vector<SuppressionCell> sc;
      sc.reserve(table.size());
      for (const TableCell& tc : table)
        sc.push_back({tc.row, tc.col, hidden[tc.cell] != 0 ? 0 : cells[tc.cell].n});  // 0: hidden
      apply_suppression(sc, threshold);
      for (std::size_t j = 0; j < sc.size(); ++j)
        if ((sc[j].primary || sc[j].complementary) && hidden[table[j].cell] == 0) {
          hidden[table[j].cell] = 1;
          changed = true;
        }
    }
  }
  for (std::size_t i = 0; i < cells.size(); ++i)
    cells[i].suppression = cells[i].n < threshold ? Suppression::below_threshold
                           : hidden[i] != 0       ? Suppression::complementary
                                                  : Suppression::none;
}

std::vector<std::vector<ChannelShare>> channel_mixes(const std::vector<const Work*>& out,
                                                     const std::vector<std::uint32_t>& acc, const Layout& L,
                                                     const Indicator& ind, std::int64_t threshold) {
  auto list = [](std::vector<ChannelShare>& mix, const SuppressionCell* first, const SuppressionCell* last,
                 std::int64_t n) {
    for (const SuppressionCell* sc = first; sc != last; ++sc)
      if (!sc->primary && !sc->complementary && n > 0)
        mix.push_back({static_cast<domain::Channel>(sc->col),
                       100.0 * static_cast<double>(sc->n) / static_cast<double>(n)});
  };
  std::vector<SuppressionCell> grid;
  std::vector<std::size_t> row_start;
  for (std::size_t r = 0; r < out.size(); ++r) {
    row_start.push_back(grid.size());
    const Work& w = *out[r];
    const bool shown = w.suppression == Suppression::none && !w.widened;
    for (int ch = 0; ch < kChannelCount; ++ch) {
      const std::int64_t n = n_of(ind.kind, sum_steps(acc, L, w.a, w.b, 0, 0, ch));
      if (n > 0) grid.push_back({static_cast<int>(r), ch, shown ? n : 0});  // 0: hidden
    }
  }
  row_start.push_back(grid.size());
  apply_suppression(grid, threshold);
  std::vector<std::vector<ChannelShare>> mixes(out.size());
  for (std::size_t r = 0; r < out.size(); ++r) {
    const Work& w = *out[r];
    if (w.suppression != Suppression::none) continue;
    if (!w.widened) {
      list(mixes[r], grid.data() + row_start[r], grid.data() + row_start[r + 1], w.n);
      continue;
    }
    std::vector<SuppressionCell> row;
    for (int ch = 0; ch < kChannelCount; ++ch) {
      const std::int64_t n = n_of(ind.kind, sum_counts(acc, L, w.a, w.b, w.step, ch));
      if (n > 0) row.push_back({0, ch, n});
    }
    apply_suppression(row, threshold);
    list(mixes[r], row.data(), row.data() + row.size(), w.n);
  }
  return mixes;
}

}  // namespace kaiku::analytics::detail
