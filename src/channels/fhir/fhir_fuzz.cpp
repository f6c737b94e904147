// libFuzzer target: the FHIR door (parse_fhir_post on both paths) and its answer
// builders must never crash or hang; every answer must be JSON that parses back,
// with one response entry per request entry; every event's text must be UTF-8.
// Build with `make fuzz`; run build-fuzz/fuzz_fhir tests/fuzz/fhir.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/encoding.hpp"
#include "channels/fhir/encounter.hpp"
#include "channels/fhir/outcome.hpp"

namespace fhir = kaiku::channels::fhir;

namespace {

void must_parse(const std::string& json) {
  boost::system::error_code ec;
  boost::json::parse(json, ec);
  if (ec) __builtin_trap();
}

void check_utf8(const kaiku::domain::CareEvent& e) {
  for (const std::string* s : {&e.sender, &e.message_id, &e.trigger, &e.visit_id, &e.visit_type, &e.service,
                               &e.person_id, &e.language, &e.municipality}) {
    if (!kaiku::is_valid_utf8(*s)) __builtin_trap();
  }
  for (const auto& m : e.mobiles) {
    if (!kaiku::is_valid_utf8(m)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"/fhir/Encounter", "/fhir"}) {
    auto post = fhir::parse_fhir_post(body, fhir::FhirRequest{path, "fuzz", "identifier=s|v"});
    if (!post) {
      if (post.error().issues.empty()) __builtin_trap();
      must_parse(fhir::operation_outcome_json(post.error()));
      continue;
    }
    if (post->kind == fhir::FhirPost::Kind::encounter && post->entries.size() != 1) __builtin_trap();
    std::vector<fhir::EntryResponse> responses;
    for (const auto& e : post->entries) {
      if (e.event && e.error) __builtin_trap();
      if (post->kind == fhir::FhirPost::Kind::transaction && e.error) __builtin_trap();
      if (e.event) {
        check_utf8(*e.event);
        if (e.event->source != kaiku::domain::EventSource::fhir) __builtin_trap();
      }
      responses.push_back(e.error ? fhir::EntryResponse{400, "", e.error}
                                  : fhir::EntryResponse{201, "Encounter/x", std::nullopt});
    }
    const std::string out =
        fhir::bundle_response_json(post->kind == fhir::FhirPost::Kind::transaction, responses);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(out, ec);
    if (ec || v.at("entry").as_array().size() != post->entries.size()) __builtin_trap();
  }
  return 0;
}
