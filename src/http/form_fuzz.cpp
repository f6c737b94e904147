// libFuzzer target: the form/query parser must never crash, hang or accept
// invalid UTF-8. Build with `make fuzz`; run build-fuzz/fuzz_form.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/encoding.hpp"
#include "http/form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = kaiku::http::parse_form_urlencoded(body);
  if (form) {
    for (const auto& [key, value] : form->fields) {
      if (!kaiku::is_valid_utf8(key) || !kaiku::is_valid_utf8(value)) __builtin_trap();
    }
  }
  (void)kaiku::http::split_target(body);
  return 0;
}
