#include "modelfile/diagnostic.hpp"

#include <tuple>

namespace kaiku::modelfile {

std::string format(const Diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

bool operator<(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
}

}  // namespace kaiku::modelfile
