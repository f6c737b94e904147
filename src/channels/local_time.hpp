// Wall-clock readings in the county's zone (Europe/Helsinki) to UTC instants, for
// the event parsers: HL7 v2 times without an offset, CSV and FHIR times without a
// zone. Pure apart from ICU's zone data (read once by analytics::TimeZone).
#pragma once

#include "analytics/calendar.hpp"
#include "base/clock.hpp"

namespace kaiku::channels {

// The UTC instant at which clocks in `zone` showed `local` (a wall-clock reading
// stored as if it were UTC). Across daylight saving: a reading that occurs twice
// (autumn, 03:00-04:00 in Helsinki) is taken at its first occurrence (summer time);
// a reading that never occurs (spring, 03:00-04:00) is taken with the offset in
// force before the change, i.e. it lands one hour later on the clock (03:30 -> 04:30).
TimePoint local_to_utc(const analytics::TimeZone& zone, TimePoint local) noexcept;

// local_to_utc in Europe/Helsinki.
TimePoint helsinki_to_utc(TimePoint local) noexcept;

}  // namespace kaiku::channels
