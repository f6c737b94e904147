// Runs the parser, visit extraction and ACK builder over every real HL7 v2 message
// in ../shared/testdata/hl7v2 (see its README: LF segment ends, BOMs, repeated ids).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "base/clock.hpp"
#include "channels/hl7/ack.hpp"
#include "channels/hl7/message.hpp"
#include "channels/hl7/visit_event.hpp"

namespace kaiku::channels::hl7 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

fs::path corpus_dir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) {
    candidates.push_back(fs::path(env) / ".." / "shared" / "testdata" / "hl7v2");
  }
#ifdef KAIKU_SOURCE_DIR
  candidates.push_back(fs::path(KAIKU_SOURCE_DIR) / ".." / "shared" / "testdata" / "hl7v2");
#endif
  candidates.push_back(fs::path("..") / "shared" / "testdata" / "hl7v2");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return c;
  }
  return {};
}

std::map<std::string, std::string> load_corpus() {
  std::map<std::string, std::string> files;
  const fs::path dir = corpus_dir();
  if (dir.empty()) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".hl7") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    files[e.path().filename().string()] = s.str();
  }
  return files;
}

std::string utc(const std::optional<Hl7Time>& t) {
  if (!t || !t->utc()) return "unset";
  return format_rfc3339(*t->utc());
}

TEST(Hl7Corpus, EveryFileParsesExtractsAndIsAcknowledged) {
  const auto files = load_corpus();
  if (files.empty()) GTEST_SKIP() << "../shared/testdata/hl7v2 not found";
  EXPECT_GE(files.size(), 16u);
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name);
    auto m = parse_message(bytes);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->segments().front().id(), "MSH");
    EXPECT_EQ(m->charset(), Charset::utf8);
    auto v = extract_visit(*m);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_FALSE(v->patient_ids.empty());
    EXPECT_TRUE(v->event_time.has_value());

    const std::string ack = build_ack(*m, AckCode::AA, "", "K1", "20261125013000+0200");
    EXPECT_EQ(ack.find('\n'), std::string::npos);
    EXPECT_EQ(ack.back(), '\r');
    auto back = parse_message(ack);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->field("MSA", 1), "AA");
    EXPECT_EQ(back->field("MSA", 2), m->control_id());
    EXPECT_EQ(back->field("MSH", 9, 1, 2), v->trigger);
    EXPECT_EQ(back->field("MSH", 5), m->field("MSH", 3));
    EXPECT_EQ(back->version(), m->version());

    // Known values per file family.
    if (name.rfind("ADT-A", 0) == 0) {
      EXPECT_EQ(v->sender, "ADTApp^GHHSFacility");
      EXPECT_EQ(v->control_id, "MSG00001");  // repeated across files on purpose
      EXPECT_EQ(v->version, "2.8");
      EXPECT_EQ(v->trigger, name.substr(4, 3));  // MSH-9.2, even though EVN-1 says A01
      ASSERT_EQ(v->patient_ids.size(), 2u);
      EXPECT_EQ(v->patient_ids[0].id, "PATID1234");
      EXPECT_EQ(v->patient_ids[0].assigning_authority, "test1");
      EXPECT_EQ(v->patient_ids[0].type, "MR");
      EXPECT_EQ(v->patient_ids[1].id, "123456789");
      EXPECT_EQ(v->patient_ids[1].type, "SS");
      EXPECT_EQ(utc(v->event_time), "2029-08-01T05:51:24.000Z");
      ASSERT_TRUE(v->birth_date);
      EXPECT_EQ(*v->birth_date, year_month_day{year{1988} / August / 18});
      EXPECT_TRUE(v->deceased);
      ASSERT_EQ(v->phones.size(), 4u);
      EXPECT_EQ(v->phones[0].number, "78788788");
      EXPECT_EQ(v->phones[0].equipment, "CP");
      EXPECT_EQ(v->phones[3].equipment, "TDD");
      EXPECT_TRUE(v->phones[3].business);
      EXPECT_EQ(v->language, "ara");
      EXPECT_FALSE(v->non_disclosure);
      EXPECT_EQ(v->point_of_care.code, "HUH AE OMU");
      EXPECT_EQ(v->point_of_care.authority, "9.8");
      EXPECT_EQ(v->facility.code, "HOMERTON UNIVER");
      EXPECT_EQ(v->patient_class, "P");
      EXPECT_EQ(v->hospital_service, "SUR");
      EXPECT_EQ(v->visit_id, "40007716");
      EXPECT_EQ(utc(v->admit_time), "2015-02-08T10:24:19.000Z");
      // PV1-14 carries an escape: \T\ decodes to the subcomponent separator.
      EXPECT_EQ(m->field("PV1", 13), "R");
      EXPECT_EQ(m->field("PV1", 14), "NHS Provider-General (inc.A&E-this Hosp)");
    } else if (name == "ADT01-23.hl7") {  // v2.3, BOM, trailing spaces
      EXPECT_EQ(v->sender, "AccMgr^1");
      EXPECT_EQ(v->control_id, "599102");
      EXPECT_EQ(v->trigger, "A01");
      EXPECT_EQ(v->patient_ids[0].id, "10006579");
      EXPECT_EQ(v->patient_ids[0].assigning_authority, "1");
      EXPECT_EQ(utc(v->event_time), "2005-01-09T21:55:02.000Z");
      ASSERT_EQ(v->phones.size(), 2u);
      EXPECT_EQ(v->phones[0].number, "8885551212");
      EXPECT_TRUE(v->phones[1].business);
      EXPECT_FALSE(v->deceased);  // PID-30 is "NO "
      EXPECT_EQ(v->point_of_care.code, "PREOP");
      EXPECT_EQ(v->facility.code, "1");
      EXPECT_EQ(v->patient_class, "I");
      EXPECT_EQ(v->visit_id, "40007716");
      EXPECT_EQ(m->segments().front().offset(), 3u);
    } else if (name == "ADT04-251.hl7") {  // v2.3, BOM, sparse
      EXPECT_EQ(v->sender, "REDOX^RDX");
      EXPECT_EQ(v->control_id, "1270326314");
      EXPECT_EQ(v->trigger, "A04");
      EXPECT_EQ(v->patient_ids[0].id, "MRN12345");
      EXPECT_EQ(utc(v->event_time), "2019-05-04T11:12:05.000Z");  // MSH-7, no EVN
      EXPECT_TRUE(v->phones.empty());
      EXPECT_EQ(v->patient_class, "E");
      EXPECT_EQ(v->point_of_care.code, "");
      EXPECT_EQ(back->field("MSH", 11), "T");
    } else if (name.rfind("SIU-", 0) == 0) {
      EXPECT_EQ(v->sender, "SCHApp^GHHSFacility");
      EXPECT_EQ(v->message_type, "SIU");
      EXPECT_EQ(v->trigger, name.substr(4, 3));
      EXPECT_EQ(v->placer_appointment_id, "12345");
      EXPECT_EQ(v->filler_appointment_id, "36996");
      EXPECT_EQ(v->appointment_status, name.substr(4, 3) == "S26" ? "Noshow" : "Booked");
      const bool lab = name.find("-02") != std::string::npos;
      EXPECT_EQ(utc(v->appointment_start),
                lab ? "2021-08-18T09:15:00.000Z" : "2021-09-24T07:15:00.000Z");
      const std::string room = !lab ? "055" : (name.substr(4, 3) == "S14" ? "LabUnit102" : "LabUnit101");
      EXPECT_EQ(v->appointment_location.code, room);
    } else {
      ADD_FAILURE() << "unknown corpus file, add its known values";
    }
  }
}

