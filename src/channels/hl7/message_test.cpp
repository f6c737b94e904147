#include "channels/hl7/message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kaiku::channels::hl7 {
namespace {

const std::string kMsh = "MSH|^~\\&|App|Fac|Recv|RFac|20261124120000+0200||ADT^A03^ADT_A03|C1|P|2.5.1";

Message parse_ok(const std::string& text) {
  auto m = parse_message(text);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return m ? *m : Message({}, Charset::utf8, {});
}

std::string error_of(const std::string& text) {
  auto m = parse_message(text);
  EXPECT_FALSE(m) << "parsed unexpectedly: " << text;
  return m ? std::string() : m.error().message;
}

TEST(Hl7Message, MshNumberingAndHeaderAccessors) {
  const Message m = parse_ok(kMsh + "\rPID|1||123^^^HOSP^MR\r");
  EXPECT_EQ(m.field("MSH", 1), "|");
  EXPECT_EQ(m.field("MSH", 2), "^~\\&");
  EXPECT_EQ(m.field("MSH", 3), "App");
  EXPECT_EQ(m.sending_application(), "App");
  EXPECT_EQ(m.sending_facility(), "Fac");
  EXPECT_EQ(m.message_type(), "ADT");
  EXPECT_EQ(m.trigger_event(), "A03");
  EXPECT_EQ(m.field("MSH", 9, 1, 3), "ADT_A03");
  EXPECT_EQ(m.control_id(), "C1");
  EXPECT_EQ(m.version(), "2.5.1");
  EXPECT_EQ(m.field("PID", 3, 1, 4), "HOSP");
  EXPECT_EQ(m.field("PID", 3, 1, 5), "MR");
  EXPECT_EQ(m.segments().size(), 2u);
  EXPECT_EQ(m.segments()[1].offset(), kMsh.size() + 1);
}

TEST(Hl7Message, SegmentEndsCrLfCrlfAndTrailingOrNot) {
  for (const std::string sep : {"\r", "\n", "\r\n"}) {
    for (const bool trailing : {false, true}) {
      const std::string text = kMsh + sep + "EVN|A03" + sep + "PID|1" + (trailing ? sep : "");
      const Message m = parse_ok(text);
      ASSERT_EQ(m.segments().size(), 3u) << "sep " << sep.size() << " trailing " << trailing;
      EXPECT_EQ(m.field("EVN", 1), "A03");
      EXPECT_EQ(m.field("PID", 1), "1");
    }
  }
  // Blank lines between segments are skipped.
  EXPECT_EQ(parse_ok(kMsh + "\r\n\r\nPID|1\r\n\r\n").segments().size(), 2u);
}

TEST(Hl7Message, Utf8ByteOrderMarkIsStrippedAndCountsInOffsets) {
  const Message m = parse_ok("\xEF\xBB\xBF" + kMsh + "\rPID|1");
  EXPECT_EQ(m.segments()[0].offset(), 3u);
  EXPECT_EQ(m.control_id(), "C1");
}

TEST(Hl7Message, RepetitionsComponentsSubcomponents) {
  const Message m = parse_ok(kMsh + "\rPID|1||A1^^^AUTH&1.2.3&ISO^MR~B2^^^^SS||Doe^Jane");
  const Segment* pid = m.segment("PID");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->repetition_count(3), 2u);
  EXPECT_EQ(pid->value(3, 1, 1), "A1");
  EXPECT_EQ(pid->value(3, 1, 4, 1), "AUTH");
  EXPECT_EQ(pid->value(3, 1, 4, 2), "1.2.3");
  EXPECT_EQ(pid->value(3, 1, 4, 3), "ISO");
  EXPECT_EQ(pid->value(3, 2, 1), "B2");
  EXPECT_EQ(pid->value(3, 2, 5), "SS");
  EXPECT_EQ(pid->value(3, 3, 1), "");
  EXPECT_EQ(pid->value(5, 1, 2), "Jane");
  EXPECT_EQ(pid->component_count(5), 2u);
  EXPECT_EQ(pid->value(99), "");
  EXPECT_EQ(pid->value(0), "");
  EXPECT_EQ(pid->raw(3), "A1^^^AUTH&1.2.3&ISO^MR~B2^^^^SS");
  EXPECT_EQ(m.field("ZZZ", 1), "");
}

