#include "modelfile/model_from_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>

namespace kaiku::modelfile {

namespace json = boost::json;
using namespace kaiku::domain;

namespace {

// Thrown inside this file only, carrying the JSON path; caught in model_from_json.
struct BadJson : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json::object& obj(const json::value& v, const std::string& path) {
  if (!v.is_object()) throw BadJson(path + ": expected an object");
  return v.get_object();
}
const json::array& arr(const json::value& v, const std::string& path) {
  if (!v.is_array()) throw BadJson(path + ": expected an array");
  return v.get_array();
}
const json::value* field(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}
std::string str(const json::object& o, const char* key, const std::string& path) {
  const json::value* v = field(o, key);
  if (v == nullptr) return {};
  if (!v->is_string()) throw BadJson(path + "." + key + ": expected a string");
  return std::string(v->get_string());
}
double num(const json::object& o, const char* key, const std::string& path, double fallback) {
  const json::value* v = field(o, key);
  if (v == nullptr) return fallback;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  throw BadJson(path + "." + key + ": expected a number");
}
bool boolean(const json::object& o, const char* key, const std::string& path, bool fallback) {
  const json::value* v = field(o, key);
  if (v == nullptr) return fallback;
  if (!v->is_bool()) throw BadJson(path + "." + key + ": expected true or false");
  return v->get_bool();
}
LocalizedText text(const json::object& o, const char* key, const std::string& path) {
  LocalizedText t;
  const json::value* v = field(o, key);
  if (v == nullptr) return t;
  for (const auto& kv : obj(*v, path + "." + key)) {
    auto lang = parse_language(kv.key());
    if (!lang) throw BadJson(path + "." + key + ": unknown language " + std::string(kv.key()));
    if (!kv.value().is_string())
      throw BadJson(path + "." + key + "." + std::string(kv.key()) + ": expected a string");
    t.texts[*lang] = std::string(kv.value().get_string());
  }
  return t;
}
std::vector<std::string> strings(const json::object& o, const char* key, const std::string& path) {
  std::vector<std::string> out;
  const json::value* v = field(o, key);
  if (v == nullptr) return out;
  std::size_t i = 0;
  for (const auto& item : arr(*v, path + "." + key)) {
    if (!item.is_string()) throw BadJson(path + "." + key + "[" + std::to_string(i) + "]: expected a string");
    out.emplace_back(item.get_string());
    ++i;
  }
  return out;
}
template <class F>
void each(const json::object& o, const char* key, const std::string& path, F&& f) {
  const json::value* v = field(o, key);
  if (v == nullptr) return;
  std::size_t i = 0;
  for (const auto& item : arr(*v, path + "." + key)) {
    const std::string p = path + "." + key + "[" + std::to_string(i++) + "]";
    f(obj(item, p), p);
  }
}

Frequency frequency(const json::object& o, const std::string& path) {
  Frequency f;
  const std::string kind = str(o, "kind", path);
  if (kind == "sampled")
    f.kind = Frequency::Kind::sampled;
  else if (kind == "periodic")
    f.kind = Frequency::Kind::periodic;
  else if (kind == "continuous" || kind.empty())
    f.kind = Frequency::Kind::continuous;
  else
    throw BadJson(path + ".kind: unknown frequency " + kind);
  f.sample_share = num(o, "share", path, 1.0);
  each(o, "windows", path, [&](const json::object& w, const std::string& p) {
    f.windows.push_back({static_cast<int>(num(w, "month", p, 1)), static_cast<int>(num(w, "day", p, 1)),
                         static_cast<int>(num(w, "days", p, 14))});
  });
  if (const json::value* cap = field(o, "contact_cap")) {
    const auto& c = obj(*cap, path + ".contact_cap");
    f.cap_max = static_cast<int>(num(c, "max", path + ".contact_cap", 1));
    f.cap_days = static_cast<int>(num(c, "days", path + ".contact_cap", 30));
  }
  return f;
}

Question question(const json::object& o, const std::string& path) {
  Question q;
  q.key = str(o, "key", path);
  auto type = parse_question_type(str(o, "type", path));
  if (!type) throw BadJson(path + ".type: unknown question type");
  q.type = *type;
  q.required = boolean(o, "required", path, false);
  q.text = text(o, "text", path);
  q.help = text(o, "help", path);
  each(o, "options", path, [&](const json::object& op, const std::string& p) {
    q.options.push_back({str(op, "key", p), text(op, "label", p)});
  });
  q.low_label = text(o, "low_label", path);
  q.high_label = text(o, "high_label", path);
  q.consent = text(o, "consent", path);
  q.max_length = static_cast<int>(num(o, "max_length", path, 2000));
  return q;
}

Model build(const json::object& root) {
  Model m;
  m.version = str(root, "version", "$");
  m.county_id = str(root, "county", "$");
  m.county_name = text(root, "county_name", "$");
  for (const std::string& tag : strings(root, "languages", "$")) {
    auto lang = parse_language(tag);
    if (!lang) throw BadJson("$.languages: unknown language " + tag);
    m.languages.push_back(*lang);
  }
  m.reporting_threshold = static_cast<int>(num(root, "reporting_threshold", "$", 5));
  each(root, "units", "$", [&](const json::object& o, const std::string& p) {
    OrgUnit u;
    u.id = str(o, "id", p);
    u.parent = str(o, "parent", p);
    u.kind = str(o, "kind", p);
    u.name = text(o, "name", p);
    each(o, "codes", p, [&](const json::object& c, const std::string& cp) {
      u.codes.push_back({str(c, "system", cp), str(c, "value", cp)});
    });
    u.keywords = strings(o, "keywords", p);
    m.units.push_back(std::move(u));
  });
  each(root, "journeys", "$", [&](const json::object& o, const std::string& p) {
    Journey j;
    j.id = str(o, "id", p);
    j.name = text(o, "name", p);
    each(o, "stages", p, [&](const json::object& s, const std::string& sp) {
      j.stages.push_back({str(s, "id", sp), text(s, "name", sp)});
    });
    m.journeys.push_back(std::move(j));
  });
  each(root, "touchpoints", "$", [&](const json::object& o, const std::string& p) {
    Touchpoint t;
    t.id = str(o, "id", p);
    t.name = text(o, "name", p);
    t.journey = str(o, "journey", p);
    t.stage = str(o, "stage", p);
    t.units = strings(o, "units", p);
    t.survey = str(o, "survey", p);
    t.child_survey = str(o, "child_survey", p);
    t.relative_survey = str(o, "relative_survey", p);
    for (const std::string& c : strings(o, "channels", p)) {
      auto ch = parse_channel(c);
      if (!ch) throw BadJson(p + ".channels: unknown channel " + c);
      t.channels.push_back(*ch);
    }
    if (const json::value* f = field(o, "frequency"))
      t.frequency = frequency(obj(*f, p + ".frequency"), p + ".frequency");
    m.touchpoints.push_back(std::move(t));
  });
  each(root, "surveys", "$", [&](const json::object& o, const std::string& p) {
    Survey s;
    s.id = str(o, "id", p);
    s.title = text(o, "title", p);
    s.intro = text(o, "intro", p);
    const std::string audience = str(o, "audience", p);
    s.audience = audience == "child"      ? Audience::child
                 : audience == "relative" ? Audience::relative
                                          : Audience::general;
    s.allow_on_behalf = boolean(o, "allow_on_behalf", p, true);
    s.kiosk_question = str(o, "kiosk_question", p);
    s.kiosk_followup = str(o, "kiosk_followup", p);
    each(o, "questions", p,
         [&](const json::object& q, const std::string& qp) { s.questions.push_back(question(q, qp)); });
    m.surveys.push_back(std::move(s));
  });
  each(root, "targets", "$", [&](const json::object& o, const std::string& p) {
    m.targets.push_back({str(o, "indicator", p), str(o, "unit", p), num(o, "value", p, 0)});
  });
  m.index();
  return m;
}

}  // namespace

Result<Model> model_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(Error::invalid("model JSON: " + ec.message()));
  try {
    return build(obj(v, "$"));
  } catch (const BadJson& e) {
    return fail(Error::invalid(std::string("model JSON ") + e.what()));
  }
}

}  // namespace kaiku::modelfile
