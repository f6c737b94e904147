#include "service/action_service.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "storage/action_store.hpp"
#include "storage/case_store.hpp"

namespace kaiku::service {
namespace {

using domain::Language;

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Length limits of every language of `t`; `field` names it in the message.
Status check_texts(const domain::LocalizedText& t, const std::string& field, std::size_t max) {
  for (const auto& [lang, text] : t.texts) {
    if (code_points(text) > max) {
      return fail(Error::invalid(field + "." + std::string(domain::language_tag(lang)) + ": at most " +
                                 std::to_string(max) + " characters"));
    }
  }
  return {};
}

std::string role_of(const domain::Principal& who) { return std::string(domain::role_name(who.role)); }

}  // namespace

bool is_calendar_date(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  int v[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = starts[i]; k < starts[i] + lens[i]; ++k) {
      if (date[k] < '0' || date[k] > '9') return false;
      v[i] = v[i] * 10 + (date[k] - '0');
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year{v[0]}, std::chrono::month{static_cast<unsigned>(v[1])},
                                        std::chrono::day{static_cast<unsigned>(v[2])}};
  return v[0] >= 1900 && ymd.ok();
}

ActionService::ActionService(const domain::Model& model, storage::Store& store, Clock& clock)
    : model_(model), store_(store), clock_(clock) {}

Error ActionService::denied(const domain::Principal& who, const std::string& object, Error error) const {
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = "actions.write.denied";
  a.object = object + " reason=" + error.message;
  (void)store_.audit().record(a);  // a refused write changes nothing either way
  return error;
}

Status ActionService::audit_write(const domain::Principal& who, const std::string& object) const {
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = "actions.write";
  a.object = object;
  a.count = 1;
  if (auto st = store_.audit().record(a); !st) {
    return fail(Error::unavailable("the change was saved but could not be audited: " + st.error().message));
  }
  return {};
}

Status ActionService::check_writer(const domain::Principal& who, const std::string& object) const {
  if (!domain::may_edit_actions(who)) {
    return fail(denied(who, object, Error::forbidden("role '" + role_of(who) + "' may not write development actions")));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(denied(who, object,
                       Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model")));
  }
  return {};
}

Status ActionService::check_input(const domain::Principal& who, const ActionInput& in,
                                  const std::string& object) const {
  if (in.unit.empty()) return fail(Error::invalid("unit: required"));
  if (model_.unit(in.unit) == nullptr) return fail(Error::invalid("unit: unknown unit '" + in.unit + "'"));
  if (!domain::in_scope(model_, who, in.unit)) {
    return fail(denied(who, object, Error::forbidden("unit: '" + in.unit + "' is outside your scope")));
  }
  if (!in.title.has(Language::fi) || blank(in.title.get(Language::fi))) {
    return fail(Error::invalid("title.fi: required (the Finnish title)"));
  }
  if (in.published && (!in.title.has(Language::sv) || blank(in.title.get(Language::sv)))) {
    return fail(Error::invalid("title.sv: needed to publish (the public page is in Finnish and Swedish)"));
  }
  if (auto st = check_texts(in.title, "title", kActionTitleMax); !st) return st;
  if (auto st = check_texts(in.description, "description", kActionTextMax); !st) return st;
  if (auto st = check_texts(in.reason, "reason", kActionTextMax); !st) return st;
  if (!is_calendar_date(in.done_on)) {
    return fail(Error::invalid("done_on: expected a date YYYY-MM-DD, got '" + in.done_on + "'"));
  }
  if (in.themes.size() > kActionLinksMax) return fail(Error::invalid("themes: at most 100"));
  if (in.cases.size() > kActionLinksMax) return fail(Error::invalid("cases: at most 100"));
  std::set<std::string> themes;
  for (const auto& t : in.themes) {
    const bool known = std::any_of(model_.themes.begin(), model_.themes.end(),
                                   [&](const domain::Theme& th) { return th.id == t; });
    if (!known) return fail(Error::invalid("themes: '" + t + "' is not a theme of the model"));
    if (!themes.insert(t).second) return fail(Error::invalid("themes: '" + t + "' is named twice"));
  }
  std::set<std::int64_t> cases;
  for (std::int64_t id : in.cases) {
    if (!cases.insert(id).second) return fail(Error::invalid("cases: " + std::to_string(id) + " is named twice"));
    // A case is found in the inbox; a response stored before the inbox existed
    // still counts when it would open one under the model. A missing case and one
    // outside the scope get the same answer, so that existence does not leak.
    const Error none = Error::invalid("cases: no case " + std::to_string(id) + " in your scope");
    std::string unit;
    auto c = store_.cases().get(id);
    if (c) {
      unit = c->unit;
    } else if (c.error().kind == ErrorKind::not_found) {
      auto r = store_.responses().get(id);
      if (!r) {
        if (r.error().kind == ErrorKind::not_found) return fail(none);
        return fail(Error::unavailable("could not read case " + std::to_string(id) + ": " + r.error().message));
      }
      if (!domain::open_case(model_, *r)) return fail(none);
      unit = r->unit;
    } else {
      return fail(Error::unavailable("could not read case " + std::to_string(id) + ": " + c.error().message));
    }
    if (model_.unit(unit) == nullptr || !domain::in_scope(model_, who, unit)) return fail(none);
  }
  return {};
}

std::vector<ActionView> ActionService::views(std::vector<domain::DevelopmentAction> actions) const {
  std::map<std::int64_t, std::string> logins;
  std::vector<ActionView> out;
  out.reserve(actions.size());
  for (auto& a : actions) {
    auto it = logins.find(a.created_by);
    if (it == logins.end()) {
      auto u = store_.users().find_by_id(a.created_by);
      it = logins.emplace(a.created_by, u ? u->login : std::string()).first;
    }
    out.push_back({std::move(a), it->second});
  }
  return out;
}

Result<domain::DevelopmentAction> ActionService::action_in_scope(const domain::Principal& who, std::int64_t id,
                                                                 const std::string& action) const {
  const Error none = Error::not_found("no action " + std::to_string(id));
  auto a = store_.actions().get(id);
  if (!a) {
    if (a.error().kind == ErrorKind::not_found) return fail(none);
    return fail(Error::unavailable("could not read the action: " + a.error().message));
  }
  if (model_.unit(a->unit) == nullptr || !domain::in_scope(model_, who, a->unit)) {
    if (!action.empty()) return fail(denied(who, action + " action=" + std::to_string(id) + " scope=outside", none));
    return fail(none);
  }
  return a;
}

Result<std::vector<ActionView>> ActionService::list(const domain::Principal& who, const ActionFilter& f) const {
  if (!domain::may_read_responses(who)) {
    return fail(Error::forbidden("role '" + role_of(who) + "' may not read development actions"));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model"));
  }
  std::string root = who.scope_unit;
  if (f.unit) {
    if (model_.unit(*f.unit) == nullptr) return fail(Error::invalid("unit: unknown unit '" + *f.unit + "'"));
    if (!domain::in_scope(model_, who, *f.unit)) {
      return fail(Error::forbidden("unit: '" + *f.unit + "' is outside your scope"));
    }
    root = *f.unit;
  }
  if (f.theme && std::none_of(model_.themes.begin(), model_.themes.end(),
                              [&](const domain::Theme& th) { return th.id == *f.theme; })) {
    return fail(Error::invalid("theme: '" + *f.theme + "' is not a theme of the model"));
  }
  storage::ActionQuery q;
  q.units = model_.subtree(root);
  q.published = f.published;
  q.theme = f.theme;
  auto rows = store_.actions().list(q);
  if (!rows) return fail(Error::unavailable("could not list the actions: " + rows.error().message));
  return views(std::move(*rows));
}

Result<ActionView> ActionService::get(const domain::Principal& who, std::int64_t id) const {
  if (!domain::may_read_responses(who)) {
    return fail(Error::forbidden("role '" + role_of(who) + "' may not read development actions"));
  }
  auto a = action_in_scope(who, id, "");
  if (!a) return fail(a.error());
  return std::move(views({std::move(*a)}).front());
}

namespace {

domain::DevelopmentAction to_action(const ActionInput& in) {
  domain::DevelopmentAction a;
  a.unit = in.unit;
  a.title = in.title;
  a.description = in.description;
  a.reason = in.reason;
  a.done_on = in.done_on;
  a.themes = in.themes;
  a.cases = in.cases;
  a.published = in.published;
  return a;
}

std::string describe(const domain::DevelopmentAction& a) {
  return "unit=" + a.unit + " published=" + (a.published ? "true" : "false") +
         " cases=" + std::to_string(a.cases.size());
}

}  // namespace

Result<ActionView> ActionService::create(const domain::Principal& who, const ActionInput& in) const {
  const std::string object = "create unit=" + in.unit;
  if (auto st = check_writer(who, object); !st) return fail(st.error());
  if (auto st = check_input(who, in, object); !st) return fail(st.error());
  domain::DevelopmentAction a = to_action(in);
  a.created_by = who.user_id;
  auto made = store_.actions().create(a);
  if (!made) {
    if (made.error().kind == ErrorKind::invalid_input) return fail(made.error());
    return fail(Error::unavailable("could not store the action: " + made.error().message));
  }
  if (auto st = audit_write(who, "create action=" + std::to_string(made->id) + " " + describe(*made)); !st) {
    return fail(st.error());
  }
  return std::move(views({std::move(*made)}).front());
}

Result<ActionView> ActionService::replace(const domain::Principal& who, std::int64_t id,
                                          const ActionInput& in) const {
  const std::string object = "replace action=" + std::to_string(id);
  if (auto st = check_writer(who, object); !st) return fail(st.error());
  auto old = action_in_scope(who, id, "replace");
  if (!old) return fail(old.error());
  if (auto st = check_input(who, in, object + " unit=" + in.unit); !st) return fail(st.error());
  domain::DevelopmentAction a = to_action(in);
  a.id = id;
  auto stored = store_.actions().replace(a);
  if (!stored) {
    const ErrorKind k = stored.error().kind;
    if (k == ErrorKind::invalid_input || k == ErrorKind::not_found) return fail(stored.error());
    return fail(Error::unavailable("could not store the action: " + stored.error().message));
  }
  if (auto st = audit_write(who, object + " " + describe(*stored)); !st) return fail(st.error());
  return std::move(views({std::move(*stored)}).front());
}

Status ActionService::remove(const domain::Principal& who, std::int64_t id) const {
  const std::string object = "delete action=" + std::to_string(id);
  if (auto st = check_writer(who, object); !st) return st;
  auto old = action_in_scope(who, id, "delete");
  if (!old) return fail(old.error());
  if (auto st = store_.actions().remove(id); !st) {
    if (st.error().kind == ErrorKind::not_found) return st;
    return fail(Error::unavailable("could not delete the action: " + st.error().message));
  }
  return audit_write(who, object + " unit=" + old->unit);
}

Result<std::vector<domain::DevelopmentAction>> ActionService::published_in(const std::string& area) const {
  if (model_.unit(area) == nullptr) return fail(Error::not_found("no area '" + area + "'"));
  storage::ActionQuery q;
  q.units = model_.subtree(area);
  q.published = true;
  auto rows = store_.actions().list(q);
  if (!rows) return fail(Error::unavailable("could not list the actions: " + rows.error().message));
  return std::move(*rows);
}

Result<std::vector<const domain::OrgUnit*>> ActionService::areas_with_published() const {
  auto units = store_.actions().units_with_published();
  if (!units) return fail(Error::unavailable("could not list the actions: " + units.error().message));
  std::set<std::string> marked;
  for (const auto& u : *units) {
    if (model_.unit(u) == nullptr) continue;  // a unit the current model no longer has
    for (const auto& p : model_.path_to(u)) marked.insert(p);
  }
  std::vector<const domain::OrgUnit*> out;
  for (const auto& u : model_.units) {
    if (marked.count(u.id) != 0) out.push_back(&u);
  }
  return out;
}

}  // namespace kaiku::service
