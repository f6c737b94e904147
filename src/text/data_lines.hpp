// Internal to text/: reading the tab-separated data files of lexicons/ (sentiment
// lexicons, modifier and suggestion-cue lists) and small string helpers they share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "text/language.hpp"

namespace kaiku::text::detail {

// 0, 1, 2 for fi, sv, en (the index of per-language tables); -1 for other.
inline int lang_index(Language l) noexcept {
  switch (l) {
    case Language::fi: return 0;
    case Language::sv: return 1;
    case Language::en: return 2;
    default: return -1;
  }
}

// Splits `s` at every `sep`; n separators give n + 1 pieces (empty ones kept).
inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  while (true) {
    std::size_t at = s.find(sep, from);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(from));
      return out;
    }
    out.push_back(s.substr(from, at - from));
    from = at + 1;
  }
}

// `s` without leading and trailing spaces and CRs.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Calls `line(no, fields)` for every line of a data file that is not empty and not a
// comment ('#'), with its 1-based number and its tab-separated, trimmed fields; stops
// at the first error `line` returns.
template <class F>
Status for_each_data_line(std::string_view text, F&& line) {
  int no = 0;
  for (std::string_view raw : split(text, '\n')) {
    ++no;
    std::string_view l = trim(raw);
    if (l.empty() || l.front() == '#') continue;
    std::vector<std::string_view> fields = split(l, '\t');
    for (auto& f : fields) f = trim(f);
    Status st = line(no, fields);
    if (!st) return st;
  }
  return {};
}

// `s` with every typographic apostrophe (U+2019) replaced by an ASCII one.
inline std::string normalise_apostrophe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\xE2\x80\x99") == 0) {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace kaiku::text::detail
