// RFC 6238 time-based one-time passwords (TOTP) over RFC 4226 HOTP, with HMAC from
// OpenSSL libcrypto; RFC 4648 base32 for the shared secret; otpauth:// URIs for
// authenticator apps. Staff second factor (docs/workspace-api.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"

namespace kaiku::security {

// The HMAC of HOTP. Kaiku's second factor uses sha1 (what authenticator apps
// support everywhere); sha256/sha512 exist for RFC 6238's test vectors.
enum class TotpHash { sha1, sha256, sha512 };

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpStepSeconds = 30;
// Bytes of a new secret (160 bits, RFC 4226's recommendation for HMAC-SHA1).
inline constexpr std::size_t kTotpSecretBytes = 20;

// RFC 4648 base32 of `bytes`, upper case, without '=' padding.
std::string base32_encode(std::string_view bytes);
// Decodes base32; accepts lower case, spaces and trailing '=' padding. invalid_input
// naming the offending character or a length that is not whole bytes.
Result<std::string> base32_decode(std::string_view text);

// HOTP (RFC 4226): the `digits`-digit code (zero-padded) of `counter` under `key`
// (raw bytes). `digits` 6..8.
std::string hotp(std::string_view key, std::uint64_t counter, int digits = kTotpDigits,
                 TotpHash hash = TotpHash::sha1);

// The TOTP time step containing `t` (seconds since the epoch / step; 0 before 1970).
std::int64_t totp_step(TimePoint t, int step_seconds = kTotpStepSeconds);

// TOTP (RFC 6238): hotp(key, totp_step(t)).
std::string totp(std::string_view key, TimePoint t, int digits = kTotpDigits, TotpHash hash = TotpHash::sha1);

// Checks a 6-digit code typed by a person against the steps around `now`
// (now-window .. now+window; window 1 = RFC 6238's recommended one step of clock
// drift). Spaces in `code` are ignored. Returns the matching step (callers refuse a
// step already used, against replay), or nullopt for a wrong or malformed code.
// Compares in constant time.
std::optional<std::int64_t> verify_totp(std::string_view key, std::string_view code, TimePoint now,
                                        int window = 1);

// A new random secret of kTotpSecretBytes raw bytes.
std::string new_totp_secret(Random& random);

// The key URI authenticator apps read from a QR code:
// "otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER" (percent-encoded;
// the defaults SHA1, 6 digits and 30 s are implied).
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view base32_secret);

}  // namespace kaiku::security
