// The FHIR R4 event door: POST /fhir/Encounter (one Encounter) and POST /fhir (a
// Bundle of type batch or transaction with Encounter, Patient, Organization and
// Location entries) parsed into domain::CareEvent (source fhir). Pure function on
// bytes; the HTTP layer stores the events and answers with the builders of
// channels/fhir/outcome.hpp. The mapping table is in docs/fhir.md.
//
// PRIVACY: the events carry personal data; issues name elements, never values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "channels/fhir/outcome.hpp"
#include "domain/outreach.hpp"

namespace kaiku::channels::fhir {

// What the HTTP layer knows of the request besides the body.
struct FhirRequest {
  std::string_view path;           // "/fhir/Encounter" or "/fhir" (a trailing '/' is allowed)
  std::string_view client;         // becomes CareEvent::sender, e.g. the API user's login
  std::string_view if_none_exist;  // the If-None-Exist header of POST /fhir/Encounter, "" when absent
};

// One entry of the request (the single Encounter of POST /fhir/Encounter is entry 0).
struct FhirEntry {
  std::size_t index = 0;
  std::string full_url;       // Bundle.entry.fullUrl, "" when none
  std::string resource_type;  // "Encounter", "Patient", "Organization", "Location", or as sent
  // Encounter entries without errors: the event (sender = the client).
  std::optional<domain::CareEvent> event;
  // Encounter entries: the key under which the service recognises a retried
  // POST (scope it by the sender). "if-none-exist:<If-None-Exist or
  // entry.request.ifNoneExist>", else "identifier:<system>|<value>" of the first
  // Encounter.identifier, else "id:<Encounter.id>", followed by "#<status>" so
  // that a later status (in-progress -> finished) is a new event; "" when the
  // Encounter has none of them (retries then fall back to content de-duplication).
  std::string idempotency_key;
  // Batch entries with a problem (the entry's response is then an error; the
  // other entries go on). Never set in a transaction: any problem fails it whole.
  std::optional<OperationOutcome> error;
};

struct FhirPost {
  enum class Kind { encounter, batch, transaction };
  Kind kind = Kind::encounter;
  std::vector<FhirEntry> entries;  // in request order, one per Bundle.entry
};

// Parses a POST body. Fails with an OperationOutcome (every issue found, each
// naming its element, http_status 400 / 404 for an unknown path) when the JSON is
// malformed (with the byte offset), the path is not one of the two, the resource
// is not an Encounter (for /fhir/Encounter) or a Bundle of type batch or
// transaction (for /fhir), or, in a transaction, any entry has a problem.
// Checks: resourceType, Encounter.status (required, R4 value set), every
// dateTime/date read (period, birthDate, deceasedDateTime), JSON types of the
// elements read, entry.request.method (POST or PUT), entry resource types
// (Encounter, Patient, Organization, Location), and references: "#id" to
// contained resources, a Bundle fullUrl ("urn:uuid:..." or absolute), or
// "Type/id" of an entry; a reference to a resource of the wrong type is a
// problem, one that cannot be resolved is not (the event then lacks those details).
Result<FhirPost, OperationOutcome> parse_fhir_post(std::string_view body, const FhirRequest& request);

}  // namespace kaiku::channels::fhir
