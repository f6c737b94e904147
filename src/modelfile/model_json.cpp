#include "modelfile/model_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

namespace kaiku::modelfile {

namespace json = boost::json;
using namespace kaiku::domain;

namespace {

json::object text(const LocalizedText& t) {
  json::object o;
  for (Language l : kAllLanguages) {
    auto it = t.texts.find(l);
    if (it != t.texts.end()) o[language_tag(l)] = it->second;
  }
  return o;
}

json::value str_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::value(s);
}

// Whole numbers as integers ("50", not "5E1"); others as doubles.
json::value number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object frequency(const Frequency& f) {
  json::object o;
  switch (f.kind) {
    case Frequency::Kind::continuous:
      o["kind"] = "continuous";
      break;
    case Frequency::Kind::sampled:
      o["kind"] = "sampled";
      o["share"] = number(f.sample_share);
      break;
    case Frequency::Kind::periodic: {
      o["kind"] = "periodic";
      json::array ws;
      for (const auto& w : f.windows) {
        ws.push_back(json::object{{"month", w.month}, {"day", w.day}, {"days", w.length_days}});
      }
      o["windows"] = std::move(ws);
      break;
    }
  }
  o["contact_cap"] = json::object{{"max", f.cap_max}, {"days", f.cap_days}};
  return o;
}

json::object sms(const TouchpointSms& t) {
  json::object o;
  o["mode"] = sms_mode_name(t.mode);
  o["daily_cap"] = t.daily_cap;
  o["min_age"] = t.min_age ? json::value(*t.min_age) : json::value(nullptr);
  o["followup_question"] = str_or_null(t.followup_question);
  return o;
}

json::object outreach(const OutreachRules& r) {
  json::object o;
  o["enabled"] = r.enabled;
  o["min_age"] = r.min_age;
  o["consent_required"] = r.consent_required;
  o["sensitive_services"] = strings(r.sensitive_services);
  o["sensitive_units"] = strings(r.sensitive_units);
  o["follow_up_days"] = r.follow_up_days;
  o["contact_cap_days"] = r.contact_cap_days;
  o["send_delay_days"] = r.send_delay_days;
  o["send_from_hour"] = r.send_from_hour;
  o["send_until_hour"] = r.send_until_hour;
  o["send_window_days"] = r.send_window_days;
  o["reply_days"] = r.reply_days;
  o["sender_id"] = r.sender_id;
  json::array senders;
  for (const SenderRule& s : r.senders) {
    json::object so;
    so["sender"] = s.sender;
    so["completed"] = strings(s.completed);
    so["cancels"] = strings(s.cancels);
    so["unit_code_system"] = str_or_null(s.unit_code_system);
    senders.push_back(std::move(so));
  }
  o["senders"] = std::move(senders);
  json::array mappings;
  for (const TouchpointRule& t : r.mappings) {
    mappings.push_back(json::object{{"touchpoint", t.touchpoint},
                                    {"units", strings(t.units)},
                                    {"visit_types", strings(t.visit_types)},
                                    {"services", strings(t.services)}});
  }
  o["mappings"] = std::move(mappings);
  return o;
}

json::object free_text(const FreeTextSettings& f) {
  json::object o;
  o["redact_staff_names"] = f.redact_staff_names;
  o["original_retention_days"] = f.original_retention_days;
  o["original_readers"] = strings(f.original_readers);
  return o;
}

json::object handling(const HandlingSettings& h) {
  json::object o;
  o["contact_reply_days"] = h.contact_reply_days;
  o["feedback_handling_days"] = h.feedback_handling_days;
  o["safety_themes"] = strings(h.safety_themes);
  o["alert_roles"] = strings(h.alert_roles);
  return o;
}

json::object question(const Question& q) {
  json::object o;
  o["key"] = q.key;
  o["type"] = question_type_name(q.type);
  o["required"] = q.required;
  o["text"] = text(q.text);
  if (!q.help.empty()) o["help"] = text(q.help);
  if (!q.options.empty()) {
    json::array opts;
    for (const auto& op : q.options) {
      opts.push_back(json::object{{"key", op.key}, {"label", text(op.label)}});
    }
    o["options"] = std::move(opts);
  }
  if (!q.low_label.empty()) o["low_label"] = text(q.low_label);
  if (!q.high_label.empty()) o["high_label"] = text(q.high_label);
  if (!q.consent.empty()) o["consent"] = text(q.consent);
  if (q.type == QuestionType::open_text) o["max_length"] = q.max_length;
  return o;
}

}  // namespace

