// The feedback inbox over HTTP: /api/v1/cases (docs/workspace-api.md, "The
// feedback inbox: cases"). JSON in and out; unknown query parameters and body
// fields are refused with 400; the rules live in service::CaseService.
#pragma once

#include <string_view>

#include "domain/model.hpp"
#include "http/mount.hpp"
#include "service/case_service.hpp"

namespace kaiku::http {

class CasesApi final : public Mount {
 public:
  // References must outlive the mount.
  CasesApi(const domain::Model& model, const service::CaseService& cases) : model_(model), cases_(cases) {}
  std::string_view prefix() const override { return "/api/v1/cases"; }
  // GET /api/v1/cases, GET /api/v1/cases/overdue, GET /api/v1/cases/{id},
  // POST /api/v1/cases/{id}/{status|assign|notes|reply|muistutus}.
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  const domain::Model& model_;
  const service::CaseService& cases_;
};

}  // namespace kaiku::http
