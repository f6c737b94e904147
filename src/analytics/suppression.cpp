// Primary and complementary small-number suppression (see suppression.hpp).
#include "analytics/suppression.hpp"

#include <map>
#include <set>
#include <utility>

namespace kaiku::analytics {
namespace {

// A line of the table: kind 0 = a row, 1 = a column; `cells` indexes into the table.
struct Line {
  std::vector<std::size_t> cells;
  std::size_t hidden = 0;
};

}  // namespace

void apply_suppression(std::vector<SuppressionCell>& cells, std::int64_t threshold) {
  for (SuppressionCell& c : cells) {
    c.primary = c.n < threshold;
    c.complementary = false;
  }
  // Lines in a fixed order: every row (ascending coordinate), then every column.
  std::map<int, std::size_t> row_index, col_index;
  for (const SuppressionCell& c : cells) {
    row_index.emplace(c.row, 0);
    col_index.emplace(c.col, 0);
  }
  std::vector<Line> lines;
  lines.reserve(row_index.size() + col_index.size());
  for (auto& [row, index] : row_index) {
    index = lines.size();
    lines.emplace_back();
  }
  for (auto& [col, index] : col_index) {
    index = lines.size();
    lines.emplace_back();
  }
  std::vector<std::pair<std::size_t, std::size_t>> lines_of(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::size_t r = row_index[cells[i].row], c = col_index[cells[i].col];
    lines_of[i] = {r, c};
    lines[r].cells.push_back(i);
    lines[c].cells.push_back(i);
    if (cells[i].primary) {
      lines[r].hidden += 1;
      lines[c].hidden += 1;
    }
  }
  auto exposed = [&](std::size_t l) { return lines[l].cells.size() >= 2 && lines[l].hidden == 1; };
  // Work list of lines that may hold exactly one hidden cell, lowest line first.
  std::set<std::size_t> pending;
  for (std::size_t l = 0; l < lines.size(); ++l)
    if (exposed(l)) pending.insert(l);
  while (!pending.empty()) {
    const std::size_t l = *pending.begin();
    pending.erase(pending.begin());
    if (!exposed(l)) continue;
    std::size_t pick = cells.size();
    for (std::size_t i : lines[l].cells) {  // ascending cells order
      const SuppressionCell& c = cells[i];
      if (c.primary || c.complementary) continue;
      if (pick == cells.size() || c.n < cells[pick].n) pick = i;
    }
    if (pick == cells.size()) continue;  // cannot happen: >= 2 cells, one hidden
    cells[pick].complementary = true;
    for (std::size_t touched : {lines_of[pick].first, lines_of[pick].second}) {
      lines[touched].hidden += 1;
      if (exposed(touched)) pending.insert(touched);
    }
  }
}

}  // namespace kaiku::analytics
