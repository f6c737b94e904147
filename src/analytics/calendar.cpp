// Civil date arithmetic (the days-from-civil construction described by Howard
// Hinnant, written out here), reporting periods and ICU-backed time zones.
#include "analytics/calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

namespace kaiku::analytics {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kMsPerMinute = 60'000;

// Floor division for a positive divisor.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(int y, unsigned m) noexcept {
  constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29u : kDays[m - 1];
}

// Monday = 0 ... Sunday = 6. 1970-01-01 was a Thursday.
int iso_weekday(Day d) noexcept {
  const std::int64_t r = (static_cast<std::int64_t>(d) + 3) % 7;
  return static_cast<int>(r < 0 ? r + 7 : r);
}

// The first day of the month `months` months after the month of `d`.
Day month_start_shifted(Day d, int months) noexcept {
  CivilDate c = civil_from_day(d);
  std::int64_t index = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + months;
  int y = static_cast<int>(floor_div(index, 12));
  unsigned m = static_cast<unsigned>(index - static_cast<std::int64_t>(y) * 12) + 1;
  return day_from_civil(y, m, 1);
}

std::string two(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", v % 100);
  return buf;
}

std::string year_text(int y) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", y);
  return buf;
}

}  // namespace

Day day_from_civil(int year, unsigned month, unsigned day) noexcept {
  // Shift the year to start in March so that the leap day is the last day of a year.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;                                   // [0, 399]
  const std::int64_t mp = (static_cast<std::int64_t>(month) + 9) % 12;      // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(day) - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return static_cast<Day>(era * 146097 + doe - 719468);
}

CivilDate civil_from_day(Day d) noexcept {
  const std::int64_t z = static_cast<std::int64_t>(d) + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;                                    // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]
  CivilDate c;
  c.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int>(yoe + era * 400 + (c.month <= 2 ? 1 : 0));
  return c;
}

std::optional<Day> parse_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  if (static_cast<unsigned>(*d) > days_in_month(*y, static_cast<unsigned>(*m))) return std::nullopt;
  return day_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

std::string format_date(Day d) {
  CivilDate c = civil_from_day(d);
  return year_text(c.year) + "-" + two(c.month) + "-" + two(c.day);
}

Day add_years(Day d, int years) noexcept {
  CivilDate c = civil_from_day(d);
  const int y = c.year + years;
  return day_from_civil(y, c.month, std::min(c.day, days_in_month(y, c.month)));
}

Day add_months(Day d, int months) noexcept {
  CivilDate c = civil_from_day(d);
  CivilDate target = civil_from_day(month_start_shifted(d, months));
  return day_from_civil(target.year, target.month, std::min(c.day, days_in_month(target.year, target.month)));
}

std::string period_key(Period p, Day d) {
  CivilDate c = civil_from_day(d);
  switch (p) {
    case Period::day: return format_date(d);
    case Period::week: {
      // The ISO week-year is the year of the week's Thursday.
      const Day thursday = d - iso_weekday(d) + 3;
      const int week_year = civil_from_day(thursday).year;
      const int week = (thursday - day_from_civil(week_year, 1, 1)) / 7 + 1;
      return year_text(week_year) + "-W" + two(static_cast<unsigned>(week));
    }
    case Period::month: return year_text(c.year) + "-" + two(c.month);
    case Period::quarter: return year_text(c.year) + "-Q" + std::to_string((c.month - 1) / 3 + 1);
    case Period::year: return year_text(c.year);
  }
  return format_date(d);
}

Day period_start(Period p, Day d) noexcept {
  CivilDate c = civil_from_day(d);
  switch (p) {
    case Period::day: return d;
    case Period::week: return d - iso_weekday(d);
    case Period::month: return day_from_civil(c.year, c.month, 1);
    case Period::quarter: return day_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
    case Period::year: return day_from_civil(c.year, 1, 1);
  }
  return d;
}

Day period_end(Period p, Day d) noexcept { return shift_period(p, d, 1) - 1; }

Day shift_period(Period p, Day d, int n) noexcept {
  const Day start = period_start(p, d);
  switch (p) {
    case Period::day: return start + n;
    case Period::week: return start + 7 * n;
    case Period::month: return month_start_shifted(start, n);
    case Period::quarter: return month_start_shifted(start, 3 * n);
    case Period::year: return month_start_shifted(start, 12 * n);
  }
  return start;
}

// ---------------------------------------------------------------------------
// TimeZone

