// Renders an analytics::Table as the API's JSON and CSV (docs/api.md, "Reports").
// Pure functions. A suppressed cell carries no figure in either form: its n,
// value and interval are null (JSON) or empty (CSV), with the reason and a note.
#pragma once

#include <string>
#include <vector>

#include "analytics/query.hpp"

namespace kaiku::http {

// The note of a suppressed cell: "fewer than 5 answers" (below the threshold),
// "hidden so that a smaller cell cannot be derived" (complementary).
std::string suppression_note(analytics::Suppression s, int threshold);
// "below_threshold" / "complementary" / "" (none).
std::string_view suppression_reason(analytics::Suppression s);

// {"indicator","kind","unit","from","to","threshold","group_by":[...],"rows":[...]}.
std::string report_json(const analytics::Table& t);

// The same as RFC 4180 CSV with a header line: the group_by columns, n, value,
// ci_low, ci_high, suppressed, reason, note, period_from, period_to, widened, the
// kind's own columns (nps: promoters, passives, detractors; shares: positive,
// mean, cant_say; response_rate: answered; comment_share: matching), target,
// target_met, one mix_<channel> column per channel in any row's mix, standardised columns when any cell has them,
// previous_* and year_ago_* columns when any cell has them.
std::string report_csv(const analytics::Table& t);

// The fields of report_csv before quoting: the header line first, then one line
// per row, every line as long as the header (the Excel export uses them too).
std::vector<std::vector<std::string>> report_fields(const analytics::Table& t);

}  // namespace kaiku::http
