// Staff roles, principals and scope rules. Standard library only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model.hpp"

namespace kaiku::domain {

enum class Role {
  admin,          // everything, including users
  cx_specialist,  // owns the model; reads all responses in scope
  director,       // reads indicators and responses in scope
  unit_manager,   // reads and handles the feedback of their own subtree
  analyst,        // reads responses in scope, never contact details
  integration,    // a machine client: submits responses, creates invitations; reads nothing
};
std::string_view role_name(Role r) noexcept;  // "admin", "cx_specialist", "director", ...
std::optional<Role> parse_role(std::string_view name) noexcept;  // also accepts "cx", "manager"

// Who is calling, after authentication.
struct Principal {
  std::int64_t user_id = 0;
  std::string login;
  Role role = Role::analyst;
  std::string scope_unit;  // root of the subtree this principal may see
};

// What a principal may do. Scope checks use the model's org tree.
bool may_read_responses(const Principal& p) noexcept;
bool may_read_contact_details(const Principal& p) noexcept;
bool may_submit_responses(const Principal& p) noexcept;
bool may_manage_invitations(const Principal& p) noexcept;
bool may_manage_users(const Principal& p) noexcept;
// The staff workspace (docs/workspace-api.md, "Permissions by role"):
// change a case's status, assign, note, reply, mark muistutus: admin, cx_specialist, unit_manager.
bool may_handle_cases(const Principal& p) noexcept;
// create, edit, publish development actions: every reading role but analyst.
bool may_edit_actions(const Principal& p) noexcept;
// upload, check and publish model versions: admin, cx_specialist.
bool may_publish_model(const Principal& p) noexcept;
// read the audit log: admin.
bool may_read_audit(const Principal& p) noexcept;
// export report tables (CSV, Excel): every role that reads responses.
bool may_export(const Principal& p) noexcept;
// True when `unit` lies in the principal's subtree.
bool in_scope(const Model& model, const Principal& p, const std::string& unit);

}  // namespace kaiku::domain
