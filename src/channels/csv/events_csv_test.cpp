#include "channels/csv/events_csv.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "base/clock.hpp"

namespace kaiku::channels::csv {
namespace {

using namespace std::chrono;

std::string at(const std::optional<TimePoint>& t) { return t ? format_rfc3339(*t) : "unset"; }

const std::string kHeader =
    "source_system,event_id,event,visit_id,visit_time,unit_code_system,unit_code,visit_type,service,"
    "person_id,birth_date,age,mobile,language,municipality,non_disclosure,deceased,consent\n";

TEST(EventsCsv, ReadsEveryColumn) {
  const std::string file = kHeader +
      "Pegasos-sos,E1,completed,K-77,2026-11-24T14:30:00+02:00,oid,1.2.246.10.1.2,kotikaynti,SOS12,"
      "010190-123A,1990-01-01,,040 123 4567,fi,091,false,0,1\n";
  auto r = parse_events_csv(file);
  ASSERT_TRUE(r.file_ok);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].column << ": " << r.errors[0].message;
  EXPECT_EQ(r.delimiter, ',');
  EXPECT_EQ(r.rows, 1u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].line, 2u);
  const domain::CareEvent& e = r.events[0].event;
  EXPECT_EQ(e.source, domain::EventSource::csv);
  EXPECT_EQ(e.sender, "Pegasos-sos");
  EXPECT_EQ(e.message_id, "E1");
  EXPECT_EQ(e.trigger, "completed");
  EXPECT_EQ(e.visit_id, "K-77");
  EXPECT_EQ(at(e.visit_time), "2026-11-24T12:30:00.000Z");
  ASSERT_EQ(e.unit_codes.size(), 1u);
  EXPECT_EQ(e.unit_codes[0].system, "oid");
  EXPECT_EQ(e.unit_codes[0].value, "1.2.246.10.1.2");
  EXPECT_EQ(e.visit_type, "kotikaynti");
  EXPECT_EQ(e.service, "SOS12");
  EXPECT_EQ(e.person_id, "010190-123A");
  ASSERT_TRUE(e.birth_date);
  EXPECT_EQ(*e.birth_date, year_month_day{year{1990} / January / 1});
  EXPECT_FALSE(e.age);
  EXPECT_EQ(e.mobiles, std::vector<std::string>{"040 123 4567"});
  EXPECT_EQ(e.language, "fi");
  EXPECT_EQ(e.municipality, "091");
  EXPECT_FALSE(e.non_disclosure);
  EXPECT_FALSE(e.deceased);
  ASSERT_TRUE(e.consent);
  EXPECT_TRUE(*e.consent);
}

TEST(EventsCsv, ExcelSemicolonsBomQuotesAndFinnishDates) {
  // Excel (Finnish locale) writes ';', a BOM with "CSV UTF-8", CRLF, and quotes
  // fields with the delimiter, quotes or line breaks.
  const std::string file =
      "\xEF\xBB\xBFSource_System; EVENT ;visit_time;unit_code;mobile;age;Non_Disclosure;consent;service\r\n"
      "Kotihoito;completed;24.11.2026 9.05;KH-1;\"0401234567|+358 50 765 4321\";81;kyllä;;\"a;b \"\"c\"\"\"\r\n"
      ";;;;;;;;\r\n"
      "\r\n"
      "Kotihoito;completed;2026-07-01;KH-2;;;ei;E;\r\n";
  auto r = parse_events_csv(file);
  ASSERT_TRUE(r.file_ok) << r.errors[0].message;
  EXPECT_EQ(r.delimiter, ';');
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].line << " " << r.errors[0].column << ": " << r.errors[0].message;
  EXPECT_EQ(r.rows, 2u);  // blank rows are not rows
  ASSERT_EQ(r.events.size(), 2u);
  const domain::CareEvent& a = r.events[0].event;
  EXPECT_EQ(at(a.visit_time), "2026-11-24T07:05:00.000Z");  // Helsinki winter time
  EXPECT_EQ(a.mobiles, (std::vector<std::string>{"0401234567", "+358 50 765 4321"}));
  EXPECT_EQ(a.age, 81);
  EXPECT_TRUE(a.non_disclosure);
  EXPECT_FALSE(a.consent);
  EXPECT_EQ(a.service, "a;b \"c\"");
  EXPECT_EQ(a.message_id.rfind("row-", 0), 0u);  // no event_id column: a row hash
  const domain::CareEvent& b = r.events[1].event;
  EXPECT_EQ(r.events[1].line, 5u);
  EXPECT_EQ(at(b.visit_time), "2026-06-30T21:00:00.000Z");  // local midnight, summer time
  ASSERT_TRUE(b.consent);
  EXPECT_FALSE(*b.consent);
  EXPECT_NE(a.message_id, b.message_id);
  // The row hash is stable: the same file gives the same ids.
  EXPECT_EQ(parse_events_csv(file).events[0].event.message_id, a.message_id);
}

