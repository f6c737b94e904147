#include "channels/csv/events_csv.hpp"

#include <array>
#include <chrono>
#include <optional>

#include "base/encoding.hpp"
#include "channels/local_time.hpp"
#include "security/digest.hpp"

namespace kaiku::channels::csv {

namespace {

using namespace std::chrono;

constexpr std::size_t kMaxField = 4096;
constexpr std::size_t kColumnCount = std::size(kEventsCsvColumns);

enum Col : std::size_t {
  source_system, event_id, event, visit_id, visit_time, unit_code_system, unit_code, visit_type,
  service, person_id, birth_date, age, mobile, language, municipality, non_disclosure, deceased,
  consent
};

constexpr std::array<Col, 4> kRequired = {source_system, event, visit_time, unit_code};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

// ---- Tokenizer (RFC 4180) ----

struct Record {
  std::size_t line = 0;
  std::vector<std::string> fields;
  std::string error;  // a quoting problem in this row ("" when none)
};

class Reader {
 public:
  Reader(std::string_view text, char delim) : s_(text), d_(delim) {}

  bool done() const { return i_ >= s_.size(); }
  // Set when a quoted field runs to the end of the input: the line it opened on.
  std::size_t unterminated_line() const { return unterminated_; }

  Record next() {
    Record r;
    r.line = line_;
    std::string field;
    while (true) {
      // At the start of a field.
      field.clear();
      if (i_ < s_.size() && s_[i_] == '"') {
        const std::size_t open_line = line_;
        ++i_;
        bool closed = false;
        while (i_ < s_.size()) {
          const char c = s_[i_++];
          if (c == '"') {
            if (i_ < s_.size() && s_[i_] == '"') {
              field += '"';
              ++i_;
            } else {
              closed = true;
              break;
            }
          } else {
            if (c == '\n') ++line_;
            field += c;
          }
        }
        if (!closed) {
          unterminated_ = open_line;
          r.fields.push_back(std::move(field));
          return r;
        }
        if (i_ < s_.size() && s_[i_] != d_ && s_[i_] != '\r' && s_[i_] != '\n') {
          if (r.error.empty()) r.error = "text after a closing quote; double a quote inside a quoted field (\"\")";
          while (i_ < s_.size() && s_[i_] != d_ && s_[i_] != '\n' && s_[i_] != '\r') ++i_;
        }
      } else {
        while (i_ < s_.size() && s_[i_] != d_ && s_[i_] != '\r' && s_[i_] != '\n') {
          if (s_[i_] == '"' && r.error.empty()) {
            r.error = "a quote inside an unquoted field; quote the whole field and double the quote";
          }
          field += s_[i_++];
        }
      }
      r.fields.push_back(field);
      if (i_ >= s_.size()) return r;
      const char c = s_[i_++];
      if (c == d_) continue;
      if (c == '\r' && i_ < s_.size() && s_[i_] == '\n') ++i_;
      ++line_;
      return r;
    }
  }

