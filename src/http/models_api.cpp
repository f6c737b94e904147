#include "http/models_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "analytics/calendar.hpp"
#include "analytics/engine.hpp"
#include "domain/access.hpp"
#include "http/api_support.hpp"
#include "http/problem.hpp"
#include "modelfile/loader.hpp"
#include "modelfile/model_diff.hpp"
#include "modelfile/model_json.hpp"
#include "service/report_service.hpp"

namespace kaiku::http {
namespace json = boost::json;
namespace {

std::string path_of(const Request& req) { return req.target.substr(0, req.target.find('?')); }
bool has_query(const Request& req) { return req.target.find('?') != std::string::npos; }
bool is_get(const Request& req) { return req.method == "GET" || req.method == "HEAD"; }

Response forbidden(const domain::Principal& who, const std::string& what, const std::string& path) {
  return problem(403, "forbidden", "role '" + std::string(domain::role_name(who.role)) + "' may not " + what, path);
}

bool valid_version(const std::string& v) {
  if (v.empty() || v.size() > 64) return false;
  for (char c : v) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
  }
  return true;
}

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_rfc3339(*t));
}

}  // namespace

Result<std::map<std::string, std::string>> parse_model_upload(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 8;
  json::stream_parser p({}, opt);
  boost::system::error_code ec;
  const std::size_t n = p.write(body.data(), body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) return fail(Error::invalid("invalid JSON at byte " + std::to_string(n) + ": " + ec.message()));
  const json::value v = p.release();
  if (!v.is_object()) return fail(Error::invalid("the body must be a JSON object with \"files\" or \"file\""));
  const json::object& o = v.as_object();
  for (const auto& kv : o) {
    if (kv.key() != "files" && kv.key() != "file") {
      return fail(Error::invalid(std::string(kv.key()) + ": unknown field; give \"files\" or \"file\""));
    }
  }
  if (o.contains("files") == o.contains("file")) {
    return fail(Error::invalid("give exactly one of \"files\" (a model folder) and \"file\" (one file)"));
  }
  std::map<std::string, std::string> files;
  if (const json::value* f = o.if_contains("file")) {
    if (!f->is_string()) return fail(Error::invalid("file: must be the YAML text of the model as a string"));
    files["model.yaml"] = std::string(f->as_string());
    return files;
  }
  const json::value& fs = o.at("files");
  if (!fs.is_object()) return fail(Error::invalid("files: must be an object of file name -> YAML text"));
  for (const auto& kv : fs.as_object()) {
    if (!kv.value().is_string()) {
      return fail(Error::invalid("files." + std::string(kv.key()) + ": must be the file's text as a string"));
    }
    files[std::string(kv.key())] = std::string(kv.value().as_string());
  }
  return files;
}

std::string model_versions_json(const std::vector<storage::ModelVersionInfo>& versions) {
  json::array out;
  for (const auto& v : versions) {
    json::object o;
    o["version"] = v.version;
    o["remembered_at"] = format_rfc3339(v.remembered_at);
    o["published_at"] = time_or_null(v.published_at);
    const bool from_file = v.published_at.has_value() && v.published_by.empty();
    o["published_by"] = v.published_by.empty() ? json::value(nullptr) : json::value(v.published_by);
    o["from_file"] = from_file;
    o["current"] = v.current;
    out.emplace_back(std::move(o));
  }
  return json::serialize(out);
}

std::string diagnostics_json(const std::vector<modelfile::Diagnostic>& diagnostics) {
  json::array ds;
  for (const auto& d : diagnostics) {
    ds.emplace_back(json::object{{"file", d.file}, {"line", d.line}, {"column", d.column}, {"message", d.message}});
  }
  return json::serialize(json::object{{"ok", false}, {"diagnostics", std::move(ds)}});
}

// ---- /api/v1/models ----

