#include "analytics/suppression.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace kaiku::analytics {
namespace {

std::vector<SuppressionCell> column(std::initializer_list<std::int64_t> ns) {
  std::vector<SuppressionCell> cells;
  int row = 0;
  for (std::int64_t n : ns) cells.push_back({row++, 0, n});
  return cells;
}

int hidden(const std::vector<SuppressionCell>& cells) {
  int h = 0;
  for (const auto& c : cells) h += (c.primary || c.complementary) ? 1 : 0;
  return h;
}

// True when some row or column with >= 2 cells holds exactly one hidden cell.
bool has_exposed_line(const std::vector<SuppressionCell>& cells) {
  std::map<int, std::pair<int, int>> rows, cols;  // size, hidden
  for (const auto& c : cells) {
    const int h = (c.primary || c.complementary) ? 1 : 0;
    rows[c.row].first += 1;
    rows[c.row].second += h;
    cols[c.col].first += 1;
    cols[c.col].second += h;
  }
  for (const auto* lines : {&rows, &cols})
    for (const auto& [k, v] : *lines)
      if (v.first >= 2 && v.second == 1) return true;
  return false;
}

TEST(Suppression, NothingSmallNothingHidden) {
  auto cells = column({10, 5, 7});
  apply_suppression(cells, 5);
  EXPECT_EQ(hidden(cells), 0);
}

TEST(Suppression, OneSmallCellInOneDimensionHidesTheNextSmallest) {
  auto cells = column({40, 3, 12, 9, 30});
  apply_suppression(cells, 5);
  EXPECT_TRUE(cells[1].primary);
  EXPECT_FALSE(cells[1].complementary);
  EXPECT_TRUE(cells[3].complementary);  // 9: the smallest shown cell
  EXPECT_EQ(hidden(cells), 2);
  for (int i : {0, 2, 4}) EXPECT_FALSE(cells[i].primary || cells[i].complementary) << i;
}

TEST(Suppression, TiesGoToTheFirstCell) {
  auto cells = column({7, 2, 7, 7});
  apply_suppression(cells, 5);
  EXPECT_TRUE(cells[0].complementary);
  EXPECT_FALSE(cells[2].complementary);
  EXPECT_FALSE(cells[3].complementary);
}

TEST(Suppression, TwoSmallCellsProtectEachOther) {
  auto cells = column({40, 3, 12, 4});
  apply_suppression(cells, 5);
  EXPECT_EQ(hidden(cells), 2);
  EXPECT_TRUE(cells[1].primary && cells[3].primary);
}

TEST(Suppression, SingleCellAndAllSmallLinesNeedNothingMore) {
  auto one = column({3});
  apply_suppression(one, 5);
  EXPECT_TRUE(one[0].primary);
  EXPECT_EQ(hidden(one), 1);

  auto all_small = column({1, 2, 4});
  apply_suppression(all_small, 5);
  EXPECT_EQ(hidden(all_small), 3);
  for (const auto& c : all_small) EXPECT_FALSE(c.complementary);

  // A 2-D table whose first row is all small: the columns then hold one hidden
  // cell each, so the second row must lose cells too.
  std::vector<SuppressionCell> t = {{0, 0, 2}, {0, 1, 3}, {1, 0, 50}, {1, 1, 60}};
  apply_suppression(t, 5);
  EXPECT_EQ(hidden(t), 4);
  EXPECT_FALSE(has_exposed_line(t));
}

TEST(Suppression, TwoDimensionalChain) {
  // 3 x 3; one small cell at (0,0). Its row and column each need a partner, and
  // the partners in turn expose their other lines until a rectangle closes.
  std::vector<SuppressionCell> t;
  const std::int64_t ns[3][3] = {{2, 20, 30}, {15, 40, 50}, {25, 60, 8}};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) t.push_back({r, c, ns[r][c]});
  apply_suppression(t, 5);
  EXPECT_TRUE(t[0].primary);
  EXPECT_EQ(hidden(t), 4);
  // Row 0: smallest shown is 20 (0,1); column 0: smallest shown is 15 (1,0);
  // then column 1 / row 1 each hold one hidden cell: (1,1) closes both.
  EXPECT_TRUE(t[1].complementary);
  EXPECT_TRUE(t[3].complementary);
  EXPECT_TRUE(t[4].complementary);
  EXPECT_FALSE(has_exposed_line(t));
}

TEST(Suppression, SparseTwoDimensionalTable) {
  // Missing cells (empty groups) are not in the table.
  std::vector<SuppressionCell> t = {{0, 0, 3}, {0, 2, 9}, {1, 0, 11}, {1, 1, 20}, {2, 1, 6}, {2, 2, 40}};
  apply_suppression(t, 5);
  EXPECT_FALSE(has_exposed_line(t));
  EXPECT_TRUE(t[0].primary);
  EXPECT_EQ(hidden(t), 6);  // the chain runs through the whole table
}

TEST(Suppression, Deterministic) {
  std::mt19937_64 rng(7);
  std::vector<SuppressionCell> t;
  for (int r = 0; r < 12; ++r)
    for (int c = 0; c < 9; ++c)
      if (rng() % 5 != 0) t.push_back({r, c, static_cast<std::int64_t>(1 + rng() % 40)});
  auto a = t, b = t;
  apply_suppression(a, 5);
  apply_suppression(b, 5);
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(a[i].primary, b[i].primary);
    EXPECT_EQ(a[i].complementary, b[i].complementary);
  }
  // Running it again on its own output changes nothing.
  auto again = a;
  apply_suppression(again, 5);
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(again[i].complementary, a[i].complementary);
}

TEST(Suppression, PropertyNoLineExposesOneHiddenCell) {
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < 400; ++round) {
    const int rows = 1 + static_cast<int>(rng() % 15);
    const int cols = 1 + static_cast<int>(rng() % 8);
    const int density = 30 + static_cast<int>(rng() % 70);  // percent of cells present
    const std::int64_t spread = 3 + static_cast<std::int64_t>(rng() % 60);
    std::vector<SuppressionCell> t;
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        if (static_cast<int>(rng() % 100) < density)
          t.push_back({r * 3 + 1, c * 2 - 4, 1 + static_cast<std::int64_t>(rng() % spread)});
    const std::int64_t threshold = 1 + static_cast<std::int64_t>(rng() % 10);
    apply_suppression(t, threshold);
    ASSERT_FALSE(has_exposed_line(t)) << "round " << round;
    int complementary = 0;
    for (const auto& c : t) {
      ASSERT_EQ(c.primary, c.n < threshold);
      ASSERT_FALSE(c.primary && c.complementary);
      complementary += c.complementary ? 1 : 0;
    }
    ASSERT_LE(complementary, static_cast<int>(t.size()));
  }
}

}  // namespace
}  // namespace kaiku::analytics
