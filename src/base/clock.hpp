// Time is injected, never read from a global: code that needs "now" takes a Clock&.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace kaiku {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Source of the current UTC time.
class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time, UTC, millisecond precision.
  virtual TimePoint now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : ms_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::milliseconds(ms_.load())); }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }
  void set(TimePoint t) { ms_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> ms_;
};

// Formats as RFC 3339 UTC with milliseconds: "2026-11-24T20:15:03.123Z".
std::string format_rfc3339(TimePoint t);
// Parses the RFC 3339 forms Kaiku writes and common variants ("Z" or "+02:00",
// with or without fractional seconds). Returns false on anything else.
bool parse_rfc3339(const std::string& text, TimePoint& out);

}  // namespace kaiku