TEST(EventsCsv, QuotedLineBreaksKeepLineNumbersRight) {
  const std::string file =
      "source_system,event,visit_time,unit_code,service\n"
      "S,completed,2026-01-01T10:00:00Z,U1,\"two\nlines\"\n"
      "S,completed,not-a-time,U1,x\n";
  auto r = parse_events_csv(file);
  ASSERT_TRUE(r.file_ok);
  EXPECT_EQ(r.events.size(), 0u);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].line, 2u);
  EXPECT_EQ(r.errors[0].column, "service");  // a line break inside a value is refused
  EXPECT_EQ(r.errors[1].line, 4u);            // the third row starts on physical line 4
  EXPECT_EQ(r.errors[1].column, "visit_time");
}

TEST(EventsCsv, RowErrorsNameLineAndColumnButNotTheValue) {
  const std::string file = kHeader +
      ",E1,completed,,2026-11-24T14:30:00+02:00,,U1,,,,,,,,,,,\n"                      // 2: source_system empty
      "S,E2,completed,,31.02.2026,,U1,,,010190-123A,1990-13-01,,,,,,,\n"               // 3: time, birth_date
      "S,E3,completed,,2026-11-24 14:30,,U1,,,,,200,040x123,,,maybe,,\n"                // 4: age, mobile, bool
      "S,E4,completed,,2026-11-24 14:30,,U1\n"                                          // 5: too few fields
      "S,E5,completed,,2026-11-24 14:30,,U1,,,,,,,,,,,,extra\n"                         // 6: too many
      "S,E6,\"compl\"eted,,2026-11-24 14:30,,U1,,,,,,,,,,,\n"                           // 7: bad quoting
      "S,E7,completed,,2026-11-24 14:30,,U1,,,,,,,,,,,,\n";                             // 8: ok (trailing ,)
  auto r = parse_events_csv(file);
  ASSERT_TRUE(r.file_ok);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event.message_id, "E7");
  EXPECT_EQ(r.rows, 7u);
  std::vector<std::string> got;
  for (const auto& e : r.errors) {
    got.push_back(std::to_string(e.line) + ":" + e.column);
    EXPECT_EQ(e.message.find("010190"), std::string::npos);
    EXPECT_EQ(e.message.find("040x"), std::string::npos);
    EXPECT_EQ(e.message.find("31.02"), std::string::npos);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"2:source_system", "3:visit_time", "3:birth_date", "4:age", "4:mobile",
                                           "4:non_disclosure", "5:", "6:", "7:"}));
}

TEST(EventsCsv, FileErrors) {
  auto first = [](const std::string& file) {
    auto r = parse_events_csv(file);
    EXPECT_FALSE(r.file_ok);
    EXPECT_TRUE(r.events.empty());
    return r.errors.empty() ? std::string("(none)") : r.errors[0].message;
  };
  EXPECT_NE(first("source_system,event,visit_time\nS,completed,2026-01-01\n").find("missing required column(s): unit_code"),
            std::string::npos);
  EXPECT_NE(first("source_system,event,visit_time,unit_code,mobil\n").find("unknown column(s): mobil"),
            std::string::npos);
  EXPECT_NE(first("source_system,event,visit_time,unit_code,event\n").find("appears twice"), std::string::npos);
  EXPECT_NE(first("").find("empty"), std::string::npos);
  EXPECT_NE(first(std::string("\xFF\xFEs\0o\0", 6)).find("UTF-16"), std::string::npos);
  // Windows-1252 "ä" (0xE4) on line 2.
  auto r = parse_events_csv("source_system,event,visit_time,unit_code\nJ\xE4rvi,completed,2026-01-01,U\n");
  EXPECT_FALSE(r.file_ok);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 2u);
  EXPECT_NE(r.errors[0].message.find("UTF-8"), std::string::npos);
  // A quote never closed: rows before it are kept, the rest is not read.
  r = parse_events_csv("source_system,event,visit_time,unit_code\nS,completed,2026-01-01,U\nS,\"completed,2026-01-01,U\nS,completed,2026-01-01,U\n");
  EXPECT_FALSE(r.file_ok);
  EXPECT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_NE(r.errors[0].message.find("never closed"), std::string::npos);
}

