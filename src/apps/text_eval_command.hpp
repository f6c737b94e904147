// `kaiku text eval`: scores the text analysis against hand-labelled comments
// (docs/text.md, "Evaluation"), so a CX specialist can check a taxonomy change on
// the county's own labelled comments, and the test suite can guard the scores.
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds `eval` under the existing `text` subcommand of `app` (add_text_commands must
// have run). Exit codes stored in `exit_code`: 0 scores printed (and every --min-*
// floor met), 2 a file or the model could not be read, 3 a floor was not met.
void add_text_eval_command(CLI::App& app, int& exit_code);

}  // namespace kaiku::apps
