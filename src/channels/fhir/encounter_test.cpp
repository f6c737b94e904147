#include "channels/fhir/encounter.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/clock.hpp"
#include "channels/fhir/datetime.hpp"

namespace kaiku::channels::fhir {
namespace {

using namespace std::chrono;
namespace json = boost::json;

std::string at(const std::optional<TimePoint>& t) { return t ? format_rfc3339(*t) : "unset"; }

const FhirRequest kEncounterPost{"/fhir/Encounter", "apotti-api", ""};
const FhirRequest kBundlePost{"/fhir", "apotti-api", ""};

std::string all_diagnostics(const OperationOutcome& o) {
  std::string s;
  for (const auto& i : o.issues) s += i.code + " " + i.expression + " | " + i.diagnostics + "\n";
  return s;
}

// A Finnish discharge with everything contained.
const char* kFinnish = R"({
  "resourceType": "Encounter",
  "id": "enc-1",
  "meta": {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST"}]},
  "contained": [
    {"resourceType": "Patient", "id": "p",
     "meta": {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]},
     "identifier": [{"system": "urn:oid:1.2.246.10.1.99", "value": "MRN-5"},
                    {"system": "urn:oid:1.2.246.21", "value": "010190-123A"}],
     "birthDate": "1990-01-01",
     "deceasedBoolean": false,
     "telecom": [{"system": "phone", "value": "09 123 456", "use": "work"},
                 {"system": "phone", "value": "040 123 4567", "use": "mobile"},
                 {"system": "phone", "value": "040-1234567", "use": "mobile"},
                 {"system": "email", "value": "x@example.fi"},
                 {"system": "sms", "value": "+358501112222"}],
     "communication": [{"language": {"coding": [{"code": "fi"}]}},
                       {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "sv-FI"}]}, "preferred": true}],
     "address": [{"use": "work", "district": "X"},
                 {"use": "home", "district": "Vaasa",
                  "extension": [{"url": "https://hl7.fi/fhir/finnish-base/StructureDefinition/municipality-code",
                                 "valueCoding": {"system": "urn:oid:1.2.246.537.6.21", "code": "905"}}]}]},
    {"resourceType": "Organization", "id": "o",
     "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.246.10.99887766.10.11"},
                    {"system": "lifecare", "value": "TK-MK"}]},
    {"resourceType": "Location", "id": "l", "identifier": [{"system": "lifecare", "value": "TK-MK-VO"}]}
  ],
  "identifier": [{"system": "urn:oid:1.2.246.10.1.5", "value": "V-998"}],
  "status": "finished",
  "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
  "serviceType": {"coding": [{"system": "urn:oid:1.2.246.537.6.49", "code": "J01"}]},
  "subject": {"reference": "#p"},
  "serviceProvider": {"reference": "#o"},
  "location": [{"location": {"reference": "#l"}}, {"location": {"identifier": {"system": "x", "value": "L2"}}}],
  "period": {"start": "2026-07-01T09:00:00+03:00", "end": "2026-07-01T09:40:00+03:00"}
})";

