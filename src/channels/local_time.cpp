#include "channels/local_time.hpp"

#include <chrono>

namespace kaiku::channels {

TimePoint local_to_utc(const analytics::TimeZone& zone, TimePoint local) noexcept {
  using namespace std::chrono;
  // The offsets in force a day either side cover every zone with at most one
  // transition per day; each is right when the instant it gives has that offset.
  const minutes before = zone.utc_offset(local - hours(24));
  const minutes after = zone.utc_offset(local + hours(24));
  const bool before_fits = zone.utc_offset(local - before) == before;
  const bool after_fits = zone.utc_offset(local - after) == after;
  if (before_fits && after_fits) return local - (before > after ? before : after);  // overlap: first
  if (before_fits) return local - before;
  if (after_fits) return local - after;
  return local - before;  // gap: the reading does not exist; shift it forward
}

TimePoint helsinki_to_utc(TimePoint local) noexcept {
  return local_to_utc(analytics::TimeZone::helsinki(), local);
}

}  // namespace kaiku::channels
