#include "apps/commands.hpp"

namespace kaiku::apps {
namespace {
int g_exit_code = 0;
}

void register_commands(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Work with measurement model files");
  model->require_subcommand(1);
  (void)app;
}

int exit_code() { return g_exit_code; }

}  // namespace kaiku::apps
