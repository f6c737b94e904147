// The query parameters of GET /api/v1/reports/indicators, parsed into an
// analytics::Query. A pure function (docs/api.md, "Reports").
#pragma once

#include <string>

#include "analytics/calendar.hpp"
#include "analytics/query.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "http/form.hpp"

namespace kaiku::http {

// A bad parameter: its name and what is wrong with it.
struct ParamError {
  std::string param;
  std::string message;  // starts with "<param>: "
};

// Parses the report parameters: indicator (default "nps"), unit, from/to
// (YYYY-MM-DD, inclusive, Europe/Helsinki; to defaults to `today`, from to 29
// days before to: the last 30 days), journey, touchpoint, channel, language, age_group,
// respondent, themes (theme ids of model.themes), sentiments (positive, neutral,
// negative, mixed) (comma-separated lists; every value must exist in `model` or
// be a known name), group_by (comma-separated, at most 2, distinct), adaptive,
// standardise, compare ("true"/"false"). Unknown or repeated parameters,
// empty list items and bad values are errors naming the parameter. The unit is
// not checked against the model here (the service does, with the scope).
Result<analytics::Query, ParamError> parse_report_query(const RawForm& query, const domain::Model& model,
                                                        analytics::Day today);

// The form a report is served in.
enum class ReportFormat { json, csv, xlsx };

// The "Content-Type" of an Excel workbook (.xlsx).
inline constexpr std::string_view kXlsxMediaType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The form asked for: the `format` parameter (json, csv or xlsx) when given,
// else the first of text/csv, kXlsxMediaType and application/json named in the
// Accept header (case-insensitive), else json. A bad `format` value is an error
// naming "format". (parse_report_query accepts and ignores `format`.)
Result<ReportFormat, ParamError> parse_report_format(const RawForm& query, std::string_view accept);

}  // namespace kaiku::http