TEST(FhirEncounter, MapsAFinnishEncounterWithContainedResources) {
  auto post = parse_fhir_post(kFinnish, kEncounterPost);
  ASSERT_TRUE(post) << all_diagnostics(post.error());
  EXPECT_EQ(post->kind, FhirPost::Kind::encounter);
  ASSERT_EQ(post->entries.size(), 1u);
  const FhirEntry& entry = post->entries[0];
  EXPECT_EQ(entry.resource_type, "Encounter");
  EXPECT_FALSE(entry.error);
  ASSERT_TRUE(entry.event);
  const domain::CareEvent& e = *entry.event;
  EXPECT_EQ(e.source, domain::EventSource::fhir);
  EXPECT_EQ(e.sender, "apotti-api");
  EXPECT_EQ(e.message_id, "enc-1");
  EXPECT_EQ(e.trigger, "finished");
  EXPECT_EQ(e.visit_id, "urn:oid:1.2.246.10.1.5|V-998");
  EXPECT_EQ(at(e.visit_time), "2026-07-01T06:40:00.000Z");
  ASSERT_EQ(e.unit_codes.size(), 4u);
  EXPECT_EQ(e.unit_codes[0].system, "oid");  // "urn:oid:..." values become system oid
  EXPECT_EQ(e.unit_codes[0].value, "1.2.246.10.99887766.10.11");
  EXPECT_EQ(e.unit_codes[1].system, "lifecare");
  EXPECT_EQ(e.unit_codes[1].value, "TK-MK");
  EXPECT_EQ(e.unit_codes[2].value, "TK-MK-VO");
  EXPECT_EQ(e.unit_codes[3].value, "L2");  // a logical reference's identifier
  EXPECT_EQ(e.visit_type, "AMB");
  EXPECT_EQ(e.service, "J01");
  EXPECT_EQ(e.person_id, "010190-123A");  // the henkilötunnus system wins over the first identifier
  ASSERT_TRUE(e.birth_date);
  EXPECT_EQ(*e.birth_date, year_month_day{year{1990} / January / 1});
  EXPECT_FALSE(e.deceased);
  EXPECT_TRUE(e.non_disclosure);  // the Patient's meta.security R
  EXPECT_EQ(e.mobiles, (std::vector<std::string>{"040 123 4567", "+358501112222"}));
  EXPECT_EQ(e.language, "sv");  // the preferred one, without the region
  EXPECT_EQ(e.municipality, "905");
  EXPECT_FALSE(e.consent);
  EXPECT_EQ(entry.idempotency_key, "identifier:urn:oid:1.2.246.10.1.5|V-998#finished");

  FhirRequest conditional = kEncounterPost;
  conditional.if_none_exist = "identifier=urn:oid:1.2.246.10.1.5|V-998";
  post = parse_fhir_post(kFinnish, conditional);
  ASSERT_TRUE(post);
  EXPECT_EQ(post->entries[0].idempotency_key, "if-none-exist:identifier=urn:oid:1.2.246.10.1.5|V-998#finished");
}

const char* kBatch = R"({
  "resourceType": "Bundle", "type": "batch",
  "entry": [
    {"fullUrl": "urn:uuid:5d0e0c43-0000-4000-8000-000000000001",
     "resource": {"resourceType": "Patient", "identifier": [{"value": "131052-308T"}],
                  "deceasedDateTime": "2026-07-02", "telecom": [{"system": "phone", "use": "mobile", "value": "0401112233"}]},
     "request": {"method": "POST", "url": "Patient"}},
    {"fullUrl": "urn:uuid:5d0e0c43-0000-4000-8000-000000000002",
     "resource": {"resourceType": "Organization", "identifier": [{"system": "oid", "value": "1.2.246.10.5"}]},
     "request": {"method": "POST", "url": "Organization"}},
    {"fullUrl": "https://ehr.example/fhir/Location/L1",
     "resource": {"resourceType": "Location", "id": "L1", "identifier": [{"value": "ROOM-1"}]},
     "request": {"method": "PUT", "url": "Location/L1"}},
    {"resource": {"resourceType": "Encounter", "status": "finished",
                  "identifier": [{"system": "s", "value": "v1"}],
                  "subject": {"reference": "urn:uuid:5d0e0c43-0000-4000-8000-000000000001"},
                  "serviceProvider": {"reference": "urn:uuid:5d0e0c43-0000-4000-8000-000000000002"},
                  "location": [{"location": {"reference": "Location/L1"}}],
                  "meta": {"security": [{"code": "V"}]},
                  "period": {"start": "2026-07-01T09:00:00Z"}},
     "request": {"method": "POST", "url": "Encounter", "ifNoneExist": "identifier=s|v1"}},
    {"resource": {"resourceType": "Encounter", "status": "finished", "period": {"end": "1.7.2026"}},
     "request": {"method": "POST", "url": "Encounter"}},
    {"request": {"method": "DELETE", "url": "Encounter/9"}},
    {"resource": {"resourceType": "Encounter", "status": "done", "subject": {"reference": "Location/L1"}},
     "request": {"method": "POST", "url": "Encounter"}},
    {"resource": {"resourceType": "Observation", "status": "final"}, "request": {"method": "POST", "url": "Observation"}},
    {"resource": {"resourceType": "Encounter", "id": "x9", "status": "cancelled", "subject": {"reference": "Patient/unknown"}},
     "request": {"method": "PUT", "url": "Encounter/x9"}}
  ]})";

