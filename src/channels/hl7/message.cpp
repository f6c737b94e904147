#include "channels/hl7/message.hpp"

#include <unicode/ucnv.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "base/encoding.hpp"

namespace kaiku::channels::hl7 {
namespace {

// Returns part `idx` (1-based) of `s` split on `delim`; "" when absent.
std::string_view nth_part(std::string_view s, char delim, std::size_t idx) {
  if (idx == 0) return {};
  std::size_t start = 0;
  for (std::size_t i = 1; i < idx; ++i) {
    const std::size_t p = s.find(delim, start);
    if (p == std::string_view::npos) return {};
    start = p + 1;
  }
  const std::size_t end = s.find(delim, start);
  return s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::size_t count_parts(std::string_view s, char delim) {
  if (s.empty()) return 0;
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), delim)) + 1;
}

// Renders bytes for an error message: printable ASCII as is, others as \xNN.
std::string printable(std::string_view s, std::size_t max = 16) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

void append_latin1(std::string& out, unsigned char c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_line_end(char c) { return c == '\r' || c == '\n'; }

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool usable_delimiter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && !std::isalnum(u);
}

// Converts `text` from the ICU converter `from` to UTF-8. ASCII is returned as is.
Result<std::string> to_utf8(const std::string& text, const char* from) {
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return text;
  UErrorCode status = U_ZERO_ERROR;
  const auto len = static_cast<int32_t>(text.size());
  const int32_t need = ucnv_convert("UTF-8", from, nullptr, 0, text.data(), len, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    return fail(Error::internal(std::string("ICU cannot convert from ") + from + ": " +
                                u_errorName(status)));
  }
  std::string out(static_cast<std::size_t>(need) + 1, '\0');
  status = U_ZERO_ERROR;
  const int32_t got = ucnv_convert("UTF-8", from, out.data(), static_cast<int32_t>(out.size()),
                                   text.data(), len, &status);
  if (U_FAILURE(status)) {
    return fail(Error::internal(std::string("ICU cannot convert from ") + from + ": " +
                                u_errorName(status)));
  }
  out.resize(static_cast<std::size_t>(got));
  return out;
}

enum class Declared { none, utf8, latin1, latin9 };

Declared classify_charset(std::string_view raw) {
  std::string name;
  for (char c : raw) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(name.begin());
  if (name == "UNICODE UTF-8" || name == "UTF-8" || name == "UTF8" || name == "UNICODE") {
    return Declared::utf8;
  }
  if (name == "8859/1" || name == "ISO-8859-1" || name == "ISO IR100" || name == "ISO_IR 100" ||
      name == "LATIN1") {
    return Declared::latin1;
  }
  if (name == "8859/15" || name == "ISO-8859-15") return Declared::latin9;
  return Declared::none;  // ASCII, absent, or unknown: decided by the bytes
}

bool is_msh_header(const std::string& id, std::size_t n) { return id == "MSH" && (n == 1 || n == 2); }

struct RawSegment {
  std::string id;
  std::vector<std::string> fields;
  std::size_t offset;
};

}  // namespace

std::string Delimiters::encoding_characters() const {
  std::string s{component, repetition, escape, subcomponent};
  if (truncation) s += *truncation;
  return s;
}

const char* to_string(Charset charset) noexcept {
  switch (charset) {
    case Charset::utf8: return "UTF-8";
    case Charset::iso_8859_1: return "ISO-8859-1";
    case Charset::iso_8859_15: return "ISO-8859-15";
  }
  return "UTF-8";
}

// ---- Segment ----

Segment::Segment(std::string id, std::vector<std::string> fields, Delimiters delimiters,
                 std::size_t offset)
    : id_(std::move(id)), fields_(std::move(fields)), delim_(delimiters), offset_(offset) {}

std::string_view Segment::raw(std::size_t n) const noexcept {
  if (n == 0 || n > fields_.size()) return {};
  return fields_[n - 1];
}

std::size_t Segment::repetition_count(std::size_t n) const {
  if (is_msh_header(id_, n)) return raw(n).empty() ? 0 : 1;
  return count_parts(raw(n), delim_.repetition);
}

std::size_t Segment::component_count(std::size_t n, std::size_t rep) const {
  if (is_msh_header(id_, n)) return raw(n).empty() ? 0 : 1;
  return count_parts(nth_part(raw(n), delim_.repetition, rep), delim_.component);
}

std::string_view Segment::raw_part(std::size_t n, std::size_t rep, std::size_t comp) const {
  if (is_msh_header(id_, n)) return (rep == 1 && comp <= 1) ? raw(n) : std::string_view{};
  const std::string_view r = nth_part(raw(n), delim_.repetition, rep);
  return comp == 0 ? r : nth_part(r, delim_.component, comp);
}

