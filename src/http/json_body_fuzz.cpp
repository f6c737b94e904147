// libFuzzer target: the JSON API body parsers must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto submission = kaiku::http::parse_api_submission(body);
  if (submission) (void)kaiku::http::raw_answers_of(*submission);
  (void)kaiku::http::parse_api_invitation(body);
  return 0;
}