TEST(FhirEncounter, BatchHasPerEntryErrorsAndResolvesFullUrls) {
  auto post = parse_fhir_post(kBatch, kBundlePost);
  ASSERT_TRUE(post) << all_diagnostics(post.error());
  EXPECT_EQ(post->kind, FhirPost::Kind::batch);
  ASSERT_EQ(post->entries.size(), 9u);
  for (std::size_t i : {0u, 1u, 2u}) {
    EXPECT_FALSE(post->entries[i].error) << i;
    EXPECT_FALSE(post->entries[i].event) << i;
  }
  EXPECT_EQ(post->entries[0].resource_type, "Patient");
  EXPECT_EQ(post->entries[2].full_url, "https://ehr.example/fhir/Location/L1");

  const FhirEntry& ok = post->entries[3];
  ASSERT_FALSE(ok.error) << all_diagnostics(*ok.error);
  ASSERT_TRUE(ok.event);
  EXPECT_EQ(ok.event->person_id, "131052-308T");  // henkilötunnus shape
  EXPECT_TRUE(ok.event->deceased);
  EXPECT_TRUE(ok.event->non_disclosure);  // the Encounter's meta.security V
  EXPECT_EQ(ok.event->mobiles, std::vector<std::string>{"0401112233"});
  ASSERT_EQ(ok.event->unit_codes.size(), 2u);
  EXPECT_EQ(ok.event->unit_codes[0].value, "1.2.246.10.5");
  EXPECT_EQ(ok.event->unit_codes[1].value, "ROOM-1");
  EXPECT_EQ(at(ok.event->visit_time), "2026-07-01T09:00:00.000Z");  // start when no end
  EXPECT_EQ(ok.event->message_id.rfind("identifier-", 0), 0u);
  EXPECT_EQ(ok.idempotency_key, "if-none-exist:identifier=s|v1#finished");

  auto issue_of = [&](std::size_t i) -> Issue {
    const FhirEntry& e = post->entries[i];
    EXPECT_FALSE(e.event) << i;
    if (!e.error || e.error->issues.empty()) {
      ADD_FAILURE() << "entry " << i << " has no error";
      return {};
    }
    return e.error->issues[0];
  };
  Issue i4 = issue_of(4);
  EXPECT_EQ(i4.expression, "Bundle.entry[4].resource.period.end");
  EXPECT_EQ(i4.code, "value");
  EXPECT_NE(i4.diagnostics.find("Bundle.entry[4].resource.period.end: not a dateTime"), std::string::npos);
  EXPECT_EQ(issue_of(5).expression, "Bundle.entry[5].request.method");
  EXPECT_EQ(issue_of(5).code, "not-supported");
  const FhirEntry& e6 = post->entries[6];
  ASSERT_TRUE(e6.error);
  ASSERT_EQ(e6.error->issues.size(), 2u) << all_diagnostics(*e6.error);
  EXPECT_EQ(e6.error->issues[0].expression, "Bundle.entry[6].resource.status");
  EXPECT_EQ(e6.error->issues[1].expression, "Bundle.entry[6].resource.subject.reference");
  EXPECT_NE(e6.error->issues[1].diagnostics.find("refers to a Location"), std::string::npos);
  EXPECT_EQ(issue_of(7).code, "not-supported");

  const FhirEntry& e8 = post->entries[8];
  ASSERT_TRUE(e8.event);
  EXPECT_EQ(e8.event->trigger, "cancelled");
  EXPECT_EQ(e8.event->person_id, "Patient/unknown");  // unresolved: the reference itself
  EXPECT_EQ(e8.event->visit_id, "x9");
  EXPECT_EQ(e8.idempotency_key, "id:x9#cancelled");
}

