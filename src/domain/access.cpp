#include "domain/access.hpp"

namespace kaiku::domain {

std::string_view role_name(Role r) noexcept {
  switch (r) {
    case Role::admin: return "admin";
    case Role::cx_specialist: return "cx_specialist";
    case Role::director: return "director";
    case Role::unit_manager: return "unit_manager";
    case Role::analyst: return "analyst";
    case Role::integration: return "integration";
  }
  return "analyst";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
  if (name == "admin") return Role::admin;
  if (name == "cx_specialist" || name == "cx") return Role::cx_specialist;
  if (name == "director") return Role::director;
  if (name == "unit_manager" || name == "manager") return Role::unit_manager;
  if (name == "analyst") return Role::analyst;
  if (name == "integration") return Role::integration;
  return std::nullopt;
}

bool may_read_responses(const Principal& p) noexcept { return p.role != Role::integration; }

bool may_read_contact_details(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::cx_specialist || p.role == Role::unit_manager;
}

bool may_submit_responses(const Principal& p) noexcept {
  return p.role == Role::integration || p.role == Role::admin;
}

bool may_manage_invitations(const Principal& p) noexcept {
  return p.role == Role::integration || p.role == Role::admin;
}

bool may_manage_users(const Principal& p) noexcept { return p.role == Role::admin; }

bool may_handle_cases(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::cx_specialist || p.role == Role::unit_manager;
}

bool may_edit_actions(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::cx_specialist || p.role == Role::director ||
         p.role == Role::unit_manager;
}

bool may_publish_model(const Principal& p) noexcept {
  return p.role == Role::admin || p.role == Role::cx_specialist;
}

bool may_read_audit(const Principal& p) noexcept { return p.role == Role::admin; }

bool may_export(const Principal& p) noexcept { return may_read_responses(p); }

bool in_scope(const Model& model, const Principal& p, const std::string& unit) {
  return !p.scope_unit.empty() && model.in_subtree(unit, p.scope_unit);
}

}  // namespace kaiku::domain