TEST(Hl7Message, RepeatingAndZSegmentsAreKept) {
  const Message m = parse_ok(kMsh + "\rNTE|1||first\rZPV|custom^x\rNTE|2||second\r");
  const auto ntes = m.segments("NTE");
  ASSERT_EQ(ntes.size(), 2u);
  EXPECT_EQ(ntes[1]->value(3), "second");
  EXPECT_EQ(m.field("ZPV", 1, 1, 2), "x");
  EXPECT_EQ(m.segments()[2].id(), "ZPV");
}

TEST(Hl7Message, CustomDelimiters) {
  const Message m = parse_ok("MSH#:*/!#App#Fac#R#RF#2026#X#ADT:A01#C9#P#2.3\rPID#1##A1:::AUTH!OID*B2\r");
  EXPECT_EQ(m.delimiters().field, '#');
  EXPECT_EQ(m.delimiters().component, ':');
  EXPECT_EQ(m.delimiters().repetition, '*');
  EXPECT_EQ(m.delimiters().escape, '/');
  EXPECT_EQ(m.delimiters().subcomponent, '!');
  EXPECT_EQ(m.field("MSH", 1), "#");
  EXPECT_EQ(m.field("MSH", 2), ":*/!");
  EXPECT_EQ(m.trigger_event(), "A01");
  EXPECT_EQ(m.field("PID", 3, 1, 4, 2), "OID");
  EXPECT_EQ(m.field("PID", 3, 2), "B2");
}

TEST(Hl7Message, EscapeSequencesDecodedOnRead) {
  const Message m = parse_ok(kMsh + "\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g|\\X41C3A4\\|\\H\\bold\\N\\|\\Zlocal\\ and \\Q\\|trail\\F");
  const Segment* nte = m.segment("NTE");
  EXPECT_EQ(nte->value(3), "a|b^c&d~e\\f\ng");
  EXPECT_EQ(nte->raw(3), "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g");
  EXPECT_EQ(nte->value(4), "A\xC3\xA4");  // \X..\ as UTF-8
  EXPECT_EQ(nte->value(5), "bold");
  EXPECT_EQ(nte->value(6), "\\Zlocal\\ and \\Q\\");  // unknown: kept literally
  EXPECT_EQ(nte->value(7), "trail\\F");              // unterminated: kept
  // An escaped delimiter does not split the value.
  EXPECT_EQ(nte->component_count(3), 1u);
}

TEST(Hl7Message, HexEscapeThatIsNotUtf8IsLatin1) {
  EXPECT_EQ(unescape("J\\XE4\\rvi", Delimiters{}), "J\xC3\xA4rvi");
  // Malformed hex (odd length, non-hex digits) is kept literally.
  EXPECT_EQ(unescape("a\\XZZ\\b\\X4\\c", Delimiters{}), "a\\XZZ\\b\\X4\\c");
}

TEST(Hl7Message, TruncationCharacterV27) {
  const Message m = parse_ok("MSH|^~\\&#|A|B|C|D|2026||ADT^A01|1|P|2.7\rNTE|1||x\\P\\y#z");
  ASSERT_TRUE(m.delimiters().truncation.has_value());
  EXPECT_EQ(*m.delimiters().truncation, '#');
  EXPECT_EQ(m.field("MSH", 2), "^~\\&#");
  EXPECT_EQ(m.field("NTE", 3), "x#y#z");
  EXPECT_EQ(m.delimiters().encoding_characters(), "^~\\&#");
  // Without a declared truncation character \P\ is an unknown escape.
  EXPECT_EQ(unescape("x\\P\\y", Delimiters{}), "x\\P\\y");
}

TEST(Hl7Message, EscapeRoundTrips) {
  Delimiters d;
  const std::string text = "a|b^c&d~e\\f\r\ng\x01h";
  const std::string esc = escape(text, d);
  EXPECT_EQ(esc, "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g h");
  EXPECT_EQ(unescape(esc, d), "a|b^c&d~e\\f\ng h");
}

