#include "channels/fhir/encounter.hpp"

#include <boost/json.hpp>
#include <map>

#include "channels/fhir/datetime.hpp"
#include "channels/hl7/care_event.hpp"
#include "security/digest.hpp"

namespace kaiku::channels::fhir {

namespace json = boost::json;

namespace {

constexpr std::string_view kConfidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
constexpr std::string_view kHenkilotunnusSystem = "urn:oid:1.2.246.21";
constexpr std::string_view kStatuses[] = {"planned",  "arrived",   "triaged",          "in-progress", "onleave",
                                          "finished", "cancelled", "entered-in-error", "unknown"};

// ---- Issues and typed access ----

struct Issues {
  std::vector<Issue> list;
  void add(std::string code, const std::string& path, const std::string& what) {
    list.push_back(Issue{"error", std::move(code), path + ": " + what, path});
  }
};

const char* kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

class Obj {
 public:
  Obj(const json::object& o, std::string path, Issues& issues) : o_(o), path_(std::move(path)), issues_(issues) {}

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
  const json::object& raw() const { return o_; }
  Issues& issues() const { return issues_; }

  const json::value* find(std::string_view key) const {
    auto it = o_.find(key);
    return it == o_.end() ? nullptr : &it->value();
  }
  const json::object* object(std::string_view key) const { return typed<json::object>(key, "an object"); }
  const json::array* array(std::string_view key) const { return typed<json::array>(key, "an array"); }
  std::optional<std::string> string(std::string_view key) const {
    const json::string* s = typed<json::string>(key, "a string");
    return s ? std::optional<std::string>(std::string(*s)) : std::nullopt;
  }
  std::optional<bool> boolean(std::string_view key) const {
    const json::value* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) {
      issues_.add("structure", at(key), std::string("expected a boolean, got ") + kind_name(*v));
      return std::nullopt;
    }
    return v->as_bool();
  }
  // The objects of an array member, with their paths; wrong types are reported.
  std::vector<Obj> objects(std::string_view key) const {
    std::vector<Obj> out;
    const json::array* a = array(key);
    if (a == nullptr) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string p = at(key) + "[" + std::to_string(i) + "]";
      if (!(*a)[i].is_object()) {
        issues_.add("structure", p, std::string("expected an object, got ") + kind_name((*a)[i]));
        continue;
      }
      out.emplace_back((*a)[i].as_object(), p, issues_);
    }
    return out;
  }
  std::optional<Obj> child(std::string_view key) const {
    const json::object* o = object(key);
    if (o == nullptr) return std::nullopt;
    return Obj(*o, at(key), issues_);
  }

 private:
  template <class T>
  const T* typed(std::string_view key, const char* expected) const {
    const json::value* v = find(key);
    if (v == nullptr) return nullptr;
    const T* t = nullptr;
    if constexpr (std::is_same_v<T, json::object>) t = v->if_object();
    if constexpr (std::is_same_v<T, json::array>) t = v->if_array();
    if constexpr (std::is_same_v<T, json::string>) t = v->if_string();
    if (t == nullptr) issues_.add("structure", at(key), std::string("expected ") + expected + ", got " + kind_name(*v));
    return t;
  }

  const json::object& o_;
  std::string path_;
  Issues& issues_;
};

// ---- Resources and references ----

struct Res {
  const json::object* obj = nullptr;
  std::string path;  // FHIRPath of the resource, e.g. "Bundle.entry[1].resource"
  std::string type;
  std::string id;
  bool contained = false;
};
using Index = std::map<std::string, Res, std::less<>>;

// A resource type as it may appear in a message: letters only, at most 64.
std::string shown(const std::string& type) {
  bool letters = !type.empty() && type.size() <= 64;
  for (char c : type) letters = letters && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
  return letters ? type : "resource of another type";
}

