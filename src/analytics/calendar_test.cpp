#include "analytics/calendar.hpp"

#include <gtest/gtest.h>

namespace kaiku::analytics {
namespace {

Day D(const char* text) {
  auto d = parse_date(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(0);
}

TimePoint utc(const char* rfc3339) {
  TimePoint t{};
  EXPECT_TRUE(parse_rfc3339(rfc3339, t)) << rfc3339;
  return t;
}

TEST(Calendar, CivilRoundTripsAndKnownDays) {
  EXPECT_EQ(day_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(day_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(day_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(day_from_civil(2026, 3, 14), 20526);
  for (Day d = day_from_civil(1899, 1, 1); d <= day_from_civil(2101, 1, 1); ++d) {
    CivilDate c = civil_from_day(d);
    ASSERT_EQ(day_from_civil(c.year, c.month, c.day), d);
    if (d > day_from_civil(1899, 1, 1)) {
      CivilDate prev = civil_from_day(d - 1);
      const bool next_day = c.day == prev.day + 1 && c.month == prev.month;
      const bool next_month = c.day == 1 && (c.month == prev.month + 1 || (c.month == 1 && prev.month == 12));
      ASSERT_TRUE(next_day || next_month) << format_date(d);
    }
  }
  CivilDate leap = civil_from_day(day_from_civil(2024, 2, 29));
  EXPECT_EQ(leap.year, 2024);
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
}

TEST(Calendar, ParseDateIsStrict) {
  EXPECT_EQ(parse_date("2026-03-14"), day_from_civil(2026, 3, 14));
  EXPECT_EQ(parse_date("2024-02-29"), day_from_civil(2024, 2, 29));
  EXPECT_EQ(parse_date("2000-02-29"), day_from_civil(2000, 2, 29));
  for (const char* bad : {"2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-01",
                          "2026-04-1", "26-04-01", "2026/04/01", "2026-04-01 ", " 2026-04-01", "1899-12-31",
                          "3000-01-01", "", "2026-04-0a", "+026-04-01", "2026-04-00"})
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  EXPECT_TRUE(parse_date("1900-01-01").has_value());
  EXPECT_TRUE(parse_date("2999-12-31").has_value());
}

TEST(Calendar, FormatDate) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(day_from_civil(2026, 3, 4)), "2026-03-04");
  EXPECT_EQ(format_date(day_from_civil(1905, 12, 31)), "1905-12-31");
}

TEST(Calendar, AddYearsAndMonthsClamp) {
  EXPECT_EQ(add_years(D("2024-02-29"), 1), D("2025-02-28"));
  EXPECT_EQ(add_years(D("2024-02-29"), 4), D("2028-02-29"));
  EXPECT_EQ(add_years(D("2026-03-14"), -1), D("2025-03-14"));
  EXPECT_EQ(add_months(D("2026-01-31"), 1), D("2026-02-28"));
  EXPECT_EQ(add_months(D("2024-01-31"), 1), D("2024-02-29"));
  EXPECT_EQ(add_months(D("2026-03-31"), -1), D("2026-02-28"));
  EXPECT_EQ(add_months(D("2026-01-15"), -1), D("2025-12-15"));
  EXPECT_EQ(add_months(D("2026-11-30"), 3), D("2027-02-28"));
  EXPECT_EQ(add_months(D("2026-05-31"), -25), D("2024-04-30"));
  EXPECT_EQ(add_months(D("2026-05-10"), 0), D("2026-05-10"));
}

TEST(Calendar, PeriodKeys) {
  const Day d = D("2026-03-14");
  EXPECT_EQ(period_key(Period::day, d), "2026-03-14");
  EXPECT_EQ(period_key(Period::week, d), "2026-W11");
  EXPECT_EQ(period_key(Period::month, d), "2026-03");
  EXPECT_EQ(period_key(Period::quarter, d), "2026-Q1");
  EXPECT_EQ(period_key(Period::quarter, D("2026-12-31")), "2026-Q4");
  EXPECT_EQ(period_key(Period::year, d), "2026");
}

TEST(Calendar, IsoWeeksAtYearEnds) {
  EXPECT_EQ(period_key(Period::week, D("2027-01-01")), "2026-W53");
  EXPECT_EQ(period_key(Period::week, D("2026-12-28")), "2026-W53");
  EXPECT_EQ(period_key(Period::week, D("2027-01-03")), "2026-W53");
  EXPECT_EQ(period_key(Period::week, D("2027-01-04")), "2027-W01");
  EXPECT_EQ(period_key(Period::week, D("2021-01-03")), "2020-W53");
  EXPECT_EQ(period_key(Period::week, D("2021-01-04")), "2021-W01");
  EXPECT_EQ(period_key(Period::week, D("2024-12-30")), "2025-W01");  // a Monday
  EXPECT_EQ(period_key(Period::week, D("2026-01-01")), "2026-W01");  // a Thursday
  EXPECT_EQ(period_key(Period::week, D("2025-12-29")), "2026-W01");
  EXPECT_EQ(period_key(Period::week, D("1970-01-01")), "1970-W01");
  EXPECT_EQ(period_key(Period::week, D("1969-12-29")), "1970-W01");
}

TEST(Calendar, PeriodStartEndAndShift) {
  const Day d = D("2026-03-14");  // a Saturday
  EXPECT_EQ(period_start(Period::day, d), d);
  EXPECT_EQ(period_end(Period::day, d), d);
  EXPECT_EQ(period_start(Period::week, d), D("2026-03-09"));
  EXPECT_EQ(period_end(Period::week, d), D("2026-03-15"));
  EXPECT_EQ(period_start(Period::month, d), D("2026-03-01"));
  EXPECT_EQ(period_end(Period::month, d), D("2026-03-31"));
  EXPECT_EQ(period_end(Period::month, D("2024-02-10")), D("2024-02-29"));
  EXPECT_EQ(period_start(Period::quarter, D("2026-05-20")), D("2026-04-01"));
  EXPECT_EQ(period_end(Period::quarter, D("2026-05-20")), D("2026-06-30"));
  EXPECT_EQ(period_start(Period::year, d), D("2026-01-01"));
  EXPECT_EQ(period_end(Period::year, d), D("2026-12-31"));
  EXPECT_EQ(period_start(Period::week, D("1969-12-31")), D("1969-12-29"));

  EXPECT_EQ(shift_period(Period::day, d, -3), D("2026-03-11"));
  EXPECT_EQ(shift_period(Period::week, d, 1), D("2026-03-16"));
  EXPECT_EQ(shift_period(Period::week, d, -52), D("2025-03-10"));
  EXPECT_EQ(shift_period(Period::month, d, -3), D("2025-12-01"));
  EXPECT_EQ(shift_period(Period::month, D("2026-01-31"), 1), D("2026-02-01"));
  EXPECT_EQ(shift_period(Period::month, d, 12), D("2027-03-01"));
  EXPECT_EQ(shift_period(Period::quarter, d, -1), D("2025-10-01"));
  EXPECT_EQ(shift_period(Period::quarter, d, 4), D("2027-01-01"));
  EXPECT_EQ(shift_period(Period::year, d, -1), D("2025-01-01"));
  // Every day belongs to exactly the period between start and end, and periods tile.
  for (Period p : {Period::week, Period::month, Period::quarter, Period::year}) {
    for (Day x = D("2019-12-01"); x < D("2021-02-01"); ++x) {
      ASSERT_LE(period_start(p, x), x);
      ASSERT_GE(period_end(p, x), x);
      ASSERT_EQ(shift_period(p, x, 1), period_end(p, x) + 1);
      ASSERT_EQ(period_key(p, period_start(p, x)), period_key(p, x));
      ASSERT_EQ(period_key(p, period_end(p, x)), period_key(p, x));
      ASSERT_NE(period_key(p, period_end(p, x) + 1), period_key(p, x));
    }
  }
}

TEST(TimeZone, UnknownZoneIsAnError) {
  auto tz = TimeZone::load("Europe/Atlantis");
  ASSERT_FALSE(tz.has_value());
  EXPECT_EQ(tz.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(tz.error().message.find("Europe/Atlantis"), std::string::npos);
}

TEST(TimeZone, HelsinkiOffsetsAndLocalDays) {
  const TimeZone& hel = TimeZone::helsinki();
  EXPECT_EQ(hel.name(), "Europe/Helsinki");
  EXPECT_EQ(&hel, &TimeZone::helsinki());
  EXPECT_EQ(hel.utc_offset(utc("2026-01-15T12:00:00Z")).count(), 120);
  EXPECT_EQ(hel.utc_offset(utc("2026-07-15T12:00:00Z")).count(), 180);
  // Summer time starts 2026-03-29 at 01:00 UTC and ends 2026-10-25 at 01:00 UTC.
  EXPECT_EQ(hel.utc_offset(utc("2026-03-29T00:59:59.999Z")).count(), 120);
  EXPECT_EQ(hel.utc_offset(utc("2026-03-29T01:00:00Z")).count(), 180);
  EXPECT_EQ(hel.utc_offset(utc("2026-10-25T00:59:59.999Z")).count(), 180);
  EXPECT_EQ(hel.utc_offset(utc("2026-10-25T01:00:00Z")).count(), 120);
  // 23:30 UTC on 31 March is already 1 April in Helsinki.
  EXPECT_EQ(hel.local_day(utc("2026-03-31T23:30:00Z")), D("2026-04-01"));
  EXPECT_EQ(hel.local_day(utc("2026-03-31T20:59:59.999Z")), D("2026-03-31"));
  EXPECT_EQ(hel.local_day(utc("2026-03-31T21:00:00Z")), D("2026-04-01"));
  EXPECT_EQ(hel.local_day(utc("2026-01-31T21:59:59Z")), D("2026-01-31"));
  EXPECT_EQ(hel.local_day(utc("2026-01-31T22:00:00Z")), D("2026-02-01"));
  // 1970s: Finland had no summer time before 1981.
  EXPECT_EQ(hel.utc_offset(utc("1975-07-01T00:00:00Z")).count(), 120);
  EXPECT_EQ(hel.utc_offset(utc("2099-07-01T00:00:00Z")).count(), 180);
}

TEST(TimeZone, StartOfDayOnDstDays) {
  const TimeZone& hel = TimeZone::helsinki();
  EXPECT_EQ(hel.start_of_day(D("2026-03-28")), utc("2026-03-27T22:00:00Z"));
  EXPECT_EQ(hel.start_of_day(D("2026-03-29")), utc("2026-03-28T22:00:00Z"));
  EXPECT_EQ(hel.start_of_day(D("2026-03-30")), utc("2026-03-29T21:00:00Z"));
  EXPECT_EQ(hel.start_of_day(D("2026-10-25")), utc("2026-10-24T21:00:00Z"));
  EXPECT_EQ(hel.start_of_day(D("2026-10-26")), utc("2026-10-25T22:00:00Z"));
  // start_of_day and local_day agree on every day of a few years.
  for (Day d = D("2024-01-01"); d < D("2028-01-01"); ++d) {
    const TimePoint s = hel.start_of_day(d);
    ASSERT_EQ(hel.local_day(s), d) << format_date(d);
    ASSERT_EQ(hel.local_day(s - std::chrono::milliseconds(1)), d - 1) << format_date(d);
  }
}

TEST(TimeZone, FormatLocal) {
  const TimeZone& hel = TimeZone::helsinki();
  EXPECT_EQ(hel.format_local(utc("2026-03-14T10:30:05.123Z")), "2026-03-14T12:30:05.123+02:00");
  EXPECT_EQ(hel.format_local(utc("2026-07-01T21:00:00Z")), "2026-07-02T00:00:00.000+03:00");
  EXPECT_EQ(hel.format_local(utc("2026-10-25T00:30:00Z")), "2026-10-25T03:30:00.000+03:00");
  EXPECT_EQ(hel.format_local(utc("2026-10-25T01:30:00Z")), "2026-10-25T03:30:00.000+02:00");
  auto utc_zone = TimeZone::load("UTC");
  ASSERT_TRUE(utc_zone.has_value());
  EXPECT_EQ(utc_zone->format_local(utc("2026-03-14T10:30:05.123Z")), "2026-03-14T10:30:05.123+00:00");
  auto ny = TimeZone::load("America/New_York");
  ASSERT_TRUE(ny.has_value());
  EXPECT_EQ(ny->format_local(utc("2026-01-15T03:00:00Z")), "2026-01-14T22:00:00.000-05:00");
  EXPECT_EQ(ny->local_day(utc("2026-01-15T03:00:00Z")), D("2026-01-14"));
  auto kolkata = TimeZone::load("Asia/Kolkata");
  ASSERT_TRUE(kolkata.has_value());
  EXPECT_EQ(kolkata->format_local(utc("2026-01-15T00:00:00Z")), "2026-01-15T05:30:00.000+05:30");
}

}  // namespace
}  // namespace kaiku::analytics
