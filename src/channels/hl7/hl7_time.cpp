#include "channels/hl7/hl7_time.hpp"

#include <string>

namespace kaiku::channels::hl7 {
namespace {

Unexpected<Error> bad(std::string_view text, std::size_t at, const std::string& why) {
  std::string shown;
  for (char c : text.substr(0, 40)) shown += (c >= 0x20 && c < 0x7F) ? c : '?';
  return fail(Error::invalid("HL7 time '" + shown + "' at character " + std::to_string(at + 1) +
                             ": " + why));
}

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<TimePoint> Hl7Time::utc() const {
  if (!offset) return std::nullopt;
  return local - *offset;
}

std::chrono::year_month_day Hl7Time::date() const {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(local)};
}

Result<Hl7Time> parse_hl7_time(std::string_view text) {
  using namespace std::chrono;
  if (text.empty()) return bad(text, 0, "empty");
  std::size_t i = 0;
  while (i < text.size() && digit(text[i])) ++i;
  const std::size_t n = i;
  if (n < 4 || n > 14 || n % 2 != 0) {
    return bad(text, i, "expected 4, 6, 8, 10, 12 or 14 digits (YYYY[MM[DD[HH[MM[SS]]]]])");
  }
  const auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t k = 0; k < len; ++k) v = v * 10 + (text[at + k] - '0');
    return v;
  };
  Hl7Time t;
  const int year = num(0, 4);
  const int month = n >= 6 ? num(4, 2) : 1;
  const int day = n >= 8 ? num(6, 2) : 1;
  const int hour = n >= 10 ? num(8, 2) : 0;
  const int minute = n >= 12 ? num(10, 2) : 0;
  const int second = n >= 14 ? num(12, 2) : 0;
  t.precision = n == 4    ? Hl7Time::Precision::year
                : n == 6  ? Hl7Time::Precision::month
                : n == 8  ? Hl7Time::Precision::day
                : n == 10 ? Hl7Time::Precision::hour
                : n == 12 ? Hl7Time::Precision::minute
                          : Hl7Time::Precision::second;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return bad(text, 4, "no such date");
  if (hour > 23) return bad(text, 8, "hour out of range");
  if (minute > 59) return bad(text, 10, "minute out of range");
  if (second > 59) return bad(text, 12, "second out of range");  // leap seconds: not in TimePoint
  int millis = 0;
  if (i < text.size() && text[i] == '.') {
    if (n != 14) return bad(text, i, "a fraction needs seconds");
    ++i;
    const std::size_t start = i;
    while (i < text.size() && digit(text[i])) ++i;
    const std::size_t len = i - start;
    if (len < 1 || len > 4) return bad(text, i, "expected 1-4 fraction digits");
    int frac = num(start, len);
    for (std::size_t k = len; k < 4; ++k) frac *= 10;
    millis = frac / 10;
    t.precision = Hl7Time::Precision::fraction;
  }
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const bool negative = text[i] == '-';
    const std::size_t at = i + 1;
    if (text.size() - at != 4 || !digit(text[at]) || !digit(text[at + 1]) || !digit(text[at + 2]) ||
        !digit(text[at + 3])) {
      return bad(text, at, "expected a +HHMM or -HHMM offset");
    }
    const int oh = num(at, 2), om = num(at + 2, 2);
    if (oh > 14 || om > 59) return bad(text, at, "offset out of range");
    const minutes off{oh * 60 + om};
    t.offset = negative ? -off : off;
    i = text.size();
  }
  if (i != text.size()) return bad(text, i, "unexpected character");
  t.local = TimePoint{sys_days{ymd}.time_since_epoch()} + hours{hour} + minutes{minute} +
            seconds{second} + milliseconds{millis};
  return t;
}

}  // namespace kaiku::channels::hl7
