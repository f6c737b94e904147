// Renders an analytics::Table as an Excel workbook (.xlsx, libxlsxwriter): the
// export of every report table (docs/api.md, "Reports"; docs/workspace-api.md,
// "Dashboard and reports"). The sheet has the CSV's columns (report_fields):
// a title line, the header line, then one line per row; figures are numbers,
// flags are booleans, a suppressed cell's figures are empty cells and its note
// says why.
#pragma once

#include <string>
#include <string_view>

#include "analytics/query.hpp"
#include "base/result.hpp"

namespace kaiku::http {

// The workbook's title line: indicator, unit (its name and id), period, grouping
// and the threshold, e.g. "nps · Keski-Suomi (ks) · 2026-10-27 – 2026-11-25 ·
// by unit · cells with fewer than 5 answers are not shown". Pure.
std::string report_title(const analytics::Table& t, std::string_view unit_name);

// A download's file name: "kaiku-<indicator>-<unit>-<from>-<to>.<ext>", every
// character outside [A-Za-z0-9._-] replaced by '_'. Pure.
std::string report_file_name(const analytics::Table& t, std::string_view ext);

// The .xlsx bytes of `t` with `title` as its first line (one sheet, "Report").
// libxlsxwriter writes to a file: a private temporary file (mkstemp, mode 0600) in
// the system temp directory, read back and deleted before returning, also on
// every error. Errors: unavailable (the temporary file could not be made, written
// or read back), naming the step and the library's or system's reason.
// Thread-safe.
Result<std::string> report_xlsx(const analytics::Table& t, const std::string& title);

}  // namespace kaiku::http
