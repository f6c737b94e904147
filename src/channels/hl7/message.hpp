// HL7 v2 messages (ER7, the pipe-and-hat encoding) as a pure parser on bytes.
//
// parse_message() takes one message as received (e.g. the payload of an MLLP frame)
// and returns a Message whose segments keep their fields in raw, still-escaped form;
// the accessors split a field into repetitions, components and subcomponents and
// decode the HL7 escape sequences only when a value is read. All text in a Message
// is UTF-8, whatever the character set the sender used (MSH-18).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kaiku::channels::hl7 {

// The delimiters a message declares in MSH-1 and MSH-2.
struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  std::optional<char> truncation;  // the fifth encoding character (v2.7+), if declared

  // Returns MSH-2 as these delimiters spell it: "^~\&" (plus the truncation character).
  std::string encoding_characters() const;
};

// The character set the message text was decoded from.
enum class Charset {
  utf8,         // declared UTF-8 (or undeclared) and well-formed UTF-8
  iso_8859_1,   // declared 8859/1, or undeclared/declared UTF-8 but not well-formed UTF-8
  iso_8859_15,  // declared 8859/15
};

// Returns "UTF-8", "ISO-8859-1" or "ISO-8859-15".
const char* to_string(Charset charset) noexcept;

// One segment: its three-character id and its fields, raw (escape sequences kept).
// Field numbers are 1-based as in the standard; for MSH, field 1 is the field
// separator itself and field 2 the encoding characters, so MSH-n is field(n).
class Segment {
 public:
  Segment(std::string id, std::vector<std::string> fields, Delimiters delimiters,
          std::size_t offset);

  // Returns the segment id, e.g. "PID" or "ZPV".
  const std::string& id() const noexcept { return id_; }
  // Returns the byte offset of the segment's first byte in the input given to
  // parse_message() (a stripped byte-order mark counts).
  std::size_t offset() const noexcept { return offset_; }
  // Returns the highest field number present (0 when the segment has no fields).
  std::size_t field_count() const noexcept { return fields_.size(); }
  // Returns field `n` exactly as received (escape sequences not decoded), "" when
  // absent. MSH-1 and MSH-2 are returned whole.
  std::string_view raw(std::size_t n) const noexcept;
  // Returns the number of repetitions of field `n` (0 when empty or absent).
  std::size_t repetition_count(std::size_t n) const;
  // Returns the number of components of repetition `rep` of field `n` (0 when empty).
  std::size_t component_count(std::size_t n, std::size_t rep = 1) const;
  // Returns one value, unescaped: field `n`, repetition `rep`, component `comp`,
  // subcomponent `sub` (all 1-based; "" when absent or when any index is 0).
  // MSH-1 and MSH-2 are returned whole and never split or unescaped.
  std::string value(std::size_t n, std::size_t rep = 1, std::size_t comp = 1,
                    std::size_t sub = 1) const;
  // Returns repetition `rep` of field `n` (or one component of it) raw, i.e. still
  // containing the lower-level delimiters and escapes; "" when absent.
  std::string_view raw_part(std::size_t n, std::size_t rep, std::size_t comp = 0) const;

 private:
  std::string id_;
  std::vector<std::string> fields_;  // fields_[0] is field 1
  Delimiters delim_;
  std::size_t offset_ = 0;
};

// A parsed message. Copyable; owns its text.
class Message {
 public:
  Message(Delimiters delimiters, Charset charset, std::vector<Segment> segments);

  // Returns the delimiters declared in MSH-1/MSH-2.
  const Delimiters& delimiters() const noexcept { return delim_; }
  // Returns the character set the text was decoded from (the text itself is UTF-8).
  Charset charset() const noexcept { return charset_; }
  // Returns every segment in order (MSH first), Z-segments included.
  const std::vector<Segment>& segments() const noexcept { return segments_; }
  // Returns every segment with id `id`, in order (empty when none).
  std::vector<const Segment*> segments(std::string_view id) const;
  // Returns the first segment with id `id`, or nullptr.
  const Segment* segment(std::string_view id) const noexcept;
  // Returns one unescaped value of the first segment `segment_id` (see
  // Segment::value); "" when the segment or the value is absent.
  std::string field(std::string_view segment_id, std::size_t field_no, std::size_t rep = 1,
                    std::size_t comp = 1, std::size_t sub = 1) const;

  // MSH-9.1, e.g. "ADT".
  std::string message_type() const { return field("MSH", 9, 1, 1); }
  // MSH-9.2, e.g. "A03".
  std::string trigger_event() const { return field("MSH", 9, 1, 2); }
  // MSH-10, the sender's message control id (not unique across senders or even
  // within one sender's history).
  std::string control_id() const { return field("MSH", 10); }
  // MSH-12.1, e.g. "2.5.1".
  std::string version() const { return field("MSH", 12); }
  // MSH-3.1 (namespace id of the sending application).
  std::string sending_application() const { return field("MSH", 3); }
  // MSH-4.1 (namespace id of the sending facility).
  std::string sending_facility() const { return field("MSH", 4); }
  // MSH-18 (first repetition) as declared, "" when absent.
  std::string declared_charset() const { return field("MSH", 18); }

 private:
  Delimiters delim_;
  Charset charset_ = Charset::utf8;
  std::vector<Segment> segments_;
};

// Parses one HL7 v2 message. Accepts: an optional UTF-8 byte-order mark; CR, LF or
// CRLF segment ends, with or without a final one (blank lines are skipped); the
// delimiters of MSH-1/MSH-2 (four encoding characters, or five with the v2.7
// truncation character); text in UTF-8 or ISO-8859-1/-15 according to MSH-18
// (undeclared: UTF-8 if well-formed, else ISO-8859-1). Fails with an invalid_input
// error naming the segment and byte offset when the input is empty, does not start
// with MSH, declares unusable delimiters, or has a segment id that is not three
// characters [A-Z0-9]. Never throws.
Result<Message> parse_message(std::string_view bytes);

// Decodes the HL7 escape sequences in one value: \F\ \S\ \T\ \R\ \E\ (and \P\ when a
// truncation character is declared), \Xhh...\ (bytes; taken as UTF-8 when
// well-formed, else ISO-8859-1), \.br\ (a line break, "\n"); the highlighting
// sequences \H\ and \N\ are dropped; any other or unterminated sequence is kept literally.
std::string unescape(std::string_view raw, const Delimiters& delimiters);

// Escapes text for use as one value: each delimiter becomes its escape sequence and
// a line break (CR, LF or CRLF) becomes \.br\; other control characters become a
// space. The result contains no delimiter, CR or LF.
std::string escape(std::string_view text, const Delimiters& delimiters);

}  // namespace kaiku::channels::hl7
