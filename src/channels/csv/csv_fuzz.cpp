// libFuzzer target: parse_events_csv must never crash or hang; every event's text
// and every error message must be UTF-8, lines must ascend, and a file error is
// always reported.
// Build with `make fuzz`; run build-fuzz/fuzz_csv tests/fuzz/csv.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/encoding.hpp"
#include "channels/csv/events_csv.hpp"

namespace csv = kaiku::channels::csv;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const csv::EventsCsvResult r = csv::parse_events_csv(bytes);
  if (!r.file_ok && r.errors.empty()) __builtin_trap();
  if (r.delimiter != ',' && r.delimiter != ';') __builtin_trap();
  if (r.events.size() > r.rows) __builtin_trap();
  std::size_t last = 1;
  for (const auto& ev : r.events) {
    if (ev.line <= last) __builtin_trap();  // the header is line 1
    last = ev.line;
    const auto& e = ev.event;
    if (e.source != kaiku::domain::EventSource::csv) __builtin_trap();
    if (e.sender.empty() || e.trigger.empty() || e.message_id.empty() || !e.visit_time) __builtin_trap();
    if (e.unit_codes.size() != 1 || e.unit_codes[0].value.empty()) __builtin_trap();
    for (const std::string* s : {&e.sender, &e.message_id, &e.trigger, &e.visit_id, &e.person_id,
                                 &e.visit_type, &e.service, &e.language, &e.municipality}) {
      if (!kaiku::is_valid_utf8(*s)) __builtin_trap();
    }
    for (const auto& m : e.mobiles) {
      if (m.empty() || !kaiku::is_valid_utf8(m)) __builtin_trap();
    }
  }
  for (const auto& err : r.errors) {
    if (err.message.empty() || !kaiku::is_valid_utf8(err.message) || !kaiku::is_valid_utf8(err.column)) {
      __builtin_trap();
    }
  }
  return 0;
}
