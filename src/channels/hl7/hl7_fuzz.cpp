// libFuzzer target: the HL7 v2 parser, visit extraction and ACK builder must never
// crash or hang, every value read must be UTF-8, and every ACK must parse back.
// Build with `make fuzz`; run build-fuzz/fuzz_hl7 tests/fuzz/hl7.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/encoding.hpp"
#include "channels/hl7/ack.hpp"
#include "channels/hl7/message.hpp"
#include "channels/hl7/visit_event.hpp"

namespace hl7 = kaiku::channels::hl7;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto m = hl7::parse_message(bytes);
  if (!m) {
    const std::string ack = hl7::build_reject_ack(bytes, m.error().message, "F1", "20260101");
    if (!hl7::parse_message(ack)) __builtin_trap();
    return 0;
  }
  for (const auto& seg : m->segments()) {
    for (std::size_t f = 1; f <= seg.field_count() && f <= 8; ++f) {
      const std::string v = seg.value(f, 1, 1, 1);
      if (!kaiku::is_valid_utf8(v)) __builtin_trap();
    }
  }
  auto v = hl7::extract_visit(*m);
  const std::string reason = v ? std::string() : v.error().message;
  const std::string ack = hl7::build_ack(*m, v ? hl7::AckCode::AA : hl7::AckCode::AR, reason,
                                         "F2", "20260101");
  auto back = hl7::parse_message(ack);
  if (!back) __builtin_trap();
  if (back->field("MSA", 2) != m->control_id()) __builtin_trap();
  return 0;
}