TEST(FhirEncounter, TransactionFailsWholeWithEveryIssue) {
  std::string body = kBatch;
  body.replace(body.find("\"batch\""), 7, "\"transaction\"");
  auto post = parse_fhir_post(body, kBundlePost);
  ASSERT_FALSE(post);
  const std::string d = all_diagnostics(post.error());
  EXPECT_EQ(post.error().http_status, 400);
  for (const char* where : {"Bundle.entry[4].resource.period.end", "Bundle.entry[5].request.method",
                            "Bundle.entry[6].resource.status", "Bundle.entry[7].resource.resourceType"}) {
    EXPECT_NE(d.find(where), std::string::npos) << where << "\n" << d;
  }
  // A bad Patient read by two Encounters is reported once.
  auto twice = parse_fhir_post(R"({"resourceType":"Bundle","type":"transaction","entry":[
      {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","birthDate":"1990-1-1"},"request":{"method":"POST"}},
      {"resource":{"resourceType":"Encounter","status":"finished","subject":{"reference":"urn:uuid:p"}},"request":{"method":"POST"}},
      {"resource":{"resourceType":"Encounter","status":"finished","subject":{"reference":"urn:uuid:p"}},"request":{"method":"POST"}}]})",
                               kBundlePost);
  ASSERT_FALSE(twice);
  ASSERT_EQ(twice.error().issues.size(), 1u) << all_diagnostics(twice.error());
  EXPECT_EQ(twice.error().issues[0].expression, "Bundle.entry[0].resource.birthDate");
  // Without the bad entries it is accepted.
  json::value v = json::parse(body);
  json::array& entries = v.as_object()["entry"].as_array();
  entries.erase(entries.begin() + 4, entries.begin() + 8);
  post = parse_fhir_post(json::serialize(v), kBundlePost);
  ASSERT_TRUE(post) << all_diagnostics(post.error());
  EXPECT_EQ(post->kind, FhirPost::Kind::transaction);
  EXPECT_EQ(post->entries.size(), 5u);
  EXPECT_TRUE(post->entries[3].event);
}

