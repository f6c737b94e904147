#include "channels/fhir/datetime.hpp"

#include "channels/local_time.hpp"

namespace kaiku::channels::fhir {

namespace {

using namespace std::chrono;

bool digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  i += n;
  out = v;
  return true;
}

// Reads the date part at the start of `s`; `i` ends past it.
std::optional<year_month_day> read_date(std::string_view s, std::size_t& i, bool& full) {
  int y = 0, m = 1, d = 1;
  full = false;
  if (!digits(s, i, 4, y) || y < 1800 || y > 2999) return std::nullopt;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!digits(s, i, 2, m)) return std::nullopt;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!digits(s, i, 2, d)) return std::nullopt;
      full = true;
    }
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

std::optional<year_month_day> parse_fhir_date(std::string_view text, bool* full) {
  std::size_t i = 0;
  bool f = false;
  auto d = read_date(text, i, f);
  if (!d || i != text.size()) return std::nullopt;
  if (full) *full = f;
  return d;
}

std::optional<TimePoint> parse_fhir_datetime(std::string_view s) {
  std::size_t i = 0;
  bool full = false;
  auto date = read_date(s, i, full);
  if (!date) return std::nullopt;
  const TimePoint midnight = TimePoint(sys_days(*date).time_since_epoch());
  if (i == s.size()) return helsinki_to_utc(midnight);
  if (!full || s[i] != 'T') return std::nullopt;
  ++i;
  int h = 0, mi = 0, sec = 0;
  if (!digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, mi) ||
      i >= s.size() || s[i++] != ':' || !digits(s, i, 2, sec)) {
    return std::nullopt;
  }
  if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0))) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second: keep it inside the minute
  milliseconds tod = hours(h) + minutes(mi) + seconds(sec);
  if (i < s.size() && s[i] == '.') {
    ++i;
    int ms = 0, n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 3) ms = ms * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0 || n > 9) return std::nullopt;
    for (int k = n; k < 3; ++k) ms *= 10;
    tod += milliseconds(ms);
  }
  const TimePoint local = midnight + tod;
  if (i == s.size()) return helsinki_to_utc(local);
  if (s[i] == 'Z' && i + 1 == s.size()) return local;
  if (s[i] != '+' && s[i] != '-') return std::nullopt;
  const int sign = s[i++] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  if (!digits(s, i, 2, oh) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, om) ||
      i != s.size() || oh > 14 || om > 59) {
    return std::nullopt;
  }
  return local - minutes(sign * (oh * 60 + om));
}

}  // namespace kaiku::channels::fhir
