// Private helper of the SMS text code (sms_text, sms_reply, channels/sms): a strict,
// never-failing UTF-8 decoder and an encoder. Not a public domain contract.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kaiku::domain::sms_detail {

// Returned by next_code_point for a byte that does not start a well-formed sequence.
inline constexpr char32_t kBadByte = 0xFFFFFFFFu;
// U+FFFD, what a bad byte becomes where text must stay valid UTF-8.
inline constexpr char32_t kReplacement = 0xFFFDu;

// Decodes the code point starting at s[i] and advances i past it. A malformed
// sequence (bad lead byte, truncated, overlong, surrogate, > U+10FFFF) returns
// kBadByte and advances i by exactly one byte, so every byte is visited. Requires
// i < s.size().
inline char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kBadByte;
  }
  if (i + len > s.size()) {
    ++i;
    return kBadByte;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kBadByte;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kBadByte;
  }
  i += len;
  return cp;
}

// Appends the UTF-8 form of `cp` (a valid scalar value; anything else becomes U+FFFD).
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// True when every byte of `s` belongs to a well-formed UTF-8 sequence.
inline bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();)
    if (next_code_point(s, i) == kBadByte) return false;
  return true;
}

}  // namespace kaiku::domain::sms_detail
