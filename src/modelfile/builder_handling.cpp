// Feedback handling: the top-level `handling:` section (service levels of the
// inbox and who gets alerts; domain::HandlingSettings).
#include <algorithm>
#include <string_view>

#include "domain/access.hpp"
#include "domain/casework.hpp"
#include "modelfile/builder.hpp"

namespace kaiku::modelfile::detail {

void Builder::read_handling(domain::Model& m) {
  if (!handling_) return;
  const std::string& file = handling_->file;
  domain::HandlingSettings s;
  Fields f(sink_, file, handling_->node, "handling",
           {"contact_reply_days", "feedback_handling_days", "safety_themes", "alert_roles"});
  if (!f.ok()) return;
  for (auto [key, slot] : {std::pair<const char*, int*>{"contact_reply_days", &s.contact_reply_days},
                           std::pair<const char*, int*>{"feedback_handling_days", &s.feedback_handling_days}}) {
    auto days = read_int(sink_, f, key);
    if (!days) continue;
    if (*days < 1 || *days > 365) {
      sink_.error(loc_of(file, *f.get(key)), std::string("handling: ") + key +
                                                 " must be between 1 and 365 (days), got " + std::to_string(*days));
      continue;
    }
    *slot = static_cast<int>(*days);
  }
  if (auto list = read_list(sink_, f, "safety_themes")) {
    const std::string what = "handling: safety_themes";
    std::vector<std::string> known;
    for (const auto& t : m.themes) known.push_back(t.id);
    s.safety_themes.clear();
    for (const YAML::Node& n : *list) {
      auto id = scalar(sink_, file, n, what);
      if (!id) continue;
      if (std::find(known.begin(), known.end(), *id) == known.end()) {
        sink_.error(loc_of(file, n), what + ": unknown theme '" + *id + "'" +
                                         (known.empty() ? std::string("; the model has no themes: section")
                                                        : "; it must be one of the themes: section" +
                                                              did_you_mean(*id, known)));
        continue;
      }
      if (std::find(s.safety_themes.begin(), s.safety_themes.end(), *id) != s.safety_themes.end()) {
        sink_.error(loc_of(file, n), what + ": theme '" + *id + "' is listed twice");
        continue;
      }
      s.safety_themes.push_back(*id);
    }
  }
  if (auto list = read_list(sink_, f, "alert_roles")) {
    static const std::vector<std::string> kRoles{"admin", "cx_specialist", "director", "unit_manager", "analyst"};
    const std::string what = "handling: alert_roles";
    s.alert_roles.clear();
    for (const YAML::Node& n : *list) {
      auto name = scalar(sink_, file, n, what);
      if (!name) continue;
      auto role = domain::parse_role(*name);
      if (!role) {
        sink_.error(loc_of(file, n), what + ": unknown role '" + *name +
                                         "'; use admin, cx_specialist, director, unit_manager or analyst" +
                                         did_you_mean(*name, kRoles));
        continue;
      }
      if (*role == domain::Role::integration) {
        sink_.error(loc_of(file, n), what + ": 'integration' is a machine client and gets no alerts");
        continue;
      }
      std::string canonical(domain::role_name(*role));
      if (std::find(s.alert_roles.begin(), s.alert_roles.end(), canonical) != s.alert_roles.end()) {
        sink_.error(loc_of(file, n), what + ": role '" + canonical + "' is listed twice");
        continue;
      }
      s.alert_roles.push_back(std::move(canonical));
    }
  }
  m.handling = std::move(s);
}

}  // namespace kaiku::modelfile::detail
