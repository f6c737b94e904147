// Private to src/text: small byte and code-point helpers shared by the redaction
// passes. Every function expects valid UTF-8 (redact() checks before calling them).
#pragma once

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text/redact.hpp"

namespace kaiku::text::detail {

using Size = std::size_t;

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
inline char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Code point starting at byte i; -1 past the end. *len receives its width in bytes.
inline UChar32 cp_at(std::string_view s, Size i, Size* len = nullptr) {
  if (i >= s.size()) {
    if (len) *len = 0;
    return -1;
  }
  int32_t off = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), off, static_cast<int32_t>(s.size()), c);
  if (len) *len = static_cast<Size>(off) - i;
  return c;
}

// Code point ending right before byte i; -1 at the start.
inline UChar32 cp_before(std::string_view s, Size i) {
  if (i == 0) return -1;
  int32_t off = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, off, c);
  return c;
}

inline bool is_word_cp(UChar32 c) { return c >= 0 && (u_isalnum(c) || c == '_'); }
inline bool word_before(std::string_view s, Size i) { return is_word_cp(cp_before(s, i)); }
inline bool word_at(std::string_view s, Size i) { return is_word_cp(cp_at(s, i)); }

// Width of a horizontal space at i (ASCII space or U+00A0 no-break space), 0 if none.
inline Size space_at(std::string_view s, Size i) {
  if (i < s.size() && s[i] == ' ') return 1;
  if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0)
    return 2;
  return 0;
}

// Number of ASCII digits starting at i.
inline Size digit_run(std::string_view s, Size i) {
  Size j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

// The phone and address passes (redact_patterns.cpp); they append candidates to `out`.
void find_phones(std::string_view s, std::vector<Finding>& out);
void find_addresses(std::string_view s, const RedactOptions& o, std::vector<Finding>& out);
// The name pass (names.cpp).
void find_names(std::string_view s, const RedactOptions& o, std::vector<Finding>& out);

}  // namespace kaiku::text::detail
