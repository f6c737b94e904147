// CSV batch of visit events (for systems without an interface, e.g. social care),
// parsed into domain::CareEvent (source csv). Pure function on bytes. The column
// set, an example and the error format are documented in docs/events-csv.md.
//
// PRIVACY: the events carry personal data. Error messages name the line and the
// column and say what was expected; they never repeat a cell's value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/outreach.hpp"

namespace kaiku::channels::csv {

// The columns, in the documented order (the file may order them freely).
// Required in the header: source_system, event, visit_time, unit_code.
inline constexpr std::string_view kEventsCsvColumns[] = {
    "source_system", "event_id", "event",     "visit_id",       "visit_time", "unit_code_system",
    "unit_code",     "visit_type", "service", "person_id",      "birth_date", "age",
    "mobile",        "language", "municipality", "non_disclosure", "deceased", "consent"};

// One problem. `line` is the 1-based physical line where the row starts (the
// header is line 1; 0 for the file as a whole); `column` is the column name
// ("" when the problem is not one cell's).
struct CsvError {
  std::size_t line = 0;
  std::string column;
  std::string message;
};

// One accepted row.
struct CsvEvent {
  std::size_t line = 0;       // where the row starts
  domain::CareEvent event;
};

struct EventsCsvResult {
  // False when the file as a whole cannot be read (encoding, header, quoting);
  // `errors` then says why and `events` holds the rows read before the problem
  // (none for encoding and header problems).
  bool file_ok = true;
  char delimiter = ',';                // ',' or ';' as detected from the header line
  std::size_t rows = 0;                // data rows read (blank lines not counted)
  std::vector<CsvEvent> events;        // rows without errors, in file order
  std::vector<CsvError> errors;        // every row's errors, in file order
};

// Parses a whole file: UTF-8 with or without a byte-order mark (UTF-16 and
// ill-formed UTF-8, e.g. Windows-1252 from Excel's plain "CSV", are refused as
// file errors), RFC 4180 quoting (quoted fields may hold the delimiter, "" and
// line breaks), CRLF or LF line ends, ',' or ';' as the delimiter (whichever the
// header line has more of outside quotes). Header names are matched without case
// and surrounding spaces; an unknown or repeated column name is a file error (a
// misspelt column must not silently lose data); columns with an empty name
// (trailing delimiters) are ignored. Blank rows are skipped. A row with a
// problem is reported and left out; the other rows are still returned.
EventsCsvResult parse_events_csv(std::string_view bytes);

}  // namespace kaiku::channels::csv
