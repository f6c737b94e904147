#include "security/token.hpp"

#include "base/encoding.hpp"

namespace kaiku::security {
namespace {
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kEncodedLength = (kTokenBytes * 4 + 2) / 3;  // 43
}  // namespace

std::string new_bearer_token(Random& random) {
  return std::string(kBearerTokenPrefix) + random_token(random, kTokenBytes);
}

bool looks_like_bearer_token(std::string_view token) noexcept {
  if (token.size() != kBearerTokenPrefix.size() + kEncodedLength) return false;
  if (token.substr(0, kBearerTokenPrefix.size()) != kBearerTokenPrefix) return false;
  for (char c : token.substr(kBearerTokenPrefix.size())) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace kaiku::security
