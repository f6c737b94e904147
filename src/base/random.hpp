// Randomness is injected: code that needs random bytes takes a Random&.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace kaiku {

// Source of random bytes. Implementations for production must be
// cryptographically secure (see security/sodium_random.hpp).
class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with `n` random bytes.
  virtual void fill(std::uint8_t* out, std::size_t n) = 0;
};

// Returns `n_bytes` random bytes encoded as unpadded base64url (RFC 4648 §5).
std::string random_token(Random& random, std::size_t n_bytes);

// A deterministic generator for tests (splitmix64). Never use for secrets.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::uint8_t* out, std::size_t n) override;

 private:
  std::uint64_t state_;
};

}  // namespace kaiku