TEST(Hl7Corpus, LineFeedFilesMatchCarriageReturnVersions) {
  const auto files = load_corpus();
  if (files.empty()) GTEST_SKIP() << "../shared/testdata/hl7v2 not found";
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name);
    std::string cr = bytes;
    for (char& c : cr) if (c == '\n') c = '\r';
    auto a = parse_message(bytes);
    auto b = parse_message(cr);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->segments().size(), b->segments().size());
    for (std::size_t i = 0; i < a->segments().size(); ++i) {
      EXPECT_EQ(a->segments()[i].id(), b->segments()[i].id());
      EXPECT_EQ(a->segments()[i].field_count(), b->segments()[i].field_count());
    }
  }
}

TEST(Hl7Corpus, FuzzSeedsParseAndExtract) {
  fs::path dir;
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) dir = fs::path(env) / "tests" / "fuzz" / "hl7";
#ifdef KAIKU_SOURCE_DIR
  if (dir.empty()) dir = fs::path(KAIKU_SOURCE_DIR) / "tests" / "fuzz" / "hl7";
#endif
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) GTEST_SKIP() << "tests/fuzz/hl7 not found";
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    SCOPED_TRACE(e.path().filename().string());
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    auto m = parse_message(s.str());
    ASSERT_TRUE(m) << m.error().message;
    auto v = extract_visit(*m);
    EXPECT_TRUE(v) << v.error().message;
    ++n;
  }
  EXPECT_GE(n, 4);
}

}  // namespace
}  // namespace kaiku::channels::hl7