 private:
  std::string_view s_;
  char d_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
  std::size_t unterminated_ = 0;
};

// The delimiter of the header line: ';' when it has more of them than ',' outside quotes.
char detect_delimiter(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ',') ++commas;
    if (c == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

// ---- Values ----

// Reads exactly n digits at s[i...].
bool read_digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!digit(s[i + k])) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  i += n;
  out = v;
  return true;
}

// Reads 1 or 2 digits.
bool read_1_2(std::string_view s, std::size_t& i, int& out) {
  if (i >= s.size() || !digit(s[i])) return false;
  out = s[i++] - '0';
  if (i < s.size() && digit(s[i])) out = out * 10 + (s[i++] - '0');
  return true;
}

std::optional<year_month_day> make_date(int y, int m, int d) {
  if (y < 1900 || y > 2999) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// "YYYY-MM-DD" or "D.M.YYYY"; `i` moves past it.
std::optional<year_month_day> read_date(std::string_view s, std::size_t& i) {
  int y = 0, m = 0, d = 0;
  std::size_t j = i;
  if (read_digits(s, j, 4, y) && j < s.size() && s[j] == '-') {
    ++j;
    if (!read_digits(s, j, 2, m) || j >= s.size() || s[j] != '-') return std::nullopt;
    ++j;
    if (!read_digits(s, j, 2, d)) return std::nullopt;
  } else {
    j = i;
    if (!read_1_2(s, j, d) || j >= s.size() || s[j] != '.') return std::nullopt;
    ++j;
    if (!read_1_2(s, j, m) || j >= s.size() || s[j] != '.') return std::nullopt;
    ++j;
    if (!read_digits(s, j, 4, y)) return std::nullopt;
  }
  auto ymd = make_date(y, m, d);
  if (ymd) i = j;
  return ymd;
}

std::optional<year_month_day> parse_date_value(std::string_view s) {
  std::size_t i = 0;
  auto d = read_date(s, i);
  if (!d || i != s.size()) return std::nullopt;
  return d;
}

// ISO 8601 "YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH:MM|+HHMM]" or Finnish
// "D.M.YYYY[ H:MM[:SS]]" (also H.MM); a date alone means local midnight; without
// an offset the time is Europe/Helsinki local time.
std::optional<TimePoint> parse_time_value(std::string_view s) {
  std::size_t i = 0;
  auto date = read_date(s, i);
  if (!date) return std::nullopt;
  milliseconds tod{0};
  std::optional<minutes> offset;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != ' ') return std::nullopt;
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    int h = 0, mi = 0, sec = 0;
    if (!read_1_2(s, i, h) || i >= s.size() || (s[i] != ':' && s[i] != '.')) return std::nullopt;
    const char sep = s[i++];
    if (!read_digits(s, i, 2, mi)) return std::nullopt;
    if (i < s.size() && s[i] == sep) {
      ++i;
      if (!read_digits(s, i, 2, sec)) return std::nullopt;
      if (i < s.size() && (s[i] == '.' || s[i] == ',') && sep == ':') {
        ++i;
        int ms = 0, n = 0;
        while (i < s.size() && digit(s[i])) {
          if (n < 3) ms = ms * 10 + (s[i] - '0');
          ++n;
          ++i;
        }
        if (n == 0 || n > 9) return std::nullopt;
        for (int k = n; k < 3; ++k) ms *= 10;
        tod += milliseconds(ms);
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    tod += hours(h) + minutes(mi) + seconds(sec);
    if (i < s.size()) {
      if (s[i] == 'Z' && i + 1 == s.size()) {
        offset = minutes(0);
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int sign = s[i++] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_digits(s, i, 2, oh)) return std::nullopt;
        if (i < s.size() && s[i] == ':') ++i;
        if (!read_digits(s, i, 2, om) || oh > 14 || om > 59) return std::nullopt;
        offset = minutes(sign * (oh * 60 + om));
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  const TimePoint local = TimePoint(sys_days(*date).time_since_epoch()) + tod;
  if (offset) return local - *offset;
  return helsinki_to_utc(local);
}

std::optional<bool> parse_bool(std::string_view s) {
  const std::string v = lower(s);
  for (const char* t : {"true", "1", "yes", "y", "kyllä", "k", "ja", "x"}) {
    if (v == t) return true;
  }
  for (const char* f : {"false", "0", "no", "n", "ei", "e", "nej"}) {
    if (v == f) return false;
  }
  return std::nullopt;
}

bool is_phone_text(std::string_view s) {
  bool any_digit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (digit(c)) {
      any_digit = true;
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0))) {
      return false;
    }
  }
  return any_digit;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string row_hash(const std::vector<std::string>& fields) {
  std::string joined;
  for (const auto& f : fields) {
    joined += f;
    joined += '\x1f';
  }
  return "row-" + security::sha256_hex(joined).substr(0, 32);
}

// Builds the event of one record; adds its errors to `errors`. `map[c]` is the
// record index of column c, or npos when the file has no such column.
std::optional<domain::CareEvent> build_event(const Record& r,
                                             const std::array<std::size_t, kColumnCount>& map,
                                             std::vector<CsvError>& errors) {
  const std::size_t before = errors.size();
  auto err = [&](Col c, std::string message) {
    errors.push_back(CsvError{r.line, std::string(kEventsCsvColumns[c]), std::move(message)});
  };
  auto get = [&](Col c) -> std::string_view {
    const std::size_t k = map[c];
    if (k == std::string_view::npos || k >= r.fields.size()) return {};
    return trim(r.fields[k]);
  };
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    std::string_view v = get(static_cast<Col>(c));
    if (v.size() > kMaxField) {
      err(static_cast<Col>(c), "longer than " + std::to_string(kMaxField) + " bytes");
    } else if (has_control(v)) {
      err(static_cast<Col>(c), "contains a line break or another control character");
    }
  }
  if (errors.size() > before) return std::nullopt;
  for (Col c : kRequired) {
    if (get(c).empty()) err(c, "required value is empty");
  }

  domain::CareEvent e;
  e.source = domain::EventSource::csv;
  e.sender = std::string(get(source_system));
  e.trigger = std::string(get(event));
  e.visit_id = std::string(get(visit_id));
  if (auto v = get(visit_time); !v.empty()) {
    e.visit_time = parse_time_value(v);
    if (!e.visit_time) {
      err(visit_time,
          "not a date and time; expected ISO 8601 such as 2026-11-24T14:30:00+02:00 or "
          "2026-11-24 14:30 (Helsinki time), or 24.11.2026 14:30");
    }
  }
  if (auto v = get(unit_code); !v.empty()) {
    e.unit_codes.push_back(domain::UnitCode{std::string(get(unit_code_system)), std::string(v)});
  }
  e.visit_type = std::string(get(visit_type));
  e.service = std::string(get(service));
  e.person_id = std::string(get(person_id));
  if (auto v = get(birth_date); !v.empty()) {
    e.birth_date = parse_date_value(v);
    if (!e.birth_date) err(birth_date, "not a date; expected YYYY-MM-DD or D.M.YYYY");
  }
  if (auto v = get(age); !v.empty()) {
    int n = 0;
    std::size_t i = 0;
    if (v.size() <= 3 && read_digits(v, i, v.size(), n) && n <= 130) {
      e.age = n;
    } else {
      err(age, "not an age; expected whole years 0-130");
    }
  }
  if (auto v = get(mobile); !v.empty()) {
    std::string_view rest = v;
    while (true) {
      const std::size_t bar = rest.find('|');
      std::string_view one = trim(rest.substr(0, bar));
      if (!one.empty()) {
        if (is_phone_text(one)) {
          e.mobiles.emplace_back(one);
        } else {
          err(mobile, "not a phone number; use digits, spaces, + - ( ) and '|' between numbers");
          break;
        }
      }
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
  }
  e.language = std::string(get(language));
  e.municipality = std::string(get(municipality));
  for (Col c : {non_disclosure, deceased, consent}) {
    std::string_view v = get(c);
    if (v.empty()) continue;
    auto b = parse_bool(v);
    if (!b) {
      err(c, "not a yes/no value; expected true/false, 1/0, yes/no or kyllä/ei");
      continue;
    }
    if (c == non_disclosure) e.non_disclosure = *b;
    if (c == deceased) e.deceased = *b;
    if (c == consent) e.consent = *b;
  }
  if (errors.size() > before) return std::nullopt;
  std::string_view id = get(event_id);
  e.message_id = id.empty() ? row_hash(r.fields) : std::string(id);
  return e;
}

}  // namespace

EventsCsvResult parse_events_csv(std::string_view bytes) {
  EventsCsvResult out;
  auto file_error = [&](std::size_t line, std::string message) {
    out.file_ok = false;
    out.errors.push_back(CsvError{line, "", std::move(message)});
    return out;
  };
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                            (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    return file_error(0, "the file is UTF-16; save it as UTF-8 (in Excel: \"CSV UTF-8\")");
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (const std::size_t bad = find_invalid_utf8(bytes); bad != std::string_view::npos) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < bad; ++i) line += bytes[i] == '\n';
    return file_error(line,
                      "not UTF-8 text (byte " + std::to_string(bad) +
                          "); the file seems to be in another encoding such as Windows-1252 or "
                          "ISO-8859-1: save it as UTF-8 (in Excel: \"CSV UTF-8\")");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return file_error(0, "the file contains NUL bytes; it is not a CSV text file");
  }
  if (trim(bytes).empty()) return file_error(1, "the file is empty; expected a header row");

