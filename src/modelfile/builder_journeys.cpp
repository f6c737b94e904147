// Journeys with their stages, touchpoints with their frequencies, and targets.
#include <algorithm>
#include <cctype>

#include "modelfile/builder.hpp"

namespace kaiku::modelfile::detail {

using domain::QuestionType;

namespace {

// Parses a yearly date "D.M." / "D.M" (Finnish) or "MM-DD" (ISO); false if malformed.
bool parse_day_month(const std::string& s, int& day, int& month) {
  auto digits = [](const std::string& x) {
    return !x.empty() && x.size() <= 2 &&
           std::all_of(x.begin(), x.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string a, b;
  if (auto dash = s.find('-'); dash != std::string::npos) {
    a = s.substr(dash + 1);  // day
    b = s.substr(0, dash);   // month
  } else if (auto dot = s.find('.'); dot != std::string::npos) {
    a = s.substr(0, dot);
    b = s.substr(dot + 1);
    if (!b.empty() && b.back() == '.') b.pop_back();
  } else {
    return false;
  }
  if (!digits(a) || !digits(b)) return false;
  day = std::stoi(a);
  month = std::stoi(b);
  return true;
}

std::vector<std::string> stage_ids(const domain::Journey& j) {
  std::vector<std::string> out;
  for (const auto& s : j.stages) out.push_back(s.id);
  return out;
}

bool valid_day(int day, int month) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 && day >= 1 && day <= kDays[month - 1];
}

}  // namespace

std::vector<std::pair<std::string, domain::LocalizedText>> Builder::read_keyed_texts(
    const std::string& file, const YAML::Node& list, const std::string& item, const char* key_field,
    const char* text_field, const std::vector<domain::Language>& langs, const std::string& dup_kind) {
  std::vector<std::pair<std::string, domain::LocalizedText>> out;
  std::map<std::string, Loc> seen;
  for (const YAML::Node& n : list) {
    Fields f(sink_, file, n, item + quoted_field(n, key_field), {key_field, text_field});
    if (!f.ok()) continue;
    f.require(key_field);
    auto key = read_id(sink_, f, key_field);
    f.require(text_field);
    domain::LocalizedText text = read_text(sink_, f, text_field, langs);
    if (key && claim(seen, *key, f.loc(), dup_kind)) out.emplace_back(*key, std::move(text));
  }
  return out;
}

void Builder::read_journeys(domain::Model& m) {
  std::map<std::string, Loc> ids;
  for (const Section& s : journeys_) {
    for (const YAML::Node& n : s.node) {
      const std::string what = "journey" + quoted_field(n, "id");
      Fields f(sink_, s.file, n, what, {"id", "name", "stages"});
      if (!f.ok()) continue;
      domain::Journey j;
      f.require("id");
      auto id = read_id(sink_, f, "id");
      f.require("name");
      j.name = read_text(sink_, f, "name", name_langs_);
      f.require("stages");
      if (auto stages = read_list(sink_, f, "stages")) {
        if (stages->size() == 0) sink_.error(loc_of(s.file, *stages), what + ": 'stages' is empty");
        for (auto& [sid, name] : read_keyed_texts(s.file, *stages, what + ": stage", "id", "name", name_langs_,
                                                  "stage id"))
          j.stages.push_back({sid, std::move(name)});
      }
      if (id && claim(ids, *id, f.loc(), "journey id")) {
        j.id = *id;
        m.journeys.push_back(std::move(j));
      }
    }
  }
}

std::optional<domain::Frequency> Builder::read_frequency(const std::string& file, const YAML::Node& node,
                                                         const std::string& owner) {
  using Kind = domain::Frequency::Kind;
  const std::string what = owner + ": frequency";
  domain::Frequency fr;
  auto parse_kind = [&](const YAML::Node& k) -> std::optional<Kind> {
    auto name = scalar(sink_, file, k, what);
    if (!name) return std::nullopt;
    if (*name == "continuous") return Kind::continuous;
    if (*name == "sampled") return Kind::sampled;
    if (*name == "periodic") return Kind::periodic;
    sink_.error(loc_of(file, k),
                what + ": unknown frequency kind '" + *name + "'; use continuous, sampled or periodic");
    return std::nullopt;
  };
  if (node.IsScalar()) {
    auto k = parse_kind(node);
    if (!k) return std::nullopt;
    fr.kind = *k;
    if (fr.kind == Kind::sampled) {
      sink_.error(loc_of(file, node), what +
                                          ": a sampled frequency needs a 'share', e.g. "
                                          "{kind: sampled, share: 0.2}");
    } else if (fr.kind == Kind::periodic) {
      sink_.error(loc_of(file, node), what +
                                          ": a periodic frequency needs 'windows', e.g. "
                                          "{kind: periodic, windows: [{start: 1.3., days: 14}]}");
    }
    return fr;
  }
  Fields f(sink_, file, node, what, {"kind", "share", "windows", "contact_cap"});
  if (!f.ok()) return std::nullopt;
  auto kn = f.require("kind");
  if (!kn) return std::nullopt;
  auto k = parse_kind(*kn);
  if (!k) return std::nullopt;
  fr.kind = *k;
  if (auto sn = f.get("share")) {
    if (fr.kind != Kind::sampled) {
      sink_.error(loc_of(file, *sn), what + ": 'share' is only for sampled frequencies");
    } else if (auto share = read_number(sink_, f, "share")) {
      if (!(*share > 0.0 && *share <= 1.0)) {
        sink_.error(loc_of(file, *sn), what +
                                           ": share must be greater than 0 and at most 1 "
                                           "(e.g. 0.2 for every fifth event), got " +
                                           sn->Scalar());
      } else {
        fr.sample_share = *share;
      }
    }
  } else if (fr.kind == Kind::sampled) {
    sink_.error(f.loc(), what + ": missing required field 'share' for a sampled frequency");
  }
  if (auto wn = f.get("windows")) {
    if (fr.kind != Kind::periodic) {
      sink_.error(loc_of(file, *wn), what + ": 'windows' is only for periodic frequencies");
    } else if (auto ws = read_list(sink_, f, "windows")) {
      if (ws->size() == 0) {
        sink_.error(loc_of(file, *ws), what + ": a periodic frequency needs at least one window");
      }
      for (const YAML::Node& w : *ws) {
        Fields wf(sink_, file, w, what + ": window", {"start", "days"});
        if (!wf.ok()) continue;
        domain::Frequency::Window win;
        bool ok = true;
        wf.require("start");
        if (auto start = read_string(sink_, wf, "start")) {
          if (!parse_day_month(*start, win.day, win.month) || !valid_day(win.day, win.month)) {
            sink_.error(loc_of(file, *wf.get("start")),
                        what + ": window start '" + *start +
                            "' is not a valid date; write day.month., e.g. 1.3. (or 03-01)");
            ok = false;
          }
        } else {
          ok = false;
        }
        wf.require("days");
        if (auto days = read_int(sink_, wf, "days")) {
          if (*days < 1 || *days > 366) {
            sink_.error(loc_of(file, *wf.get("days")),
                        what + ": window days must be between 1 and 366, got " + std::to_string(*days));
            ok = false;
          } else {
            win.length_days = static_cast<int>(*days);
          }
        } else {
          ok = false;
        }
        if (ok) fr.windows.push_back(win);
      }
    }
  } else if (fr.kind == Kind::periodic) {
    sink_.error(f.loc(), what +
                             ": a periodic frequency needs 'windows', e.g. "
                             "[{start: 1.3., days: 14}]");
  }
  if (auto cap = f.get("contact_cap")) {
    Fields cf(sink_, file, *cap, what + ": contact_cap", {"max", "days"});
    if (cf.ok()) {
      cf.require("max");
      cf.require("days");
      if (auto mx = read_int(sink_, cf, "max")) {
        if (*mx < 1 || *mx > 1000) {
          sink_.error(loc_of(file, *cf.get("max")),
                      what + ": contact_cap max must be between 1 and 1000, got " + std::to_string(*mx));
        } else {
          fr.cap_max = static_cast<int>(*mx);
        }
      }
      if (auto d = read_int(sink_, cf, "days")) {
        if (*d < 1 || *d > 3660) {
          sink_.error(loc_of(file, *cf.get("days")),
                      what + ": contact_cap days must be between 1 and 3660, got " + std::to_string(*d));
        } else {
          fr.cap_days = static_cast<int>(*d);
        }
      }
    }
  }
  return fr;
}

void Builder::read_touchpoints(domain::Model& m) {
  std::map<std::string, Loc> ids;
  std::map<std::string, const domain::Journey*> journeys;
  for (const auto& j : m.journeys) journeys[j.id] = &j;
  std::map<std::string, const domain::Survey*> surveys;
  for (const auto& sv : m.surveys) surveys[sv.id] = &sv;
  for (const Section& s : touchpoints_) {
    for (const YAML::Node& n : s.node) {
      const std::string what = "touchpoint" + quoted_field(n, "id");
      Fields f(sink_, s.file, n, what,
               {"id", "name", "journey", "stage", "units", "survey", "child_survey", "relative_survey",
                "channels", "frequency", "sms"});
      if (!f.ok()) continue;
      domain::Touchpoint tp;
      f.require("id");
      auto id = read_id(sink_, f, "id");
      f.require("name");
      tp.name = read_text(sink_, f, "name", name_langs_);
      f.require("journey");
      const domain::Journey* journey = nullptr;
      if (auto j = read_id(sink_, f, "journey")) {
        auto it = journeys.find(*j);
        if (it == journeys.end()) {
          consequential(loc_of(s.file, *f.get("journey")),
                      what + ": unknown journey '" + *j + "'" + did_you_mean(*j, journeys));
        } else {
          journey = it->second;
          tp.journey = *j;
        }
      }
      f.require("stage");
      if (auto st = read_id(sink_, f, "stage"); st && journey) {
        bool found = std::any_of(journey->stages.begin(), journey->stages.end(),
                                 [&](const domain::JourneyStage& x) { return x.id == *st; });
        if (!found) {
          sink_.error(loc_of(s.file, *f.get("stage")), what + ": unknown stage '" + *st + "' of journey '" +
                                                           journey->id + "'" +
                                                           did_you_mean(*st, stage_ids(*journey)));
        } else {
          tp.stage = *st;
        }
      }
      f.require("units");
      if (auto us = read_list(sink_, f, "units")) {
        if (us->size() == 0) sink_.error(loc_of(s.file, *us), what + ": 'units' is empty");
        for (const YAML::Node& un : *us) {
          auto u = id_scalar(sink_, s.file, un, what + ": units");
          if (!u) continue;
          if (!unit_ids_.count(*u)) {
            consequential(loc_of(s.file, un),
                        what + ": unknown unit '" + *u + "'" + did_you_mean(*u, unit_ids_));
          } else if (std::find(tp.units.begin(), tp.units.end(), *u) != tp.units.end()) {
            sink_.error(loc_of(s.file, un), what + ": unit '" + *u + "' is listed twice");
          } else {
            tp.units.push_back(*u);
          }
        }
      }
      auto survey_ref = [&](const char* key, std::optional<domain::Audience> audience,
                            std::string& out) -> const domain::Survey* {
        auto sid = read_id(sink_, f, key);
        if (!sid) return nullptr;
        auto it = surveys.find(*sid);
        Loc at = loc_of(s.file, *f.get(key));
        if (it == surveys.end()) {
          consequential(at,
                      what + ": " + key + ": unknown survey '" + *sid + "'" + did_you_mean(*sid, surveys));
          return nullptr;
        }
        if (audience && it->second->audience != *audience) {
          sink_.error(at, what + ": " + key + ": survey '" + *sid + "' is for audience " +
                              std::string(domain::audience_name(it->second->audience)) + ", expected " +
                              std::string(domain::audience_name(*audience)));
          return nullptr;
        }
        out = *sid;
        return it->second;
      };
      f.require("survey");
      const domain::Survey* main = survey_ref("survey", std::nullopt, tp.survey);
      survey_ref("child_survey", domain::Audience::child, tp.child_survey);
      survey_ref("relative_survey", domain::Audience::relative, tp.relative_survey);
      f.require("channels");
      if (auto cs = read_list(sink_, f, "channels")) {
        if (cs->size() == 0) sink_.error(loc_of(s.file, *cs), what + ": 'channels' is empty");
        for (const YAML::Node& cn : *cs) {
          auto name = scalar(sink_, s.file, cn, what + ": channels");
          if (!name) continue;
          auto ch = domain::parse_channel(*name);
          if (!ch || *ch == domain::Channel::feedback) {
            sink_.error(loc_of(s.file, cn), what + ": unknown channel '" + *name +
                                                "'; use web, qr, kiosk, sms, tablet, paper, phone or api");
          } else if (std::find(tp.channels.begin(), tp.channels.end(), *ch) != tp.channels.end()) {
            sink_.error(loc_of(s.file, cn), what + ": channel '" + *name + "' is listed twice");
          } else {
            if (*ch == domain::Channel::kiosk && main && main->kiosk_question.empty()) {
              sink_.error(loc_of(s.file, cn), what +
                                                  ": channel kiosk needs a survey with a kiosk_question, but "
                                                  "survey '" +
                                                  main->id + "' has none");
            }
            tp.channels.push_back(*ch);
          }
        }
      }
      if (auto fn = f.get("frequency")) {
        if (auto fr = read_frequency(s.file, *fn, what)) tp.frequency = *fr;
      }
      if (auto sn = f.get("sms")) {
        read_touchpoint_sms(s.file, *sn, what, main, tp.has_channel(domain::Channel::sms), tp.sms);
      }
      if (id && claim(ids, *id, f.loc(), "touchpoint id")) {
        tp.id = *id;
        m.touchpoints.push_back(std::move(tp));
      }
    }
  }
}

void Builder::read_targets(domain::Model& m) {
  std::map<std::pair<std::string, std::string>, Loc> seen;
  for (const Section& s : targets_) {
    for (const YAML::Node& n : s.node) {
      Fields f(sink_, s.file, n, "target", {"unit", "indicator", "value"});
      if (!f.ok()) continue;
      domain::Target t;
      bool ok = true;
      f.require("unit");
      f.require("indicator");
      f.require("value");
      if (auto u = read_id(sink_, f, "unit")) {
        if (!unit_ids_.count(*u)) {
          consequential(loc_of(s.file, *f.get("unit")),
                      "target: unknown unit '" + *u + "'" + did_you_mean(*u, unit_ids_));
          ok = false;
        }
        t.unit = *u;
      } else {
        ok = false;
      }
      double lo = 0, hi = 0;
      std::string range;
      if (auto ind = read_id(sink_, f, "indicator")) {
        t.indicator = *ind;
        std::optional<QuestionType> type;
        if (*ind == "nps")
          type = QuestionType::nps;
        else if (auto it = key_types_.find(*ind); it != key_types_.end())
          type = it->second.type;
        Loc at = loc_of(s.file, *f.get("indicator"));
        if (!type) {
          consequential(at, "target: unknown indicator '" + *ind + "'; use nps or the key of a scale question" +
                              did_you_mean(*ind, key_types_));
          ok = false;
        } else if (*type == QuestionType::nps) {
          lo = -100, hi = 100, range = "-100..100 (NPS)";
        } else if (*type == QuestionType::agreement || *type == QuestionType::smiley5) {
          lo = 1, hi = 5, range = "1..5 (average)";
        } else if (*type == QuestionType::smiley3) {
          lo = 1, hi = 3, range = "1..3 (average)";
        } else {
          sink_.error(at, "target: indicator '" + *ind + "' is a " +
                              std::string(domain::question_type_name(*type)) +
                              " question; targets need nps or a scale question");
          ok = false;
        }
      } else {
        ok = false;
      }
      if (auto v = read_number(sink_, f, "value")) {
        t.value = *v;
        if (!range.empty() && (*v < lo || *v > hi)) {
          sink_.error(loc_of(s.file, *f.get("value")), "target: value " + f.get("value")->Scalar() +
                                                           " for '" + t.indicator + "' is out of range " +
                                                           range);
          ok = false;
        }
      } else {
        ok = false;
      }
      if (!ok) continue;
      auto [it, inserted] = seen.emplace(std::make_pair(t.unit, t.indicator), f.loc());
      if (!inserted) {
        sink_.error(f.loc(), "target: duplicate target for '" + t.indicator + "' at unit '" + t.unit +
                                 "' (first defined at " + where(it->second) + ")");
        continue;
      }
      m.targets.push_back(std::move(t));
    }
  }
}

}  // namespace kaiku::modelfile::detail
