// Bearer tokens for the API.
#pragma once

#include <string>
#include <string_view>

#include "base/random.hpp"

namespace kaiku::security {

// Every Kaiku bearer token starts with this, so that leaked tokens are easy to
// recognise (secret scanners, logs).
inline constexpr std::string_view kBearerTokenPrefix = "kk_";

// A new bearer token: "kk_" followed by 32 random bytes as unpadded base64url
// (46 characters in all). Store only sha256_hex(token).
std::string new_bearer_token(Random& random);

// True when `token` has the shape new_bearer_token produces (prefix, length,
// alphabet). A cheap pre-check before hashing and looking it up.
bool looks_like_bearer_token(std::string_view token) noexcept;

}  // namespace kaiku::security