Response ModelsApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  const std::string path = path_of(req);
  if (!caller) return unauthorized(caller.error(), path);
  const domain::Principal& who = *caller;
  if (!domain::may_read_responses(who)) return forbidden(who, "read the model versions", path);
  if (has_query(req)) return problem(400, "invalid_input", "this endpoint takes no query parameters", path);
  const std::string rest = path.size() > prefix().size() ? path.substr(prefix().size() + 1) : "";
  if (rest.empty()) {
    if (!is_get(req)) return api_method_not_allowed("GET, HEAD", path);
    return list(path);
  }
  if (rest == "check" || rest == "publish") {
    if (req.method != "POST") return api_method_not_allowed("POST", path);
    if (!domain::may_publish_model(who)) return forbidden(who, rest + " model versions", path);
    return rest == "check" ? check(req, path) : publish(req, path, who);
  }
  if (rest.find('/') != std::string::npos || !valid_version(rest)) {
    return problem(404, "not_found", "no such resource: " + path, path);
  }
  if (!is_get(req)) return api_method_not_allowed("GET, HEAD", path);
  return get(path, rest);
}

Response ModelsApi::list(const std::string& path) const {
  auto versions = store_.model_versions().list();
  if (!versions) return problem(versions.error(), path);
  return json_response(200, model_versions_json(*versions));
}

Response ModelsApi::get(const std::string& path, const std::string& version) const {
  auto stored = store_.model_versions().load(version);
  if (!stored) {
    if (stored.error().kind == ErrorKind::not_found) {
      return problem(404, "not_found", "no model version '" + version + "'", path);
    }
    return problem(stored.error(), path);
  }
  Response r = json_response(200, std::move(*stored));
  r.set_header("Cache-Control", "private, max-age=3600");  // a version never changes
  return r;
}

Response ModelsApi::check(const Request& req, const std::string& path) const {
  auto files = parse_model_upload(req.body);
  if (!files) return problem(files.error(), path);
  auto loaded = modelfile::load_model_upload(*files);
  if (!loaded) return json_response(422, diagnostics_json(loaded.error()));
  json::object o;
  o["ok"] = true;
  o["version"] = loaded->version;
  o["current_version"] = model_.version;
  o["diff"] = modelfile::model_diff_to_json(modelfile::diff_models(model_, *loaded));
  return json_response(200, json::serialize(o));
}

Response ModelsApi::publish(const Request& req, const std::string& path, const domain::Principal& who) const {
  auto files = parse_model_upload(req.body);
  if (!files) return problem(files.error(), path);
  auto loaded = modelfile::load_model_upload(*files);
  if (!loaded) return json_response(422, diagnostics_json(loaded.error()));
  const TimePoint now = clock_.now();
  if (auto s = store_.model_versions().remember(loaded->version, modelfile::model_to_json(*loaded), now); !s) {
    return problem(s.error(), path);
  }
  storage::AuditEntry entry{now, who.user_id, who.login, "model.publish", "version=" + loaded->version, 1};
  if (auto s = store_.audit().record(entry); !s) {
    return problem(503, "unavailable", "the publication could not be audited; nothing was published", path);
  }
  if (auto s = store_.model_versions().publish(loaded->version, who.user_id, who.login, now); !s) {
    return problem(s.error(), path);
  }
  const bool switching = loaded->version != model_.version;
  spdlog::info("model {} published by {}{}", loaded->version, who.login,
               switching ? "; switching to it" : " (already served)");
  if (switching && on_published_) on_published_();
  json::object o{{"version", loaded->version}, {"published_at", format_rfc3339(now)}, {"switching", switching}};
  return json_response(200, json::serialize(o));
}

// ---- /api/v1/touchpoints/stats ----

namespace {

// The touchpoints of `model` measured in the subtree of `scope` or above it.
std::vector<std::string> touchpoints_in_scope(const domain::Model& model, const std::string& scope) {
  std::vector<std::string> out;
  for (const auto& tp : model.touchpoints) {
    for (const auto& u : tp.units) {
      if (model.in_subtree(u, scope) || model.in_subtree(scope, u)) {
        out.push_back(tp.id);
        break;
      }
    }
  }
  return out;
}

std::string group_value(const analytics::Cell& c, analytics::Dimension d) {
  for (const auto& [dim, v] : c.group) {
    if (dim == d) return v;
  }
  return "";
}

}  // namespace