TEST(FhirEncounter, HostileBodies) {
  struct Case {
    const char* body;
    const char* path;
    const char* expect;  // in the first issue's diagnostics
  };
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  const Case cases[] = {
      {"", "/fhir/Encounter", "invalid JSON at byte 0"},
      {"{\"resourceType\": \"Encounter\",", "/fhir/Encounter", "invalid JSON at byte"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\"} x", "/fhir/Encounter", "invalid JSON at byte 52"},
      {"[]", "/fhir/Encounter", "expected a FHIR resource (a JSON object), got an array"},
      {deep.c_str(), "/fhir", "invalid JSON"},
      {"{\"resourceType\": 7}", "/fhir/Encounter", "Encounter.resourceType: expected a string, got a number"},
      {"{\"status\": \"finished\"}", "/fhir/Encounter", "resourceType is missing"},
      {"{\"resourceType\": \"Patient\"}", "/fhir/Encounter", "expected an Encounter, got a Patient"},
      {"{\"resourceType\": \"<script>\"}", "/fhir/Encounter", "expected an Encounter, got a resource of another type"},
      {"{\"resourceType\": \"Bundle\", \"type\": \"batch\"}", "/fhir/Encounter", "POST Bundles to /fhir"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\"}", "/fhir", "POST single Encounters"},
      {"{\"resourceType\": \"Encounter\"}", "/fhir/Encounter", "Encounter.status: required element is missing"},
      {"{\"resourceType\": \"Encounter\", \"status\": 3}", "/fhir/Encounter", "Encounter.status: expected a string, got a number"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"identifier\": {}}", "/fhir/Encounter",
       "Encounter.identifier: expected an array, got an object"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"period\": {\"end\": \"2026-07-01T25:00:00Z\"}}",
       "/fhir/Encounter", "Encounter.period.end: not a dateTime"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"contained\": [{\"resourceType\": \"Patient\", "
       "\"id\": \"p\", \"birthDate\": \"1990-02-30\"}], \"subject\": {\"reference\": \"#p\"}}",
       "/fhir/Encounter", "Encounter.contained[0].birthDate: not a date"},
      {"{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": []}", "/fhir", "only batch and transaction"},
      {"{\"resourceType\": \"Bundle\"}", "/fhir", "Bundle.type: required"},
      {"{\"resourceType\": \"Bundle\", \"type\": \"batch\", \"entry\": 5}", "/fhir", "Bundle.entry: expected an array"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\"}", "/fhir/Patient", "accepts POST /fhir/Encounter"},
      {"{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"name\": \"\xC3\x28\"}", "/fhir/Encounter",
       "invalid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto post = parse_fhir_post(c.body, FhirRequest{c.path, "client", ""});
    ASSERT_FALSE(post);
    ASSERT_FALSE(post.error().issues.empty());
    EXPECT_NE(post.error().issues[0].diagnostics.find(c.expect), std::string::npos)
        << all_diagnostics(post.error());
    EXPECT_EQ(post.error().http_status, std::string(c.path) == "/fhir/Patient" ? 404 : 400);
  }
  // A batch whose entries are all bad is still a batch: the errors are per entry.
  auto post = parse_fhir_post(R"({"resourceType":"Bundle","type":"batch","entry":[1, {"request":{"method":"POST"}}]})",
                              kBundlePost);
  ASSERT_TRUE(post);
  ASSERT_EQ(post->entries.size(), 2u);
  EXPECT_EQ(post->entries[0].error->issues[0].diagnostics, "Bundle.entry[0]: expected an object, got a number");
  EXPECT_EQ(post->entries[1].error->issues[0].expression, "Bundle.entry[1].resource");
}

TEST(FhirEncounter, OutcomeAndResponseJson) {
  OperationOutcome o = outcome_error("value", "Encounter.period.end: not a dateTime", "Encounter.period.end");
  json::value v = json::parse(operation_outcome_json(o));
  EXPECT_EQ(v.at("resourceType"), "OperationOutcome");
  EXPECT_EQ(v.at("issue").at(0).at("severity"), "error");
  EXPECT_EQ(v.at("issue").at(0).at("code"), "value");
  EXPECT_EQ(v.at("issue").at(0).at("expression").at(0), "Encounter.period.end");
  v = json::parse(operation_outcome_json(OperationOutcome{}));
  EXPECT_EQ(v.at("issue").at(0).at("severity"), "information");

  v = json::parse(bundle_response_json(false, {EntryResponse{201, "Encounter/ev-1/_history/1", std::nullopt},
                                               EntryResponse{200, "", std::nullopt},
                                               EntryResponse{400, "", o}}));
  EXPECT_EQ(v.at("type"), "batch-response");
  EXPECT_EQ(v.at("entry").at(0).at("response").at("status"), "201 Created");
  EXPECT_EQ(v.at("entry").at(0).at("response").at("location"), "Encounter/ev-1/_history/1");
  EXPECT_EQ(v.at("entry").at(1).at("response").at("status"), "200 OK");
  EXPECT_EQ(v.at("entry").at(2).at("response").at("status"), "400 Bad Request");
  EXPECT_EQ(v.at("entry").at(2).at("response").at("outcome").at("issue").at(0).at("code"), "value");
  v = json::parse(bundle_response_json(true, {}));
  EXPECT_EQ(v.at("type"), "transaction-response");
  EXPECT_EQ(status_line(422), "422 Unprocessable Entity");
}

TEST(FhirDateTime, Forms) {
  auto t = [](const char* s) { return at(parse_fhir_datetime(s)); };
  EXPECT_EQ(t("2026-07-01T09:40:00+03:00"), "2026-07-01T06:40:00.000Z");
  EXPECT_EQ(t("2026-07-01T09:40:00.1234Z"), "2026-07-01T09:40:00.123Z");
  EXPECT_EQ(t("2026-07-01T09:40:00"), "2026-07-01T06:40:00.000Z");  // no zone: Helsinki
  EXPECT_EQ(t("2026-01-15"), "2026-01-14T22:00:00.000Z");          // local midnight
  EXPECT_EQ(t("2026-03-29T03:30:00"), "2026-03-29T01:30:00.000Z");  // in the spring gap
  EXPECT_EQ(t("2026"), "2025-12-31T22:00:00.000Z");
  for (const char* bad : {"", "2026-7-01", "2026-07-01T09:40", "2026-07-01T09:40:00+0300", "2026-07-01 09:40:00Z",
                          "2026-02-29", "2026-07-01T09:40:00+03:00x", "20260701", "2026-07T09:00:00Z"}) {
    EXPECT_FALSE(parse_fhir_datetime(bad)) << bad;
  }
  bool full = true;
  ASSERT_TRUE(parse_fhir_date("1974-12", &full));
  EXPECT_FALSE(full);
  EXPECT_FALSE(parse_fhir_date("1974-12-25T00:00:00Z"));
}

// ---- The official R4 examples ----

std::filesystem::path examples_dir() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) candidates.push_back(fs::path(env) / ".." / "shared" / "testdata" / "fhir-r4-examples");
#ifdef KAIKU_SOURCE_DIR
  candidates.push_back(fs::path(KAIKU_SOURCE_DIR) / ".." / "shared" / "testdata" / "fhir-r4-examples");
