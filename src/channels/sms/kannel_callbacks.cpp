#include "channels/sms/kannel_callbacks.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "domain/sms_utf8.hpp"

namespace kaiku::channels::sms {
namespace {

namespace utf8 = kaiku::domain::sms_detail;

constexpr std::size_t kMaxAnswerBytes = 512;
constexpr std::size_t kMaxTextBytes = 16 * 1024;

struct Param {
  std::string key;
  std::string value;
};

// Decodes a query string ('+' is a space, as Kannel's %a joins words with '+').
Result<std::vector<Param>> decode_query(std::string_view query, std::string_view what) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  if (!boost::urls::parse_query(query))
    return fail(Error::invalid(std::string(what) +
                               ": the query string is not valid (a raw space, a non-ASCII byte or a "
                               "broken %-escape)"));
  boost::urls::encoding_opts opt;
  opt.space_as_plus = true;
  std::vector<Param> out;
  try {
    const boost::urls::params_view params(query, opt);
    for (const auto& p : params) out.push_back({p.key, p.has_value ? p.value : std::string()});
  } catch (const std::exception&) {
    return fail(Error::invalid(std::string(what) + ": the query string is not valid"));
  }
  return out;
}

// The single value of `key`: nullopt when absent, an error when repeated.
Result<std::optional<std::string>> single(const std::vector<Param>& params, std::string_view key,
                                          std::string_view what) {
  std::optional<std::string> found;
  for (const Param& p : params) {
    if (p.key != key) continue;
    if (found)
      return fail(Error::invalid(std::string(what) + ": parameter '" + std::string(key) +
                                 "' is given more than once"));
    found = p.value;
  }
  return found;
}

Result<std::string> required(const std::vector<Param>& params, std::string_view key, std::string_view what) {
  auto v = single(params, key, what);
  if (!v) return fail(v.error());
  if (!*v)
    return fail(Error::invalid(std::string(what) + ": parameter '" + std::string(key) + "' is missing"));
  return std::move(**v);
}

Error bad(std::string_view what, std::string_view key, std::string_view why) {
  return Error::invalid(std::string(what) + ": parameter '" + std::string(key) + "' " + std::string(why));
}

bool is_printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// Replaces malformed bytes with U+FFFD and cuts at `max` bytes on a character boundary.
std::string sanitise_utf8(std::string_view s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = utf8::next_code_point(s, i);
    if (cp == utf8::kBadByte) cp = utf8::kReplacement;
    std::string one;
    utf8::append_utf8(one, cp);
    if (out.size() + one.size() > max) break;
    out += one;
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// Converts the MO text from `charset` to UTF-8; nullopt when it is not valid in it.
Result<std::string> to_utf8(std::string_view text, std::string_view charset) {
  const std::string cs = lower_ascii(charset);
  if (cs.empty() || cs == "utf-8" || cs == "utf8") {
    if (!utf8::is_valid_utf8(text))
      return fail(
          bad("MO message", "text", "is not valid UTF-8 (is mo-recode = true set in the smsbox group?)"));
    return std::string(text);
  }
  if (cs == "iso-8859-1" || cs == "iso_8859-1" || cs == "latin1" || cs == "latin-1") {
    std::string out;
    for (unsigned char c : text) utf8::append_utf8(out, c);
    return out;
  }
  if (cs == "utf-16be" || cs == "ucs-2" || cs == "ucs2") {
    if (text.size() % 2 != 0)
      return fail(bad("MO message", "text", "has an odd number of bytes for UTF-16BE"));
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
      char32_t u = (static_cast<unsigned char>(text[i]) << 8) | static_cast<unsigned char>(text[i + 1]);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < text.size()) {
        const char32_t lo =
            (static_cast<unsigned char>(text[i + 2]) << 8) | static_cast<unsigned char>(text[i + 3]);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      if (u >= 0xD800 && u <= 0xDFFF)
        return fail(bad("MO message", "text", "has a broken UTF-16 surrogate pair"));
      utf8::append_utf8(out, u);
    }
    return out;
  }
  return fail(
      bad("MO message", "charset", "names an unsupported charset (expected UTF-8, UTF-16BE or ISO-8859-1)"));
}

}  // namespace

