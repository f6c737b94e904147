// The FHIR R4 event door on the HTTP server:
//   POST /fhir/Encounter   one Encounter (If-None-Exist honoured)
//   POST /fhir             a Bundle of type batch or transaction
//   GET  /fhir/metadata    a minimal CapabilityStatement
// Bearer auth (roles integration or admin); the caller's login is the event's
// sender. Every Encounter is recorded with a decision by OutreachService::intake in
// one durable transaction before the answer; a retried POST (same If-None-Exist /
// identifier / content) is recognised and answered 200 with the first event's
// location instead of making a second event. Errors are OperationOutcomes; a
// request or batch entry that cannot be read is also recorded as a rejected event.
#pragma once

#include <string_view>
#include <vector>

#include "http/mount.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::channels::fhir {

class FhirMount final : public http::Mount {
 public:
  // `outreach` must outlive the mount.
  explicit FhirMount(service::OutreachService& outreach);
  std::string_view prefix() const override { return "/fhir"; }
  http::Response handle(const http::Request& req, const Result<domain::Principal>& caller) const override;

 private:
  // Records requests that could not be read as rejected events (best effort: the
  // OperationOutcome goes back whether or not storage took them).
  void record_rejected(const std::vector<service::IntakeItem>& items) const;

  service::OutreachService& outreach_;
};

}  // namespace kaiku::channels::fhir
