#include "http/form.hpp"

#include "base/encoding.hpp"

namespace kaiku::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one key or value that starts at byte `offset` of the whole body.
Result<std::string> decode_component(std::string_view s, std::size_t offset, const std::string& what) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) {
        return fail(Error::invalid("broken percent-encoding at byte " + std::to_string(offset + i) +
                                   ": '%' must be followed by two hex digits"));
      }
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return fail(Error::invalid("broken percent-encoding at byte " + std::to_string(offset + i) +
                                   ": '%' must be followed by two hex digits"));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos) {
    return fail(Error::invalid("NUL byte in a form " + what + " at byte " + std::to_string(offset)));
  }
  if (!is_valid_utf8(out)) {
    return fail(Error::invalid("invalid UTF-8 in a form " + what + " at byte " + std::to_string(offset)));
  }
  return out;
}

}  // namespace

std::string RawForm::first(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return v;
  }
  return {};
}

bool RawForm::has(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return true;
  }
  return false;
}

std::vector<std::string> RawForm::all(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == key) out.push_back(v);
  }
  return out;
}

Result<RawForm> parse_form_urlencoded(std::string_view body) {
  RawForm form;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view seg = body.substr(pos, end - pos);
    if (!seg.empty()) {
      if (form.fields.size() >= kMaxFormFields) {
        return fail(
            Error{ErrorKind::too_large, "more than " + std::to_string(kMaxFormFields) + " form fields"});
      }
      std::size_t eq = seg.find('=');
      std::string_view k = seg.substr(0, eq);
      std::string_view v = eq == std::string_view::npos ? std::string_view{} : seg.substr(eq + 1);
      auto key = decode_component(k, pos, "key");
      if (!key) return fail(key.error());
      auto value = decode_component(v, pos + k.size() + 1, "value of '" + *key + "'");
      if (!value) return fail(value.error());
      form.fields.emplace_back(std::move(*key), std::move(*value));
    }
    if (end == body.size()) break;
    pos = end + 1;
  }
  return form;
}

std::string url_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

}  // namespace kaiku::http
