// Small-number suppression of a table: pure functions, no data access.
#pragma once

#include <cstdint>
#include <vector>

namespace kaiku::analytics {

// One cell of a table with at most two dimensions, for suppression. `row` and `col`
// are the cell's coordinates (use col = 0 for a one-dimensional table); `n` is its
// count (> 0; empty cells are not in the table).
struct SuppressionCell {
  int row = 0;
  int col = 0;
  std::int64_t n = 0;
  bool primary = false;        // out: n < threshold
  bool complementary = false;  // out: hidden so that no primary cell can be derived
};

// Marks every cell with n < threshold as primary. Then complementary suppression,
// assuming the margins (the total of every row, every column and the whole table)
// are published: while some line (the cells sharing a row, or sharing a column)
// with at least two cells holds exactly one hidden cell, the unhidden cell of that
// line with the smallest n (ties: the first in `cells` order) is marked
// complementary. A line whose cells are all hidden, or with a single cell, needs
// nothing (its margin equals the cell and is itself below the threshold).
// Deterministic; terminates after at most cells.size() additions.
void apply_suppression(std::vector<SuppressionCell>& cells, std::int64_t threshold);

}  // namespace kaiku::analytics
