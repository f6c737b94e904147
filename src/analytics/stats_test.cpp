#include "analytics/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace kaiku::analytics {
namespace {

TEST(Histogram, CountsMeanAndCombine) {
  Histogram h;
  EXPECT_EQ(h.n(), 0);
  EXPECT_FALSE(h.mean().has_value());
  for (int v : {1, 2, 4, 4, 5}) h.add(v);
  h.add_cant_say();
  EXPECT_EQ(h.n(), 5);
  EXPECT_EQ(h.cant_say, 1);
  EXPECT_EQ(h.between(4, 5), 3);
  EXPECT_EQ(h.between(0, 10), 5);
  EXPECT_DOUBLE_EQ(*h.mean(), 16.0 / 5);
  Histogram g;
  g.add(10);
  g.add(0);
  g.add_cant_say();
  h.combine(g);
  EXPECT_EQ(h.n(), 7);
  EXPECT_EQ(h.cant_say, 2);
  EXPECT_EQ(h.between(9, 10), 1);
  EXPECT_DOUBLE_EQ(*h.mean(), 26.0 / 7);
}

TEST(Nps, HandComputedAdjustedWald) {
  // 50 promoters, 30 passives, 20 detractors: NPS 30.
  Estimate e = nps_estimate(50, 30, 20);
  EXPECT_EQ(e.n, 100);
  EXPECT_DOUBLE_EQ(e.value, 30.0);
  // Adjusted: n' = 103, p' = 50.75/103, d' = 20.75/103;
  // se = 100 * sqrt((p' + d' - (p' - d')^2) / 103).
  EXPECT_NEAR(e.se, 7.6915104218147565, 1e-9);
  EXPECT_NEAR(e.ci_low, 14.051130178761607, 1e-9);
  EXPECT_NEAR(e.ci_high, 44.20129700570441, 1e-9);
}

TEST(Nps, EdgeCases) {
  Estimate empty = nps_estimate(0, 0, 0);
  EXPECT_EQ(empty.n, 0);
  EXPECT_EQ(empty.value, 0);
  EXPECT_EQ(empty.ci_low, -100);
  EXPECT_EQ(empty.ci_high, 100);

  Estimate all = nps_estimate(20, 0, 0);
  EXPECT_DOUBLE_EQ(all.value, 100);
  EXPECT_GT(all.se, 0);  // 20 promoters are not a certain NPS of 100
  EXPECT_LT(all.ci_low, 100);  // the adjustment keeps an interval even at 100
  EXPECT_EQ(all.ci_high, 100);  // clipped
  Estimate none = nps_estimate(0, 0, 20);
  EXPECT_DOUBLE_EQ(none.value, -100);
  EXPECT_EQ(none.ci_low, -100);
  EXPECT_GT(none.ci_high, -100);

  // More answers, narrower interval; symmetric counts give a symmetric interval.
  Estimate small = nps_estimate(5, 5, 5), big = nps_estimate(500, 500, 500);
  EXPECT_GT(small.ci_high - small.ci_low, big.ci_high - big.ci_low);
  EXPECT_NEAR(big.ci_low, -big.ci_high, 1e-9);
  for (int p = 0; p <= 30; p += 3)
    for (int d = 0; d + p <= 30; d += 2) {
      Estimate x = nps_estimate(p, 30 - p - d, d);
      ASSERT_GE(x.ci_low, -100);
      ASSERT_LE(x.ci_high, 100);
      ASSERT_LE(x.ci_low, x.ci_high);
    }
}

TEST(Share, WilsonHandComputed) {
  Estimate e = share_estimate(8, 10);
  EXPECT_DOUBLE_EQ(e.value, 80);
  EXPECT_NEAR(e.ci_low, 49.016247153664175, 1e-9);
  EXPECT_NEAR(e.ci_high, 94.33178485456249, 1e-9);
  EXPECT_NEAR(e.se, 12.5, 1e-9);  // p~ = 9/12: 100 * sqrt(0.75 * 0.25 / 12)
  EXPECT_EQ(e.n, 10);

  Estimate zero = share_estimate(0, 10);
  EXPECT_EQ(zero.value, 0);
  EXPECT_NEAR(zero.ci_low, 0, 1e-12);
  EXPECT_NEAR(zero.ci_high, 27.75327998628892, 1e-9);
  Estimate full = share_estimate(10, 10);
  EXPECT_NEAR(full.ci_low, 100 - 27.75327998628892, 1e-9);
  EXPECT_NEAR(full.ci_high, 100, 1e-12);

  Estimate none = share_estimate(0, 0);
  EXPECT_EQ(none.n, 0);
  EXPECT_EQ(none.ci_low, 0);
  EXPECT_EQ(none.ci_high, 100);
}

TEST(Compare, SignificanceOfADifference) {
  Estimate a = share_estimate(80, 100), b = share_estimate(60, 100);
  Change c = compare_estimates(a, b);
  EXPECT_DOUBLE_EQ(c.difference, 20);
  const double se = std::sqrt(a.se * a.se + b.se * b.se);
  // Adjusted: 81/102 against 61/102.
  EXPECT_NEAR(a.adjusted, 100.0 * 81 / 102, 1e-9);
  EXPECT_NEAR(c.z, (100.0 * 81 / 102 - 100.0 * 61 / 102) / se, 1e-12);
  EXPECT_TRUE(c.significant);

  Change small = compare_estimates(share_estimate(8, 10), share_estimate(6, 10));
  EXPECT_FALSE(small.significant);  // the same shares from ten answers each
  EXPECT_DOUBLE_EQ(small.difference, 20);

  Change down = compare_estimates(nps_estimate(20, 30, 50), nps_estimate(50, 30, 20));
  EXPECT_DOUBLE_EQ(down.difference, -60);
  EXPECT_LT(down.z, 0);
  EXPECT_TRUE(down.significant);
}

TEST(Compare, DegenerateCases) {
  EXPECT_FALSE(compare_estimates(share_estimate(5, 10), share_estimate(0, 0)).significant);
  EXPECT_FALSE(compare_estimates(share_estimate(0, 0), share_estimate(5, 10)).significant);
  Change same = compare_estimates(share_estimate(10, 10), share_estimate(20, 20));
  EXPECT_FALSE(same.significant);
  EXPECT_EQ(same.difference, 0);
  Change certain = compare_estimates(share_estimate(10, 10), share_estimate(0, 20));
  EXPECT_TRUE(certain.significant);
  EXPECT_DOUBLE_EQ(certain.difference, 100);
}

TEST(Compare, APerfectScoreFromAFewAnswersIsNotCertain) {
  // "Scored 100 from 5 respondents" against NPS 60 from 200: the adjusted standard
  // error of the small cell (about 23 points) makes the difference not significant.
  Change c = compare_estimates(nps_estimate(5, 0, 0), nps_estimate(140, 40, 20));
  EXPECT_DOUBLE_EQ(c.difference, 40);
  EXPECT_FALSE(c.significant);
  Change s = compare_estimates(share_estimate(5, 5), share_estimate(120, 200));
  EXPECT_FALSE(s.significant);  // 100 % of 5 against 60 % of 200
  Change big = compare_estimates(nps_estimate(60, 0, 0), nps_estimate(140, 40, 20));
  EXPECT_TRUE(big.significant);  // 100 from 60 answers is a real difference
}

TEST(Standardise, WeightsAndCoverage) {
  // Two strata: 80 with se 4, 40 with se 8; reference mix 25 % / 75 %.
  Estimate s1{80, 0, 0, 4, 50}, s2{40, 0, 0, 8, 20};
  auto st = standardise({s1, s2}, {0.25, 0.75}, -100, 100);
  ASSERT_TRUE(st.has_value());
  EXPECT_DOUBLE_EQ(st->estimate.value, 0.25 * 80 + 0.75 * 40);
  EXPECT_NEAR(st->estimate.se, std::sqrt(0.0625 * 16 + 0.5625 * 64), 1e-12);
  EXPECT_NEAR(st->estimate.ci_low, 50 - kZ95 * st->estimate.se, 1e-12);
  EXPECT_NEAR(st->estimate.ci_high, 50 + kZ95 * st->estimate.se, 1e-12);
  EXPECT_DOUBLE_EQ(st->coverage, 1.0);
  EXPECT_EQ(st->estimate.n, 70);

  // A stratum without answers is dropped and the rest rescaled.
  Estimate empty{};
  auto partial = standardise({s1, empty, s2}, {0.2, 0.5, 0.3}, -100, 100);
  ASSERT_TRUE(partial.has_value());
  EXPECT_NEAR(partial->coverage, 0.5, 1e-12);
  EXPECT_NEAR(partial->estimate.value, 0.4 * 80 + 0.6 * 40, 1e-12);
  EXPECT_NEAR(partial->estimate.se, std::sqrt(0.16 * 16 + 0.36 * 64), 1e-12);

  // Clipping to the indicator's range.
  Estimate high{99, 0, 0, 5, 10};
  auto clipped = standardise({high}, {1.0}, 0, 100);
  ASSERT_TRUE(clipped.has_value());
  EXPECT_EQ(clipped->estimate.ci_high, 100);

  EXPECT_FALSE(standardise({empty, empty}, {0.5, 0.5}, 0, 100).has_value());
  EXPECT_FALSE(standardise({s1}, {0.5, 0.5}, 0, 100).has_value());
  EXPECT_FALSE(standardise({s1, s2}, {0.0, 0.0}, 0, 100).has_value());
}

TEST(Standardise, SameMixGivesTheCrudeValue) {
  // When the cell's own mix is the reference mix, the standardised value is the
  // cell's overall NPS.
  Estimate a = nps_estimate(60, 20, 20), b = nps_estimate(10, 10, 20);  // n 100 and 40
  auto st = standardise({a, b}, {100.0 / 140, 40.0 / 140}, -100, 100);
  ASSERT_TRUE(st.has_value());
  EXPECT_NEAR(st->estimate.value, nps_estimate(70, 30, 40).value, 1e-9);
}

}  // namespace
}  // namespace kaiku::analytics