#endif
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return c;
  }
  return {};
}

TEST(FhirEncounter, EveryOfficialExampleIsAcceptedOrClearlyRejected) {
  namespace fs = std::filesystem;
  const fs::path dir = examples_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/testdata/fhir-r4-examples not found";
  int accepted = 0, rejected = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() != ".json") continue;
    const std::string name = f.path().filename().string();
    SCOPED_TRACE(name);
    std::ifstream in(f.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const bool bundle = name.rfind("Bundle-", 0) == 0;
    auto post = parse_fhir_post(s.str(), bundle ? kBundlePost : kEncounterPost);
    if (name.rfind("Encounter-", 0) == 0) {
      ASSERT_TRUE(post) << all_diagnostics(post.error());
      ++accepted;
      ASSERT_EQ(post->entries.size(), 1u);
      ASSERT_TRUE(post->entries[0].event);
      const domain::CareEvent& e = *post->entries[0].event;
      EXPECT_EQ(e.sender, "apotti-api");
      EXPECT_EQ("Encounter-" + e.message_id + ".json", name);  // every example has an id
      EXPECT_FALSE(e.trigger.empty());
      EXPECT_FALSE(e.visit_type.empty());
      EXPECT_FALSE(post->entries[0].idempotency_key.empty());
      if (name == "Encounter-f001.json") {
        EXPECT_EQ(e.trigger, "finished");
        EXPECT_EQ(e.visit_id, "http://www.amc.nl/zorgportal/identifiers/visits|v1451");
        EXPECT_EQ(e.visit_type, "AMB");
        EXPECT_EQ(e.person_id, "Patient/f001");
        EXPECT_TRUE(e.unit_codes.empty());  // Organization/f001 is not in the body
        EXPECT_FALSE(e.visit_time);
      } else if (name == "Encounter-f203.json") {
        EXPECT_EQ(at(e.visit_time), "2013-03-19T22:00:00.000Z");  // end "2013-03-20": Helsinki midnight
        EXPECT_EQ(e.visit_id, "Encounter_Roel_20130311");
      } else if (name == "Encounter-home.json") {
        EXPECT_EQ(at(e.visit_time), "2015-01-17T06:30:00.000Z");
        EXPECT_TRUE(e.unit_codes.empty());  // the contained Location has no identifier
      } else if (name == "Encounter-emerg.json" || name == "Encounter-example.json") {
        EXPECT_EQ(e.trigger, "in-progress");
        EXPECT_EQ(post->entries[0].idempotency_key, "id:" + e.message_id + "#in-progress");
      }
    } else {
      ASSERT_FALSE(post) << "only Encounters and batch/transaction Bundles of them are accepted";
      ++rejected;
      const std::string d = all_diagnostics(post.error());
      if (name == "Patient-example.json") {
        EXPECT_NE(d.find("expected an Encounter, got a Patient"), std::string::npos) << d;
      } else if (name == "Bundle-bundle-transaction.json") {
        // DELETE and GET entries and a Parameters resource: the transaction fails whole.
        for (int i : {5, 6, 8, 9}) {
          EXPECT_NE(d.find("Bundle.entry[" + std::to_string(i) + "].request.method: only POST and PUT"),
                    std::string::npos) << i << "\n" << d;
        }
        EXPECT_NE(d.find("Bundle.entry[7].resource.resourceType: only Encounter, Patient"), std::string::npos) << d;
        EXPECT_EQ(d.find("Bundle.entry[0]"), std::string::npos) << "Patient entries are fine\n" << d;
      }
    }
  }
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(rejected, 2);
}

}  // namespace
}  // namespace kaiku::channels::fhir
