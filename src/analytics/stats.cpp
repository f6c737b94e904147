// Indicator statistics: see stats.hpp for the contracts and docs/reporting.md for
// the methods.
#include "analytics/stats.hpp"

#include <algorithm>
#include <cmath>

namespace kaiku::analytics {
namespace {

double clip(double v, double lo, double hi) noexcept { return std::min(hi, std::max(lo, v)); }

}  // namespace

void Histogram::combine(const Histogram& other) noexcept {
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  cant_say += other.cant_say;
}

std::int64_t Histogram::n() const noexcept {
  std::int64_t total = 0;
  for (std::int64_t c : counts) total += c;
  return total;
}

std::int64_t Histogram::between(int lo, int hi) const noexcept {
  std::int64_t total = 0;
  for (int v = std::max(lo, 0); v <= std::min(hi, 10); ++v) total += counts[static_cast<std::size_t>(v)];
  return total;
}

std::optional<double> Histogram::mean() const noexcept {
  std::int64_t total = 0;
  double sum = 0;
  for (std::size_t v = 0; v < counts.size(); ++v) {
    total += counts[v];
    sum += static_cast<double>(v) * static_cast<double>(counts[v]);
  }
  if (total == 0) return std::nullopt;
  return sum / static_cast<double>(total);
}

Estimate nps_estimate(std::int64_t promoters, std::int64_t passives, std::int64_t detractors) noexcept {
  Estimate e;
  e.n = promoters + passives + detractors;
  if (e.n <= 0) {
    e.n = 0;
    e.ci_low = -100;
    e.ci_high = 100;
    return e;
  }
  const double n = static_cast<double>(e.n);
  const double p = static_cast<double>(promoters) / n;
  const double d = static_cast<double>(detractors) / n;
  e.value = 100.0 * (p - d);
  // Adjusted Wald (Rocks 2016): 3/4 to promoters and detractors, 3/2 to passives.
  // The score of one answer is +1, 0 or -1; its variance is p + d - (p - d)^2.
  const double na = n + 3.0;
  const double pa = (static_cast<double>(promoters) + 0.75) / na;
  const double da = (static_cast<double>(detractors) + 0.75) / na;
  const double centre = pa - da;
  const double se_adj = std::sqrt(std::max(0.0, pa + da - centre * centre) / na);
  e.se = 100.0 * se_adj;
  e.adjusted = 100.0 * centre;
  e.ci_low = clip(100.0 * (centre - kZ95 * se_adj), -100, 100);
  e.ci_high = clip(100.0 * (centre + kZ95 * se_adj), -100, 100);
  return e;
}

Estimate share_estimate(std::int64_t k, std::int64_t n) noexcept {
  Estimate e;
  e.n = n;
  if (n <= 0) {
    e.n = 0;
    e.ci_low = 0;
    e.ci_high = 100;
    return e;
  }
  const double nn = static_cast<double>(n);
  const double p = clip(static_cast<double>(k) / nn, 0, 1);
  const double z2 = kZ95 * kZ95;
  const double denom = 1.0 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = kZ95 / denom * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  e.value = 100.0 * p;
  // Agresti-Caffo: one success and one failure added, so that 0 % and 100 % from a
  // few answers still have a standard error.
  const double p_adj = (static_cast<double>(k) + 1.0) / (nn + 2.0);
  e.se = 100.0 * std::sqrt(p_adj * (1 - p_adj) / (nn + 2.0));
  e.adjusted = 100.0 * p_adj;
  e.ci_low = clip(100.0 * (centre - half), 0, 100);
  e.ci_high = clip(100.0 * (centre + half), 0, 100);
  return e;
}

Change compare_estimates(const Estimate& now, const Estimate& before) noexcept {
  Change c;
  c.difference = now.value - before.value;
  if (now.n <= 0 || before.n <= 0) return c;
  const double se = std::sqrt(now.se * now.se + before.se * before.se);
  if (!(se > 0)) return c;  // cannot happen with the adjusted errors of n > 0
  c.z = (now.adjusted - before.adjusted) / se;
  c.significant = std::fabs(c.z) > kZ95;
  return c;
}

std::optional<Standardised> standardise(const std::vector<Estimate>& strata,
                                        const std::vector<double>& reference_weight, double lo,
                                        double hi) noexcept {
  if (strata.size() != reference_weight.size() || strata.empty()) return std::nullopt;
  double coverage = 0;
  for (std::size_t i = 0; i < strata.size(); ++i)
    if (strata[i].n > 0 && reference_weight[i] > 0) coverage += reference_weight[i];
  if (!(coverage > 0)) return std::nullopt;
  Standardised out;
  out.coverage = std::min(1.0, coverage);
  double value = 0, variance = 0, adjusted = 0;
  std::int64_t n = 0;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    if (strata[i].n <= 0 || !(reference_weight[i] > 0)) continue;
    const double w = reference_weight[i] / coverage;
    value += w * strata[i].value;
    adjusted += w * strata[i].adjusted;
    variance += w * w * strata[i].se * strata[i].se;
    n += strata[i].n;
  }
  out.estimate.value = value;
  out.estimate.se = std::sqrt(variance);
  out.estimate.adjusted = adjusted;
  out.estimate.ci_low = clip(value - kZ95 * out.estimate.se, lo, hi);
  out.estimate.ci_high = clip(value + kZ95 * out.estimate.se, lo, hi);
  out.estimate.n = n;
  return out;
}

}  // namespace kaiku::analytics
