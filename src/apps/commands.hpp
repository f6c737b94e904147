// The subcommands of the kaiku binary.
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds serve, model check, user add, token issue and invite create to `app`.
// Each subcommand runs from its callback and records its exit code.
void register_commands(CLI::App& app);
// The exit code recorded by the subcommand that ran.
int exit_code();

}  // namespace kaiku::apps
