#include "security/sodium_random.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace kaiku::security {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      std::fputs("kaiku: libsodium failed to initialise; refusing to run without a CSPRNG\n", stderr);
      std::abort();
    }
  });
}

SodiumRandom::SodiumRandom() { ensure_sodium(); }

void SodiumRandom::fill(std::uint8_t* out, std::size_t n) {
  if (n != 0) randombytes_buf(out, n);
}

}  // namespace kaiku::security
