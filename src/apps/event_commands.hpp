// `kaiku events import FILE`: the CSV door of the outreach intake (docs/events-csv.md).
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds `events import` to `app`; the exit code goes to `exit_code`.
void add_event_commands(CLI::App& app, int& exit_code);

}  // namespace kaiku::apps
