// The HL7 v2 door of the outreach intake, apart from sockets: decoded MLLP frames in,
// acknowledgements out. Each frame is parsed (message, visit event, CareEvent),
// every frame of a batch is recorded by OutreachService::intake in one durable
// transaction, and only then is each answered: AA when recorded (also for
// duplicates and events that are excluded or unmapped -- the sender did its part --
// and for well-formed messages of types outreach does not use, which are recorded
// as rejected/unsupported_event), AR when the message itself is unusable
// (unparseable, required fields missing; recorded as rejected), AE for every frame
// of the batch when storage failed (nothing recorded; the sender retries) and for
// an event recorded but not decidable (IntakeResult::retry_later).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::channels::hl7 {

// Counts since construction, for logs and benchmarks.
struct Hl7IntakeStats {
  std::uint64_t frames = 0;
  std::uint64_t accepted = 0;   // AA
  std::uint64_t rejected = 0;   // AR
  std::uint64_t errors = 0;     // AE
};

class Hl7Intake {
 public:
  // `outreach`, `clock` and `random` must outlive it. Thread-safe.
  Hl7Intake(service::OutreachService& outreach, Clock& clock, Random& random);

  // Answers a batch of MLLP decoder results (frames, and decoder errors such as
  // a frame over the size limit) in order: one ACK payload (not framed) per frame
  // and per oversized frame; other decoder errors (bytes outside any frame) get no
  // answer, since no message was sent. Blocks until the batch is durable.
  std::vector<std::string> handle(const std::vector<Result<std::string>>& frames);

  Hl7IntakeStats stats() const;

 private:
  service::OutreachService& outreach_;
  Clock& clock_;
  Random& random_;
  struct Counters;
  std::shared_ptr<Counters> counters_;
};

}  // namespace kaiku::channels::hl7
