#include "security/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

#include "security/digest.hpp"

namespace kaiku::security {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const EVP_MD* md_of(TotpHash h) {
  switch (h) {
    case TotpHash::sha256:
      return EVP_sha256();
    case TotpHash::sha512:
      return EVP_sha512();
    case TotpHash::sha1:
      break;
  }
  return EVP_sha1();
}

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  bool padding = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto v = kAlphabet.find(u);
    if (v == std::string_view::npos || padding) {
      return fail(Error::invalid("base32: unexpected character at offset " + std::to_string(i) +
                                 " (expected A-Z, 2-7)"));
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // Valid unpadded lengths leave 0..4 bits over, all zero; 1, 3 or 6 symbols mod 8 are impossible.
  const std::size_t rem = symbols % 8;
  if (rem == 1 || rem == 3 || rem == 6) {
    return fail(Error::invalid("base32: " + std::to_string(symbols) + " symbols do not make whole bytes"));
  }
  return out;
}

std::string hotp(std::string_view key, std::uint64_t counter, int digits, TotpHash hash) {
  if (digits < 6) digits = 6;
  if (digits > 8) digits = 8;
  std::array<unsigned char, 8> msg{};
  for (int i = 7; i >= 0; --i) {
    msg[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  if (HMAC(md_of(hash), key.data(), static_cast<int>(key.size()), msg.data(), msg.size(), mac.data(), &len) ==
          nullptr ||
      len < 20) {
    return std::string();  // never matches a code (OpenSSL failed)
  }
  const unsigned offset = mac[len - 1] & 0x0f;
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                            (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                            static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::int64_t totp_step(TimePoint t, int step_seconds) {
  const std::int64_t ms = t.time_since_epoch().count();
  if (ms < 0 || step_seconds <= 0) return 0;
  return ms / 1000 / step_seconds;
}

std::string totp(std::string_view key, TimePoint t, int digits, TotpHash hash) {
  return hotp(key, static_cast<std::uint64_t>(totp_step(t)), digits, hash);
}

std::optional<std::int64_t> verify_totp(std::string_view key, std::string_view code, TimePoint now,
                                        int window) {
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.size() != static_cast<std::size_t>(kTotpDigits) || key.empty()) return std::nullopt;
  const std::int64_t step = totp_step(now);
  std::optional<std::int64_t> found;
  for (std::int64_t s = step - window; s <= step + window; ++s) {
    if (s < 0) continue;
    // Every candidate is computed and compared, so timing does not tell which matched.
    if (constant_time_equals(hotp(key, static_cast<std::uint64_t>(s)), digits) && !found) found = s;
  }
  return found;
}

std::string new_totp_secret(Random& random) {
  std::string s(kTotpSecretBytes, '\0');
  random.fill(reinterpret_cast<std::uint8_t*>(s.data()), s.size());
  return s;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view base32_secret) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + std::string(base32_secret) + "&issuer=" + percent_encode(issuer);
}

}  // namespace kaiku::security
