#include "channels/hl7/ack.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kaiku::channels::hl7 {
namespace {

const std::string kTs = "20261125013000+0200";

Message parse_ok(const std::string& text) {
  auto m = parse_message(text);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return m ? *m : Message({}, Charset::utf8, {});
}

Message original(const std::string& version) {
  return parse_ok("MSH|^~\\&|App|Fac^1.2.246.10^ISO|Recv|RFac|20261124120000+0200||ADT^A03^ADT_A03|C1|P|" +
                  version + "\rPID|1\r");
}

TEST(Hl7Ack, AcceptGolden) {
  EXPECT_EQ(build_ack(original("2.5.1"), AckCode::AA, "ignored", "ACK1", kTs),
            "MSH|^~\\&|Recv|RFac|App|Fac^1.2.246.10^ISO|20261125013000+0200||ACK^A03^ACK|ACK1|P|2.5.1\r"
            "MSA|AA|C1\r");
}

TEST(Hl7Ack, ErrorGoldenV25WithEscapedReason) {
  EXPECT_EQ(build_ack(original("2.5.1"), AckCode::AE, "store failed: a|b^c", "ACK2", kTs),
            "MSH|^~\\&|Recv|RFac|App|Fac^1.2.246.10^ISO|20261125013000+0200||ACK^A03^ACK|ACK2|P|2.5.1\r"
            "MSA|AE|C1|store failed: a\\F\\b\\S\\c\r"
            "ERR|||207^Application internal error^HL70357|E||||store failed: a\\F\\b\\S\\c\r");
}

TEST(Hl7Ack, RejectGoldenV23UsesErr1) {
  EXPECT_EQ(build_ack(original("2.3"), AckCode::AR, "unsupported event ADT^A02", "ACK3", kTs,
                      AckCondition::unsupported_event_code),
            "MSH|^~\\&|Recv|RFac|App|Fac^1.2.246.10^ISO|20261125013000+0200||ACK^A03^ACK|ACK3|P|2.3\r"
            "MSA|AR|C1|unsupported event ADT\\S\\A02\r"
            "ERR|^^^201&Unsupported event code&HL70357\r");
}

TEST(Hl7Ack, RejectGoldenV28HasNoMsa3) {
  EXPECT_EQ(build_ack(original("2.8"), AckCode::AR, "PID missing", "ACK4", kTs,
                      AckCondition::required_field_missing),
            "MSH|^~\\&|Recv|RFac|App|Fac^1.2.246.10^ISO|20261125013000+0200||ACK^A03^ACK|ACK4|P|2.8\r"
            "MSA|AR|C1\r"
            "ERR|||101^Required field missing^HL70357|E||||PID missing\r");
}

TEST(Hl7Ack, NonAsciiReasonDeclaresUtf8AndLineBreaksAreEscaped) {
  const std::string ack =
      build_ack(original("2.5"), AckCode::AE, "yksikk\xC3\xB6\r\nvirhe", "A5", kTs);
  EXPECT_NE(ack.find("|P|2.5||||||UNICODE UTF-8\r"), std::string::npos) << ack;
  EXPECT_NE(ack.find("yksikk\xC3\xB6\\.br\\virhe"), std::string::npos) << ack;
  EXPECT_EQ(std::count(ack.begin(), ack.end(), '\n'), 0);
}

TEST(Hl7Ack, UsesOriginalDelimitersAndParsesBack) {
  const Message m = parse_ok("MSH#:*/!#App#Fac#R#RF#2026#X#SIU:S12#C9#T#2.4\rPID#1\r");
  const std::string ack = build_ack(m, AckCode::AE, "a#b", "A6", kTs);
  EXPECT_EQ(ack.substr(0, 9), "MSH#:*/!#");
  const Message back = parse_ok(ack);
  EXPECT_EQ(back.message_type(), "ACK");
  EXPECT_EQ(back.trigger_event(), "S12");
  EXPECT_EQ(back.field("MSH", 3), "R");
  EXPECT_EQ(back.field("MSH", 5), "App");
  EXPECT_EQ(back.field("MSH", 11), "T");
  EXPECT_EQ(back.field("MSA", 1), "AE");
  EXPECT_EQ(back.field("MSA", 2), "C9");
  EXPECT_EQ(back.field("MSA", 3), "a#b");
}

TEST(Hl7Ack, RejectForUnparseableMessageSalvagesControlId) {
  EXPECT_EQ(build_reject_ack("MSH|bad|A|B|C|D|2026||ADT^A01|CTRL9|P|2.4\rPID|1", "bad MSH-2", "R1", kTs),
            "MSH|^~\\&|||||20261125013000+0200||ACK|R1|P|2.4\r"
            "MSA|AR|CTRL9|bad MSH-2\r"
            "ERR|^^^207&Application internal error&HL70357\r");
}

TEST(Hl7Ack, RejectForGarbageIsMinimal) {
  const std::string ack = build_reject_ack("\x01\x02garbage", "not HL7", "R2", kTs);
  EXPECT_EQ(ack,
            "MSH|^~\\&|||||20261125013000+0200||ACK|R2|P|2.5\r"
            "MSA|AR||not HL7\r"
            "ERR|||207^Application internal error^HL70357|E||||not HL7\r");
  EXPECT_TRUE(parse_message(ack));
}

TEST(Hl7Ack, ControlIdAndTimestampAreEscaped) {
  const std::string ack = build_ack(original("2.5"), AckCode::AA, "", "a|b", "x^y");
  const Message back = parse_ok(ack);
  EXPECT_EQ(back.control_id(), "a|b");
  EXPECT_EQ(back.field("MSH", 7), "x^y");
}

TEST(Hl7Ack, HugeVersionNumberIsHandled) {  // found by fuzz_hl7: integer overflow
  const std::string ack = build_ack(original("20210924093000"), AckCode::AR, "x", "A7", kTs);
  EXPECT_NE(ack.find("|P|20210924093000\r"), std::string::npos);
  EXPECT_NE(ack.find("ERR|||207"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::channels::hl7
