// Statistics of the indicators: pure functions on counts. No data access here.
// The methods are documented for users in docs/reporting.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace kaiku::analytics {

// The answers of one cell to one numeric question: how many gave each value.
// Aggregate state in the DuckDB style: add / combine / finalize (the estimate
// functions below).
struct Histogram {
  std::array<std::int64_t, 11> counts{};  // value 0..10 (agreement 1..5, smileys 1..3/1..5)
  std::int64_t cant_say = 0;              // agreement "can't say" (not in counts)

  void add(int value) noexcept { counts[static_cast<std::size_t>(value)] += 1; }
  void add_cant_say() noexcept { cant_say += 1; }
  void combine(const Histogram& other) noexcept;
  // Answers with a value (can't say excluded).
  std::int64_t n() const noexcept;
  // Answers with a value in [lo, hi].
  std::int64_t between(int lo, int hi) const noexcept;
  // Mean of the values; nullopt when n() == 0.
  std::optional<double> mean() const noexcept;
};

// A point estimate with a two-sided 95 % interval (z = 1.96) and its standard error.
struct Estimate {
  double value = 0;
  double ci_low = 0;
  double ci_high = 0;
  double se = 0;        // standard error of `adjusted`, in the same units
  std::int64_t n = 0;   // the denominator
  double adjusted = 0;  // the adjusted point estimate (pseudo-counts added, see below)
};

inline constexpr double kZ95 = 1.959963984540054;

// NPS in points (-100..100) = 100 * (promoters - detractors) / n. The interval is
// the adjusted Wald interval of Rocks (2016): add 3/4 of an observation to the
// promoters and to the detractors and 3/2 to the passives, then a Wald interval on
// the difference of the two shares; clipped to [-100, 100]. `se` is the standard
// error of that adjusted estimate (used by comparisons and standardisation), so a
// perfect score from a few answers is not mistaken for a certain one.
// n == 0 gives value 0 with the interval [-100, 100].
Estimate nps_estimate(std::int64_t promoters, std::int64_t passives, std::int64_t detractors) noexcept;

// A share in percent (0..100) = 100 * k / n with the Wilson score interval;
// `se` = 100 * sqrt(p~ (1 - p~) / (n + 2)) with p~ = (k + 1) / (n + 2) (Agresti-Caffo),
// never 0 for n > 0. n == 0 gives 0 with [0, 100]. Requires 0 <= k <= n.
Estimate share_estimate(std::int64_t k, std::int64_t n) noexcept;

// The difference now - before and whether it is statistically significant at the
// 5 % level: a two-sided z test on the difference of the adjusted estimates,
// z = (adjusted_now - adjusted_before) / sqrt(se_now^2 + se_before^2).
// Never significant when either n is 0. With the adjusted standard errors above
// this is close to the Agresti-Caffo test for two shares.
struct Change {
  double difference = 0;
  double z = 0;
  bool significant = false;
};
Change compare_estimates(const Estimate& now, const Estimate& before) noexcept;

// Direct standardisation: the estimate a cell would have with the reference
// population's mix of strata. `strata[i]` is the cell's estimate in stratum i (n == 0
// when the cell has no answers there) and `reference_weight[i]` the stratum's share
// of the reference population (weights sum to 1). Strata where the cell has no
// answers are left out and the remaining weights rescaled to sum to 1; `coverage`
// is the sum of the reference weights of the strata kept. value = sum w_i v_i,
// se = sqrt(sum w_i^2 se_i^2), interval value +- 1.96 se clipped to [lo, hi].
struct Standardised {
  Estimate estimate;
  double coverage = 0;  // 0..1
};
std::optional<Standardised> standardise(const std::vector<Estimate>& strata,
                                        const std::vector<double>& reference_weight, double lo,
                                        double hi) noexcept;

}  // namespace kaiku::analytics
