#include "service/export.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <boost/json.hpp>

#include "service/survey_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

std::vector<std::string> lines_of(const std::string& text, const std::string& eol) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(eol, pos);
    if (end == std::string::npos) {
      out.push_back(text.substr(pos));
      break;
    }
    out.push_back(text.substr(pos, end - pos));
    pos = end + eol.size();
  }
  return out;
}

class ExportTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  SurveyService svc{fx.model, *fx.store, fx.clock, fx.random};

  std::int64_t submit(const std::string& key, domain::RawAnswers answers, const std::string& tp = "tp1") {
    SubmissionInput in;
    in.touchpoint = tp;
    in.submission_key = key;
    in.answers = std::move(answers);
    in.channel = domain::Channel::sms;
    in.language = domain::Language::sv;
    in.age_group = domain::AgeGroup::from_65_to_74;
    auto out = svc.submit(in);
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    return out ? out->id : 0;
  }
  std::string run(ExportFormat f, std::int64_t since, ExportSummary* sum = nullptr, int page = 2) {
    std::ostringstream out;
    ExportOptions o;
    o.format = f;
    o.since = since;
    o.page_size = page;
    auto s = export_answers(fx.store->responses(), fx.model, o, out);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    if (s && sum != nullptr) *sum = *s;
    return out.str();
  }
};

TEST_F(ExportTest, CsvHasHeaderAndOneRowPerQuestionAnsweredWithoutText) {
  const std::int64_t id = submit("key-export-aaaaaaaaaa", {{"nps", {"9"}},
                                                           {"agree", {"cant_say"}},
                                                           {"one", {"b"}},
                                                           {"many", {"x", "y"}},
                                                           {"open", {"Nurse Anna, room 12"}},
                                                           {"contact.wanted", {"yes"}},
                                                           {"contact.name", {"Anna Secret"}},
                                                           {"contact.phone", {"0401234567"}},
                                                           {"contact.consent", {"yes"}}});
  ASSERT_GT(id, 0);
  ExportSummary sum;
  const std::string csv = run(ExportFormat::csv, 0, &sum);
  EXPECT_EQ(csv.find("Anna"), std::string::npos) << "no open text, no contact details";
  EXPECT_EQ(csv.find("0401234567"), std::string::npos);
  EXPECT_EQ(csv.find("key-export"), std::string::npos) << "no submission key";
  auto lines = lines_of(csv, "\r\n");
  ASSERT_EQ(lines.size(), 6u) << csv;  // header + nps + agree + one + many x2
  EXPECT_EQ(lines[0],
            "response_id,answered_at,unit_id,journey_id,touchpoint_id,survey_id,channel,language,respondent,"
            "age_group,question_key,question_type,value");
  // The fixture's clock: 2026-09-21T...Z; Helsinki is UTC+3 in September.
  const std::string prefix = std::to_string(id) + ",";
  EXPECT_EQ(lines[1].rfind(prefix, 0), 0u);
  EXPECT_NE(lines[1].find("+03:00,unit_a1,visit,tp1,core,sms,sv,self,65_74,nps,nps,9"), std::string::npos)
      << lines[1];
  EXPECT_NE(lines[1].find(",2026-09-21T17:13:00+03:00,"), std::string::npos) << "to the minute: " << lines[1];
  EXPECT_NE(lines[2].find(",agree,agreement,cant_say"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(",one,single_choice,b"), std::string::npos) << lines[3];
  EXPECT_NE(lines[4].find(",many,multi_choice,x"), std::string::npos) << lines[4];
  EXPECT_NE(lines[5].find(",many,multi_choice,y"), std::string::npos) << lines[5];
  EXPECT_EQ(sum.next_cursor, id);
  EXPECT_EQ(sum.responses, 1);
  EXPECT_EQ(sum.rows, 5);
}

TEST_F(ExportTest, JsonlRowsHaveTheStableSchemaAndNumbersAsNumbers) {
  const std::int64_t id = submit("key-export-bbbbbbbbbb", {{"nps", {"3"}}, {"agree", {"4"}}});
  const std::string text = run(ExportFormat::jsonl, 0);
  auto lines = lines_of(text, "\n");
  ASSERT_EQ(lines.size(), 2u) << text;
  auto v = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(v.size(), export_columns().size());
  for (auto col : export_columns()) EXPECT_TRUE(v.contains(col)) << col;
  EXPECT_EQ(v["response_id"].as_int64(), id);
  EXPECT_EQ(v["value"].as_int64(), 3);
  EXPECT_EQ(v["question_type"].as_string(), "nps");
  EXPECT_EQ(v["journey_id"].as_string(), "visit");
  EXPECT_EQ(v["age_group"].as_string(), "65_74");
  auto w = boost::json::parse(lines[1]).as_object();
  EXPECT_EQ(w["value"].as_int64(), 4);
  EXPECT_EQ(w["question_type"].as_string(), "agreement");
}

TEST_F(ExportTest, CursorMakesItIncremental) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(submit("key-export-c" + std::to_string(i) + "aaaaaaaa", {{"nps", {"7"}}}));
  ExportSummary first;
  auto all = lines_of(run(ExportFormat::jsonl, 0, &first), "\n");
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(first.next_cursor, ids.back());
  ExportSummary none;
  EXPECT_EQ(run(ExportFormat::jsonl, first.next_cursor, &none), "");
  EXPECT_EQ(none.next_cursor, first.next_cursor) << "nothing new: the cursor stays";
  const std::int64_t more = submit("key-export-dddddddddd", {{"nps", {"10"}}});
  ExportSummary next;
  auto fresh = lines_of(run(ExportFormat::jsonl, first.next_cursor, &next), "\n");
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(boost::json::parse(fresh[0]).as_object()["response_id"].as_int64(), more);
  EXPECT_EQ(next.next_cursor, more);
  ExportSummary mid;
  auto tail = lines_of(run(ExportFormat::jsonl, ids[2], &mid, 1), "\n");
  EXPECT_EQ(tail.size(), 3u);
}

