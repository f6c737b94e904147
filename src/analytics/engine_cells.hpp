// Private to the engine: turning a query's counters into figures, and the
// small-number suppression of its cells and channel mixes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/columns.hpp"
#include "analytics/engine_scan.hpp"
#include "analytics/query.hpp"
#include "analytics/stats.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"

namespace kaiku::analytics::detail {

// The counters of one key: values 0..10 and can't say (width 12), responses
// (width 1: [0]), or invitations sent and used (width 2: [0], [1]).
using Counts = std::array<std::int64_t, 12>;

// How a query's indicator is computed.
struct Indicator {
  IndicatorKind kind = IndicatorKind::nps;
  Source source = Source::answers;   // what a response scan counts (not response_rate)
  std::optional<std::uint16_t> key;  // question code in the store, if it has one
  int pos_lo = 0, pos_hi = 0;        // the values counted as positive
  std::uint16_t codes = 0;           // comment_share: bit c = comment code c is counted
};

// Resolves an indicator name: "responses", "response_rate", "comments",
// "positive_comments", "negative_comments", "suggestions", a question key of an
// nps/agreement/smiley question, or "nps": the question keyed "nps" if the model
// has one, else its first question of type nps. Error::invalid naming
// "indicator" when unknown, of a type without an indicator, or "nps" in a model
// without an NPS question.
Result<Indicator> resolve_indicator(const Store& store, const domain::Model& m, const std::string& name);

// Whether the indicator is computed from per-row values with a 12-counter
// histogram (nps, shares of answers, shares of comments).
bool value_kind(IndicatorKind k);

// The counters of group (a, b) summed over adaptive steps [step_lo, step_hi]
// (sum_counts: [0, step_hi]), for one channel and age group or all (-1).
Counts sum_steps(const std::vector<std::uint32_t>& acc, const Layout& L, int a, int b, int step_lo,
                 int step_hi, int channel = -1, int age = -1);
Counts sum_counts(const std::vector<std::uint32_t>& acc, const Layout& L, int a, int b, int step_hi,
                  int channel = -1, int age = -1);

// The denominator n of counters (answers with a value; responses; invitations sent).
std::int64_t n_of(IndicatorKind kind, const Counts& c);
// The point estimate with its interval and standard error.
Estimate estimate_of(const Indicator& ind, const Counts& c);
// The figures of a shown cell.
Figure figure_of(const Indicator& ind, const Counts& c);

// A non-empty group of a table, before and after suppression.
struct Work {
  int a = 0, b = 0;
  int step = 0;  // adaptive: the last step included
  std::int64_t n = 0;
  bool widened = false;
  Suppression suppression = Suppression::none;
};

// Suppresses the cells of one table (primary + complementary, apply_suppression
// with row a and column b). A widened cell is shown for its longer period, but its
// count in the table's own period is below the threshold, so it takes part as a
// hidden cell: otherwise that small count could be derived from the margin and
// the other cells of its line.
void suppress(std::vector<Work>& cells, std::int64_t threshold);

// A cell of one of several linked tables: its index in the cells and its place there.
struct TableCell {
  std::size_t cell = 0;
  int row = 0, col = 0;
};
// Suppresses cells that belong to several tables at once (a time-grouped table
// and the tables of its earlier periods, which share buckets): each table is
// protected as apply_suppression protects it alone, with its margins, and a cell
// hidden in one table is hidden in all; repeated until nothing changes. Cells
// must not be widened.
void suppress_linked(std::vector<Work>& cells, const std::vector<std::vector<TableCell>>& tables,
                     std::int64_t threshold);

// The channel mix of each cell in `out` (cells of the counters `acc`/`L`, in the
// answer's order), percent of the cell's n. The mixes are protected as one table,
// rows = the cells, columns = the channels, whose margins are published (each
// cell's n; each channel's total through group_by=channel): a hidden cell takes
// part with all its channels hidden, so a mix hides at least what grouping by the
// cells' dimensions and channel would. A widened cell's mix covers its longer
// period, which no other cell shares: it is protected within its own row. Only
// shown channels are listed (listing a hidden one would tell that it had answers);
// a hidden cell's mix is empty.
std::vector<std::vector<ChannelShare>> channel_mixes(const std::vector<const Work*>& out,
                                                     const std::vector<std::uint32_t>& acc, const Layout& L,
                                                     const Indicator& ind, std::int64_t threshold);

}  // namespace kaiku::analytics::detail
