// Password hashing with argon2id (libsodium's crypto_pwhash_str_alg).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kaiku::security {

// Work factors of argon2id.
struct PasswordCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: the production setting.
  static PasswordCost interactive() noexcept;
  // The minimum argon2id allows; for unit tests only, never for real passwords.
  static PasswordCost minimal() noexcept;
};

// Longest password accepted, in bytes.
inline constexpr std::size_t kMaxPasswordBytes = 1024;
// Shortest password a new account may get, in characters (Unicode code points).
inline constexpr std::size_t kMinPasswordChars = 12;

// The policy for a password being set (not for verifying an existing one):
// at least kMinPasswordChars characters, at most kMaxPasswordBytes bytes.
// invalid_input otherwise, e.g. "password: must be at least 12 characters long
// (got 5)". Characters are counted as UTF-8 code points (bytes that do not
// continue a multi-byte sequence).
Status check_new_password(std::string_view password);

// Hashes `password` with argon2id and a random salt; returns libsodium's encoded
// string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carries its own
// parameters. invalid_input if the password is empty or longer than
// kMaxPasswordBytes; internal if libsodium fails (e.g. out of memory).
Result<std::string> hash_password(std::string_view password,
                                  PasswordCost cost = PasswordCost::interactive());

// True when `password` matches `encoded_hash` (an argon2id string from
// hash_password). False for any mismatch or a malformed / non-argon2id hash.
bool verify_password(std::string_view encoded_hash, std::string_view password);

}  // namespace kaiku::security
