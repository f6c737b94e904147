#include "service/export.hpp"

#include <boost/json.hpp>

#include "analytics/calendar.hpp"
#include "domain/language.hpp"
#include "service/csv.hpp"
#include "service/survey_service.hpp"

namespace kaiku::service {
namespace {

std::string_view type_name(domain::QuestionType t) {
  using domain::QuestionType;
  switch (t) {
    case QuestionType::nps: return "nps";
    case QuestionType::agreement: return "agreement";
    case QuestionType::smiley3: return "smiley3";
    case QuestionType::smiley5: return "smiley5";
    case QuestionType::single_choice: return "single_choice";
    case QuestionType::multi_choice: return "multi_choice";
    case QuestionType::open_text: return "open_text";
    case QuestionType::contact_request: return "contact_request";
  }
  return "unknown";
}

// One exported value: a number or a string.
struct Value {
  bool is_number = false;
  int number = 0;
  std::string text;
};

struct Common {
  std::string response_id, answered_at, unit, journey, touchpoint, survey, channel, language, respondent, age_group;
};

void write_row(const Common& c, const std::string& key, std::string_view type, const Value& v, ExportFormat format,
               std::ostream& out) {
  if (format == ExportFormat::csv) {
    out << c.response_id << ',' << csv_field(c.answered_at) << ',' << csv_field(c.unit) << ','
        << csv_field(c.journey) << ',' << csv_field(c.touchpoint) << ',' << csv_field(c.survey) << ','
        << csv_field(c.channel) << ',' << csv_field(c.language) << ',' << csv_field(c.respondent) << ','
        << csv_field(c.age_group) << ',' << csv_field(key) << ',' << csv_field(type) << ','
        << (v.is_number ? std::to_string(v.number) : csv_field(v.text)) << "\r\n";
    return;
  }
  boost::json::object o;
  o["response_id"] = std::stoll(c.response_id);
  o["answered_at"] = c.answered_at;
  o["unit_id"] = c.unit;
  o["journey_id"] = c.journey;
  o["touchpoint_id"] = c.touchpoint;
  o["survey_id"] = c.survey;
  o["channel"] = c.channel;
  o["language"] = c.language;
  o["respondent"] = c.respondent;
  o["age_group"] = c.age_group;
  o["question_key"] = key;
  o["question_type"] = type;
  if (v.is_number) {
    o["value"] = v.number;
  } else {
    o["value"] = v.text;
  }
  out << boost::json::serialize(o) << '\n';
}

// Privacy: with the unit and age group, an answer time to the millisecond would
// be a linkage key to other records, so the export says only the minute:
// "2026-03-14T12:30:00+02:00" (Helsinki offsets are whole minutes, so flooring
// the instant floors the local time).
std::string export_time(TimePoint t) {
  std::string s = analytics::TimeZone::helsinki().format_local(std::chrono::floor<std::chrono::minutes>(t));
  const std::size_t dot = s.find('.', s.find('T'));
  if (dot != std::string::npos) s.erase(dot, 4);  // ".000"
  return s;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) noexcept {
  if (name == "csv") return ExportFormat::csv;
  if (name == "jsonl") return ExportFormat::jsonl;
  return std::nullopt;
}

const std::vector<std::string_view>& export_columns() {
  static const std::vector<std::string_view> cols{
      "response_id", "answered_at", "unit_id",    "journey_id",   "touchpoint_id", "survey_id", "channel",
      "language",    "respondent",  "age_group", "question_key", "question_type", "value"};
  return cols;
}

std::int64_t write_export_rows(const domain::Model& model, const domain::Response& r, ExportFormat format,
                               std::ostream& out) {
  const domain::Survey* survey = r.survey == kFeedbackSurveyId ? &feedback_survey() : model.survey(r.survey);
  const domain::Touchpoint* tp = r.touchpoint.empty() ? nullptr : model.touchpoint(r.touchpoint);
  Common c;
  c.response_id = std::to_string(r.id);
  c.answered_at = export_time(r.answered_at);
  c.unit = r.unit;
  c.journey = tp != nullptr ? tp->journey : "";
  c.touchpoint = r.touchpoint;
  c.survey = r.survey;
  c.channel = domain::channel_name(r.channel);
  c.language = domain::language_tag(r.language);
  c.respondent = domain::respondent_name(r.respondent);
  c.age_group = domain::age_group_name(r.age_group);
  std::int64_t rows = 0;
  for (const auto& a : r.answers) {
    const domain::Question* q = survey != nullptr ? survey->question(a.key) : nullptr;
    std::string_view type = q != nullptr ? type_name(q->type) : (a.number || a.cant_say ? "number" : "choice");
    if (q != nullptr && (q->type == domain::QuestionType::open_text || q->type == domain::QuestionType::contact_request)) {
      continue;  // free text is never exported (it may contain personal data)
    }
    Value v;
    if (a.number) {
      v.is_number = true;
      v.number = *a.number;
      write_row(c, a.key, type, v, format, out);
      ++rows;
    } else if (a.cant_say) {
      v.text = "cant_say";
      write_row(c, a.key, type, v, format, out);
      ++rows;
    } else if (!a.choices.empty()) {
      for (const auto& choice : a.choices) {
        v.text = choice;
        write_row(c, a.key, type, v, format, out);
        ++rows;
      }
    }
    // else: text of a question the model no longer knows -- skipped like open text.
  }
  return rows;
}

Result<ExportSummary> export_answers(storage::ResponseRepository& responses, const domain::Model& model,
                                     const ExportOptions& options, std::ostream& out) {
  if (options.page_size < 1 || options.page_size > 10000) {
    return fail(Error::invalid("page_size: must be 1..10000"));
  }
  if (options.since < 0) return fail(Error::invalid("since: must be a cursor (0 or a response id)"));
  ExportSummary sum;
  sum.next_cursor = options.since;
  if (options.format == ExportFormat::csv && options.header) {
    const auto& cols = export_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) out << (i == 0 ? "" : ",") << cols[i];
    out << "\r\n";
  }
  for (;;) {
    auto page = responses.scan(sum.next_cursor, options.page_size);
    if (!page) return fail(Error::unavailable("could not read responses: " + page.error().message));
    if (page->empty()) break;
    for (const auto& r : *page) {
      sum.rows += write_export_rows(model, r, options.format, out);
      ++sum.responses;
      sum.next_cursor = r.id;
    }
    if (!out) return fail(Error::unavailable("could not write the export (output failed)"));
  }
  out.flush();
  return sum;
}

}  // namespace kaiku::service
