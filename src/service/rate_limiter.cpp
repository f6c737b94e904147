#include "service/rate_limiter.hpp"

#include <algorithm>
#include <chrono>

namespace kaiku::service {

RateLimiter::RateLimiter(Clock& clock, RateLimit limit, std::size_t max_keys)
    : clock_(clock), limit_(limit), max_keys_(std::max<std::size_t>(max_keys, 1)) {
  if (limit_.per_second <= 0) limit_.per_second = 1.0;
  if (limit_.burst < 1) limit_.burst = 1.0;
}

void RateLimiter::refill(Bucket& b, TimePoint now) const {
  if (now > b.updated) {
    double secs = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(limit_.burst, b.tokens + secs * limit_.per_second);
    b.updated = now;
  }
}

void RateLimiter::prune(TimePoint now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    if (it->second.tokens >= limit_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

bool RateLimiter::allow(const std::string& key) {
  TimePoint now = clock_.now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) prune(now);
    it = buckets_.emplace(key, Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  refill(b, now);
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

double RateLimiter::retry_after_s(const std::string& key) {
  TimePoint now = clock_.now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return 0;
  refill(it->second, now);
  if (it->second.tokens >= 1.0) return 0;
  return (1.0 - it->second.tokens) / limit_.per_second;
}

}  // namespace kaiku::service
