// libFuzzer target: the MLLP decoder must never crash, never buffer more than its
// limit, and must give the same frames however the stream is chunked.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "channels/hl7/mllp.hpp"

namespace hl7 = kaiku::channels::hl7;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t limit = 64 + data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  hl7::MllpDecoder whole(limit);
  std::vector<std::string> a;
  for (auto& r : whole.feed(stream)) {
    if (r) a.push_back(*r);
  }
  hl7::MllpDecoder bytewise(limit);
  std::vector<std::string> b;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    for (auto& r : bytewise.feed(stream.substr(i, 1))) {
      if (r) b.push_back(*r);
    }
    if (bytewise.buffered() > limit) __builtin_trap();
  }
  if (a != b) __builtin_trap();
  for (const auto& f : a) {
    if (f.size() > limit) __builtin_trap();
    // A frame round-trips through frame() unless it contains framing bytes itself.
    if (f.find_first_of(std::string_view("\x0B\x1C", 2)) == std::string::npos) {
      hl7::MllpDecoder again(limit);
      auto r = again.feed(hl7::frame(f));
      if (r.size() != 1 || !r[0] || *r[0] != f) __builtin_trap();
    }
  }
  return 0;
}
