#include "channels/hl7/visit_event.hpp"

#include <gtest/gtest.h>

#include <string>

#include "base/clock.hpp"

namespace kaiku::channels::hl7 {
namespace {

using namespace std::chrono;

Message parse_ok(const std::string& text) {
  auto m = parse_message(text);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return m ? *m : Message({}, Charset::utf8, {});
}

std::string utc(const std::optional<Hl7Time>& t) {
  if (!t) return "unset";
  auto u = t->utc();
  return u ? format_rfc3339(*u) : "no offset";
}

TEST(Hl7Time, ParsesPrecisionsAndOffsets) {
  auto t = parse_hl7_time("20261124153000+0200");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t->utc()), "2026-11-24T13:30:00.000Z");
  EXPECT_EQ(t->precision, Hl7Time::Precision::second);
  t = parse_hl7_time("202611241530");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->utc());
  EXPECT_EQ(format_rfc3339(t->local), "2026-11-24T15:30:00.000Z");
  t = parse_hl7_time("20210817151943.4+0200");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t->utc()), "2021-08-17T13:19:43.400Z");
  t = parse_hl7_time("198908181126-0330");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t->utc()), "1989-08-18T14:56:00.000Z");
  t = parse_hl7_time("19780101");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->date(), year_month_day{year{1978} / January / 1});
  EXPECT_TRUE(parse_hl7_time("2026"));
}

TEST(Hl7Time, RejectsMalformed) {
  for (const char* bad : {"", "2026112", "20261324", "20260230", "2026112425", "20261124+02",
                          "20261124x", "202611241530.5", "20261124153000+2500"}) {
    auto t = parse_hl7_time(bad);
    EXPECT_FALSE(t) << bad;
    if (!t) {
      EXPECT_NE(t.error().message.find("HL7 time"), std::string::npos);
    }
  }
}

const std::string kAdt =
    "MSH|^~\\&|Lifecare|KSSHP^1.2.246.10.1^ISO|Kaiku|KAIKU|20261124153000+0200||ADT^A03^ADT_A03|MSG1|P|2.5.1|||||FIN|8859/1\r"
    "EVN|A03|20261124150000+0200\r"
    "PID|1||010190-123A^^^&1.2.246.21&ISO^NI~555^^^HOSP^MR||Virtanen^Matti||19900101|M|||||"
    "^PRN^CP^^358^40^1234567~0401234567^ORN^PH|0912345^WPN^PH|fi|||||||||||||||N\r"
    "PD1||||||||||||Y\r"
    "PV1|1|O|PKL123&1.2.246.10.9.1&ISO^^^TK01&1.2.246.10.9&ISO|||||||GER|||||||||V123^^^HOSP^VN"
    "|||||||||||||||||||||||||20261124140000+0200|20261124150000+0200\r"
    "ZPV|x\r";

TEST(Hl7Visit, AdtFields) {
  auto v = extract_visit(parse_ok(kAdt));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->sender, "Lifecare^KSSHP");
  EXPECT_EQ(v->control_id, "MSG1");
  EXPECT_EQ(v->message_type, "ADT");
  EXPECT_EQ(v->trigger, "A03");
  EXPECT_EQ(v->version, "2.5.1");
  EXPECT_EQ(utc(v->event_time), "2026-11-24T13:00:00.000Z");
  ASSERT_EQ(v->patient_ids.size(), 2u);
  EXPECT_EQ(v->patient_ids[0].id, "010190-123A");
  EXPECT_EQ(v->patient_ids[0].assigning_authority, "1.2.246.21");
  EXPECT_EQ(v->patient_ids[0].type, "NI");
  EXPECT_EQ(v->patient_ids[1].assigning_authority, "HOSP");
  ASSERT_TRUE(v->birth_date);
  EXPECT_EQ(*v->birth_date, year_month_day{year{1990} / January / 1});
  EXPECT_FALSE(v->deceased);
  ASSERT_EQ(v->phones.size(), 3u);
  EXPECT_EQ(v->phones[0].number, "+358 40 1234567");
  EXPECT_EQ(v->phones[0].use, "PRN");
  EXPECT_EQ(v->phones[0].equipment, "CP");
  EXPECT_EQ(v->phones[1].number, "0401234567");
  EXPECT_EQ(v->phones[1].use, "ORN");
  EXPECT_FALSE(v->phones[1].business);
  EXPECT_EQ(v->phones[2].number, "0912345");
  EXPECT_TRUE(v->phones[2].business);
  EXPECT_EQ(v->language, "fi");
  EXPECT_TRUE(v->non_disclosure);
  EXPECT_EQ(v->point_of_care.code, "PKL123");
  EXPECT_EQ(v->point_of_care.authority, "1.2.246.10.9.1");
  EXPECT_EQ(v->facility.code, "TK01");
  EXPECT_EQ(v->facility.authority, "1.2.246.10.9");
  EXPECT_EQ(v->patient_class, "O");
  EXPECT_EQ(v->hospital_service, "GER");
  EXPECT_EQ(v->visit_id, "V123");
  EXPECT_EQ(utc(v->admit_time), "2026-11-24T12:00:00.000Z");
  EXPECT_EQ(utc(v->discharge_time), "2026-11-24T13:00:00.000Z");
}