Result<TimeZone> TimeZone::load(const std::string& iana_name) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  if (!tz || *tz == icu::TimeZone::getUnknown())
    return fail(Error::invalid("time zone: ICU does not know \"" + iana_name + "\""));
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
  if (basic == nullptr) return fail(Error::invalid("time zone \"" + iana_name + "\": no transition data in ICU"));

  TimeZone out;
  out.name_ = iana_name;
  const double first = 0.0;                                                     // 1970-01-01T00:00Z
  const double last = static_cast<double>(day_from_civil(2100, 1, 1)) * kMsPerDay;  // 2100-01-01T00:00Z
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t raw = 0, dst = 0;
  basic->getOffset(first, false, raw, dst, status);
  if (U_FAILURE(status)) return fail(Error::invalid("time zone \"" + iana_name + "\": ICU offset lookup failed"));
  out.offsets_min_.push_back(static_cast<std::int32_t>((raw + dst) / kMsPerMinute));

  icu::TimeZoneTransition tr;
  double base = first;
  while (basic->getNextTransition(base, false, tr) && tr.getTime() < last) {
    base = tr.getTime();
    const icu::TimeZoneRule* to = tr.getTo();
    if (to == nullptr) break;
    const auto offset = static_cast<std::int32_t>((to->getRawOffset() + to->getDSTSavings()) / kMsPerMinute);
    if (offset == out.offsets_min_.back()) continue;  // a rule change that keeps the offset
    out.transitions_ms_.push_back(static_cast<std::int64_t>(base));
    out.offsets_min_.push_back(offset);
  }
  return out;
}

const TimeZone& TimeZone::helsinki() {
  static const TimeZone zone = [] {
    auto loaded = load("Europe/Helsinki");
    if (!loaded) {
      std::fprintf(stderr, "kaiku: fatal: ICU has no time zone Europe/Helsinki: %s\n",
                   loaded.error().message.c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return zone;
}

std::chrono::minutes TimeZone::utc_offset(TimePoint t) const noexcept {
  const std::int64_t ms = t.time_since_epoch().count();
  const auto it = std::upper_bound(transitions_ms_.begin(), transitions_ms_.end(), ms);
  const auto index = static_cast<std::size_t>(it - transitions_ms_.begin());
  return std::chrono::minutes(offsets_min_.empty() ? 0 : offsets_min_[index]);
}

Day TimeZone::local_day(TimePoint t) const noexcept {
  const std::int64_t local = t.time_since_epoch().count() + utc_offset(t).count() * kMsPerMinute;
  return static_cast<Day>(floor_div(local, kMsPerDay));
}

TimePoint TimeZone::start_of_day(Day d) const noexcept {
  const std::int64_t midnight = static_cast<std::int64_t>(d) * kMsPerDay;  // local midnight as if UTC
  // The offset in force at midnight is one of those in force a day around it.
  const std::int64_t candidates[2] = {utc_offset(TimePoint(std::chrono::milliseconds(midnight - kMsPerDay))).count(),
                                      utc_offset(TimePoint(std::chrono::milliseconds(midnight + kMsPerDay))).count()};
  std::optional<std::int64_t> best;
  for (std::int64_t offset : candidates) {
    const std::int64_t t = midnight - offset * kMsPerMinute;
    if (utc_offset(TimePoint(std::chrono::milliseconds(t))).count() == offset && (!best || t < *best)) best = t;
  }
  // Midnight skipped by a forward jump: the day starts at the jump.
  if (!best) best = midnight - candidates[0] * kMsPerMinute;
  return TimePoint(std::chrono::milliseconds(*best));
}

std::string TimeZone::format_local(TimePoint t) const {
  const std::int64_t offset = utc_offset(t).count();
  const std::int64_t local = t.time_since_epoch().count() + offset * kMsPerMinute;
  const Day d = static_cast<Day>(floor_div(local, kMsPerDay));
  const std::int64_t in_day = local - static_cast<std::int64_t>(d) * kMsPerDay;
  const auto h = static_cast<unsigned>(in_day / 3'600'000);
  const auto m = static_cast<unsigned>(in_day / 60'000 % 60);
  const auto s = static_cast<unsigned>(in_day / 1000 % 60);
  const auto ms = static_cast<unsigned>(in_day % 1000);
  const std::int64_t abs_offset = offset < 0 ? -offset : offset;
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02u:%02u:%02u.%03u%c%02u:%02u", h, m, s, ms, offset < 0 ? '-' : '+',
                static_cast<unsigned>(abs_offset / 60), static_cast<unsigned>(abs_offset % 60));
  return format_date(d) + buf;
}

}  // namespace kaiku::analytics