Result<DeliveryReport> parse_dlr_query(std::string_view query) {
  constexpr std::string_view what = "delivery report";
  auto params = decode_query(query, what);
  if (!params) return fail(params.error());

  DeliveryReport report;
  auto ref = required(*params, "ref", what);
  if (!ref) return fail(ref.error());
  if (ref->empty() || ref->size() > 64) return fail(bad(what, "ref", "must have 1 to 64 characters"));
  for (char c : *ref) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return fail(bad(what, "ref", "may only contain A-Z, a-z, 0-9, '_' and '-'"));
  }
  report.reference = std::move(*ref);

  auto status = required(*params, "status", what);
  if (!status) return fail(status.error());
  int value = 0;
  if (status->empty() || status->size() > 3)
    return fail(bad(what, "status", "is not a Kannel delivery report type (1, 2, 4, 8 or 16)"));
  for (char c : *status) {
    if (c < '0' || c > '9')
      return fail(bad(what, "status", "is not a Kannel delivery report type (1, 2, 4, 8 or 16)"));
    value = value * 10 + (c - '0');
  }
  if (value != kDlrDelivered && value != kDlrFailed && value != kDlrBuffered && value != kDlrSmscAccepted &&
      value != kDlrSmscRejected)
    return fail(bad(what, "status", "is not a Kannel delivery report type (1, 2, 4, 8 or 16)"));
  report.status = value;

  auto answer = single(*params, "answer", what);
  if (!answer) return fail(answer.error());
  if (*answer) report.answer = sanitise_utf8(**answer, kMaxAnswerBytes);
  return report;
}

Result<MoMessage> parse_mo_query(std::string_view query) {
  constexpr std::string_view what = "MO message";
  auto params = decode_query(query, what);
  if (!params) return fail(params.error());

  MoMessage mo;
  auto from = required(*params, "from", what);
  if (!from) return fail(from.error());
  {
    // A '+' that Kannel (or a proxy) left unescaped in the URL decodes as a space
    // ("from=+358..." -> " 358..."): trim surrounding blanks and restore the '+'.
    // Only a single leading blank can be that '+'; blanks inside stay an error.
    std::string& f = *from;
    std::size_t lead = 0;
    while (lead < f.size() && f[lead] == ' ') ++lead;
    while (!f.empty() && f.back() == ' ') f.pop_back();
    if (lead == 1 && f.size() > 1 && f[1] >= '0' && f[1] <= '9') {
      f[0] = '+';
    } else if (lead > 0) {
      f.erase(0, lead);
    }
    std::string_view digits = f;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    bool ok = !digits.empty() && from->size() <= 20;
    for (char c : digits)
      if (c < '0' || c > '9') ok = false;
    if (!ok) return fail(bad(what, "from", "is not a phone number (digits with an optional leading '+')"));
  }
  mo.from = std::move(*from);

  auto to = single(*params, "to", what);
  if (!to) return fail(to.error());
  if (*to) {
    if ((*to)->size() > 32 || !is_printable_ascii(**to))
      return fail(bad(what, "to", "is not a number or sender id (printable ASCII, at most 32 characters)"));
    mo.to = std::move(**to);
  }

  auto id = single(*params, "id", what);
  if (!id) return fail(id.error());
  if (*id) {
    if ((*id)->size() > 64 || !is_printable_ascii(**id))
      return fail(bad(what, "id", "is not a message id (printable ASCII, at most 64 characters)"));
    mo.id = std::move(**id);
  }

  auto charset = single(*params, "charset", what);
  if (!charset) return fail(charset.error());

  auto text = required(*params, "text", what);
  if (!text) return fail(text.error());
  if (text->size() > kMaxTextBytes)
    return fail(Error{ErrorKind::too_large, std::string(what) + ": parameter 'text' is longer than 16 KiB"});
  auto converted = to_utf8(*text, charset->value_or(""));
  if (!converted) return fail(converted.error());
  mo.text = std::move(*converted);
  return mo;
}

}  // namespace kaiku::channels::sms