TEST(Hl7Visit, Version23PlainPhoneDeathAndMshTimeFallback) {
  auto v = extract_visit(parse_ok(
      "MSH|^~\\&|OBERON|TK|||202611241530||ADT^A04|9|P|2.3\r"
      "PID|1||123||Doe^Jane||19780101|F|||||0401234567||||||||||||||||20261120\r"
      "PV1||E|ER1^^^H1\r"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(utc(v->event_time), "no offset");
  EXPECT_EQ(format_rfc3339(v->event_time->local), "2026-11-24T15:30:00.000Z");
  ASSERT_EQ(v->phones.size(), 1u);
  EXPECT_EQ(v->phones[0].number, "0401234567");
  EXPECT_EQ(v->phones[0].use, "");
  EXPECT_TRUE(v->deceased);  // PID-29 set
  EXPECT_EQ(v->point_of_care.code, "ER1");
  EXPECT_EQ(v->point_of_care.authority, "");
  EXPECT_EQ(v->facility.code, "H1");
  EXPECT_FALSE(v->non_disclosure);
}

TEST(Hl7Visit, DeceasedIndicatorAndBadTimesLeftUnset) {
  auto v = extract_visit(parse_ok(
      "MSH|^~\\&|A|F|||garbage||ADT^A08|9|P|2.5\rEVN||also-bad\rPID|1||1||||notadate|||||||||||||||||||||||Y\r"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_FALSE(v->event_time);
  EXPECT_FALSE(v->birth_date);
  EXPECT_TRUE(v->deceased);
}

TEST(Hl7Visit, TriggerFromEvnWhenMsh9HasNone) {
  auto v = extract_visit(parse_ok("MSH|^~\\&|A|F|||2026||ADT|9|P|2.3\rEVN|A11|2026\rPID|1\r"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->trigger, "A11");
}

TEST(Hl7Visit, Siu) {
  auto v = extract_visit(parse_ok(
      "MSH|^~\\&|SCH|F|||2026||SIU^S15|9|P|2.5\r"
      "SCH|P1^X|F1|||||||||^^^202612011000+0200||||||||||||||Cancelled\r"
      "PID|1||123\r"
      "AIL|1||ROOM1&1.2.3^^^TK2\r"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->placer_appointment_id, "P1");
  EXPECT_EQ(v->filler_appointment_id, "F1");
  EXPECT_EQ(v->appointment_status, "Cancelled");
  EXPECT_EQ(utc(v->appointment_start), "2026-12-01T08:00:00.000Z");
  EXPECT_EQ(v->appointment_location.code, "ROOM1");
  EXPECT_EQ(v->appointment_location.authority, "1.2.3");
  // TQ1-7 wins over SCH-11.4.
  v = extract_visit(parse_ok(
      "MSH|^~\\&|SCH|F|||2026||SIU^S12|9|P|2.6\rSCH|P1|F1|||||||||^^^202612011000+0200\r"
      "TQ1|||||||202612021100+0200\rPID|1||123\rAIL|1||^^^TK2\r"));
  ASSERT_TRUE(v);
  EXPECT_EQ(utc(v->appointment_start), "2026-12-02T09:00:00.000Z");
  EXPECT_EQ(v->appointment_location.code, "TK2");
}

TEST(Hl7Visit, RejectsUnsupportedEventsAndMissingPid) {
  auto v = extract_visit(parse_ok("MSH|^~\\&|A|F|||2026||ORU^R01|9|P|2.5\rPID|1\r"));
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("MSH-9: unsupported event 'ORU^R01'"), std::string::npos);
  v = extract_visit(parse_ok("MSH|^~\\&|A|F|||2026||ADT^A02|9|P|2.5\rPID|1\r"));
  EXPECT_FALSE(v);
  v = extract_visit(parse_ok("MSH|^~\\&|A|F|||2026||ADT^A01|9|P|2.5\rPV1|1\r"));
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("PID is missing"), std::string::npos);
  EXPECT_TRUE(is_supported_event("SIU", "S26"));
  EXPECT_FALSE(is_supported_event("SIU", "A01"));
}

}  // namespace
}  // namespace kaiku::channels::hl7
