// libFuzzer target: the model loader must report problems, never crash or hang,
// whatever YAML it is given.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "modelfile/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto model = kaiku::modelfile::load_model_from_string(yaml, "fuzz.yaml");
  if (!model && model.error().empty()) __builtin_trap();  // a failure always says why
  return 0;
}
