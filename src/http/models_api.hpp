// The model in the staff workspace (docs/workspace-api.md, "The model"), as
// http::Mounts:
//   GET  /api/v1/models              -- the remembered versions and their publications
//   GET  /api/v1/models/{version}    -- one version's canonical JSON
//   POST /api/v1/models/check        -- validate an uploaded model, diff it against the served one
//   POST /api/v1/models/publish      -- validate, store and publish it (audited "model.publish")
//   GET  /api/v1/touchpoints/stats   -- invitations and answers per touchpoint, last 365 days
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "http/mount.hpp"
#include "modelfile/diagnostic.hpp"
#include "storage/store.hpp"

namespace kaiku::analytics {
class Engine;
}  // namespace kaiku::analytics

namespace kaiku::http {

// The body of check and publish: {"files": {"org.yaml": "...", ...}} (a model
// folder, names relative) or {"file": "..."} (one file, named "model.yaml" in
// diagnostics); exactly one of the two, nothing else. invalid_input naming the
// field otherwise. Pure.
Result<std::map<std::string, std::string>> parse_model_upload(std::string_view body);

// [{"version", "remembered_at", "published_at" | null, "published_by" | null,
//   "from_file": bool, "current": bool}] -- published_by is the login of the last
// publication; null with from_file true when the model was loaded from a file at
// start (kaiku serve --model). Pure.
std::string model_versions_json(const std::vector<storage::ModelVersionInfo>& versions);

// {"ok": false, "diagnostics": [{"file", "line", "column", "message"}]}. Pure.
std::string diagnostics_json(const std::vector<modelfile::Diagnostic>& diagnostics);

// /api/v1/models. Reading the versions: every role that reads responses (403 for
// integration); check and publish: admin and cx_specialist (may_publish_model).
// A model that does not load is 422 with every diagnostic (file:line:column).
// Publishing remembers the version, records the publication (user and time) and
// the audit entry "model.publish" (object "version=<v>"; 503 and nothing published
// when it cannot be written), then, when the version differs from `model`, calls
// `on_published` (which switches the server to the published model once this
// answer is written; may be empty). `model` is the served model. References must
// outlive the mount. Thread-safe.
class ModelsApi final : public Mount {
 public:
  ModelsApi(const domain::Model& model, storage::Store& store, Clock& clock, std::function<void()> on_published)
      : model_(model), store_(store), clock_(clock), on_published_(std::move(on_published)) {}
  std::string_view prefix() const override { return "/api/v1/models"; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  Response list(const std::string& path) const;
  Response get(const std::string& path, const std::string& version) const;
  Response check(const Request& req, const std::string& path) const;
  Response publish(const Request& req, const std::string& path, const domain::Principal& who) const;

  const domain::Model& model_;
  storage::Store& store_;
  Clock& clock_;
  std::function<void()> on_published_;
};

// GET /api/v1/touchpoints/stats: {"from", "to" (dates, Europe/Helsinki; the last
// 365 days through today), "threshold", "touchpoints": [{"touchpoint", "invitations",
// "answers", "last_answer_at"}]} for every touchpoint of the served model measured
// in the caller's scope (a unit of it in the caller's subtree, or above the scope
// unit), in model order, then touchpoints of earlier versions that have answers in
// scope. Counts come from the reporting engine in the caller's scope and are
// suppressed like every report: a count below the threshold is null.
// last_answer_at is the date (YYYY-MM-DD) of the last answer, null when none.
// Every role that reads responses; 503 without an engine. References must outlive it.
class TouchpointStatsApi final : public Mount {
 public:
  TouchpointStatsApi(const domain::Model& model, analytics::Engine* engine, Clock& clock)
      : model_(model), engine_(engine), clock_(clock) {}
  std::string_view prefix() const override { return "/api/v1/touchpoints/stats"; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  const domain::Model& model_;
  analytics::Engine* engine_;
  Clock& clock_;
};

}  // namespace kaiku::http