Response TouchpointStatsApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  const std::string path = path_of(req);
  if (path != prefix()) return problem(404, "not_found", "no such resource: " + path, path);
  if (!is_get(req)) return api_method_not_allowed("GET, HEAD", path);
  if (!caller) return unauthorized(caller.error(), path);
  const domain::Principal& who = *caller;
  if (!domain::may_read_responses(who)) return forbidden(who, "read touchpoint statistics", path);
  if (has_query(req)) return problem(400, "invalid_input", "this endpoint takes no query parameters", path);
  if (engine_ == nullptr) return problem(503, "unavailable", "the reporting engine is not running", path);
  const service::ReportService reports(model_, *engine_);
  const analytics::Day today = analytics::TimeZone::helsinki().local_day(clock_.now());
  analytics::Query q;
  q.from = today - 364;
  q.to = today;
  q.group_by = {analytics::Dimension::touchpoint};
  q.indicator = "responses";
  auto answers = reports.indicators(who, q);
  if (!answers) return problem(answers.error(), path);
  q.indicator = "response_rate";
  auto invitations = reports.indicators(who, q);
  if (!invitations) return problem(invitations.error(), path);

  struct Row {
    std::optional<std::int64_t> invitations, answers;
    bool any_invitations = false, any_answers = false;
    std::string last_answer;
  };
  std::map<std::string, Row> rows;
  for (const auto& c : answers->cells) {
    Row& r = rows[group_value(c, analytics::Dimension::touchpoint)];
    r.any_answers = true;
    if (c.figure) r.answers = c.figure->n;
  }
  for (const auto& c : invitations->cells) {
    Row& r = rows[group_value(c, analytics::Dimension::touchpoint)];
    r.any_invitations = true;
    if (c.figure) r.invitations = c.figure->n;
  }
  // The last answer's day: the last month with answers per touchpoint, then that
  // month by day (one query per distinct month: cells stay few). Only cells with a
  // figure count: a suppressed cell (too few answers) must not reveal its day.
  q.indicator = "responses";
  q.group_by = {analytics::Dimension::touchpoint, analytics::Dimension::month};
  auto months = reports.indicators(who, q);
  if (!months) return problem(months.error(), path);
  std::map<analytics::Day, std::vector<std::string>> by_last_month;  // month start -> touchpoints
  {
    std::map<std::string, analytics::Day> last;
    for (const auto& c : months->cells) {
      if (!c.figure) continue;
      auto& d = last[group_value(c, analytics::Dimension::touchpoint)];
      d = std::max(d, c.from);
    }
    for (const auto& [tp, d] : last) by_last_month[d].push_back(tp);
  }
  for (const auto& [month, tps] : by_last_month) {
    analytics::Query dq = q;
    dq.from = std::max(q.from, month);
    dq.to = std::min(q.to, analytics::period_end(analytics::Period::month, month));
    dq.group_by = {analytics::Dimension::touchpoint, analytics::Dimension::day};
    dq.filters.touchpoints = tps;
    auto days = reports.indicators(who, dq);
    if (!days) return problem(days.error(), path);
    for (const auto& c : days->cells) {
      if (!c.figure) continue;
      Row& r = rows[group_value(c, analytics::Dimension::touchpoint)];
      const std::string day = analytics::format_date(c.from);
      if (day > r.last_answer) r.last_answer = day;
    }
  }

  json::array list;
  std::set<std::string> listed;
  auto add = [&](const std::string& id) {
    if (!listed.insert(id).second) return;
    const Row& r = rows[id];
    json::object o;
    o["touchpoint"] = id;
    o["invitations"] = r.invitations ? json::value(*r.invitations) : (r.any_invitations ? nullptr : json::value(0));
    o["answers"] = r.answers ? json::value(*r.answers) : (r.any_answers ? nullptr : json::value(0));
    o["last_answer_at"] = r.last_answer.empty() ? json::value(nullptr) : json::value(r.last_answer);
    list.emplace_back(std::move(o));
  };
  for (const std::string& id : touchpoints_in_scope(model_, who.scope_unit)) add(id);
  for (const auto& [id, r] : rows) {
    if (r.any_answers) add(id);
  }
  json::object out{{"from", analytics::format_date(q.from)},
                   {"to", analytics::format_date(q.to)},
                   {"threshold", answers->threshold},
                   {"touchpoints", std::move(list)}};
  return json_response(200, json::serialize(out));
}

}  // namespace kaiku::http