TEST_F(ExportTest, FreeFormFeedbackExportsNoText) {
  FeedbackInput in;
  in.unit = "area_b";
  in.kind = "complaint";
  in.text = "Dr. Virtanen was rude";
  in.submission_key = "key-export-eeeeeeeeee";
  ASSERT_TRUE(svc.submit_feedback(in));
  ExportSummary sum;
  const std::string csv = run(ExportFormat::csv, 0, &sum);
  EXPECT_EQ(csv.find("Virtanen"), std::string::npos);
  EXPECT_EQ(sum.responses, 1);
  EXPECT_EQ(sum.rows, 0);
}

TEST_F(ExportTest, AnsweredAtIsTruncatedToTheMinuteWithTheHelsinkiOffset) {
  // Privacy: no seconds and no milliseconds, which with the unit and the age
  // group would link an answer to other records.
  domain::Response r;
  r.id = 41;
  r.unit = "unit_a1";
  r.touchpoint = "tp1";
  r.survey = "core";
  r.channel = domain::Channel::web;
  domain::Answer nps;
  nps.key = "nps";
  nps.number = 8;
  r.answers = {nps};
  auto exported = [&](std::int64_t ms, ExportFormat f) {
    r.answered_at = TimePoint(std::chrono::milliseconds(ms));
    std::ostringstream out;
    EXPECT_EQ(write_export_rows(fx.model, r, f, out), 1);
    return out.str();
  };
  // 2026-01-15T10:30:59.999Z: winter, UTC+2.
  EXPECT_EQ(exported(1'768'473'059'999, ExportFormat::csv).substr(0, 29), "41,2026-01-15T12:30:00+02:00,");
  // 2026-09-21T14:13:20.000Z and 19.5 s later: summer, UTC+3; the same minute.
  auto summer = boost::json::parse(exported(1'790'000'000'000, ExportFormat::jsonl)).as_object();
  EXPECT_EQ(summer["answered_at"].as_string(), "2026-09-21T17:13:00+03:00");
  summer = boost::json::parse(exported(1'790'000'019'500, ExportFormat::jsonl)).as_object();
  EXPECT_EQ(summer["answered_at"].as_string(), "2026-09-21T17:13:00+03:00");
  // A whole minute stays itself.
  EXPECT_EQ(exported(1'790'000'040'000, ExportFormat::csv).substr(0, 29), "41,2026-09-21T17:14:00+03:00,");
}

TEST_F(ExportTest, BadOptionsAreInvalid) {
  std::ostringstream out;
  ExportOptions o;
  o.page_size = 0;
  EXPECT_EQ(export_answers(fx.store->responses(), fx.model, o, out).error().kind, ErrorKind::invalid_input);
  o.page_size = 10;
  o.since = -1;
  EXPECT_EQ(export_answers(fx.store->responses(), fx.model, o, out).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(parse_export_format("csv"), ExportFormat::csv);
  EXPECT_EQ(parse_export_format("jsonl"), ExportFormat::jsonl);
  EXPECT_FALSE(parse_export_format("xml"));
}

}  // namespace
}  // namespace kaiku::service
