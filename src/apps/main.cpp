// kaiku: the single binary. Parses the command line and wires backends; the only
// place that picks implementations (SQLite store, system clock, libsodium random).
#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/commands.hpp"
#include "apps/text_commands.hpp"
#include "apps/text_eval_command.hpp"
#include "apps/text_train_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Kaiku — customer experience measurement for wellbeing services counties"};
  app.require_subcommand(1);
  kaiku::apps::register_commands(app);
  int text_exit = 0;
  kaiku::apps::add_text_commands(app, text_exit);
  kaiku::apps::add_text_eval_command(app, text_exit);
  kaiku::apps::add_text_train_command(app, text_exit);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return text_exit != 0 ? text_exit : kaiku::apps::exit_code();
}
