#include "channels/fhir/fhir_mount.hpp"

#include <spdlog/spdlog.h>

#include "channels/fhir/encounter.hpp"
#include "channels/fhir/outcome.hpp"
#include "security/digest.hpp"

namespace kaiku::channels::fhir {

namespace {

http::Response fhir_json(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.set_header("Content-Type", "application/fhir+json; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.body = std::move(body);
  return res;
}

http::Response outcome_response(const OperationOutcome& outcome) {
  return fhir_json(outcome.http_status, operation_outcome_json(outcome));
}

http::Response error_response(int status, std::string code, std::string diagnostics) {
  return fhir_json(status, operation_outcome_json(outcome_error(std::move(code), std::move(diagnostics), "", status)));
}

// A minimal CapabilityStatement: what this door accepts.
std::string capability_statement() {
  return R"({"resourceType":"CapabilityStatement","status":"active","date":"2026-11-25","kind":"instance",)"
         R"("fhirVersion":"4.0.1","format":["json"],"rest":[{"mode":"server","resource":[)"
         R"({"type":"Encounter","interaction":[{"code":"create"}],"conditionalCreate":true}],)"
         R"("interaction":[{"code":"batch"},{"code":"transaction"}]}]})";
}

// A rejected intake item for a request or entry that could not be read.
service::IntakeItem rejected_item(const std::string& sender, const std::string& digest, const OperationOutcome& why) {
  service::IntakeItem item;
  item.source = domain::EventSource::fhir;
  item.sender = sender;
  item.content_digest = digest;
  for (const auto& issue : why.issues) {
    if (!item.error.empty()) item.error += "; ";
    item.error += issue.diagnostics.empty() ? issue.code : issue.diagnostics;
    if (item.error.size() > 1000) break;
  }
  if (item.error.empty()) item.error = "unreadable FHIR request";
  return item;
}

std::string location_of(const service::IntakeResult& r) {
  const std::int64_t id = r.duplicate_of != 0 ? r.duplicate_of : r.event_id;
  return "Encounter/event-" + std::to_string(id);
}

}  // namespace

FhirMount::FhirMount(service::OutreachService& outreach) : outreach_(outreach) {}

void FhirMount::record_rejected(const std::vector<service::IntakeItem>& items) const {
  auto recorded = outreach_.intake(items);
  if (!recorded) spdlog::warn("fhir: could not record a rejected request: {}", recorded.error().message);
}

http::Response FhirMount::handle(const http::Request& req, const Result<domain::Principal>& caller) const {
  const std::string_view target = req.target;
  std::string_view path = target.substr(0, target.find('?'));
  if (path.size() > 5 && path.back() == '/') path.remove_suffix(1);
  if (path == "/fhir/metadata") {
    if (req.method != "GET" && req.method != "HEAD") return error_response(405, "not-supported", "metadata: GET only");
    return fhir_json(200, capability_statement());
  }
  if (path != "/fhir" && path != "/fhir/Encounter") {
    return error_response(404, "not-supported", std::string(path) + ": no such FHIR endpoint here");
  }
  if (req.method != "POST") {
    http::Response res = error_response(405, "not-supported", std::string(path) + ": only POST is supported");
    res.set_header("Allow", "POST");
    return res;
  }
  if (!caller) {
    const bool unauth = caller.error().kind == ErrorKind::unauthorized;
    http::Response res = error_response(unauth ? 401 : 503, unauth ? "login" : "transient", caller.error().message);
    if (unauth) res.set_header("WWW-Authenticate", "Bearer realm=\"kaiku\"");
    return res;
  }
  if (!domain::may_submit_responses(*caller)) {
    return error_response(403, "forbidden",
                          "role '" + std::string(domain::role_name(caller->role)) + "' may not post visit events");
  }
  const std::string if_none_exist(req.header("if-none-exist"));
  FhirRequest fr{path, caller->login, if_none_exist};
  auto post = parse_fhir_post(req.body, fr);
  const std::string body_digest = security::sha256_hex(req.body);
  if (!post) {
    // Kept with its reason and counted, like an unreadable HL7 message.
    record_rejected({rejected_item(caller->login, body_digest, post.error())});
    return outcome_response(post.error());
  }

  // Encounter entries without problems go to the intake, in request order;
  // entries with a problem are recorded as rejected.
  std::vector<service::IntakeItem> items;
  std::vector<std::size_t> item_of(post->entries.size(), SIZE_MAX);
  for (std::size_t i = 0; i < post->entries.size(); ++i) {
    const FhirEntry& e = post->entries[i];
    if (e.error) {
      service::IntakeItem bad = rejected_item(caller->login, body_digest + "#" + std::to_string(i), *e.error);
      item_of[i] = items.size();
      items.push_back(std::move(bad));
      continue;
    }
    if (!e.event) continue;
    service::IntakeItem item;
    item.source = domain::EventSource::fhir;
    item.sender = e.event->sender;
    if (!e.idempotency_key.empty()) {
      // Conditional create: the key alone identifies the event.
      item.message_id = e.idempotency_key;
    } else {
      item.message_id = e.event->message_id;
      item.content_digest = body_digest + "#" + std::to_string(i);
    }
    item.event = e.event;
    item_of[i] = items.size();
    items.push_back(std::move(item));
  }
  std::vector<service::IntakeResult> results;
  if (!items.empty()) {
    auto recorded = outreach_.intake(items);
    if (!recorded) {
      spdlog::warn("fhir: intake failed: {}", recorded.error().message);
      return error_response(503, "transient", "storage unavailable; nothing was recorded, retry later");
    }
    results = std::move(*recorded);
  }

  if (post->kind == FhirPost::Kind::encounter) {
    if (results.empty()) return error_response(422, "processing", "Encounter: nothing to record");
    const service::IntakeResult& r = results.front();
    if (r.retry_later) {
      return error_response(503, "transient", "the Encounter was recorded but could not be decided; retry later");
    }
    http::Response res = fhir_json(r.duplicate_of != 0 ? 200 : 201, operation_outcome_json(OperationOutcome{{}, 200}));
    res.set_header("Location", location_of(r));
    return res;
  }
  std::vector<EntryResponse> responses;
  for (std::size_t i = 0; i < post->entries.size(); ++i) {
    const FhirEntry& e = post->entries[i];
    EntryResponse er;
    if (e.error) {
      er.http_status = e.error->http_status;
      er.outcome = e.error;
    } else if (item_of[i] != SIZE_MAX) {
      const service::IntakeResult& r = results[item_of[i]];
      if (r.retry_later) {
        er.http_status = 503;
        er.outcome = outcome_error("transient", "recorded but could not be decided; retry later",
                                   "Bundle.entry[" + std::to_string(i) + "]", 503);
      } else {
        er.http_status = r.duplicate_of != 0 ? 200 : 201;
        er.location = location_of(r);
      }
    } else {
      er.http_status = 200;  // context (Patient, Organization, Location): read, not stored
    }
    responses.push_back(std::move(er));
  }
  return fhir_json(200, bundle_response_json(post->kind == FhirPost::Kind::transaction, responses));
}

}  // namespace kaiku::channels::fhir