  out.delimiter = detect_delimiter(bytes);
  Reader reader(bytes, out.delimiter);
  Record header = reader.next();
  if (reader.unterminated_line() != 0) {
    return file_error(header.line, "the header row has a quote that is never closed");
  }
  if (!header.error.empty()) return file_error(header.line, "header row: " + header.error);

  std::array<std::size_t, kColumnCount> map;
  map.fill(std::string_view::npos);
  std::vector<std::string> unknown;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const std::string name = lower(trim(header.fields[k]));
    if (name.empty()) continue;
    std::size_t c = 0;
    while (c < kColumnCount && kEventsCsvColumns[c] != name) ++c;
    if (c == kColumnCount) {
      std::size_t cut = std::min<std::size_t>(name.size(), 64);
      while (cut < name.size() && cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      unknown.push_back(cut < name.size() ? name.substr(0, cut) + "..." : name);
    } else if (map[c] != std::string_view::npos) {
      return file_error(header.line, "column " + name + " appears twice in the header");
    } else {
      map[c] = k;
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return file_error(header.line, "unknown column(s): " + list +
                                       "; see docs/events-csv.md for the column names");
  }
  std::string missing;
  for (Col c : kRequired) {
    if (map[c] == std::string_view::npos) {
      missing += (missing.empty() ? "" : ", ") + std::string(kEventsCsvColumns[c]);
    }
  }
  if (!missing.empty()) {
    return file_error(header.line, std::string("missing required column(s): ") + missing +
                                       " (delimiter detected: '" + out.delimiter + "')");
  }

  std::size_t last_named = 0;
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    if (map[c] != std::string_view::npos) last_named = std::max(last_named, map[c] + 1);
  }
  while (!reader.done()) {
    Record r = reader.next();
    if (reader.unterminated_line() != 0) {
      out.file_ok = false;
      out.errors.push_back(CsvError{r.line, "",
                                    "a quoted field opened on line " +
                                        std::to_string(reader.unterminated_line()) +
                                        " is never closed; the rest of the file was not read"});
      break;
    }
    bool blank = true;
    for (const auto& f : r.fields) blank = blank && trim(f).empty();
    if (blank) continue;
    ++out.rows;
    if (!r.error.empty()) {
      out.errors.push_back(CsvError{r.line, "", r.error});
      continue;
    }
    if (r.fields.size() != header.fields.size()) {
      // Extra trailing empty fields (delimiters at the end) are harmless.
      bool extra_empty = r.fields.size() > header.fields.size();
      for (std::size_t k = header.fields.size(); extra_empty && k < r.fields.size(); ++k) {
        extra_empty = trim(r.fields[k]).empty();
      }
      if (!extra_empty && !(r.fields.size() >= last_named && r.fields.size() < header.fields.size())) {
        out.errors.push_back(CsvError{r.line, "",
                                      "expected " + std::to_string(header.fields.size()) +
                                          " fields as in the header, found " +
                                          std::to_string(r.fields.size())});
        continue;
      }
    }
    if (auto e = build_event(r, map, out.errors)) out.events.push_back(CsvEvent{r.line, std::move(*e)});
  }
  return out;
}

}  // namespace kaiku::channels::csv
