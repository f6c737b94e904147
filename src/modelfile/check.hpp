// `kaiku model check PATH`: validates a model file or folder for a person at a terminal.
#pragma once

#include <filesystem>
#include <ostream>

namespace kaiku::modelfile {

// Loads the model at `path` (see load_model). On problems prints each as
// "file:line:column: message" on `err`, then a count, and returns 1. On success
// prints one summary line on `out` (county, version, counts) and returns 0.
int check_model_command(const std::filesystem::path& path, std::ostream& out, std::ostream& err);

}  // namespace kaiku::modelfile
