// `kaiku text train-sentiment`: trains the learned sentiment model
// (lexicons/sentiment_model.tsv) from hand-labelled comments, cross-validates it, and
// checks that the shipped model is exactly what its corpus trains (docs/text.md,
// *Learned sentiment*).
#pragma once

#include <CLI/CLI.hpp>

namespace kaiku::apps {

// Adds `train-sentiment` under the existing `text` subcommand of `app`. Exit codes in
// `exit_code`: 0 done, 2 a file or the model could not be read or written, 3 --check
// found the model file different from what the corpus trains.
void add_text_train_command(CLI::App& app, int& exit_code);

}  // namespace kaiku::apps
