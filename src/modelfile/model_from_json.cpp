#include "modelfile/model_from_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kaiku::modelfile {

namespace json = boost::json;
using namespace kaiku::domain;

namespace {

// Reads typed values out of the JSON tree. The first problem is kept (with its JSON
// path) and every later read is harmless: a wrong value yields an empty default, and
// model_from_json returns the kept error once the walk is done. No exceptions.
class Reader {
 public:
  bool ok() const { return !error_; }
  const std::string& error() const { return *error_; }

  void fail_at(const std::string& path, const std::string& what) {
    if (!error_) error_ = path + ": " + what;
  }

  // The object `v`, or nullptr (and an error) when it is something else.
  const json::object* obj(const json::value& v, const std::string& path) {
    if (!v.is_object()) {
      fail_at(path, "expected an object");
      return nullptr;
    }
    return &v.get_object();
  }
  const json::array* arr(const json::value& v, const std::string& path) {
    if (!v.is_array()) {
      fail_at(path, "expected an array");
      return nullptr;
    }
    return &v.get_array();
  }
  // The value under `key`; nullptr when absent or null.
  static const json::value* field(const json::object& o, const char* key) {
    auto it = o.find(key);
    return it == o.end() || it->value().is_null() ? nullptr : &it->value();
  }
  std::string str(const json::object& o, const char* key, const std::string& path) {
    const json::value* v = field(o, key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      fail_at(path + "." + key, "expected a string");
      return {};
    }
    return std::string(v->get_string());
  }
  double num(const json::object& o, const char* key, const std::string& path, double fallback) {
    const json::value* v = field(o, key);
    if (v == nullptr) return fallback;
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    if (v->is_double()) return v->get_double();
    fail_at(path + "." + key, "expected a number");
    return fallback;
  }
  bool boolean(const json::object& o, const char* key, const std::string& path, bool fallback) {
    const json::value* v = field(o, key);
    if (v == nullptr) return fallback;
    if (!v->is_bool()) {
      fail_at(path + "." + key, "expected true or false");
      return fallback;
    }
    return v->get_bool();
  }
  LocalizedText text(const json::object& o, const char* key, const std::string& path) {
    LocalizedText t;
    const json::value* v = field(o, key);
    if (v == nullptr) return t;
    const json::object* texts = obj(*v, path + "." + key);
    if (texts == nullptr) return t;
    for (const auto& kv : *texts) {
      auto lang = parse_language(kv.key());
      if (!lang) {
        fail_at(path + "." + key, "unknown language " + std::string(kv.key()));
      } else if (!kv.value().is_string()) {
        fail_at(path + "." + key + "." + std::string(kv.key()), "expected a string");
      } else {
        t.texts[*lang] = std::string(kv.value().get_string());
      }
    }
    return t;
  }
  std::vector<std::string> strings(const json::object& o, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const json::value* v = field(o, key);
    if (v == nullptr) return out;
    const json::array* items = arr(*v, path + "." + key);
    if (items == nullptr) return out;
    std::size_t i = 0;
    for (const auto& item : *items) {
      if (!item.is_string()) {
        fail_at(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
      } else {
        out.emplace_back(item.get_string());
      }
      ++i;
    }
    return out;
  }
  // Calls f(object, path) for every element of the array under `key`.
  template <class F>
  void each(const json::object& o, const char* key, const std::string& path, F&& f) {
    const json::value* v = field(o, key);
    if (v == nullptr) return;
    const json::array* items = arr(*v, path + "." + key);
    if (items == nullptr) return;
    std::size_t i = 0;
    for (const auto& item : *items) {
      const std::string p = path + "." + key + "[" + std::to_string(i++) + "]";
      if (const json::object* e = obj(item, p)) f(*e, p);
    }
  }

 private:
  std::optional<std::string> error_;
};

Frequency frequency(Reader& r, const json::object& o, const std::string& path) {
  Frequency f;
  const std::string kind = r.str(o, "kind", path);
  if (kind == "sampled")
    f.kind = Frequency::Kind::sampled;
  else if (kind == "periodic")
    f.kind = Frequency::Kind::periodic;
  else if (kind == "continuous" || kind.empty())
    f.kind = Frequency::Kind::continuous;
  else
    r.fail_at(path + ".kind", "unknown frequency " + kind);
  f.sample_share = r.num(o, "share", path, 1.0);
  r.each(o, "windows", path, [&](const json::object& w, const std::string& p) {
    f.windows.push_back({static_cast<int>(r.num(w, "month", p, 1)), static_cast<int>(r.num(w, "day", p, 1)),
                         static_cast<int>(r.num(w, "days", p, 14))});
  });
  if (const json::value* cap = Reader::field(o, "contact_cap")) {
    if (const json::object* c = r.obj(*cap, path + ".contact_cap")) {
      f.cap_max = static_cast<int>(r.num(*c, "max", path + ".contact_cap", 1));
      f.cap_days = static_cast<int>(r.num(*c, "days", path + ".contact_cap", 30));
    }
  }
  return f;
}

Question question(Reader& r, const json::object& o, const std::string& path) {
  Question q;
  q.key = r.str(o, "key", path);
  if (auto type = parse_question_type(r.str(o, "type", path)))
    q.type = *type;
  else
    r.fail_at(path + ".type", "unknown question type");
  q.required = r.boolean(o, "required", path, false);
  q.text = r.text(o, "text", path);
  q.help = r.text(o, "help", path);
  r.each(o, "options", path, [&](const json::object& op, const std::string& p) {
    q.options.push_back({r.str(op, "key", p), r.text(op, "label", p)});
  });
  q.low_label = r.text(o, "low_label", path);
  q.high_label = r.text(o, "high_label", path);
  q.consent = r.text(o, "consent", path);
  q.max_length = static_cast<int>(r.num(o, "max_length", path, 2000));
  return q;
}

TouchpointSms touchpoint_sms(Reader& r, const json::object& o, const std::string& path) {
  TouchpointSms t;
  const std::string mode = r.str(o, "mode", path);
  if (mode == "reply")
    t.mode = TouchpointSms::Mode::reply;
  else if (mode != "link" && !mode.empty())
    r.fail_at(path + ".mode", "unknown sms mode " + mode);
  t.daily_cap = static_cast<int>(r.num(o, "daily_cap", path, 0));
  if (Reader::field(o, "min_age") != nullptr) t.min_age = static_cast<int>(r.num(o, "min_age", path, 0));
  t.followup_question = r.str(o, "followup_question", path);
  return t;
}

OutreachRules outreach(Reader& r, const json::object& root) {
  OutreachRules o;
  const json::value* v = Reader::field(root, "outreach");
  if (v == nullptr) return o;  // stored before outreach existed, or all defaults
  const std::string p = "$.outreach";
  const json::object* x = r.obj(*v, p);
  if (x == nullptr) return o;
  auto whole = [&](const char* key, int fallback) { return static_cast<int>(r.num(*x, key, p, fallback)); };
  o.enabled = r.boolean(*x, "enabled", p, o.enabled);
  o.min_age = whole("min_age", o.min_age);
  o.consent_required = r.boolean(*x, "consent_required", p, o.consent_required);
  o.sensitive_services = r.strings(*x, "sensitive_services", p);
  o.sensitive_units = r.strings(*x, "sensitive_units", p);
  o.follow_up_days = whole("follow_up_days", o.follow_up_days);
  o.contact_cap_days = whole("contact_cap_days", o.contact_cap_days);
  o.send_delay_days = whole("send_delay_days", o.send_delay_days);
  o.send_from_hour = whole("send_from_hour", o.send_from_hour);
  o.send_until_hour = whole("send_until_hour", o.send_until_hour);
  o.send_window_days = whole("send_window_days", o.send_window_days);
  o.reply_days = whole("reply_days", o.reply_days);
  if (Reader::field(*x, "sender_id") != nullptr) o.sender_id = r.str(*x, "sender_id", p);
  r.each(*x, "senders", p, [&](const json::object& s, const std::string& sp) {
    o.senders.push_back({r.str(s, "sender", sp), r.strings(s, "completed", sp), r.strings(s, "cancels", sp),
                         r.str(s, "unit_code_system", sp)});
  });
  r.each(*x, "mappings", p, [&](const json::object& m, const std::string& mp) {
    TouchpointRule t;
    t.touchpoint = r.str(m, "touchpoint", mp);
    t.units = r.strings(m, "units", mp);
    t.visit_types = r.strings(m, "visit_types", mp);
    t.services = r.strings(m, "services", mp);
    o.mappings.push_back(std::move(t));
  });
  return o;
}

std::vector<Theme> themes(Reader& r, const json::object& root) {
  std::vector<Theme> out;
  r.each(root, "themes", "$", [&](const json::object& o, const std::string& p) {
    Theme t;
    t.id = r.str(o, "id", p);
    t.label = r.text(o, "label", p);
    t.fi = r.strings(o, "fi", p);
    t.sv = r.strings(o, "sv", p);
    t.en = r.strings(o, "en", p);
    out.push_back(std::move(t));
  });
  return out;
}

FreeTextSettings free_text(Reader& r, const json::object& root) {
  FreeTextSettings f;
  const json::value* v = Reader::field(root, "free_text");
  if (v == nullptr) return f;  // stored before free text existed, or all defaults
  const std::string p = "$.free_text";
  const json::object* x = r.obj(*v, p);
  if (x == nullptr) return f;
  f.redact_staff_names = r.boolean(*x, "redact_staff_names", p, f.redact_staff_names);
  f.original_retention_days =
      static_cast<int>(r.num(*x, "original_retention_days", p, f.original_retention_days));
  if (Reader::field(*x, "original_readers") != nullptr) f.original_readers = r.strings(*x, "original_readers", p);
  return f;
}

HandlingSettings handling(Reader& r, const json::object& root) {
  HandlingSettings h;
  const json::value* v = Reader::field(root, "handling");
  if (v == nullptr) return h;  // stored before the inbox existed, or all defaults
  const std::string p = "$.handling";
  const json::object* x = r.obj(*v, p);
  if (x == nullptr) return h;
  h.contact_reply_days = static_cast<int>(r.num(*x, "contact_reply_days", p, h.contact_reply_days));
  h.feedback_handling_days = static_cast<int>(r.num(*x, "feedback_handling_days", p, h.feedback_handling_days));
  if (Reader::field(*x, "safety_themes") != nullptr) h.safety_themes = r.strings(*x, "safety_themes", p);
  if (Reader::field(*x, "alert_roles") != nullptr) h.alert_roles = r.strings(*x, "alert_roles", p);
  return h;
}

CountyContacts contacts(Reader& r, const json::object& root) {
  CountyContacts c;
  const json::value* v = Reader::field(root, "contacts");
  if (v == nullptr) return c;
  const json::object* o = r.obj(*v, "$.contacts");
  if (o == nullptr) return c;
  const std::string p = "$.contacts";
  c.accessibility_email = r.str(*o, "accessibility_email", p);
  c.accessibility_phone = r.str(*o, "accessibility_phone", p);
  c.statement_date = r.str(*o, "statement_date", p);
  c.complaints_url = r.str(*o, "complaints_url", p);
  c.complaints_phone = r.str(*o, "complaints_phone", p);
  return c;
}

Model build(Reader& r, const json::object& root) {
  Model m;
  m.version = r.str(root, "version", "$");
  m.county_id = r.str(root, "county", "$");
  m.county_name = r.text(root, "county_name", "$");
  m.contacts = contacts(r, root);
  for (const std::string& tag : r.strings(root, "languages", "$")) {
    if (auto lang = parse_language(tag))
      m.languages.push_back(*lang);
    else
      r.fail_at("$.languages", "unknown language " + tag);
  }
  m.reporting_threshold = static_cast<int>(r.num(root, "reporting_threshold", "$", 5));
  r.each(root, "units", "$", [&](const json::object& o, const std::string& p) {
    OrgUnit u;
    u.id = r.str(o, "id", p);
    u.parent = r.str(o, "parent", p);
    u.kind = r.str(o, "kind", p);
    u.name = r.text(o, "name", p);
    r.each(o, "codes", p, [&](const json::object& c, const std::string& cp) {
      u.codes.push_back({r.str(c, "system", cp), r.str(c, "value", cp)});
    });
    u.keywords = r.strings(o, "keywords", p);
    m.units.push_back(std::move(u));
  });
  r.each(root, "journeys", "$", [&](const json::object& o, const std::string& p) {
    Journey j;
    j.id = r.str(o, "id", p);
    j.name = r.text(o, "name", p);
    r.each(o, "stages", p, [&](const json::object& s, const std::string& sp) {
      j.stages.push_back({r.str(s, "id", sp), r.text(s, "name", sp)});
    });
    m.journeys.push_back(std::move(j));
  });
  r.each(root, "touchpoints", "$", [&](const json::object& o, const std::string& p) {
    Touchpoint t;
    t.id = r.str(o, "id", p);
    t.name = r.text(o, "name", p);
    t.journey = r.str(o, "journey", p);
    t.stage = r.str(o, "stage", p);
    t.units = r.strings(o, "units", p);
    t.survey = r.str(o, "survey", p);
    t.child_survey = r.str(o, "child_survey", p);
    t.relative_survey = r.str(o, "relative_survey", p);
    for (const std::string& c : r.strings(o, "channels", p)) {
      if (auto ch = parse_channel(c))
        t.channels.push_back(*ch);
      else
        r.fail_at(p + ".channels", "unknown channel " + c);
    }
    if (const json::value* f = Reader::field(o, "frequency")) {
      if (const json::object* fo = r.obj(*f, p + ".frequency"))
        t.frequency = frequency(r, *fo, p + ".frequency");
    }
    if (const json::value* sv = Reader::field(o, "sms")) {
      if (const json::object* so = r.obj(*sv, p + ".sms")) t.sms = touchpoint_sms(r, *so, p + ".sms");
    }
    m.touchpoints.push_back(std::move(t));
  });
  r.each(root, "surveys", "$", [&](const json::object& o, const std::string& p) {
    Survey s;
    s.id = r.str(o, "id", p);
    s.title = r.text(o, "title", p);
    s.intro = r.text(o, "intro", p);
    const std::string audience = r.str(o, "audience", p);
    s.audience = audience == "child"      ? Audience::child
                 : audience == "relative" ? Audience::relative
                                          : Audience::general;
    s.allow_on_behalf = r.boolean(o, "allow_on_behalf", p, true);
    s.kiosk_question = r.str(o, "kiosk_question", p);
    s.kiosk_followup = r.str(o, "kiosk_followup", p);
    r.each(o, "questions", p,
           [&](const json::object& q, const std::string& qp) { s.questions.push_back(question(r, q, qp)); });
    m.surveys.push_back(std::move(s));
  });
  r.each(root, "targets", "$", [&](const json::object& o, const std::string& p) {
    m.targets.push_back({r.str(o, "indicator", p), r.str(o, "unit", p), r.num(o, "value", p, 0)});
  });
  m.outreach = outreach(r, root);
  m.themes = themes(r, root);
  m.free_text = free_text(r, root);
  m.handling = handling(r, root);
  return m;
}

}  // namespace

Result<Model> model_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(Error::invalid("model JSON: " + ec.message()));
  Reader r;
  const json::object* root = r.obj(v, "$");
  if (root == nullptr) return fail(Error::invalid("model JSON " + r.error()));
  Model m = build(r, *root);
  if (!r.ok()) return fail(Error::invalid("model JSON " + r.error()));
  m.index();
  return m;
}

}  // namespace kaiku::modelfile
