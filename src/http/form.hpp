// application/x-www-form-urlencoded bodies and query strings. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace kaiku::http {

// Decoded fields in the order received; a key may repeat (checkbox groups).
struct RawForm {
  std::vector<std::pair<std::string, std::string>> fields;

  // The first value of `key`, or "" when absent.
  std::string first(std::string_view key) const;
  // True when `key` occurs at least once.
  bool has(std::string_view key) const;
  // Every value of `key`, in order.
  std::vector<std::string> all(std::string_view key) const;
};

// Most fields accepted in one form or query string.
inline constexpr std::size_t kMaxFormFields = 500;

// Parses "a=1&b=x+y&b=%C3%A4": '&' separates fields (empty segments are skipped),
// the first '=' separates key and value (a missing '=' means an empty value), '+'
// is a space, %XX a byte. Errors (invalid_input), each naming the byte offset:
// a '%' not followed by two hex digits, a decoded key or value that is not
// well-formed UTF-8, a NUL byte, more than kMaxFormFields fields.
Result<RawForm> parse_form_urlencoded(std::string_view body);

// Percent-encodes `text` for a query string value or path segment: keeps
// A-Z a-z 0-9 - . _ ~, encodes every other byte as %XX (upper-case hex).
std::string url_encode(std::string_view text);

// Splits a request target into path and query ("/a?b=1" -> "/a", "b=1").
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

}  // namespace kaiku::http