std::string Segment::value(std::size_t n, std::size_t rep, std::size_t comp,
                           std::size_t sub) const {
  if (is_msh_header(id_, n)) {
    return (rep == 1 && comp == 1 && sub == 1) ? std::string(raw(n)) : std::string();
  }
  const std::string_view c = raw_part(n, rep, comp);
  return unescape(nth_part(c, delim_.subcomponent, sub), delim_);
}

// ---- Message ----

Message::Message(Delimiters delimiters, Charset charset, std::vector<Segment> segments)
    : delim_(delimiters), charset_(charset), segments_(std::move(segments)) {}

std::vector<const Segment*> Message::segments(std::string_view id) const {
  std::vector<const Segment*> out;
  for (const auto& s : segments_) {
    if (s.id() == id) out.push_back(&s);
  }
  return out;
}

const Segment* Message::segment(std::string_view id) const noexcept {
  for (const auto& s : segments_) {
    if (s.id() == id) return &s;
  }
  return nullptr;
}

std::string Message::field(std::string_view segment_id, std::size_t field_no, std::size_t rep,
                           std::size_t comp, std::size_t sub) const {
  const Segment* s = segment(segment_id);
  return s ? s->value(field_no, rep, comp, sub) : std::string();
}

// ---- escapes ----

std::string unescape(std::string_view raw, const Delimiters& d) {
  if (raw.find(d.escape) == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c != d.escape) {
      out += c;
      ++i;
      continue;
    }
    const std::size_t close = raw.find(d.escape, i + 1);
    if (close == std::string_view::npos) {  // unterminated: literal
      out.append(raw.substr(i));
      break;
    }
    const std::string_view seq = raw.substr(i + 1, close - i - 1);
    bool known = true;
    if (seq == "F") out += d.field;
    else if (seq == "S") out += d.component;
    else if (seq == "T") out += d.subcomponent;
    else if (seq == "R") out += d.repetition;
    else if (seq == "E") out += d.escape;
    else if (seq == "P" && d.truncation) out += *d.truncation;
    else if (seq == ".br") out += '\n';
    else if (seq == "H" || seq == "N") {}  // highlighting on/off: no text
    else if (seq.size() >= 3 && (seq[0] == 'X' || seq[0] == 'x') && seq.size() % 2 == 1) {
      std::string bytes;
      for (std::size_t k = 1; k + 1 < seq.size() && known; k += 2) {
        const int hi = hex_value(seq[k]);
        const int lo = hex_value(seq[k + 1]);
        if (hi < 0 || lo < 0) known = false;
        else bytes += static_cast<char>(hi * 16 + lo);
      }
      if (known) {
        if (is_valid_utf8(bytes)) {
          out += bytes;
        } else {
          for (char b : bytes) append_latin1(out, static_cast<unsigned char>(b));
        }
      }
    } else {
      known = false;
    }
    if (!known) out.append(raw.substr(i, close - i + 1));
    i = close + 1;
  }
  return out;
}

