// A per-client token-bucket rate limiter for the anonymous endpoints.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.hpp"

namespace kaiku::service {

struct RateLimit {
  double per_second = 1.0;  // refill rate (tokens per second), > 0
  double burst = 20.0;      // bucket size, >= 1
};

// Keys are opaque strings, e.g. "<client ip>|<touchpoint>". Thread-safe.
// Memory is bounded: beyond `max_keys` buckets, full (idle) buckets are dropped
// first, and if that is not enough the whole table is reset.
class RateLimiter {
 public:
  RateLimiter(Clock& clock, RateLimit limit, std::size_t max_keys = 100000);

  // Takes one token from `key`'s bucket; false (and nothing taken) when empty.
  bool allow(const std::string& key);

  // Seconds until `key` has a token again (0 when it has one now); for Retry-After.
  double retry_after_s(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint updated{};
  };
  void refill(Bucket& b, TimePoint now) const;
  void prune(TimePoint now);

  Clock& clock_;
  RateLimit limit_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace kaiku::service