std::string type_of(const json::object& o) {
  auto it = o.find("resourceType");
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}
std::string id_of(const json::object& o) {
  auto it = o.find("id");
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

// "Type/id" from the end of a literal reference or URL ("" when it has no such tail).
std::string type_id_tail(std::string_view ref) {
  if (auto h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  const std::size_t slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "";
  const std::size_t prev = ref.rfind('/', slash - 1);
  const std::string_view type = ref.substr(prev == std::string_view::npos ? 0 : prev + 1,
                                           slash - (prev == std::string_view::npos ? 0 : prev + 1));
  if (type.empty() || !(type[0] >= 'A' && type[0] <= 'Z') || slash + 1 >= ref.size()) return "";
  return std::string(type) + "/" + std::string(ref.substr(slash + 1));
}

struct Ref {
  const Res* res = nullptr;   // the resolved resource
  std::string literal;        // Reference.reference as sent
  std::vector<std::pair<std::string, std::string>> identifier;  // Reference.identifier {system, value}
};

// Resolves the Reference `key` of `holder` to a resource of type `expected`.
Ref resolve(const Obj& holder, std::string_view key, const std::string& expected, const Index& bundle,
            const Index& contained) {
  Ref out;
  auto ref = holder.child(key);
  if (!ref) return out;
  if (auto ident = ref->child("identifier")) {
    auto v = ident->string("value");
    if (v && !v->empty()) out.identifier.emplace_back(ident->string("system").value_or(""), *v);
  }
  auto literal = ref->string("reference");
  if (!literal || literal->empty()) return out;
  out.literal = *literal;
  const Res* found = nullptr;
  if ((*literal)[0] == '#') {
    auto it = contained.find(literal->substr(1));
    if (it != contained.end()) found = &it->second;
  } else if (auto it = bundle.find(*literal); it != bundle.end()) {
    found = &it->second;
  } else if (std::string tail = type_id_tail(*literal); !tail.empty()) {
    if (auto t = bundle.find(tail); t != bundle.end()) found = &t->second;
  }
  if (found != nullptr && found->type != expected) {
    holder.issues().add("processing", ref->at("reference"),
                        "refers to a " + shown(found->type) + " (" + found->path + "), expected a " + expected);
    return out;
  }
  out.res = found;
  return out;
}

// Identifier {system, value} pairs of a resource (those with a value).
std::vector<std::pair<std::string, std::string>> identifiers(const Obj& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Obj& i : r.objects("identifier")) {
    auto v = i.string("value");
    auto s = i.string("system");
    if (v && !v->empty()) out.emplace_back(s.value_or(""), *v);
  }
  return out;
}

domain::UnitCode unit_code(const std::pair<std::string, std::string>& id) {
  if (id.second.rfind("urn:oid:", 0) == 0) return domain::UnitCode{"oid", id.second.substr(8)};
  return domain::UnitCode{id.first, id.second};
}

void add_units(std::vector<domain::UnitCode>& codes, const Ref& ref, Issues& issues) {
  std::vector<std::pair<std::string, std::string>> ids = ref.identifier;
  if (ref.res != nullptr) {
    auto own = identifiers(Obj(*ref.res->obj, ref.res->path, issues));
    ids.insert(ids.begin(), own.begin(), own.end());
  }
  for (const auto& id : ids) {
    domain::UnitCode c = unit_code(id);
    bool seen = false;
    for (const auto& have : codes) seen = seen || (have.system == c.system && have.value == c.value);
    if (!seen) codes.push_back(std::move(c));
  }
}

bool restricted(const Obj& resource) {
  auto meta = resource.child("meta");
  if (!meta) return false;
  for (const Obj& c : meta->objects("security")) {
    const std::string system = c.string("system").value_or("");
    const std::string code = c.string("code").value_or("");
    if ((system.empty() || system == kConfidentiality) && (code == "R" || code == "V")) return true;
  }
  return false;
}

std::string first_code(const Obj& cc) {
  for (const Obj& coding : cc.objects("coding")) {
    if (auto c = coding.string("code"); c && !c->empty()) return *c;
  }
  return "";
}

std::string municipality_of(const std::vector<Obj>& extensions) {
  for (const Obj& x : extensions) {
    const std::string url = x.string("url").value_or("");
    if (url.find("municipality") == std::string::npos) continue;
    if (auto c = x.child("valueCoding")) {
      if (auto code = c->string("code"); code && !code->empty()) return *code;
    }
    for (const char* k : {"valueCode", "valueString"}) {
      if (auto v = x.string(k); v && !v->empty()) return *v;
    }
  }
  return "";
}

// Fills the person fields of `e` from a Patient resource.
void read_patient(const Obj& p, bool contained, domain::CareEvent& e) {
  Issues& issues = p.issues();
  auto ids = identifiers(p);
  for (const auto& [system, value] : ids) {
    if (system == kHenkilotunnusSystem) {
      e.person_id = value;
      break;
    }
  }
  for (std::size_t i = 0; e.person_id.empty() && i < ids.size(); ++i) {
    if (hl7::looks_like_henkilotunnus(ids[i].second)) e.person_id = ids[i].second;
  }
  if (e.person_id.empty() && !ids.empty()) e.person_id = ids.front().second;
  if (e.person_id.empty() && !contained) {
    if (std::string id = id_of(p.raw()); !id.empty()) e.person_id = "Patient/" + id;
  }

  if (auto b = p.string("birthDate")) {
    bool full = false;
    auto d = parse_fhir_date(*b, &full);
    if (!d) {
      issues.add("value", p.at("birthDate"), "not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
    } else if (full) {
      e.birth_date = d;
    }
  }
  if (auto d = p.boolean("deceasedBoolean")) e.deceased = *d;
  if (auto d = p.string("deceasedDateTime")) {
    if (!parse_fhir_datetime(*d)) {
      issues.add("value", p.at("deceasedDateTime"), "not a dateTime (e.g. 2026-11-24T14:30:00+02:00)");
    }
    e.deceased = true;
  }
  e.non_disclosure = e.non_disclosure || restricted(p);

  std::vector<std::string> seen;
  for (const Obj& t : p.objects("telecom")) {
    const std::string system = t.string("system").value_or("");
    const std::string use = t.string("use").value_or("");
    const std::string value = t.string("value").value_or("");
    const bool mobile = (system == "phone" && use == "mobile") || (system == "sms" && use != "old");
    if (!mobile || value.empty()) continue;
    std::string key;
    for (char c : value) {
      if (c != ' ' && c != '-') key += c;
    }
    bool dup = false;
    for (const auto& s : seen) dup = dup || s == key;
    if (dup) continue;
    seen.push_back(key);
    e.mobiles.push_back(value);
  }

  std::optional<Obj> chosen;  // the first preferred, else the first
  bool chosen_preferred = false;
  for (const Obj& c : p.objects("communication")) {
    const bool preferred = c.boolean("preferred").value_or(false);
    if (!chosen || (preferred && !chosen_preferred)) {
      chosen.emplace(c);
      chosen_preferred = preferred;
    }
  }
  if (chosen) {
    if (auto lang = chosen->child("language")) {
      std::string code = first_code(*lang);
      if (code.empty()) code = lang->string("text").value_or("");
      if (auto dash = code.find('-'); dash != std::string::npos && dash >= 2) code.resize(dash);
      for (char& ch : code) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
      e.language = code;
    }
  }

  auto addresses = p.objects("address");
  const Obj* home = nullptr;
  for (const Obj& a : addresses) {
    if (home == nullptr && a.string("use").value_or("") == "home") home = &a;
  }
  if (home == nullptr && !addresses.empty()) home = &addresses.front();
  if (home != nullptr) e.municipality = municipality_of(home->objects("extension"));
  if (e.municipality.empty()) e.municipality = municipality_of(p.objects("extension"));
  if (e.municipality.empty() && home != nullptr) e.municipality = home->string("district").value_or("");
}

std::string short_hash(std::string_view text) { return security::sha256_hex(text).substr(0, 32); }

// Maps one Encounter; problems go to the Obj's issues.
domain::CareEvent map_encounter(const Obj& enc, const Index& bundle, const FhirRequest& request,
                                std::string_view if_none_exist, std::string& idempotency_key) {
  Issues& issues = enc.issues();
  domain::CareEvent e;
  e.source = domain::EventSource::fhir;
  e.sender = std::string(request.client);

  Index contained;
  for (const Obj& c : enc.objects("contained")) {
    const std::string type = type_of(c.raw());
    const std::string id = id_of(c.raw());
    if (type.empty()) issues.add("required", c.at("resourceType"), "a contained resource needs a resourceType");
    if (!id.empty()) contained.emplace(id, Res{&c.raw(), c.path(), type, id, true});
  }

  const std::string id = enc.string("id").value_or("");
  auto status = enc.string("status");
  if (!status && enc.find("status") == nullptr) {
    issues.add("required", enc.at("status"), "required element is missing");
  } else if (status) {
    bool known = false;
    for (auto s : kStatuses) known = known || *status == s;
    if (!known) {
      issues.add("value", enc.at("status"),
                 "not an Encounter status (planned, arrived, triaged, in-progress, onleave, finished, "
                 "cancelled, entered-in-error, unknown)");
    }
    e.trigger = *status;
  }

  std::string ident_system, ident_value;
  for (const Obj& i : enc.objects("identifier")) {
    auto v = i.string("value");
    auto s = i.string("system");
    if (ident_value.empty() && v && !v->empty()) {
      ident_value = *v;
      ident_system = s.value_or("");
    }
  }
  const std::string ident = ident_system.empty() ? ident_value : ident_system + "|" + ident_value;
  e.visit_id = !ident.empty() ? ident : id;
  e.message_id = !id.empty()      ? id
                 : !ident.empty() ? "identifier-" + short_hash(ident)
                                  : "content-" + short_hash(json::serialize(enc.raw()));

  if (auto c = enc.child("class")) e.visit_type = c->string("code").value_or("");
  if (auto st = enc.child("serviceType")) e.service = first_code(*st);

  if (auto period = enc.child("period")) {
    std::optional<TimePoint> start, end;
    for (const char* k : {"start", "end"}) {
      if (auto v = period->string(k)) {
        auto t = parse_fhir_datetime(*v);
        if (!t) issues.add("value", period->at(k), "not a dateTime (e.g. 2026-11-24T14:30:00+02:00)");
        (std::string_view(k) == "start" ? start : end) = t;
      }
    }
    e.visit_time = end ? end : start;
  }

  Ref subject = resolve(enc, "subject", "Patient", bundle, contained);
  if (subject.res != nullptr) {
    read_patient(Obj(*subject.res->obj, subject.res->path, issues), subject.res->contained, e);
  } else if (!subject.identifier.empty()) {
    e.person_id = subject.identifier.front().second;
  } else if (!subject.literal.empty() && subject.literal[0] != '#' && subject.literal.rfind("urn:", 0) != 0) {
    e.person_id = subject.literal;
  }
  e.non_disclosure = e.non_disclosure || restricted(enc);

  add_units(e.unit_codes, resolve(enc, "serviceProvider", "Organization", bundle, contained), issues);
  for (const Obj& l : enc.objects("location")) {
    add_units(e.unit_codes, resolve(l, "location", "Location", bundle, contained), issues);
  }

  std::string basis;
  if (!if_none_exist.empty()) {
    basis = "if-none-exist:" + std::string(if_none_exist);
  } else if (!ident_value.empty()) {
    basis = "identifier:" + ident_system + "|" + ident_value;
  } else if (!id.empty()) {
    basis = "id:" + id;
  }
  idempotency_key = basis.empty() ? "" : basis + "#" + e.trigger;
  return e;
}

// Validates a context resource (Patient, Organization, Location) of a Bundle.
void check_context(const Obj& r, const std::string& type) {
  if (type == "Patient") {
    domain::CareEvent scratch;
    read_patient(r, false, scratch);
  } else {
    (void)identifiers(r);
  }
}

OperationOutcome outcome_of(Issues&& issues, int http_status = 400) {
  OperationOutcome o;
  o.http_status = http_status;
  o.issues = std::move(issues.list);
  return o;
}

Result<json::value, OperationOutcome> parse_json(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 64;
  json::stream_parser p({}, opt);
  boost::system::error_code ec;
  const std::size_t n = p.write(body.data(), body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    return unexpected(outcome_error(
        "invalid", "invalid JSON at byte " + std::to_string(ec ? n : body.size()) + ": " + ec.message()));
  }
  json::value v = p.release();
  if (!v.is_object()) {
    return unexpected(outcome_error("structure", std::string("expected a FHIR resource (a JSON object), got ") +
                                                     kind_name(v)));
  }
  return v;
}

// What is wrong with the resourceType of a root resource that is not `want`.
OperationOutcome wrong_type(const json::object& root, const std::string& want, const std::string& hint_type,
                            const std::string& hint) {
  const std::string path = want + ".resourceType";
  auto it = root.find("resourceType");
  if (it == root.end()) {
    return outcome_error("required", path + ": resourceType is missing; expected \"" + want + "\"", path);
  }
  if (!it->value().is_string()) {
    return outcome_error("structure", path + ": expected a string, got " + kind_name(it->value()), path);
  }
  const std::string type(it->value().as_string());
  std::string what = path + ": expected a" + (want == "Encounter" ? "n " : " ") + want + ", got a " + shown(type);
  if (type == hint_type) what += hint;
  return outcome_error("not-supported", what, path);
}

bool path_is(std::string_view path, std::string_view want) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path == want;
}

Result<FhirPost, OperationOutcome> parse_single(const json::object& root, const FhirRequest& request) {
  const std::string type = type_of(root);
  if (type != "Encounter") return unexpected(wrong_type(root, "Encounter", "Bundle", " (POST Bundles to /fhir)"));
  Issues issues;
  FhirEntry entry;
  entry.resource_type = type;
  domain::CareEvent e = map_encounter(Obj(root, "Encounter", issues), Index{}, request, request.if_none_exist,
                                      entry.idempotency_key);
  if (!issues.list.empty()) return unexpected(outcome_of(std::move(issues)));
  entry.event = std::move(e);
  FhirPost post;
  post.kind = FhirPost::Kind::encounter;
  post.entries.push_back(std::move(entry));
  return post;
}

Result<FhirPost, OperationOutcome> parse_bundle(const json::object& root, const FhirRequest& request) {
  Issues top;
  Obj bundle(root, "Bundle", top);
  const std::string type = type_of(root);
  if (type != "Bundle") {
    return unexpected(wrong_type(root, "Bundle", "Encounter", " (POST single Encounters to /fhir/Encounter)"));
  }
  auto btype = bundle.string("type");
  if (!top.list.empty()) return unexpected(outcome_of(std::move(top)));
  if (!btype) return unexpected(outcome_error("required", "Bundle.type: required element is missing", "Bundle.type"));
  if (*btype != "batch" && *btype != "transaction") {
    return unexpected(outcome_error("not-supported", "Bundle.type: only batch and transaction Bundles are accepted",
                                    "Bundle.type"));
  }
  FhirPost post;
  post.kind = *btype == "batch" ? FhirPost::Kind::batch : FhirPost::Kind::transaction;
  const bool transaction = post.kind == FhirPost::Kind::transaction;

  const json::array* entries = bundle.array("entry");
  if (!top.list.empty()) return unexpected(outcome_of(std::move(top)));
  const std::size_t n = entries ? entries->size() : 0;

  // Index every entry's resource by fullUrl and by "Type/id".
  Index index;
  for (std::size_t i = 0; i < n; ++i) {
    const json::object* entry = (*entries)[i].if_object();
    if (entry == nullptr) continue;
    auto r = entry->find("resource");
    if (r == entry->end() || !r->value().is_object()) continue;
    const json::object& res = r->value().as_object();
    Res info{&res, "Bundle.entry[" + std::to_string(i) + "].resource", type_of(res), id_of(res), false};
    auto fu = entry->find("fullUrl");
    if (fu != entry->end() && fu->value().is_string()) {
      const std::string full(fu->value().as_string());
      index.emplace(full, info);
      if (std::string tail = type_id_tail(full); !tail.empty()) index.emplace(tail, info);
    }
    if (!info.type.empty() && !info.id.empty()) index.emplace(info.type + "/" + info.id, info);
  }

  Issues all;  // transaction: every entry's issues
  for (std::size_t i = 0; i < n; ++i) {
    const std::string path = "Bundle.entry[" + std::to_string(i) + "]";
    Issues issues;
    FhirEntry out;
    out.index = i;
    if (!(*entries)[i].is_object()) {
      issues.add("structure", path, std::string("expected an object, got ") + kind_name((*entries)[i]));
    } else {
      Obj entry((*entries)[i].as_object(), path, issues);
      out.full_url = entry.string("fullUrl").value_or("");
      std::string if_none_exist;
      auto req = entry.child("request");
      if (!req) {
        if (entry.find("request") == nullptr) {
          issues.add("required", entry.at("request"), "a batch or transaction entry needs a request");
        }
      } else {
        auto method = req->string("method");
        if (!method) {
          if (req->find("method") == nullptr) issues.add("required", req->at("method"), "required element is missing");
        } else if (*method != "POST" && *method != "PUT") {
          issues.add("not-supported", req->at("method"),
                     "only POST and PUT are accepted (Kaiku receives events; it does not serve reads or deletes)");
        }
        if_none_exist = req->string("ifNoneExist").value_or("");
      }
      auto resource = entry.child("resource");
      if (!resource) {
        if (entry.find("resource") == nullptr && issues.list.empty()) {
          issues.add("required", entry.at("resource"), "a POST or PUT entry needs a resource");
        }
      } else {
        out.resource_type = type_of(resource->raw());
        if (out.resource_type.empty()) {
          issues.add("required", resource->at("resourceType"), "required element is missing");
        } else if (out.resource_type == "Encounter") {
          domain::CareEvent e = map_encounter(*resource, index, request, if_none_exist, out.idempotency_key);
          if (issues.list.empty()) out.event = std::move(e);
        } else if (out.resource_type == "Patient" || out.resource_type == "Organization" ||
                   out.resource_type == "Location") {
          check_context(*resource, out.resource_type);
        } else {
          issues.add("not-supported", resource->at("resourceType"),
                     "only Encounter, Patient, Organization and Location entries are accepted");
        }
      }
    }
    if (!issues.list.empty()) {
      out.event.reset();
      if (transaction) {
        for (auto& issue : issues.list) {
          // A Patient read by several Encounters reports its problem once.
          bool seen = false;
          for (const auto& have : all.list) seen = seen || (have.expression == issue.expression && have.diagnostics == issue.diagnostics);
          if (!seen) all.list.push_back(std::move(issue));
        }
      } else {
        out.error = outcome_of(std::move(issues));
      }
    }
    post.entries.push_back(std::move(out));
  }
  if (!all.list.empty()) return unexpected(outcome_of(std::move(all)));
  return post;
}

}  // namespace

Result<FhirPost, OperationOutcome> parse_fhir_post(std::string_view body, const FhirRequest& request) {
  const bool single = path_is(request.path, "/fhir/Encounter");
  if (!single && !path_is(request.path, "/fhir")) {
    return unexpected(outcome_error("not-supported",
                                    "this FHIR endpoint accepts POST /fhir/Encounter and POST /fhir (batch or "
                                    "transaction Bundle)",
                                    "", 404));
  }
  auto doc = parse_json(body);
  if (!doc) return unexpected(doc.error());
  const json::object& root = doc->as_object();
  return single ? parse_single(root, request) : parse_bundle(root, request);
}

}  // namespace kaiku::channels::fhir
