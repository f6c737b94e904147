// Byte encodings used across layers. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaiku {

// Unpadded base64url (RFC 4648 §5).
std::string base64url_encode(const std::uint8_t* data, std::size_t n);
// Decodes unpadded base64url; std::nullopt on any character outside the alphabet.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

// Lower-case hexadecimal.
std::string hex_encode(const std::uint8_t* data, std::size_t n);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;
// The byte offset of the first ill-formed UTF-8 sequence in `text` (same rules as
// is_valid_utf8), or std::string_view::npos when the whole text is well-formed.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

}  // namespace kaiku
