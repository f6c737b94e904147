// A clock for end-to-end tests of time-dependent behaviour (SMS the day after a
// visit): the system time plus an offset read from a file that the test rewrites.
// Only `kaiku serve --clock-offset-file F` uses it; production runs on SystemClock.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "base/clock.hpp"

namespace kaiku::apps {

class SteeredClock final : public Clock {
 public:
  // `path` holds the offset in milliseconds as a decimal integer (may be negative);
  // a missing or unreadable file means offset 0.
  explicit SteeredClock(std::string path);
  // System time + the file's offset (the file is read again when it changed).
  TimePoint now() const override;

 private:
  std::string path_;
  mutable std::mutex mu_;
  mutable std::int64_t offset_ms_ = 0;
  mutable std::int64_t seen_mtime_ns_ = -1;
  mutable std::int64_t seen_size_ = -1;
};

}  // namespace kaiku::apps
