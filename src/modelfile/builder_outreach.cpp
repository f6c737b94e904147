// SMS outreach: the top-level `outreach:` section (eligibility rules, timing, the
// senders' triggers, event -> touchpoint mappings) and each touchpoint's `sms:` block.
#include <algorithm>
#include <cctype>

#include "domain/outreach.hpp"
#include "modelfile/builder.hpp"

namespace kaiku::modelfile::detail {

using domain::QuestionType;

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// An SMS sender (Kannel's from=): alphanumeric, 1-11 of A-Z a-z 0-9 space . - _ with at
// least one letter; or a number, an optional + and 3-15 digits.
bool valid_sender_id(std::string_view s) {
  if (s.empty()) return false;
  const bool has_letter =
      std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (has_letter) {
    return s.size() <= 11 && s.front() != ' ' && s.back() != ' ' &&
           std::all_of(s.begin(), s.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' ||
                    c == '_';
           });
  }
  std::string_view digits = s.front() == '+' ? s.substr(1) : s;
  return digits.size() >= 3 && digits.size() <= 15 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void Builder::read_touchpoint_sms(const std::string& file, const YAML::Node& node, const std::string& owner,
                                  const domain::Survey* survey, bool sms_channel,
                                  domain::TouchpointSms& out) {
  using Mode = domain::TouchpointSms::Mode;
  const std::string what = owner + ": sms";
  Fields f(sink_, file, node, what, {"mode", "daily_cap", "min_age", "followup_question"});
  if (!f.ok()) return;
  if (!sms_channel) {
    sink_.error(f.loc(),
                what + ": an sms block needs the sms channel; add sms to 'channels' or remove the block");
  }
  if (auto mode = read_string(sink_, f, "mode")) {
    if (*mode == "link") {
      out.mode = Mode::link;
    } else if (*mode == "reply") {
      out.mode = Mode::reply;
    } else {
      sink_.error(loc_of(file, *f.get("mode")),
                  what + ": unknown mode '" + *mode +
                      "'; use link (an SMS with a survey link) or reply (answers "
                      "by SMS reply)");
    }
  }
  if (auto cap = read_int(sink_, f, "daily_cap")) {
    if (*cap < 0 || *cap > 1'000'000) {
      sink_.error(loc_of(file, *f.get("daily_cap")),
                  what + ": daily_cap must be between 0 (no cap) and 1000000, got " + std::to_string(*cap));
    } else {
      out.daily_cap = static_cast<int>(*cap);
    }
  }
  if (auto age = read_int(sink_, f, "min_age")) {
    if (*age < 0 || *age > 130) {
      sink_.error(loc_of(file, *f.get("min_age")),
                  what + ": min_age must be between 0 and 130, got " + std::to_string(*age));
    } else {
      out.min_age = static_cast<int>(*age);
    }
  }
  if (auto q = read_id(sink_, f, "followup_question")) {
    const Loc at = loc_of(file, *f.get("followup_question"));
    if (out.mode != Mode::reply) {
      sink_.error(at, what + ": followup_question is only for mode reply (a link opens the whole survey)");
    } else if (survey != nullptr) {
      const domain::Question* question = survey->question(*q);
      std::vector<std::string> open;
      for (const auto& sq : survey->questions)
        if (sq.type == QuestionType::open_text) open.push_back(sq.key);
      if (question == nullptr) {
        sink_.error(at, what + ": followup_question '" + *q + "' is not a question of survey '" + survey->id +
                            "'" + did_you_mean(*q, open));
      } else if (question->type != QuestionType::open_text) {
        sink_.error(at, what + ": followup_question '" + *q + "' is a " +
                            std::string(domain::question_type_name(question->type)) +
                            " question; the follow-up must be an open_text question of survey '" +
                            survey->id + "'");
      } else {
        out.followup_question = *q;
      }
    }
  }
  if (out.mode == Mode::reply && survey != nullptr) {
    const bool nps = std::any_of(survey->questions.begin(), survey->questions.end(),
                                 [](const domain::Question& q) { return q.type == QuestionType::nps; });
    if (!nps) {
      sink_.error(loc_of(file, *f.get("mode")),
                  what + ": mode reply asks the NPS question by SMS, but survey '" + survey->id +
                      "' has no nps question; use mode link");
    }
  }
}

void Builder::read_outreach(domain::Model& m) {
  if (!outreach_) return;
  const std::string& file = outreach_->file;
  domain::OutreachRules r;
  Fields f(sink_, file, outreach_->node, "outreach",
           {"enabled", "min_age", "consent_required", "sensitive_services", "sensitive_units",
            "follow_up_days", "contact_cap_days", "send_delay_days", "send_from_hour", "send_until_hour",
            "send_window_days", "reply_days", "sender_id", "senders", "mappings"});
  if (!f.ok()) return;
  if (auto b = read_bool(sink_, f, "enabled")) r.enabled = *b;
  if (auto b = read_bool(sink_, f, "consent_required")) r.consent_required = *b;
  // A whole number in [lo, hi]; `meaning` explains the value in the message.
  auto bounded = [&](const char* key, long long lo, long long hi, const char* meaning, int& slot) {
    auto v = read_int(sink_, f, key);
    if (!v) return;
    if (*v < lo || *v > hi) {
      sink_.error(loc_of(file, *f.get(key)), std::string("outreach: ") + key + " must be between " +
                                                 std::to_string(lo) + " and " + std::to_string(hi) + meaning +
                                                 ", got " + std::to_string(*v));
      return;
    }
    slot = static_cast<int>(*v);
  };
  bounded("min_age", 0, 130, " (years)", r.min_age);
  bounded("follow_up_days", 0, 3660, " (days; 0 = off)", r.follow_up_days);
  bounded("contact_cap_days", 0, 3660, " (days; 0 = off)", r.contact_cap_days);
  bounded("send_delay_days", 0, 365, " (days after the visit day)", r.send_delay_days);
  bounded("send_window_days", 1, 365, " (days)", r.send_window_days);
  bounded("reply_days", 1, 365, " (days)", r.reply_days);
  bool hours_ok = true;
  // Hours of the day; from < until is checked only when both read well.
  for (auto [key, slot] : {std::pair<const char*, int*>{"send_from_hour", &r.send_from_hour},
                           std::pair<const char*, int*>{"send_until_hour", &r.send_until_hour}}) {
    auto node = f.get(key);
    if (!node) continue;
    auto text = scalar(sink_, file, *node, std::string("outreach: ") + key);
    auto v = text ? parse_whole_number(*text) : std::nullopt;
    if (!v) {
      if (text)
        sink_.error(loc_of(file, *node),
                    std::string("outreach: ") + key + ": expected a whole number, got '" + *text + "'");
      hours_ok = false;
    } else if (*v < 0 || *v > 24) {
      sink_.error(loc_of(file, *node), std::string("outreach: ") + key +
                                           " must be an hour between 0 and 24 (local time), got " + *text);
      hours_ok = false;
    } else {
      *slot = static_cast<int>(*v);
    }
  }
  if (hours_ok && r.send_from_hour >= r.send_until_hour) {
    auto node = f.get("send_until_hour") ? f.get("send_until_hour") : f.get("send_from_hour");
    sink_.error(node ? loc_of(file, *node) : f.loc(),
                "outreach: send_from_hour (" + std::to_string(r.send_from_hour) +
                    ") must be before send_until_hour (" + std::to_string(r.send_until_hour) +
                    "); messages are sent only between them");
  }
  if (auto id = read_string(sink_, f, "sender_id")) {
    if (!valid_sender_id(*id)) {
      sink_.error(loc_of(file, *f.get("sender_id")),
                  "outreach: sender_id '" + *id +
                      "' is not a valid SMS sender; use 1-11 letters, digits, spaces, '.', '-' or '_' "
                      "(with a letter), or a number of 3-15 digits");
    } else {
      r.sender_id = *id;
      // Phones cannot answer an alphanumeric sender: reply mode needs a number.
      const bool alphanumeric = std::any_of(id->begin(), id->end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c));
      });
      for (const auto& tp : m.touchpoints) {
        if (!alphanumeric || tp.sms.mode != domain::TouchpointSms::Mode::reply ||
            !tp.has_channel(domain::Channel::sms)) {
          continue;
        }
        sink_.error(loc_of(file, *f.get("sender_id")),
                    "outreach: sender_id '" + *id + "' is a name, but touchpoint '" + tp.id +
                        "' asks for SMS replies (sms: mode reply), and phones cannot reply to a name; "
                        "use the service's phone number (e.g. +358401234567 or a short number)");
        break;
      }
    }
  }

  // A list of plain texts (trigger codes, visit types, service codes): non-empty,
  // each once (case-insensitively when `ci`).
  auto texts = [&](const Fields& owner, const char* key, bool ci) {
    std::vector<std::string> out;
    auto list = read_list(sink_, owner, key);
    if (!list) return out;
    for (const YAML::Node& n : *list) {
      auto v = scalar(sink_, file, n, owner.what() + ": " + key);
      if (!v) continue;
      if (v->empty()) {
        sink_.error(loc_of(file, n), owner.what() + ": " + key + ": empty value");
      } else if (std::any_of(out.begin(), out.end(),
                             [&](const std::string& x) { return ci ? iequal(x, *v) : x == *v; })) {
        sink_.error(loc_of(file, n), owner.what() + ": " + key + ": '" + *v + "' is listed twice");
      } else {
        out.push_back(*v);
      }
    }
    return out;
  };
  // A list of org node ids that must exist.
  auto units = [&](const Fields& owner, const char* key) {
    std::vector<std::string> out;
    auto list = read_list(sink_, owner, key);
    if (!list) return out;
    for (const YAML::Node& n : *list) {
      auto u = id_scalar(sink_, file, n, owner.what() + ": " + key);
      if (!u) continue;
      if (!unit_ids_.count(*u)) {
        consequential(loc_of(file, n), owner.what() + ": " + key + ": unknown unit '" + *u + "'" +
                                           did_you_mean(*u, unit_ids_));
      } else if (std::find(out.begin(), out.end(), *u) != out.end()) {
        sink_.error(loc_of(file, n), owner.what() + ": " + key + ": unit '" + *u + "' is listed twice");
      } else {
        out.push_back(*u);
      }
    }
    return out;
  };
  r.sensitive_services = texts(f, "sensitive_services", true);
  r.sensitive_units = units(f, "sensitive_units");

  std::set<std::string> systems;
  for (const auto& [code, owner] : codes_) systems.insert(code.first);
  const domain::SenderRule defaults = domain::sender_rule(domain::OutreachRules{}, "*");
  if (auto list = read_list(sink_, f, "senders")) {
    std::map<std::string, Loc> seen;
    for (const YAML::Node& n : *list) {
      Fields sf(sink_, file, n, "outreach: sender" + quoted_field(n, "sender"),
                {"sender", "completed", "cancels", "unit_code_system"});
      if (!sf.ok()) continue;
      domain::SenderRule rule;
      sf.require("sender");
      auto name = read_string(sink_, sf, "sender");
      if (name && name->empty()) {
        sink_.error(loc_of(file, *sf.get("sender")),
                    sf.what() + ": sender is empty; write the sending system as in its messages, or \"*\"");
        name.reset();
      }
      auto list_or_default = [&](const char* key, const std::vector<std::string>& fallback) {
        if (!sf.get(key)) return fallback;
        std::vector<std::string> v = texts(sf, key, true);
        if (auto node = sf.get(key); node && node->IsSequence() && node->size() == 0) {
          sink_.error(loc_of(file, *node),
                      sf.what() + ": " + key + " is empty; leave it out to use the defaults");
        }
        return v;
      };
      rule.completed = list_or_default("completed", defaults.completed);
      rule.cancels = list_or_default("cancels", defaults.cancels);
      for (const std::string& t : rule.completed) {
        if (std::any_of(rule.cancels.begin(), rule.cancels.end(),
                        [&](const std::string& c) { return iequal(c, t); })) {
          sink_.error(sf.loc(), sf.what() + ": trigger '" + t + "' is both in completed and in cancels");
        }
      }
      if (auto sys = read_string(sink_, sf, "unit_code_system")) {
        if (!systems.count(*sys)) {
          std::string known;
          for (const std::string& s : systems) known += (known.empty() ? "" : ", ") + s;
          consequential(
              loc_of(file, *sf.get("unit_code_system")),
              sf.what() + ": unit_code_system '" + *sys + "': no unit has a code in this system" +
                  (known.empty() ? std::string(" (no unit has codes)") : " (known: " + known + ")") +
                  did_you_mean(*sys, systems));
        }
        rule.unit_code_system = *sys;
      }
      if (name && claim(seen, *name, sf.loc(), "outreach sender")) {
        rule.sender = *name;
        r.senders.push_back(std::move(rule));
      }
    }
  }

  if (auto list = read_list(sink_, f, "mappings")) {
    for (const YAML::Node& n : *list) {
      Fields mf(sink_, file, n, "outreach: mapping" + quoted_field(n, "touchpoint"),
                {"touchpoint", "units", "visit_types", "services"});
      if (!mf.ok()) continue;
      domain::TouchpointRule rule;
      bool ok = true;
      mf.require("touchpoint");
      if (auto tp_id = read_id(sink_, mf, "touchpoint")) {
        const Loc at = loc_of(file, *mf.get("touchpoint"));
        auto it = std::find_if(m.touchpoints.begin(), m.touchpoints.end(),
                               [&](const domain::Touchpoint& t) { return t.id == *tp_id; });
        if (it == m.touchpoints.end()) {
          std::vector<std::string> ids;
          for (const auto& t : m.touchpoints) ids.push_back(t.id);
          consequential(at, mf.what() + ": unknown touchpoint '" + *tp_id + "'" + did_you_mean(*tp_id, ids));
          ok = false;
        } else if (!it->has_channel(domain::Channel::sms)) {
          sink_.error(at, mf.what() + ": touchpoint '" + *tp_id +
                              "' has no sms channel; only touchpoints measured by SMS take visit events");
          ok = false;
        }
        rule.touchpoint = *tp_id;
      } else {
        ok = false;
      }
      rule.units = units(mf, "units");
      rule.visit_types = texts(mf, "visit_types", false);
      rule.services = texts(mf, "services", false);
      if (ok) r.mappings.push_back(std::move(rule));
    }
  }
  m.outreach = std::move(r);
}

}  // namespace kaiku::modelfile::detail
