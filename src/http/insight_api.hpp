// The workspace's org tree and audit log endpoints (docs/workspace-api.md,
// "Dashboard and reports" and "Audit"), as http::Mounts:
//   GET /api/v1/org    -- the org tree in the caller's scope (every reading role)
//   GET /api/v1/audit  -- the audit log, newest first, filtered and paged (admin);
//                         every read of it is itself audited ("audit.read")
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "domain/model.hpp"
#include "http/form.hpp"
#include "http/mount.hpp"
#include "http/report_params.hpp"
#include "storage/store.hpp"

namespace kaiku::http {

// {"root": root, "units": [{"id", "name": {"fi", "sv", "en", ...}, "kind",
// "parent" (null for `root`), "level" (depth from the county root: county 0),
// "children": [ids]}]} for `root` and every node below it, parents before
// children, in model order. `root` must be a unit of `model`. Pure.
std::string org_json(const domain::Model& model, const std::string& root);

// The audit query: login (exact), action (a comma-separated list of at most 20
// actions, each [a-z0-9._-]), from / to (RFC 3339 instants, or YYYY-MM-DD days
// in Europe/Helsinki: `from` at the day's start, `to` through the day's end; an
// instant `to` is exclusive), cursor (the next_cursor of a previous page), limit
// (1..1000, default 100). Unknown or repeated parameters and bad values are
// errors naming the parameter. Pure.
Result<storage::AuditFilter, ParamError> parse_audit_filter(const RawForm& query);

// {"entries": [{"id", "at", "login", "action", "object", "count"}], "next_cursor": "..." | null};
// next_cursor is the last entry's id when the page is full (`limit` entries). Pure.
std::string audit_json(const std::vector<storage::AuditEntry>& entries, int limit);

// GET /api/v1/org. Any principal that may read responses (not integration: 403);
// 401 without one. The tree below the caller's scope unit. `model` must outlive it.
class OrgApi final : public Mount {
 public:
  explicit OrgApi(const domain::Model& model) : model_(model) {}
  std::string_view prefix() const override { return "/api/v1/org"; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  const domain::Model& model_;
};

// GET /api/v1/audit. Admins only (403 otherwise; a refused read is audited as
// "audit.read.denied"). The page is read, then the read is audited as
// "audit.read" (object: the query string, count: entries served) before it is
// served; 503 when it cannot be audited. References must outlive it.
class AuditApi final : public Mount {
 public:
  AuditApi(storage::Store& store, Clock& clock) : store_(store), clock_(clock) {}
  std::string_view prefix() const override { return "/api/v1/audit"; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  storage::Store& store_;
  Clock& clock_;
};

}  // namespace kaiku::http
