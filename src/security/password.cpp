#include "security/password.hpp"

#include <sodium.h>

#include "security/sodium_random.hpp"

namespace kaiku::security {

PasswordCost PasswordCost::interactive() noexcept {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimal() noexcept {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Status check_new_password(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return fail(Error::invalid("password: longer than " + std::to_string(kMaxPasswordBytes) + " bytes"));
  }
  std::size_t chars = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars < kMinPasswordChars) {
    return fail(Error::invalid("password: must be at least " + std::to_string(kMinPasswordChars) +
                               " characters long (got " + std::to_string(chars) + ")"));
  }
  return {};
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  ensure_sodium();
  if (password.empty()) return fail(Error::invalid("password: must not be empty"));
  if (password.size() > kMaxPasswordBytes) {
    return fail(Error::invalid("password: longer than " + std::to_string(kMaxPasswordBytes) + " bytes"));
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(Error::internal("argon2id hashing failed (out of memory or invalid cost)"));
  }
  return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  ensure_sodium();
  constexpr std::string_view kPrefix = crypto_pwhash_argon2id_STRPREFIX;  // "$argon2id$"
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES || encoded_hash.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  if (password.size() > kMaxPasswordBytes) return false;
  char buf[crypto_pwhash_STRBYTES] = {};
  encoded_hash.copy(buf, encoded_hash.size());  // NUL-terminated copy
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

}  // namespace kaiku::security