json::value model_to_json_value(const Model& m) {
  json::object root;
  root["version"] = m.version;
  root["county"] = m.county_id;
  root["county_name"] = text(m.county_name);
  const CountyContacts& c = m.contacts;
  json::object contacts;
  auto contact = [&](const char* key, const std::string& value) {
    if (!value.empty()) contacts[key] = value;
  };
  contact("accessibility_email", c.accessibility_email);
  contact("accessibility_phone", c.accessibility_phone);
  contact("statement_date", c.statement_date);
  contact("complaints_url", c.complaints_url);
  contact("complaints_phone", c.complaints_phone);
  if (!contacts.empty()) root["contacts"] = std::move(contacts);
  json::array langs;
  for (Language l : m.languages) langs.emplace_back(language_tag(l));
  root["languages"] = std::move(langs);
  root["reporting_threshold"] = m.reporting_threshold;

  json::array units;
  for (const auto& u : m.units) {
    json::array codes;
    for (const auto& c : u.codes) codes.push_back(json::object{{"system", c.system}, {"value", c.value}});
    json::object o;
    o["id"] = u.id;
    o["parent"] = str_or_null(u.parent);
    o["kind"] = u.kind;
    o["name"] = text(u.name);
    o["codes"] = std::move(codes);
    o["keywords"] = strings(u.keywords);
    units.push_back(std::move(o));
  }
  root["units"] = std::move(units);

  json::array journeys;
  for (const auto& j : m.journeys) {
    json::array stages;
    for (const auto& s : j.stages) stages.push_back(json::object{{"id", s.id}, {"name", text(s.name)}});
    json::object o;
    o["id"] = j.id;
    o["name"] = text(j.name);
    o["stages"] = std::move(stages);
    journeys.push_back(std::move(o));
  }
  root["journeys"] = std::move(journeys);

  json::array tps;
  for (const auto& t : m.touchpoints) {
    json::array channels;
    for (Channel c : t.channels) channels.emplace_back(channel_name(c));
    json::object o;
    o["id"] = t.id;
    o["name"] = text(t.name);
    o["journey"] = t.journey;
    o["stage"] = t.stage;
    o["units"] = strings(t.units);
    o["survey"] = t.survey;
    o["child_survey"] = str_or_null(t.child_survey);
    o["relative_survey"] = str_or_null(t.relative_survey);
    o["channels"] = std::move(channels);
    o["frequency"] = frequency(t.frequency);
    // Left out when default, so that models without SMS outreach keep their versions.
    if (json::object so = sms(t.sms); so != sms(TouchpointSms{})) o["sms"] = std::move(so);
    tps.push_back(std::move(o));
  }
  root["touchpoints"] = std::move(tps);

  json::array surveys;
  for (const auto& s : m.surveys) {
    json::array qs;
    for (const auto& q : s.questions) qs.push_back(question(q));
    json::object o;
    o["id"] = s.id;
    o["title"] = text(s.title);
    if (!s.intro.empty()) o["intro"] = text(s.intro);
    o["audience"] = audience_name(s.audience);
    o["allow_on_behalf"] = s.allow_on_behalf;
    o["kiosk_question"] = str_or_null(s.kiosk_question);
    o["kiosk_followup"] = str_or_null(s.kiosk_followup);
    o["questions"] = std::move(qs);
    surveys.push_back(std::move(o));
  }
  root["surveys"] = std::move(surveys);

  json::array targets;
  for (const auto& t : m.targets) {
    targets.push_back(json::object{{"unit", t.unit}, {"indicator", t.indicator}, {"value", number(t.value)}});
  }
  root["targets"] = std::move(targets);
  if (json::object o = outreach(m.outreach); o != outreach(OutreachRules{})) root["outreach"] = std::move(o);
  if (!m.themes.empty()) {
    json::array themes;
    for (const Theme& t : m.themes) {
      json::object o;
      o["id"] = t.id;
      o["label"] = text(t.label);
      o["fi"] = strings(t.fi);
      o["sv"] = strings(t.sv);
      o["en"] = strings(t.en);
      themes.push_back(std::move(o));
    }
    root["themes"] = std::move(themes);
  }
  if (json::object o = free_text(m.free_text); o != free_text(FreeTextSettings{})) {
    root["free_text"] = std::move(o);
  }
  // Only when not all defaults, so that the versions of earlier models stay.
  if (json::object o = handling(m.handling); o != handling(HandlingSettings{})) {
    root["handling"] = std::move(o);
  }
  return root;
}

std::string model_to_json(const Model& m) {
  return json::serialize(model_to_json_value(m));
}

}  // namespace kaiku::modelfile
