// Test helpers for the engine tests: a small hand-built model and responses.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "analytics/calendar.hpp"
#include "analytics/engine.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::analytics::testing {

inline domain::LocalizedText text(const std::string& s) {
  domain::LocalizedText t;
  t.texts[domain::Language::fi] = s;
  t.texts[domain::Language::sv] = s;
  t.texts[domain::Language::en] = s;
  return t;
}

// county c -> area a -> {a1, a2, a3}; area b -> {b1}. Journeys j1, j2.
// tp1 (j1) at a1 a2 a3, tp2 (j2) at b1, both survey "core"; tp3 (j1) survey "kiosk".
// core: nps, agree (agreement), smile3, choice (single: x y z), text (open text).
// kiosk: face (smiley5), followup (single). Targets: nps 50 at c, nps 70 at a1.
inline std::shared_ptr<domain::Model> test_model(int threshold = 5) {
  auto m = std::make_shared<domain::Model>();
  m->county_id = "c";
  m->reporting_threshold = threshold;
  m->languages = {domain::Language::fi, domain::Language::sv, domain::Language::en};
  auto unit = [&](const std::string& id, const std::string& parent) {
    domain::OrgUnit u;
    u.id = id;
    u.parent = parent;
    u.kind = parent.empty() ? "county" : "unit";
    u.name = text(id);
    m->units.push_back(u);
  };
  unit("c", "");
  unit("a", "c");
  unit("a1", "a");
  unit("a2", "a");
  unit("a3", "a");
  unit("b", "c");
  unit("b1", "b");
  for (const char* j : {"j1", "j2"}) {
    domain::Journey jj;
    jj.id = j;
    jj.name = text(j);
    jj.stages.push_back({"s1", text("s1")});
    m->journeys.push_back(jj);
  }
  auto touchpoint = [&](const std::string& id, const std::string& journey, std::vector<std::string> units,
                        const std::string& survey) {
    domain::Touchpoint t;
    t.id = id;
    t.name = text(id);
    t.journey = journey;
    t.stage = "s1";
    t.units = std::move(units);
    t.survey = survey;
    t.channels = {domain::Channel::sms, domain::Channel::web, domain::Channel::kiosk};
    m->touchpoints.push_back(t);
  };
  touchpoint("tp1", "j1", {"a1", "a2", "a3"}, "core");
  touchpoint("tp2", "j2", {"b1"}, "core");
  touchpoint("tp3", "j1", {"a1"}, "kiosk");
  auto question = [](const std::string& key, domain::QuestionType type) {
    domain::Question q;
    q.key = key;
    q.type = type;
    q.text = text(key);
    if (type == domain::QuestionType::single_choice)
      for (const char* o : {"x", "y", "z"}) q.options.push_back({o, text(o)});
    return q;
  };
  domain::Survey core;
  core.id = "core";
  core.title = text("core");
  core.questions = {question("nps", domain::QuestionType::nps),
                    question("agree", domain::QuestionType::agreement),
                    question("smile3", domain::QuestionType::smiley3),
                    question("choice", domain::QuestionType::single_choice),
                    question("text", domain::QuestionType::open_text)};
  domain::Survey kiosk;
  kiosk.id = "kiosk";
  kiosk.title = text("kiosk");
  kiosk.questions = {question("face", domain::QuestionType::smiley5),
                     question("followup", domain::QuestionType::single_choice)};
  kiosk.kiosk_question = "face";
  m->surveys = {core, kiosk};
  m->targets = {{"nps", "c", 50}, {"nps", "a1", 70}};
  m->index();
  return m;
}

// An instant on local day `d` at `hour` o'clock Helsinki time.
inline TimePoint at(Day d, int hour = 12) {
  return TimeZone::helsinki().start_of_day(d) + std::chrono::hours(hour);
}

inline Day date(int y, unsigned m, unsigned d) {
  return day_from_civil(y, m, d);
}

inline domain::Answer number(const std::string& key, int v) {
  domain::Answer a;
  a.key = key;
  a.number = v;
  return a;
}

// A core-survey response with an NPS answer.
inline domain::Response nps_response(std::int64_t id, const std::string& unit, Day d, int nps,
                                     domain::Channel ch = domain::Channel::sms,
                                     domain::AgeGroup age = domain::AgeGroup::unknown) {
  domain::Response r;
  r.id = id;
  r.unit = unit;
  r.touchpoint = unit == "b1" ? "tp2" : "tp1";
  r.survey = "core";
  r.channel = ch;
  r.age_group = age;
  r.answered_at = at(d);
  r.answers.push_back(number("nps", nps));
  return r;
}

inline Query query(const std::string& indicator, const std::string& unit, Day from, Day to,
                   std::vector<Dimension> group_by = {}) {
  Query q;
  q.indicator = indicator;
  q.unit = unit;
  q.from = from;
  q.to = to;
  q.group_by = std::move(group_by);
  return q;
}

// The group value of a cell in dimension d ("" if none).
inline std::string group_of(const Cell& c, Dimension d) {
  for (const auto& [dim, v] : c.group)
    if (dim == d) return v;
  return "";
}

}  // namespace kaiku::analytics::testing
