// Development actions over HTTP: /api/v1/actions (docs/workspace-api.md,
// "Development actions"). JSON in and out; unknown query parameters and body
// fields are refused with 400; the rules live in service::ActionService.
#pragma once

#include <string_view>

#include "domain/model.hpp"
#include "http/mount.hpp"
#include "service/action_service.hpp"

namespace kaiku::http {

class ActionsApi final : public Mount {
 public:
  // References must outlive the mount.
  ActionsApi(const domain::Model& model, const service::ActionService& actions) : model_(model), actions_(actions) {}
  std::string_view prefix() const override { return "/api/v1/actions"; }
  // GET (list: ?unit=&published=true|false&theme=) and POST /api/v1/actions;
  // GET, PUT and DELETE /api/v1/actions/{id}.
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  const domain::Model& model_;
  const service::ActionService& actions_;
};

}  // namespace kaiku::http
