// `kaiku gen` (deterministic synthetic answers into a data directory) and
// `kaiku export` (the data-lake export of every answer).
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds the `gen` and `export` subcommands; their callbacks store the exit code in `exit_code`.
void add_data_commands(CLI::App& app, int& exit_code);

}  // namespace kaiku::apps
