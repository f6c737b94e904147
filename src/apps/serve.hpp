// `kaiku serve`: opens the data directory and the model, and runs the HTTP server.
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds the `serve` subcommand to `app`; its callback stores the exit code in `exit_code`.
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace kaiku::apps