TEST(Hl7Message, Latin1DeclaredIsConvertedToUtf8) {
  const std::string text = "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5|||||FIN|8859/1\rPID|1||||Virtanen^Jyv\xE4skyl\xE4";
  const Message m = parse_ok(text);
  EXPECT_EQ(m.charset(), Charset::iso_8859_1);
  EXPECT_EQ(m.declared_charset(), "8859/1");
  EXPECT_EQ(m.field("PID", 5, 1, 2), "Jyv\xC3\xA4skyl\xC3\xA4");
}

TEST(Hl7Message, UndeclaredNonUtf8FallsBackToLatin1) {
  const Message m = parse_ok(kMsh + "\rPID|1||||Jyv\xE4skyl\xE4");
  EXPECT_EQ(m.charset(), Charset::iso_8859_1);
  EXPECT_EQ(m.field("PID", 5), "Jyv\xC3\xA4skyl\xC3\xA4");
}

TEST(Hl7Message, Utf8DeclaredOrUndeclaredStaysUtf8) {
  const std::string utf8 = "Jyv\xC3\xA4skyl\xC3\xA4";
  EXPECT_EQ(parse_ok(kMsh + "\rPID|1||||" + utf8).field("PID", 5), utf8);
  const Message m = parse_ok("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5|||||FIN|UNICODE UTF-8\rPID|1||||" + utf8);
  EXPECT_EQ(m.charset(), Charset::utf8);
  EXPECT_EQ(m.field("PID", 5), utf8);
  // Declared UTF-8 that is not UTF-8: read as ISO-8859-1 rather than rejected.
  const Message bad = parse_ok("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5|||||FIN|UTF-8\rPID|1||||\xE4");
  EXPECT_EQ(bad.charset(), Charset::iso_8859_1);
  EXPECT_EQ(bad.field("PID", 5), "\xC3\xA4");
}

TEST(Hl7Message, Latin9EuroSign) {
  const Message m = parse_ok("MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5|||||FIN|8859/15\rNTE|1||5 \xA4");
  EXPECT_EQ(m.charset(), Charset::iso_8859_15);
  EXPECT_EQ(m.field("NTE", 3), "5 \xE2\x82\xAC");
}

TEST(Hl7Message, ErrorsSayWhatAndWhere) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("\xEF\xBB\xBF\r\n").find("empty"), std::string::npos);
  std::string e = error_of("PID|1\rMSH|^~\\&");
  EXPECT_NE(e.find("byte 0"), std::string::npos) << e;
  EXPECT_NE(e.find("does not start with an MSH"), std::string::npos) << e;
  e = error_of("MSH");
  EXPECT_NE(e.find("MSH-1"), std::string::npos) << e;
  e = error_of("MSHA^~\\&|x");
  EXPECT_NE(e.find("MSH-1"), std::string::npos) << e;
  e = error_of("MSH|^~|A");
  EXPECT_NE(e.find("MSH-2 at byte 4: expected 4 or 5 encoding characters, found 2"), std::string::npos) << e;
  e = error_of("MSH|^^\\&|A");
  EXPECT_NE(e.find("MSH-2 at byte 5"), std::string::npos) << e;
  e = error_of(kMsh + "\rPID|1\rPi|2");
  EXPECT_NE(e.find("segment 3 at byte " + std::to_string(kMsh.size() + 7)), std::string::npos) << e;
  EXPECT_NE(e.find("'Pi'"), std::string::npos) << e;
  e = error_of(kMsh + "\rPIDX|1");
  EXPECT_NE(e.find("segment 2"), std::string::npos) << e;
  e = error_of(kMsh + "\r" + kMsh);
  EXPECT_NE(e.find("second MSH"), std::string::npos) << e;
  e = error_of("\xEF\xBB\xBFXYZ");
  EXPECT_NE(e.find("byte 3"), std::string::npos) << e;
}

TEST(Hl7Message, MinimalMshOnly) {
  const Message m = parse_ok("MSH|^~\\&");
  EXPECT_EQ(m.segments().size(), 1u);
  EXPECT_EQ(m.control_id(), "");
}

}  // namespace
}  // namespace kaiku::channels::hl7
