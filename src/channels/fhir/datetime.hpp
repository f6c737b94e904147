// FHIR R4 date and dateTime primitives. Pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "base/clock.hpp"

namespace kaiku::channels::fhir {

// A FHIR `date`: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar date, years
// 1800-2999). `full` tells whether the day was given; a missing month or day
// counts as 1. nullopt on anything else.
std::optional<std::chrono::year_month_day> parse_fhir_date(std::string_view text, bool* full = nullptr);

// A FHIR `dateTime`: a `date`, or "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)".
// A date alone means its local midnight in Europe/Helsinki; a time without a zone
// (the spec requires one; some senders omit it) is read as Helsinki local time.
// Returns the UTC instant (milliseconds), nullopt on anything malformed.
std::optional<TimePoint> parse_fhir_datetime(std::string_view text);

}  // namespace kaiku::channels::fhir
