// HL7 v2 date/time values (TS/DTM/DT): YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ].
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace kaiku::channels::hl7 {

// A time as the sender wrote it: the wall-clock reading and, if given, its offset
// from UTC. Without an offset the zone is the sender's local one (for Finnish
// systems Europe/Helsinki), which the caller must apply.
struct Hl7Time {
  enum class Precision { year, month, day, hour, minute, second, fraction };

  TimePoint local{};                          // the wall-clock reading, as if it were UTC
  std::optional<std::chrono::minutes> offset;  // e.g. +02:00 for "+0200"
  Precision precision = Precision::day;

  // Returns the instant in UTC when the offset is known, else std::nullopt.
  std::optional<TimePoint> utc() const;
  // Returns the calendar date of the wall-clock reading.
  std::chrono::year_month_day date() const;
};

// Parses an HL7 TS/DTM/DT value. Accepts 4 to 14 digits (year to seconds; a
// missing month or day counts as 1), an optional fraction of 1-4 digits after '.',
// and an optional "+HHMM"/"-HHMM" offset (at most 14:00). Fails with invalid_input
// naming the offending character on anything else, including impossible dates
// and times. An empty value is an error too (callers treat "" as absent first).
Result<Hl7Time> parse_hl7_time(std::string_view text);

}  // namespace kaiku::channels::hl7
