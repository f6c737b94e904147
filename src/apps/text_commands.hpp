// `kaiku text analyze`: free-text analysis of comments read from standard input.
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>

namespace kaiku::apps {

// Adds the `text` command with its `analyze` subcommand; the callback stores the exit
// code (0 = every line analysed or reported as an error object, 1 = I/O failure) in
// `exit_code`.
void add_text_commands(CLI::App& app, int& exit_code);

// Reads one comment per line from `in` and writes one result per line to `out`:
// with `json`, an object {"redacted", "language", "placeholders", "themes",
// "sentiment", "suggestion"} (the last three null until implemented), or
// {"line": n, "error": "..."} for a line that is not valid UTF-8; without `json`, a
// tab-separated "language<TAB>placeholders<TAB>redacted" line. A trailing CR is
// dropped. Returns the exit code.
int analyze_lines(std::istream& in, std::ostream& out, bool json);

}  // namespace kaiku::apps
