#include "channels/hl7/care_event.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "base/clock.hpp"

namespace kaiku::channels::hl7 {
namespace {

using namespace std::chrono;

std::string at(const std::optional<TimePoint>& t) { return t ? format_rfc3339(*t) : "unset"; }

domain::CareEvent event_of(const std::string& text) {
  auto e = parse_care_event(text);
  EXPECT_TRUE(e) << (e ? "" : e.error().message);
  return e ? *e : domain::CareEvent{};
}

// A Finnish discharge: henkilötunnus in PID-3, a mobile given twice (XTN parts and
// plain), a business number, turvakielto, unit OIDs in PV1-3.
const std::string kA03 =
    "MSH|^~\\&|Lifecare|KSSHP^1.2.246.10.1^ISO|Kaiku|KAIKU|20261124153000+0200||ADT^A03^ADT_A03|MSG1|P|2.5.1\r"
    "EVN|A03|20261124150000+0200\r"
    "PID|1||555^^^HOSP^MR~010190-123A^^^&1.2.246.21&ISO^NI||Virtanen^Matti||19900101|M|||||"
    "^PRN^CP^^358^40^1234567~040 123 4567^ORN^PH|0401111111^WPN^PH|fi|||||||||||||||N\r"
    "PD1||||||||||||Y\r"
    "PV1|1|O|PKL123&1.2.246.10.9.1&ISO^^^TK01&1.2.246.10.9&ISO|||||||GER|||||||||V123^^^HOSP^VN"
    "|||||||||||||||||||||||||20261124140000+0200|20261124150000+0200\r";

TEST(Hl7CareEvent, MapsAFinnishDischarge) {
  const domain::CareEvent e = event_of(kA03);
  EXPECT_EQ(e.source, domain::EventSource::mllp);
  EXPECT_EQ(e.sender, "Lifecare^KSSHP");
  EXPECT_EQ(e.message_id, "MSG1");
  EXPECT_EQ(e.trigger, "A03");
  EXPECT_EQ(e.visit_id, "V123");
  EXPECT_EQ(at(e.visit_time), "2026-11-24T13:00:00.000Z");  // PV1-45 discharge
  ASSERT_EQ(e.unit_codes.size(), 2u);
  EXPECT_EQ(e.unit_codes[0].system, "1.2.246.10.9.1");
  EXPECT_EQ(e.unit_codes[0].value, "PKL123");
  EXPECT_EQ(e.unit_codes[1].system, "1.2.246.10.9");
  EXPECT_EQ(e.unit_codes[1].value, "TK01");
  EXPECT_EQ(e.visit_type, "O");
  EXPECT_EQ(e.service, "GER");
  EXPECT_EQ(e.person_id, "010190-123A");  // the NI one, though MR comes first
  ASSERT_TRUE(e.birth_date);
  EXPECT_EQ(*e.birth_date, year_month_day{year{1990} / January / 1});
  EXPECT_TRUE(e.non_disclosure);
  EXPECT_FALSE(e.deceased);
  EXPECT_EQ(e.language, "fi");
  EXPECT_FALSE(e.consent.has_value());
  ASSERT_EQ(e.mobiles.size(), 1u) << "the same mobile twice counts once; the work number is left out";
}

// "ID|f1|f2|..." with the given fields set (1-based), the others empty.
std::string segment(const std::string& id, const std::map<int, std::string>& fields) {
  std::string s = id;
  const int last = fields.empty() ? 0 : fields.rbegin()->first;
  for (int i = 1; i <= last; ++i) {
    s += '|';
    if (auto it = fields.find(i); it != fields.end()) s += it->second;
  }
  return s + "\r";
}

std::string adt(const std::string& pid3, const std::string& phones, const std::string& business,
                const std::string& discharge) {
  return "MSH|^~\\&|Oberon|SHP|Kaiku|KAIKU|20260101120000||ADT^A03|X1|P|2.3\r" +
         segment("PID", {{1, "1"}, {3, pid3}, {5, "Doe^J"}, {7, "19800101"}, {13, phones}, {14, business},
                         {15, "sv"}}) +
         segment("PV1", {{1, "1"}, {2, "O"}, {3, "POL1"}, {45, discharge}});
}

TEST(Hl7CareEvent, PicksTheIdentityCodeByTypeOrShape) {
  EXPECT_EQ(event_of(adt("123^^^H^MR~131052-308T^^^H^PI", "", "", "")).person_id, "131052-308T");
  EXPECT_EQ(event_of(adt("123^^^H^MR~999^^^KELA^NNFIN", "", "", "")).person_id, "999");
  EXPECT_EQ(event_of(adt("123^^^H^MR~456^^^H^PI", "", "", "")).person_id, "123");
}

TEST(Hl7CareEvent, MobilesByEquipmentOrFinnishMobileShape) {
  // CP always (also business); PRN with a Finnish mobile shape; landline PRN no;
  // internet no; business PH no.
  auto e = event_of(adt("1^^^H^MR", "0501234567^PRN^PH~(09) 123 4567^PRN^PH~x@y.fi^NET^Internet~+358 45 1234567",
                        "0409999999^WPN^PH~0441234567^WPN^CP", ""));
  ASSERT_EQ(e.mobiles.size(), 3u);
  EXPECT_EQ(e.mobiles[0], "0501234567");
  EXPECT_EQ(e.mobiles[1], "+358 45 1234567");
  EXPECT_EQ(e.mobiles[2], "0441234567");
}

TEST(Hl7CareEvent, LocalTimesAreHelsinkiAcrossDaylightSaving) {
  auto t = [](const std::string& discharge) { return at(event_of(adt("1^^^H^MR", "", "", discharge)).visit_time); };
  EXPECT_EQ(t("20260115120000"), "2026-01-15T10:00:00.000Z");  // EET +2
  EXPECT_EQ(t("20260715120000"), "2026-07-15T09:00:00.000Z");  // EEST +3
  EXPECT_EQ(t("20260329023000"), "2026-03-29T00:30:00.000Z");  // before the spring change
  EXPECT_EQ(t("20260329033000"), "2026-03-29T01:30:00.000Z");  // in the gap: as 04:30 EEST
  EXPECT_EQ(t("20260329043000"), "2026-03-29T01:30:00.000Z");
  EXPECT_EQ(t("20261025033000"), "2026-10-25T00:30:00.000Z");  // twice: the first (EEST)
  EXPECT_EQ(t("20261025043000"), "2026-10-25T02:30:00.000Z");  // after: EET
  EXPECT_EQ(t("20261025120000+0000"), "2026-10-25T12:00:00.000Z");  // own offset wins
  // No discharge: falls back to MSH-7 (no EVN), also local.
  EXPECT_EQ(t(""), "2026-01-01T10:00:00.000Z");
}

TEST(Hl7CareEvent, SchedulingUsesTheAppointment) {
  const std::string siu =
      "MSH|^~\\&|Lifecare|KSSHP|Kaiku|KAIKU|20260301080000+0200||SIU^S12|S1|P|2.5\r" +
      segment("SCH", {{1, "PL77"}, {2, "FI88"}, {11, "^^^20260302091500"}}) +
      segment("PID", {{1, "1"}, {3, "010190-123A^^^^NI"}}) +
      segment("PV1", {{1, "1"}, {2, "O"}, {44, "20200101000000+0200"}}) +
      segment("AIL", {{1, "1"}, {3, "HAMMAS1^^^HAM&1.2.246.10.7&ISO"}});
  const domain::CareEvent e = event_of(siu);
  EXPECT_EQ(e.trigger, "S12");
  EXPECT_EQ(e.visit_id, "PL77");                              // SCH-1 when PV1-19 is empty
  EXPECT_EQ(at(e.visit_time), "2026-03-02T07:15:00.000Z");    // the appointment, not PV1-44
  ASSERT_EQ(e.unit_codes.size(), 1u);
  EXPECT_EQ(e.unit_codes[0].value, "HAMMAS1");
}

TEST(Hl7CareEvent, ErrorsComeFromParsing) {
  auto e = parse_care_event("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rPID|1||1\r");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::invalid_input);
  EXPECT_FALSE(parse_care_event("garbage"));
}

TEST(Hl7CareEvent, Shapes) {
  EXPECT_TRUE(looks_like_henkilotunnus("010190-123A"));
  EXPECT_TRUE(looks_like_henkilotunnus("010105A123N"));
  EXPECT_TRUE(looks_like_henkilotunnus("311299Y9992"));
  EXPECT_FALSE(looks_like_henkilotunnus("010190-12A"));
  EXPECT_FALSE(looks_like_henkilotunnus("320190-123A"));
  EXPECT_FALSE(looks_like_henkilotunnus("010190Q123A"));
  EXPECT_TRUE(looks_like_finnish_mobile("040 123 4567"));
  EXPECT_TRUE(looks_like_finnish_mobile("+358 50 123 4567"));
  EXPECT_TRUE(looks_like_finnish_mobile("00358451234567"));
  EXPECT_FALSE(looks_like_finnish_mobile("09 123 4567"));
  EXPECT_FALSE(looks_like_finnish_mobile("+46 70 123 4567"));
  EXPECT_FALSE(looks_like_finnish_mobile("040"));
  EXPECT_FALSE(looks_like_finnish_mobile("040-abc-4567"));
}

// ---- The real corpus ----

std::filesystem::path corpus_dir() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) candidates.push_back(fs::path(env) / ".." / "shared" / "testdata" / "hl7v2");
#ifdef KAIKU_SOURCE_DIR
  candidates.push_back(fs::path(KAIKU_SOURCE_DIR) / ".." / "shared" / "testdata" / "hl7v2");