TEST(EventsCsv, TimesAcrossDaylightSaving) {
  auto t = [](const std::string& value) {
    auto r = parse_events_csv("source_system,event,visit_time,unit_code\nS,completed," + value + ",U\n");
    return r.events.empty() ? "error" : at(r.events[0].event.visit_time);
  };
  EXPECT_EQ(t("2026-03-29T02:30"), "2026-03-29T00:30:00.000Z");
  EXPECT_EQ(t("2026-03-29T03:30"), "2026-03-29T01:30:00.000Z");  // does not exist: as 04:30
  EXPECT_EQ(t("2026-10-25 03:30:00"), "2026-10-25T00:30:00.000Z");  // twice: the first
  EXPECT_EQ(t("2026-10-25T03:30:00+02:00"), "2026-10-25T01:30:00.000Z");  // the second, by offset
  EXPECT_EQ(t("2026-10-25T12:00:00.250Z"), "2026-10-25T12:00:00.250Z");
  EXPECT_EQ(t("25.10.2026 12.00"), "2026-10-25T10:00:00.000Z");
  EXPECT_EQ(t("2026-10-25T12:00:00+0300"), "2026-10-25T09:00:00.000Z");
  for (const char* bad : {"2026-10-25T25:00", "2026-02-30", "2026/10/25", "2026-10-25T12", "12:00",
                          "2026-10-25T12:00:00+1500", "2026-10-25T12:00Zx", "1899-01-01"}) {
    EXPECT_EQ(t(bad), "error") << bad;
  }
}

TEST(EventsCsv, TenThousandRows) {
  std::string file = kHeader;
  for (int i = 0; i < 10000; ++i) {
    file += "S,E" + std::to_string(i) + ",completed,V" + std::to_string(i) +
            ",2026-11-24T14:30:00+02:00,oid,1.2.246.10.1." + std::to_string(i % 50) +
            ",O,,,1950-05-05,,0401234567,sv,049,,,\n";
  }
  file += "S,bad,completed,,yesterday,,U,,,,,,,,,,,\n";
  auto r = parse_events_csv(file);
  ASSERT_TRUE(r.file_ok);
  EXPECT_EQ(r.rows, 10001u);
  ASSERT_EQ(r.events.size(), 10000u);
  EXPECT_EQ(r.events[9999].event.message_id, "E9999");
  EXPECT_EQ(r.events[9999].line, 10001u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 10002u);
  EXPECT_EQ(r.errors[0].column, "visit_time");
}

TEST(EventsCsv, TheDocumentedExampleParses) {
  std::string root;
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) root = env;
#ifdef KAIKU_SOURCE_DIR
  if (root.empty()) root = KAIKU_SOURCE_DIR;
#endif
  std::ifstream in(root + "/docs/events-csv.md");
  if (!in) GTEST_SKIP() << "docs/events-csv.md not found";
  std::ostringstream s;
  s << in.rdbuf();
  const std::string doc = s.str();
  const std::size_t start = doc.find("```csv\n");
  ASSERT_NE(start, std::string::npos);
  const std::size_t end = doc.find("```", start + 7);
  auto r = parse_events_csv(doc.substr(start + 7, end - start - 7));
  ASSERT_TRUE(r.file_ok);
  EXPECT_TRUE(r.errors.empty()) << r.errors[0].line << " " << r.errors[0].column << ": " << r.errors[0].message;
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.delimiter, ';');
  EXPECT_EQ(r.events[2].event.trigger, "cancelled");
  EXPECT_EQ(at(r.events[0].event.visit_time), "2026-11-24T12:30:00.000Z");
}

}  // namespace
}  // namespace kaiku::channels::csv
