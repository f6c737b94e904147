#include "http/insight_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "analytics/calendar.hpp"
#include "domain/access.hpp"
#include "http/problem.hpp"

namespace kaiku::http {
namespace json = boost::json;
namespace {

Unexpected<ParamError> bad(const std::string& param, const std::string& what) {
  return unexpected(ParamError{param, param + ": " + what});
}

std::string shown(const std::string& v) { return "'" + (v.size() > 64 ? v.substr(0, 64) + "..." : v) + "'"; }

Response bad_request(const ParamError& e, std::string_view path) {
  return problem(400, "invalid_input", e.message, path, {{e.param, "invalid", e.message}});
}

// The path and the parsed query of a request; nullopt (and `error` set) for a bad query.
std::optional<std::pair<std::string, RawForm>> split(const Request& req, Response& error) {
  const auto q = req.target.find('?');
  std::string path = req.target.substr(0, q);
  RawForm form;
  if (q != std::string::npos) {
    auto parsed = parse_form_urlencoded(std::string_view(req.target).substr(q + 1));
    if (!parsed) {
      error = problem(400, "invalid_input", "query: " + parsed.error().message, path);
      return std::nullopt;
    }
    form = std::move(*parsed);
  }
  return std::pair{std::move(path), std::move(form)};
}

// The common checks of a GET endpoint: method, exact path, authenticated reader.
std::optional<Response> refuse(const Request& req, const std::string& path, std::string_view prefix,
                               const Result<domain::Principal>& caller) {
  if (path != prefix) return problem(404, "not_found", "no such resource: " + path, path);
  if (req.method != "GET" && req.method != "HEAD") {
    Response r = problem(405, "method_not_allowed", "only GET is allowed here", path);
    r.set_header("Allow", "GET, HEAD");
    return r;
  }
  if (!caller) return unauthorized(caller.error(), path);
  return std::nullopt;
}

// A day (YYYY-MM-DD, Helsinki) or an RFC 3339 instant; `end` gives the start of
// the following day for a day (an inclusive `to`).
std::optional<TimePoint> parse_time(const std::string& text, bool end) {
  if (auto d = analytics::parse_date(text)) {
    return analytics::TimeZone::helsinki().start_of_day(end ? *d + 1 : *d);
  }
  TimePoint t;
  if (parse_rfc3339(text, t)) return t;
  return std::nullopt;
}

bool action_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string org_json(const domain::Model& model, const std::string& root) {
  const std::vector<std::string> ids = model.subtree(root);
  const std::set<std::string> inside(ids.begin(), ids.end());
  std::map<std::string, json::array> children;
  for (const auto& u : model.units) {
    if (inside.count(u.id) != 0 && u.id != root) children[u.parent].emplace_back(u.id);
  }
  json::array units;
  for (const auto& u : model.units) {
    if (inside.count(u.id) == 0) continue;
    json::object name;
    for (const auto& [lang, text] : u.name.texts) name[domain::language_tag(lang)] = text;
    json::object o;
    o["id"] = u.id;
    o["name"] = std::move(name);
    o["kind"] = u.kind;
    o["parent"] = u.id == root || u.parent.empty() ? json::value(nullptr) : json::value(u.parent);
    o["level"] = static_cast<std::int64_t>(model.path_to(u.id).size()) - 1;
    auto kids = children.find(u.id);
    o["children"] = kids == children.end() ? json::array() : std::move(kids->second);
    units.push_back(std::move(o));
  }
  return json::serialize(json::object{{"root", root}, {"units", std::move(units)}});
}

Result<storage::AuditFilter, ParamError> parse_audit_filter(const RawForm& query) {
  static const std::set<std::string, std::less<>> kKnown{"login", "action", "from", "to", "cursor", "limit"};
  std::set<std::string, std::less<>> seen;
  for (const auto& [k, v] : query.fields) {
    if (kKnown.count(k) == 0) return bad(k.size() > 64 ? k.substr(0, 64) : k, "unknown query parameter");
    if (!seen.insert(k).second) return bad(k, "given more than once");
  }
  storage::AuditFilter f;
  if (query.has("login")) {
    f.login = query.first("login");
    if (f.login.empty() || f.login.size() > 200) return bad("login", "expected a login of 1-200 characters");
  }
  if (query.has("action")) {
    const std::string text = query.first("action");
    std::size_t pos = 0;
    for (;;) {
      const std::size_t comma = text.find(',', pos);
      std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (item.empty() || item.size() > 64 || !std::all_of(item.begin(), item.end(), action_char)) {
        return bad("action", "expected a comma-separated list of actions such as export.csv, got " + shown(text));
      }
      f.actions.push_back(std::move(item));
      if (f.actions.size() > 20) return bad("action", "at most 20 actions");
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  for (const char* name : {"from", "to"}) {
    if (!query.has(name)) continue;
    const bool is_to = std::string_view(name) == "to";
    auto t = parse_time(query.first(name), is_to);
    if (!t) {
      return bad(name, "expected a date YYYY-MM-DD or an RFC 3339 time such as 2026-11-24T08:00:00Z, got " +
                           shown(query.first(name)));
    }
    (is_to ? f.to : f.from) = *t;
  }
  if (f.from && f.to && *f.from >= *f.to) return bad("from", "must be before to");
  if (query.has("cursor")) {
    const std::string t = query.first("cursor");
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || id < 1) {
      return bad("cursor", "expected the next_cursor of a previous page, got " + shown(t));
    }
    f.before_id = id;
  }
  if (query.has("limit")) {
    const std::string t = query.first("limit");
    int n = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || p != t.data() + t.size() || n < 1 || n > 1000) {
      return bad("limit", "expected an integer 1-1000, got " + shown(t));
    }
    f.limit = n;
  }
  return f;
}

std::string audit_json(const std::vector<storage::AuditEntry>& entries, int limit) {
  json::array out;
  for (const auto& e : entries) {
    out.push_back(json::object{{"id", e.id},
                               {"at", format_rfc3339(e.at)},
                               {"login", e.login},
                               {"action", e.action},
                               {"object", e.object},
                               {"count", e.count}});
  }
  json::value next = nullptr;
  if (!entries.empty() && static_cast<int>(entries.size()) == limit) next = std::to_string(entries.back().id);
  return json::serialize(json::object{{"entries", std::move(out)}, {"next_cursor", std::move(next)}});
}

Response OrgApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  Response error;
  auto parts = split(req, error);
  if (!parts) return error;
  const auto& [path, query] = *parts;
  if (auto no = refuse(req, path, prefix(), caller)) return *no;
  if (!domain::may_read_responses(*caller)) {
    return problem(403, "forbidden",
                   "role '" + std::string(domain::role_name(caller->role)) + "' may not read the org tree", path);
  }
  if (!query.fields.empty()) {
    const std::string& k = query.fields.front().first;
    return bad_request(ParamError{k, k + ": unknown query parameter"}, path);
  }
  if (model_.unit(caller->scope_unit) == nullptr) {
    return problem(403, "forbidden", "scope unit '" + caller->scope_unit + "' is not in the current model", path);
  }
  return json_response(200, org_json(model_, caller->scope_unit));
}

Response AuditApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  Response error;
  auto parts = split(req, error);
  if (!parts) return error;
  const auto& [path, query] = *parts;
  if (auto no = refuse(req, path, prefix(), caller)) return *no;
  const std::string query_text = req.target.find('?') == std::string::npos
                                     ? std::string()
                                     : req.target.substr(req.target.find('?') + 1);
  storage::AuditEntry entry;
  entry.at = clock_.now();
  entry.user_id = caller->user_id;
  entry.login = caller->login;
  entry.object = query_text;
  if (!domain::may_read_audit(*caller)) {
    entry.action = "audit.read.denied";
    (void)store_.audit().record(entry);  // a denial stays a denial even when this fails
    return problem(403, "forbidden",
                   "role '" + std::string(domain::role_name(caller->role)) + "' may not read the audit log", path);
  }
  auto filter = parse_audit_filter(query);
  if (!filter) return bad_request(filter.error(), path);
  auto entries = store_.audit().query(*filter);
  if (!entries) return problem(entries.error(), path);
  entry.action = "audit.read";
  entry.count = static_cast<std::int64_t>(entries->size());
  if (auto audited = store_.audit().record(entry); !audited) {
    return problem(503, "unavailable", "the read could not be audited, so it is not served", path);
  }
  return json_response(200, audit_json(*entries, filter->limit));
}

}  // namespace kaiku::http
