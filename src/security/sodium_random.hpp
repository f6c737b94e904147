// A cryptographically secure Random backed by libsodium (randombytes_buf).
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/random.hpp"

namespace kaiku::security {

// Initialises libsodium once per process (thread-safe, idempotent). Aborts the
// process with a message on stderr if libsodium cannot initialise: without a
// working CSPRNG no secret can be issued safely.
void ensure_sodium();

// Random bytes from the operating system's CSPRNG through libsodium.
// Thread-safe: one instance may be shared by all threads.
class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  // Fills `out` with `n` cryptographically secure random bytes.
  void fill(std::uint8_t* out, std::size_t n) override;
};

}  // namespace kaiku::security
