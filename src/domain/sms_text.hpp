// Pure SMS text rules: the GSM 03.38 alphabet, how many parts a text needs, the
// typographic clean-up that keeps survey texts in 7-bit, and phone-number
// normalisation. Standard library only; every function accepts any bytes (invalid
// UTF-8 never crashes) and never throws except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace kaiku::domain {

// True when every character of `utf8` is in the GSM 03.38 default alphabet or its
// extension table (so it can travel as 7-bit: ä ö å Ä Ö Å é É ü Ü ñ € [ ] { } ~ ^ \ |
// @ £ $ ¥ § ¡ ¿ and the Greek capitals of the table, LF, CR, form feed). Not in it:
// the en dash, curly quotes, ç, á, the backtick, emoji, other control characters, and
// any byte that is not well-formed UTF-8. The empty text fits.
bool fits_gsm7(std::string_view utf8) noexcept;

// The size of a text on the air interface.
struct SmsParts {
  bool gsm7 = true;    // true: 7-bit GSM; false: UCS-2
  int characters = 0;  // gsm7: septets (an extension-table character counts 2);
                       // ucs2: UTF-16 code units (a character outside the BMP counts 2)
  int parts = 1;       // 1 when characters <= 160 (gsm7) / 70 (ucs2); otherwise the
                       // concatenated parts of 153 septets / 67 code units, never
                       // splitting an escape pair or a surrogate pair; empty text: 1
};

// Measures `utf8` in the coding it would be sent in: gsm7 when fits_gsm7(utf8),
// else ucs2. A malformed byte counts as one UCS-2 code unit (it becomes U+FFFD).
SmsParts measure_sms(std::string_view utf8) noexcept;

// Measures `utf8` as if sent in the given coding (`ucs2` false: 7-bit GSM, where a
// character outside the alphabet counts as one septet because the gateway sends
// it as '?').
SmsParts measure_sms_as(std::string_view utf8, bool ucs2) noexcept;

// Replaces typographic characters that have an obvious GSM equivalent, so survey
// texts can stay in 7-bit: en/em/figure dashes, the minus sign and Unicode hyphens
// -> '-'; curly single quotes, primes, the acute accent and the backtick -> '\'';
// curly double quotes, double primes and guillemets -> '"'; the ellipsis -> "...";
// no-break, narrow, thin and other fixed-width spaces -> ' '; soft hyphens, zero-
// width spaces and byte-order marks are removed; the bullet becomes '-'. Every other
// character is kept as is (the caller sends UCS-2 when !fits_gsm7(result)); bytes that
// are not well-formed UTF-8 are dropped, so the result is always valid UTF-8.
std::string gsm7_safe(std::string_view utf8);

// Normalises a phone number to international form "+<digits>", or returns "" when it
// is not a plausible number. Spaces, tabs, '-', '.', '/', '(' and ')' are ignored, and
// a "(0)" after an international prefix is dropped. Accepted forms:
//   "+<cc>..."  and "00<cc>..."    international;
//   "0..."                         national: the 0 is replaced by default_country;
//   "<default_country>..."         international without the '+'.
// The digits after default_country must number 7 to (15 - its length); any other
// international number must have 8 to 15 digits and not start with 0. Anything
// else (letters, a bare "401234567", too short or too long) gives "".
// Example: "040 123 4567", "+358 (0)40 123 4567", "00358401234567" -> "+358401234567".
// `default_country` is the calling code without '+' ("358"); it must be 1-3 digits,
// otherwise only international forms are accepted.
std::string normalise_msisdn(std::string_view raw, std::string_view default_country = "358");

// True for a Finnish mobile number in the form normalise_msisdn returns: "+358"
// followed by a mobile prefix, 4x (040-049) or 50, and 7 to 10 digits in all after the
// country code ("+358401234567", "+358501234567"); false for landlines ("+35891234567"),
// service numbers and anything not in that form.
bool is_finnish_mobile(std::string_view e164) noexcept;

}  // namespace kaiku::domain
