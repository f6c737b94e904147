// Digests and comparisons for secrets.
#pragma once

#include <string>
#include <string_view>

namespace kaiku::security {

// Lower-case hex SHA-256 of `data` (64 characters). Used to store bearer and
// invitation tokens: the database holds only the hash, never the token.
std::string sha256_hex(std::string_view data);

// Compares two byte strings in time independent of their contents (only of
// their lengths). Use for every comparison of secrets or secret digests.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace kaiku::security
