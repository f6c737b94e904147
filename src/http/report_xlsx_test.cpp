// The Excel export: a real .xlsx (a zip with the sheet), the CSV's columns, numbers
// as numbers, suppressed cells without figures, no temporary file left behind.
// Also the choice of format (parse_report_format).
#include "http/report_xlsx.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "analytics/calendar.hpp"
#include "http/report_format.hpp"
#include "http/report_params.hpp"
#include "http/router_test_support.hpp"

namespace kaiku::http {
namespace {

using analytics::Cell;
using analytics::Dimension;
using analytics::Figure;
using analytics::Suppression;
using analytics::Table;

std::uint32_t le(const std::string& z, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(z.at(at + i));
  return v;
}

// The uncompressed content of `name` in the zip archive `z` (central directory,
// stored or deflated), or nullopt when the archive has no such member.
std::optional<std::string> zip_member(const std::string& z, const std::string& name) {
  std::size_t eocd = z.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return std::nullopt;
  const std::uint32_t entries = le(z, eocd + 10, 2);
  std::size_t at = le(z, eocd + 16, 4);
  for (std::uint32_t i = 0; i < entries; ++i) {
    if (le(z, at, 4) != 0x02014b50) return std::nullopt;
    const std::uint32_t method = le(z, at + 10, 2);
    const std::uint32_t csize = le(z, at + 20, 4), usize = le(z, at + 24, 4);
    const std::uint32_t nlen = le(z, at + 28, 2), xlen = le(z, at + 30, 2), clen = le(z, at + 32, 2);
    const std::uint32_t local = le(z, at + 42, 4);
    const std::string member = z.substr(at + 46, nlen);
    at += 46 + nlen + xlen + clen;
    if (member != name) continue;
    const std::size_t data = local + 30 + le(z, local + 26, 2) + le(z, local + 28, 2);
    if (method == 0) return z.substr(data, csize);
    std::string out(usize, '\0');
    z_stream s{};
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return std::nullopt;
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
    s.avail_in = csize;
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = usize;
    const int rc = inflate(&s, Z_FINISH);
    inflateEnd(&s);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

Table sample_table() {
  Table t;
  t.indicator = "nps";
  t.kind = analytics::IndicatorKind::nps;
  t.unit = "area_a";
  t.from = *analytics::parse_date("2026-03-01");
  t.to = *analytics::parse_date("2026-03-31");
  t.threshold = 5;
  t.group_by = {Dimension::unit};
  Cell shown;
  shown.group = {{Dimension::unit, "unit_a1"}};
  shown.figure = Figure{};
  shown.figure->n = 259;
  shown.figure->value = 64.5;
  shown.figure->ci_low = 61.75;
  shown.figure->ci_high = 66.25;
  shown.figure->promoters = 189;
  shown.figure->passives = 48;
  shown.figure->detractors = 22;
  shown.from = t.from;
  shown.to = t.to;
  shown.channel_mix = {{domain::Channel::sms, 64.625}, {domain::Channel::web, 35.375}};
  shown.target = 55;
  shown.target_met = true;
  Cell hidden;
  hidden.group = {{Dimension::unit, "2026"}};  // a numeric-looking id stays text
  hidden.suppression = Suppression::below_threshold;
  hidden.from = t.from;
  hidden.to = t.to;
  t.cells = {shown, hidden};
  return t;
}

// Points TMPDIR at a fresh directory for the test's life.
class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kaiku-xlsx-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const char* old = std::getenv("TMPDIR");
    if (old != nullptr) old_tmpdir_ = old;
    ::setenv("TMPDIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    if (old_tmpdir_) ::setenv("TMPDIR", old_tmpdir_->c_str(), 1);
    else ::unsetenv("TMPDIR");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool dir_empty() const { return std::filesystem::is_empty(dir_); }

  std::filesystem::path dir_;
  std::optional<std::string> old_tmpdir_;
};

TEST_F(XlsxTest, WorkbookHoldsTheCsvColumnsWithNumbersAsNumbers) {
  const Table t = sample_table();
  auto bytes = report_xlsx(t, report_title(t, "Alue A"));
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(bytes->compare(0, 4, "PK\x03\x04"), 0);
  EXPECT_TRUE(dir_empty()) << "the temporary file must be deleted";

  auto sheet = zip_member(*bytes, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet) << "no xl/worksheets/sheet1.xml in the archive";
  auto strings = zip_member(*bytes, "xl/sharedStrings.xml");
  ASSERT_TRUE(strings);
  // Figures are numeric cells (<v>, no t="s"), with the shortest round-trip text.
  // (libxlsxwriter writes 16 significant digits: these values are exact in binary.)
  for (const char* v : {"<v>259</v>", "<v>64.5</v>", "<v>61.75</v>", "<v>66.25</v>", "<v>189</v>", "<v>48</v>",
                        "<v>22</v>", "<v>55</v>", "<v>64.625</v>", "<v>35.375</v>"}) {
    EXPECT_NE(sheet->find(v), std::string::npos) << v;
  }
  // Flags are booleans.
  EXPECT_NE(sheet->find("t=\"b\""), std::string::npos);
  // Header, title, the note of the hidden cell, and the numeric-looking id as text.
  for (const char* s : {"unit", "n", "value", "ci_low", "ci_high", "suppressed", "reason", "note", "period_from",
                        "promoters", "target_met", "mix_sms", "mix_web", "fewer than 5 answers", "below_threshold",
                        "2026", "unit_a1", "2026-03-01"}) {
    EXPECT_NE(strings->find(std::string(">") + s + "<"), std::string::npos) << s;
  }
  EXPECT_NE(strings->find("nps · Alue A (area_a) · 2026-03-01 – 2026-03-31 · by unit"), std::string::npos);
  // The hidden row (row 4: title, header, shown row) has no number at all.
  const auto row4 = sheet->find("<row r=\"4\"");
  ASSERT_NE(row4, std::string::npos);
  const std::string hidden_row = sheet->substr(row4, sheet->find("</row>", row4) - row4);
  EXPECT_EQ(hidden_row.find("<v>259"), std::string::npos);
  for (const char* col : {"\"B4\"", "\"C4\"", "\"D4\"", "\"E4\""}) {  // n, value, ci_low, ci_high
    EXPECT_EQ(hidden_row.find(std::string("r=") + col), std::string::npos) << col << " must be empty";
  }
}

TEST_F(XlsxTest, EveryRowHasTheCsvsFieldCount) {
  const Table t = sample_table();
  const auto fields = report_fields(t);
  ASSERT_EQ(fields.size(), 3u);
  for (const auto& line : fields) EXPECT_EQ(line.size(), fields[0].size());
}

TEST_F(XlsxTest, NoTemporaryDirectoryIsAnErrorAndLeavesNothing) {
  ::setenv("TMPDIR", (dir_ / "missing").c_str(), 1);
  auto bytes = report_xlsx(sample_table(), "t");
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().kind, ErrorKind::unavailable);
  EXPECT_NE(bytes.error().message.find("temporary file"), std::string::npos) << bytes.error().message;
  EXPECT_TRUE(dir_empty());
}

TEST(ReportFileName, OnlySafeCharacters) {
  Table t = sample_table();
  t.unit = "a b/\"c";
  EXPECT_EQ(report_file_name(t, "xlsx"), "kaiku-nps-a_b__c-2026-03-01-2026-03-31.xlsx");
}

RawForm form(std::vector<std::pair<std::string, std::string>> f) { return RawForm{std::move(f)}; }

TEST(ReportFormatParam, ParameterThenAcceptThenJson) {
  const std::string xlsx(kXlsxMediaType);
  EXPECT_EQ(parse_report_format(form({}), "").value(), ReportFormat::json);
  EXPECT_EQ(parse_report_format(form({}), "text/csv").value(), ReportFormat::csv);
  EXPECT_EQ(parse_report_format(form({}), xlsx).value(), ReportFormat::xlsx);
  EXPECT_EQ(parse_report_format(form({}), "application/json, text/csv").value(), ReportFormat::json);
  EXPECT_EQ(parse_report_format(form({}), "TEXT/CSV;q=0.9, " + xlsx).value(), ReportFormat::csv);
  EXPECT_EQ(parse_report_format(form({{"format", "xlsx"}}), "text/csv").value(), ReportFormat::xlsx);
  EXPECT_EQ(parse_report_format(form({{"format", "csv"}}), "").value(), ReportFormat::csv);
  EXPECT_EQ(parse_report_format(form({{"format", "json"}}), xlsx).value(), ReportFormat::json);
  auto bad = parse_report_format(form({{"format", "xls"}}), "");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "format");
}

TEST(ReportExportRoute, CsvAndExcelAreAuditedWithTheQueryJsonIsNot) {
  testing::RouterFixture rf;
  const std::string token = rf.token("exporter", domain::Role::analyst);
  auto audited = [&] { return rf.fx.store->audit().recent(100).value(); };
  const std::size_t before = audited().size();

  Response json = rf.api("GET", "/api/v1/reports/indicators?indicator=nps", token);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(audited().size(), before);

  Response xlsx = rf.api("GET", "/api/v1/reports/indicators?indicator=nps&format=xlsx", token);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.header("Content-Type"), kXlsxMediaType);
  EXPECT_EQ(xlsx.body.compare(0, 4, "PK\x03\x04"), 0);
  EXPECT_NE(xlsx.header("Content-Disposition").find(".xlsx\""), std::string_view::npos);
  auto sheet = zip_member(xlsx.body, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet);
  auto entries = audited();
  ASSERT_EQ(entries.size(), before + 1);
  EXPECT_EQ(entries[0].action, "export.xlsx");
  EXPECT_EQ(entries[0].login, "exporter");
  EXPECT_EQ(entries[0].object, "indicator=nps&format=xlsx");

  Request req = make_request("GET", "/api/v1/reports/indicators?group_by=channel",
                             "", {{"Authorization", "Bearer " + token}, {"Accept", "text/csv"}});
  Response csv = rf.router->handle(req);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Content-Type").substr(0, 8), "text/csv");
  entries = audited();
  ASSERT_EQ(entries.size(), before + 2);
  EXPECT_EQ(entries[0].action, "export.csv");
  EXPECT_EQ(entries[0].object, "group_by=channel");

  EXPECT_EQ(rf.api("GET", "/api/v1/reports/indicators?format=pdf", token).status, 400);
  EXPECT_EQ(audited().size(), before + 2);
}

}  // namespace
}  // namespace kaiku::http
