// `kaiku text analyze`: free-text analysis of comments read from standard input.
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>

#include "text/analyzer.hpp"
#include "text/redact.hpp"

namespace kaiku::apps {

// Adds the `text` command with its `analyze` subcommand:
//   kaiku text analyze [--json] [--model PATH] [--keep-staff-names]
// The model (default models/demo) gives the theme taxonomy and the free_text
// settings (redact_staff_names); --keep-staff-names keeps names after staff titles
// whatever the model says. The callback stores the exit code in `exit_code`: 0 every
// line analysed or reported as an error object, 1 I/O failure, 2 the model or the
// analyzer could not be loaded.
void add_text_commands(CLI::App& app, int& exit_code);

// Reads one comment per line from `in` and writes one result per line to `out`:
// with `json`, an object {"redacted", "language", "themes" (array of theme ids),
// "sentiment" ("positive", "neutral", "negative", "mixed"), "suggestion" (bool),
// "placeholders" (kinds in text order), "evidence": {"positive", "negative"}}, or
// {"line": n, "error": "..."} for a line that is not valid UTF-8; without `json`, a
// tab-separated line "language<TAB>sentiment<TAB>suggestion (0/1)<TAB>themes (comma-
// separated)<TAB>placeholders (comma-separated)<TAB>redacted". A trailing CR is
// dropped; an empty line gives an empty result. A line longer than 100,000 bytes is
// not analysed (at most that much of it is held in memory): it gives
// {"line": n, "error": "line longer than 100000 bytes"} and processing continues.
// Returns 0, or 1 on an I/O failure.
int analyze_lines(std::istream& in, std::ostream& out, const text::Analyzer& analyzer,
                  const text::RedactOptions& options, bool json);

}  // namespace kaiku::apps
