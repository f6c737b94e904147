// Calendar dates, reporting periods and the county's time zone (Europe/Helsinki).
// Reports count days in local time: an answer given at 23:30 UTC on 31 March is
// an April answer in Helsinki. Offsets come from ICU's time-zone data, read once
// into a table of transitions, so a lookup is a binary search (no ICU call per row).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace kaiku::analytics {

// A calendar date as the number of days since 1970-01-01 (proleptic Gregorian).
using Day = std::int32_t;

struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
};

// Conversions between Day and year/month/day. civil values must be valid dates.
Day day_from_civil(int year, unsigned month, unsigned day) noexcept;
CivilDate civil_from_day(Day d) noexcept;
// Parses "YYYY-MM-DD" strictly (a real calendar date, years 1900-2999); nullopt otherwise.
std::optional<Day> parse_date(std::string_view text) noexcept;
// "2026-03-14".
std::string format_date(Day d);
// The same date `years` years earlier or later; 29 February becomes 28 February.
Day add_years(Day d, int years) noexcept;
// The same day of the month `months` months later (earlier when negative), clamped
// to the length of that month: add_months(31 Jan 2026, 1) = 28 Feb 2026.
Day add_months(Day d, int months) noexcept;

// Reporting periods.
enum class Period : std::uint8_t { day, week, month, quarter, year };
// The key of the period containing `d`: "2026-03-14", "2026-W11" (ISO 8601 week
// and week-year, so 2027-01-01 is "2026-W53"), "2026-03", "2026-Q1", "2026".
std::string period_key(Period p, Day d);
// First and last day (inclusive) of the period containing `d`.
Day period_start(Period p, Day d) noexcept;
Day period_end(Period p, Day d) noexcept;
// The period containing `d` shifted by `n` periods (n < 0: earlier); returns its first day.
Day shift_period(Period p, Day d, int n) noexcept;

// A time zone's UTC offsets, from ICU's data, for instants in 1970-2100.
class TimeZone {
 public:
  // Loads a zone by its IANA name; invalid_argument-style error (Error::invalid)
  // when ICU does not know the name.
  static Result<TimeZone> load(const std::string& iana_name);
  // Europe/Helsinki, loaded once per process (thread-safe). Aborts with a clear
  // message if ICU lacks it (it never does on Debian).
  static const TimeZone& helsinki();

  // The local calendar date of an instant.
  Day local_day(TimePoint t) const noexcept;
  // UTC offset in force at an instant (+02:00 or +03:00 in Helsinki).
  std::chrono::minutes utc_offset(TimePoint t) const noexcept;
  // The instant of local midnight at the start of `d`.
  TimePoint start_of_day(Day d) const noexcept;
  // ISO 8601 local time with offset, milliseconds: "2026-03-14T12:30:05.123+02:00".
  std::string format_local(TimePoint t) const;
  const std::string& name() const noexcept { return name_; }

 private:
  TimeZone() = default;
  std::string name_;
  // Instants (ms since epoch, UTC) at which the offset changes, ascending, and the
  // offset (minutes) in force from each of them; offsets_[0] applies before the first.
  std::vector<std::int64_t> transitions_ms_;
  std::vector<std::int32_t> offsets_min_;
};

}  // namespace kaiku::analytics
