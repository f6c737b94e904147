// kaiku: the single binary. Parses the command line and wires backends; the only
// place that picks implementations (SQLite store, system clock, libsodium random).
#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Kaiku — customer experience measurement for wellbeing services counties"};
  app.require_subcommand(1);
  kaiku::apps::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return kaiku::apps::exit_code();
}
