// The data-lake export: every answer as one row per question answered, in a
// stable documented schema (docs/api.md, "Data-lake export"), incremental from a
// cursor. No direct identifiers: no contact details, no invitation id, no
// submission key, and no open-text answers (free text may name people until
// redaction exists), so the export can leave the county's systems.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

enum class ExportFormat { csv, jsonl };
// "csv" / "jsonl"; nullopt otherwise.
std::optional<ExportFormat> parse_export_format(std::string_view name) noexcept;

// The columns, in order: response_id, answered_at, unit_id, journey_id,
// touchpoint_id, survey_id, channel, language, respondent, age_group,
// question_key, question_type, value.
const std::vector<std::string_view>& export_columns();

struct ExportOptions {
  ExportFormat format = ExportFormat::csv;
  std::int64_t since = 0;  // cursor: only responses with a larger id
  int page_size = 5000;    // rows read from storage at a time (1..10000)
  bool header = true;      // CSV: write the header line first
};

struct ExportSummary {
  std::int64_t next_cursor = 0;  // the last response id read (`since` when none)
  std::int64_t responses = 0;    // responses read
  std::int64_t rows = 0;         // rows written
};

// Writes the rows of one response to `out` (no header). Values: the number for
// nps/agreement/smiley answers, "cant_say", the option key of a single choice,
// one row per chosen option of a multiple choice. The question's type comes from
// `model` (the survey "feedback" is the built-in pseudo-survey); an answer to a
// question the model no longer has is typed by its shape ("number", "choice")
// and skipped when it is text. answered_at is ISO 8601 local time in
// Europe/Helsinki with its offset, truncated to the whole minute (privacy: no
// seconds beyond :00, no fraction), e.g. "2026-03-14T12:30:00+02:00". Returns
// the number of rows written.
std::int64_t write_export_rows(const domain::Model& model, const domain::Response& r, ExportFormat format,
                               std::ostream& out);

// Pages through responses.scan(since, ...) to the end, writing every row.
// Errors: invalid_input (page size), unavailable (storage; rows written so far
// stay written and the summary is lost: re-run from the same cursor).
Result<ExportSummary> export_answers(storage::ResponseRepository& responses, const domain::Model& model,
                                     const ExportOptions& options, std::ostream& out);

}  // namespace kaiku::service
