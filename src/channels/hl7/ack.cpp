#include "channels/hl7/ack.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kaiku::channels::hl7 {
namespace {

// Returns major * 100 + minor of "2.5.1" style versions; 0 when unreadable.
int version_number(std::string_view v) {
  int major = 0, minor = 0;
  std::size_t i = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9' && major < 1000) major = major * 10 + (v[i++] - '0');
  if (i == 0 || i >= v.size() || v[i] != '.') return major * 100;
  ++i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9' && minor < 100) minor = minor * 10 + (v[i++] - '0');
  return major * 100 + minor;
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

struct AckParts {
  Delimiters d;
  std::string sending_app, sending_fac, receiving_app, receiving_fac;  // raw, of the ACK
  std::string processing_id = "P";
  std::string version = "2.5";
  std::string trigger;            // raw
  std::string original_control;   // raw
};

std::string assemble(const AckParts& p, AckCode code, std::string_view error_text,
                     std::string_view control_id, std::string_view timestamp,
                     AckCondition condition) {
  const Delimiters& d = p.d;
  const char f = d.field;
  const int version = version_number(p.version);
  const bool error = code != AckCode::AA;
  const std::string text = error ? escape(error_text, d) : std::string();
  const std::string cond_code = std::to_string(static_cast<int>(condition));
  const std::string cond_text = to_string(condition);

  std::string msa;
  msa += "MSA";
  msa += f;
  msa += to_string(code);
  msa += f;
  msa += p.original_control;
  if (error && version < 207 && !text.empty()) {
    msa += f;
    msa += text;
  }
  msa += '\r';

  std::string err;
  if (error) {
    err += "ERR";
    err += f;
    if (version >= 205) {
      err += f;  // ERR-2 error location: unknown
      err += f;
      err += cond_code + d.component + cond_text + d.component + "HL70357";
      err += f;
      err += 'E';
      if (!text.empty()) {
        err += std::string(4, f);  // ERR-5..7 empty
        err += text;
      }
    } else {
      err += std::string(3, d.component);
      err += cond_code + d.subcomponent + cond_text + d.subcomponent + "HL70357";
    }
    err += '\r';
  }

  std::string msh;
  msh += "MSH";
  msh += f;
  msh += d.encoding_characters();
  for (const std::string* v : {&p.sending_app, &p.sending_fac, &p.receiving_app, &p.receiving_fac}) {
    msh += f;
    msh += *v;
  }
  msh += f;
  msh += escape(timestamp, d);
  msh += f;  // MSH-8 security
  msh += f;
  msh += "ACK";
  if (!p.trigger.empty()) msh += d.component + p.trigger + d.component + "ACK";
  msh += f;
  msh += escape(control_id, d);
  msh += f;
  msh += p.processing_id;
  msh += f;
  msh += p.version;
  const bool unicode = has_non_ascii(msh) || has_non_ascii(msa) || has_non_ascii(err);
  if (unicode) {
    msh += std::string(6, f);  // MSH-13..17 empty, then MSH-18
    msh += "UNICODE UTF-8";
  }
  msh += '\r';
  return msh + msa + err;
}

// Keeps printable ASCII only, at most `max` bytes.
std::string printable_ascii(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) break;
    if (c >= 0x20 && c < 0x7F) out += c;
  }
  return out;
}

}  // namespace

const char* to_string(AckCode code) noexcept {
  switch (code) {
    case AckCode::AA: return "AA";
    case AckCode::AE: return "AE";
    case AckCode::AR: return "AR";
  }
  return "AR";
}

const char* to_string(AckCondition condition) noexcept {
  switch (condition) {
    case AckCondition::segment_sequence_error: return "Segment sequence error";
    case AckCondition::required_field_missing: return "Required field missing";
    case AckCondition::data_type_error: return "Data type error";
    case AckCondition::table_value_not_found: return "Table value not found";
    case AckCondition::unsupported_message_type: return "Unsupported message type";
    case AckCondition::unsupported_event_code: return "Unsupported event code";
    case AckCondition::unsupported_processing_id: return "Unsupported processing id";
    case AckCondition::unsupported_version_id: return "Unsupported version id";
    case AckCondition::unknown_key_identifier: return "Unknown key identifier";
    case AckCondition::duplicate_key_identifier: return "Duplicate key identifier";
    case AckCondition::application_record_locked: return "Application record locked";
    case AckCondition::application_internal_error: return "Application internal error";
  }
  return "Application internal error";
}

std::string build_ack(const Message& original, AckCode code, std::string_view error_text,
                      std::string_view control_id, std::string_view timestamp,
                      AckCondition condition) {
  AckParts p;
  p.d = original.delimiters();
  if (const Segment* msh = original.segment("MSH")) {
    p.sending_app = msh->raw(5);
    p.sending_fac = msh->raw(6);
    p.receiving_app = msh->raw(3);
    p.receiving_fac = msh->raw(4);
    if (!msh->raw(11).empty()) p.processing_id = msh->raw(11);
    if (!msh->raw(12).empty()) p.version = msh->raw(12);
    p.trigger = msh->raw_part(9, 1, 2);
    p.original_control = msh->raw(10);
  }
  return assemble(p, code, error_text, control_id, timestamp, condition);
}

std::string build_reject_ack(std::string_view raw_bytes, std::string_view error_text,
                             std::string_view control_id, std::string_view timestamp,
                             AckCondition condition) {
  AckParts p;
  std::string_view b = raw_bytes;
  if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
  while (!b.empty() && (b.front() == '\r' || b.front() == '\n' || b.front() == ' ')) b.remove_prefix(1);
  if (b.size() > 4 && b.substr(0, 3) == "MSH" && b[3] != '\r' && b[3] != '\n') {
    const char sep = b[3];
    const std::string_view line = b.substr(0, std::min(b.find_first_of("\r\n"), b.size()));
    std::vector<std::string_view> parts;  // parts[k] is MSH-(k+1) for k >= 1
    std::size_t start = 0;
    while (parts.size() < 13) {
      const std::size_t next = line.find(sep, start);
      parts.push_back(line.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start));
      if (next == std::string_view::npos) break;
      start = next + 1;
    }
    if (parts.size() > 9) p.original_control = escape(printable_ascii(parts[9], 199), p.d);
    if (parts.size() > 11) {
      std::string v;
      for (char c : parts[11]) {
        if ((c >= '0' && c <= '9') || c == '.') v += c;
        else break;
      }
      if (version_number(v) >= 201 && v.size() <= 10) p.version = v;
    }
  }
  return assemble(p, AckCode::AR, error_text, control_id, timestamp, condition);
}

}  // namespace kaiku::channels::hl7
