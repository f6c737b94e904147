#include "base/random.hpp"

#include <vector>

#include "base/encoding.hpp"

namespace kaiku {

std::string random_token(Random& random, std::size_t n_bytes) {
  std::vector<std::uint8_t> bytes(n_bytes);
  random.fill(bytes.data(), bytes.size());
  return base64url_encode(bytes.data(), bytes.size());
}

void SeededRandom::fill(std::uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    out[i] = static_cast<std::uint8_t>(z ^ (z >> 31));
  }
}

}  // namespace kaiku
