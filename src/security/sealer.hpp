// The server's secret key and what it protects: sealing (authenticated encryption)
// of phone numbers and SMS texts at rest, and keyed hashes of identities and numbers
// for contact caps and opt-outs. libsodium: crypto_secretbox (XSalsa20-Poly1305) and
// crypto_generichash (BLAKE2b) keyed with sub-keys derived by crypto_kdf.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kaiku::security {

// 32 secret bytes. Never logged, never in an error message.
using SecretKey = std::array<std::uint8_t, 32>;

// Reads the key file (64 hex digits, either case, optional trailing newline). When the
// file does not exist and `create` is true, draws a new key at random and writes it
// with mode 0600 (durably: written to a temporary file, fsync'd, linked into place,
// folder fsync'd; if another process created the file meanwhile, its key is used).
// Errors: invalid_input (a file that is not 64 hex digits, a symbolic link or not a
// regular file, or one accessible by group or others -- the message says to chmod
// 600 it), not_found (no file and `create` is false), unavailable (I/O). Messages
// never contain key material.
Result<SecretKey> load_or_create_key(const std::string& path, bool create);

// Seals and hashes with one key. Thread-safe (immutable after construction).
class Sealer {
 public:
  explicit Sealer(const SecretKey& key);
  ~Sealer();  // wipes the derived keys
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  // Encrypts and authenticates `plain` with a fresh random nonce (nonce || box).
  std::vector<std::uint8_t> seal(std::string_view plain) const;
  // Opens what seal() made with the same key. invalid_input when the bytes were
  // altered, truncated or sealed with another key (the message says only that).
  Result<std::string> open(const std::vector<std::uint8_t>& sealed) const;

  // Keyed hash, 64 lowercase hex digits (BLAKE2b-256), of `value` in the
  // namespace `purpose` (e.g. "person", "number", "visit"); equal inputs give equal
  // hashes under the same key, and nothing about `value` can be learned without it.
  std::string keyed_hash(std::string_view purpose, std::string_view value) const;

 private:
  std::array<std::uint8_t, 32> seal_key_{};
  std::array<std::uint8_t, 32> hash_key_{};
};

}  // namespace kaiku::security
