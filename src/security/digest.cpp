#include "security/digest.hpp"

#include <sodium.h>

#include "base/encoding.hpp"
#include "security/sodium_random.hpp"

namespace kaiku::security {

std::string sha256_hex(std::string_view data) {
  ensure_sodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hex_encode(out, sizeof out);
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kaiku::security