std::string escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size() + 8);
  const auto seq = [&](const char* s) {
    out += d.escape;
    out += s;
    out += d.escape;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == d.escape) seq("E");
    else if (c == d.field) seq("F");
    else if (c == d.component) seq("S");
    else if (c == d.subcomponent) seq("T");
    else if (c == d.repetition) seq("R");
    else if (d.truncation && c == *d.truncation) seq("P");
    else if (c == '\r' || c == '\n') {
      seq(".br");
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// ---- the parser ----

Result<Message> parse_message(std::string_view bytes) {
  if (bytes.empty()) return fail(Error::invalid("HL7: empty message"));
  std::size_t pos = 0;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < bytes.size() && (is_line_end(bytes[pos]) || bytes[pos] == ' ' || bytes[pos] == '\t')) {
    ++pos;
  }
  if (pos == bytes.size()) {
    return fail(Error::invalid("HL7: empty message (only a byte-order mark or blank lines)"));
  }
  if (bytes.substr(pos, 3) != "MSH") {
    return fail(Error::invalid("HL7 byte " + std::to_string(pos) +
                               ": message does not start with an MSH segment (found '" +
                               printable(bytes.substr(pos, 3)) + "')"));
  }
  if (bytes.size() < pos + 4 || is_line_end(bytes[pos + 3])) {
    return fail(Error::invalid("HL7 MSH at byte " + std::to_string(pos) +
                               ": no field separator (MSH-1) after 'MSH'"));
  }
  Delimiters d;
  d.field = bytes[pos + 3];
  if (!usable_delimiter(d.field)) {
    return fail(Error::invalid("HL7 MSH-1 at byte " + std::to_string(pos + 3) +
                               ": unusable field separator '" + printable(bytes.substr(pos + 3, 1)) +
                               "'"));
  }
  std::size_t enc_end = pos + 4;
  while (enc_end < bytes.size() && bytes[enc_end] != d.field && !is_line_end(bytes[enc_end])) {
    ++enc_end;
  }
  const std::string_view enc = bytes.substr(pos + 4, enc_end - pos - 4);
  if (enc.size() != 4 && enc.size() != 5) {
    return fail(Error::invalid("HL7 MSH-2 at byte " + std::to_string(pos + 4) +
                               ": expected 4 or 5 encoding characters, found " +
                               std::to_string(enc.size()) + " ('" + printable(enc) + "')"));
  }
  std::string all{d.field};
  for (std::size_t k = 0; k < enc.size(); ++k) {
    if (!usable_delimiter(enc[k]) || all.find(enc[k]) != std::string::npos) {
      return fail(Error::invalid("HL7 MSH-2 at byte " + std::to_string(pos + 4 + k) +
                                 ": encoding character '" + printable(enc.substr(k, 1)) +
                                 "' is a letter, digit, space, control character or repeated"));
    }
    all += enc[k];
  }
  d.component = enc[0];
  d.repetition = enc[1];
  d.escape = enc[2];
  d.subcomponent = enc[3];
  if (enc.size() == 5) d.truncation = enc[4];

  // Split into segments (CR, LF or CRLF) and fields, on the raw bytes.
  std::vector<RawSegment> raw;
  std::size_t line_start = pos;
  while (line_start < bytes.size()) {
    std::size_t line_end = line_start;
    while (line_end < bytes.size() && !is_line_end(bytes[line_end])) ++line_end;
    const std::string_view line = bytes.substr(line_start, line_end - line_start);
    if (!is_blank(line)) {
      const std::size_t seg_no = raw.size() + 1;
      const std::size_t id_end = std::min(line.find(d.field), line.size());
      const std::string_view id = line.substr(0, id_end);
      const bool ok_id = id.size() == 3 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      });
      if (!ok_id) {
        return fail(Error::invalid("HL7 segment " + std::to_string(seg_no) + " at byte " +
                                   std::to_string(line_start) + ": segment id '" + printable(id) +
                                   "' is not three characters A-Z/0-9"));
      }
      if (seg_no > 1 && id == "MSH") {
        return fail(Error::invalid("HL7 segment " + std::to_string(seg_no) + " at byte " +
                                   std::to_string(line_start) +
                                   ": a second MSH segment (one message expected)"));
      }
      RawSegment seg{std::string(id), {}, line_start};
      std::size_t f = id_end;
      if (seg_no == 1) {  // MSH-1 is the separator itself, MSH-2 the encoding characters
        seg.fields.emplace_back(1, d.field);
        seg.fields.emplace_back(enc);
        f = 3 + 1 + enc.size();
        if (f > line.size()) f = line.size();
      }
      while (f < line.size()) {  // line[f] is a field separator
        const std::size_t next = std::min(line.find(d.field, f + 1), line.size());
        seg.fields.emplace_back(line.substr(f + 1, next - f - 1));
        f = next;
      }
      raw.push_back(std::move(seg));
    }
    line_start = line_end;
    if (line_start < bytes.size() && bytes[line_start] == '\r') ++line_start;
    if (line_start < bytes.size() && bytes[line_start] == '\n') ++line_start;
  }

  // Character set: MSH-18, first repetition, first component.
  const std::vector<std::string>& msh = raw.front().fields;
  std::string_view declared;
  if (msh.size() >= 18) {
    declared = nth_part(nth_part(msh[17], d.repetition, 1), d.component, 1);
  }
  Charset charset = Charset::utf8;
  switch (classify_charset(declared)) {
    case Declared::latin1: charset = Charset::iso_8859_1; break;
    case Declared::latin9: charset = Charset::iso_8859_15; break;
    case Declared::utf8:
    case Declared::none:
      if (!is_valid_utf8(bytes.substr(pos))) charset = Charset::iso_8859_1;
      break;
  }

  std::vector<Segment> segments;
  segments.reserve(raw.size());
  for (auto& s : raw) {
    if (charset != Charset::utf8) {
      const char* from = charset == Charset::iso_8859_15 ? "ISO-8859-15" : "ISO-8859-1";
      for (auto& f : s.fields) {
        auto converted = to_utf8(f, from);
        if (!converted) return fail(converted.error());
        f = std::move(*converted);
      }
    }
    segments.emplace_back(std::move(s.id), std::move(s.fields), d, s.offset);
  }
  return Message(d, charset, std::move(segments));
}

}  // namespace kaiku::channels::hl7