#endif
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return c;
  }
  return {};
}

TEST(Hl7CareEvent, EveryCorpusMessageMaps) {
  namespace fs = std::filesystem;
  const fs::path dir = corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/testdata/hl7v2 not found";
  int n = 0;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file() || f.path().extension() != ".hl7") continue;
    const std::string name = f.path().filename().string();
    SCOPED_TRACE(name);
    std::ifstream in(f.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    auto r = parse_care_event(s.str());
    ASSERT_TRUE(r) << r.error().message;
    const domain::CareEvent& e = *r;
    ++n;
    EXPECT_FALSE(e.sender.empty());
    EXPECT_FALSE(e.message_id.empty());
    EXPECT_FALSE(e.person_id.empty());
    EXPECT_TRUE(e.visit_time.has_value());
    EXPECT_FALSE(e.consent.has_value());
    if (name.rfind("ADT-A", 0) == 0) {
      EXPECT_EQ(e.person_id, "123456789");  // the SS one, not the MR first
      EXPECT_EQ(e.visit_id, "40007716");
      // PV1-45 discharge where given (some files leave it out), else PV1-44 admit.
      const bool discharged = name == "ADT-A03-01.hl7" || name == "ADT-A03-02.hl7" ||
                              name == "ADT-A04-02.hl7" || name == "ADT-A08-01.hl7";
      EXPECT_EQ(at(e.visit_time), discharged ? "2015-02-09T10:24:19.000Z" : "2015-02-08T10:24:19.000Z");
      ASSERT_EQ(e.unit_codes.size(), 2u);
      EXPECT_EQ(e.unit_codes[0].system, "9.8");
      EXPECT_EQ(e.unit_codes[0].value, "HUH AE OMU");
      EXPECT_EQ(e.unit_codes[1].value, "HOMERTON UNIVER");
      EXPECT_EQ(e.visit_type, "P");
      EXPECT_EQ(e.service, "SUR");
      EXPECT_TRUE(e.deceased);
      // CP numbers, including the business one; the TDD business number is not.
      EXPECT_EQ(e.mobiles, (std::vector<std::string>{"78788788", "12121212", "7777"}));
      EXPECT_EQ(e.language, "ara");
    } else if (name.rfind("SIU-", 0) == 0) {
      EXPECT_EQ(e.trigger, name.substr(4, 3));
      EXPECT_TRUE(e.visit_id == "5001" || e.visit_id == "12345") << e.visit_id;  // PV1-19, else SCH-1
      const bool lab = name.find("-02") != std::string::npos;
      EXPECT_EQ(at(e.visit_time), lab ? "2021-08-18T09:15:00.000Z" : "2021-09-24T07:15:00.000Z");
      ASSERT_FALSE(e.unit_codes.empty());
    } else if (name == "ADT04-251.hl7") {
      EXPECT_TRUE(e.unit_codes.empty());
      EXPECT_TRUE(e.mobiles.empty());
      EXPECT_EQ(e.visit_type, "E");
    }
  }
  EXPECT_GE(n, 16);
}

}  // namespace
}  // namespace kaiku::channels::hl7
