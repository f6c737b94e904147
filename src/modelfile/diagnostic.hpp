// A problem found in a model file, with where it is. Pure data.
#pragma once

#include <string>

namespace kaiku::modelfile {

// One problem in one file. `line` and `column` are 1-based; a problem that belongs
// to no particular place (e.g. an empty folder) points at 1:1 of the file or folder.
struct Diagnostic {
  std::string file;
  int line = 1;
  int column = 1;
  std::string message;
};

// Returns "file:line:column: message", the form compilers and editors understand.
std::string format(const Diagnostic& d);

// Orders diagnostics by file, then line, then column (for stable, readable output).
bool operator<(const Diagnostic& a, const Diagnostic& b);

}  // namespace kaiku::modelfile
