#include "domain/sms_text.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

#include "domain/sms_utf8.hpp"

namespace kaiku::domain {
namespace {

using sms_detail::kBadByte;
using sms_detail::next_code_point;

// Septets a character takes in GSM 03.38: 1 (default alphabet), 2 (extension table,
// escape + character) or 0 (not representable).
int gsm_septets(char32_t cp) noexcept {
  if (cp < 0x80) {
    if (cp == '\n' || cp == '\r') return 1;
    if (cp == 0x0C) return 2;  // form feed, in the extension table
    if (cp < 0x20 || cp == 0x7F || cp == '`') return 0;
    constexpr std::string_view kExtension = "[\\]^{|}~";  // escape + character
    return kExtension.find(static_cast<char>(cp)) != std::string_view::npos ? 2 : 1;
  }
  // The non-ASCII characters of the default alphabet: Latin-1 letters and signs, and
  // the Greek capitals.
  constexpr std::u32string_view kBasicNonAscii = U"¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ";
  if (kBasicNonAscii.find(cp) != std::u32string_view::npos) return 1;
  if (cp == 0x20AC) return 2;  // the euro sign, in the extension table
  return 0;
}

// Packs units (each 1 or 2 wide, never split) into parts of `per_part`.
int count_parts(const std::vector<int>& widths, int total, int single, int per_part) {
  if (total <= single) return 1;
  int parts = 1;
  int used = 0;
  for (int w : widths) {
    if (used + w > per_part) {
      ++parts;
      used = 0;
    }
    used += w;
  }
  return parts;
}

}  // namespace

bool fits_gsm7(std::string_view utf8) noexcept {
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = next_code_point(utf8, i);
    if (cp == kBadByte || gsm_septets(cp) == 0) return false;
  }
  return true;
}

SmsParts measure_sms_as(std::string_view utf8, bool ucs2) noexcept {
  SmsParts out;
  out.gsm7 = !ucs2;
  std::vector<int> widths;
  try {
    widths.reserve(utf8.size());
  } catch (...) {
    // reserve is only an optimisation
  }
  int total = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = next_code_point(utf8, i);
    int w = 1;
    if (ucs2) {
      w = (cp != kBadByte && cp >= 0x10000) ? 2 : 1;
    } else {
      const int s = cp == kBadByte ? 0 : gsm_septets(cp);
      w = s == 0 ? 1 : s;  // unrepresentable: sent as '?'
    }
    total += w;
    try {
      widths.push_back(w);
    } catch (...) {
      return out;
    }
  }
  out.characters = total;
  out.parts = ucs2 ? count_parts(widths, total, 70, 67) : count_parts(widths, total, 160, 153);
  return out;
}

SmsParts measure_sms(std::string_view utf8) noexcept {
  return measure_sms_as(utf8, !fits_gsm7(utf8));
}

std::string gsm7_safe(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(utf8, i);
    switch (cp) {
      case kBadByte:
        break;  // dropped
      case 0x2010:
      case 0x2011:
      case 0x2012:
      case 0x2013:
      case 0x2014:
      case 0x2015:
      case 0x2212:
      case 0x2022:
      case 0x2043:
        out += '-';
        break;
      case 0x2018:
      case 0x2019:
      case 0x201A:
      case 0x201B:
      case 0x2032:
      case 0x2035:
      case 0x00B4:
      case '`':
        out += '\'';
        break;
      case 0x201C:
      case 0x201D:
      case 0x201E:
      case 0x201F:
      case 0x2033:
      case 0x2036:
      case 0x00AB:
      case 0x00BB:
      case 0x2039:
      case 0x203A:
        out += (cp == 0x2039 || cp == 0x203A) ? '\'' : '"';
        break;
      case 0x2026:
        out += "...";
        break;
      case 0x00A0:
      case 0x2000:
      case 0x2001:
      case 0x2002:
      case 0x2003:
      case 0x2004:
      case 0x2005:
      case 0x2006:
      case 0x2007:
      case 0x2008:
      case 0x2009:
      case 0x200A:
      case 0x202F:
      case 0x205F:
      case 0x3000:
        out += ' ';
        break;
      case 0x00AD:
      case 0x200B:
      case 0x200C:
      case 0x200D:
      case 0x2060:
      case 0xFEFF:
        break;  // invisible: removed
      default:
        out.append(utf8.substr(start, i - start));
        break;
    }
  }
  return out;
}

std::string normalise_msisdn(std::string_view raw, std::string_view default_country) {
  bool cc_ok = !default_country.empty() && default_country.size() <= 3;
  for (char c : default_country)
    if (c < '0' || c > '9') cc_ok = false;

  // Keep digits and one leading '+'; drop separators; refuse anything else.
  std::string digits;
  bool plus = false;
  bool seen_digit = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      seen_digit = true;
    } else if (c == '+' && !seen_digit && !plus) {
      plus = true;
    } else if (c == '(' && raw.substr(i, 3) == "(0)" && seen_digit) {
      // "+358 (0)40 ...": the national trunk prefix written inside an international number
      i += 2;
      if (!plus && digits.rfind("00", 0) != 0) return "";  // "(0)" only after an international prefix
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
      continue;
    } else {
      return "";
    }
  }
  if (digits.size() > 20) return "";

  std::string international;  // digits after the '+'
  if (plus) {
    international = digits;
  } else if (digits.rfind("00", 0) == 0) {
    international = digits.substr(2);
  } else if (digits.rfind("0", 0) == 0) {
    if (!cc_ok) return "";
    international = std::string(default_country) + digits.substr(1);
  } else if (cc_ok && digits.rfind(default_country, 0) == 0) {
    international = digits;
  } else {
    return "";
  }

  if (international.empty() || international[0] == '0') return "";
  if (cc_ok && international.rfind(default_country, 0) == 0) {
    const std::size_t nsn = international.size() - default_country.size();
    if (nsn < 7 || international.size() > 15) return "";
    if (international[default_country.size()] == '0') return "";  // "+3580..."
  } else if (international.size() < 8 || international.size() > 15) {
    return "";
  }
  return "+" + international;
}

bool is_finnish_mobile(std::string_view e164) noexcept {
  if (e164.rfind("+358", 0) != 0) return false;
  const std::string_view nsn = e164.substr(4);
  if (nsn.size() < 7 || nsn.size() > 10) return false;
  for (char c : nsn)
    if (c < '0' || c > '9') return false;
  return nsn[0] == '4' || (nsn[0] == '5' && nsn[1] == '0');
}

}  // namespace kaiku::domain
