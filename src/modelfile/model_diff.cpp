#include "modelfile/model_diff.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <set>
#include <utility>

#include "modelfile/model_json.hpp"

namespace kaiku::modelfile {

namespace json = boost::json;

namespace {

// The sections compared item by item (everything else is a setting).
const std::set<std::string>& item_sections() {
  static const std::set<std::string> s{"version", "units", "journeys", "touchpoints", "surveys", "themes", "targets"};
  return s;
}

const json::array& array_at(const json::object& o, const char* key) {
  static const json::array empty;
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->as_array() : empty;
}

std::string string_at(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Items of a section keyed by id, in their order.
using Keyed = std::vector<std::pair<std::string, const json::object*>>;

Keyed by_id(const json::array& items, const char* key) {
  Keyed out;
  for (const json::value& v : items) {
    if (!v.is_object()) continue;
    out.emplace_back(string_at(v.as_object(), key), &v.as_object());
  }
  return out;
}

Keyed targets_by_key(const json::array& items) {
  Keyed out;
  for (const json::value& v : items) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.emplace_back(string_at(o, "unit") + "/" + string_at(o, "indicator"), &o);
  }
  return out;
}

const json::object* find(const Keyed& items, const std::string& id) {
  for (const auto& [k, o] : items) {
    if (k == id) return o;
  }
  return nullptr;
}

// The fields of two objects that differ: `to`'s keys in its order, then `from`'s
// keys that `to` lacks.
std::vector<std::string> differing_fields(const json::object& from, const json::object& to) {
  std::vector<std::string> out;
  for (const auto& kv : to) {
    const json::value* old = from.if_contains(kv.key());
    if (old == nullptr || *old != kv.value()) out.emplace_back(kv.key());
  }
  for (const auto& kv : from) {
    if (!to.contains(kv.key())) out.emplace_back(kv.key());
  }
  return out;
}

SectionDiff diff_keyed(const Keyed& from, const Keyed& to) {
  SectionDiff d;
  for (const auto& [id, o] : to) {
    const json::object* old = find(from, id);
    if (old == nullptr) {
      d.added.push_back(id);
    } else if (*old != *o) {
      d.changed.push_back({id, differing_fields(*old, *o), {}, {}});
    }
  }
  for (const auto& [id, o] : from) {
    if (find(to, id) == nullptr) d.removed.push_back(id);
  }
  return d;
}

// Every question of every survey: key -> [(survey id, question)], keys in first-seen order.
struct Questions {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<std::string, const json::object*>>> by_key;
};

Questions questions_of(const json::object& model) {
  Questions q;
  for (const json::value& s : array_at(model, "surveys")) {
    if (!s.is_object()) continue;
    const std::string survey = string_at(s.as_object(), "id");
    for (const json::value& v : array_at(s.as_object(), "questions")) {
      if (!v.is_object()) continue;
      const std::string key = string_at(v.as_object(), "key");
      auto& list = q.by_key[key];
      if (list.empty()) q.order.push_back(key);
      list.emplace_back(survey, &v.as_object());
    }
  }
  return q;
}

const json::object* in_survey(const std::vector<std::pair<std::string, const json::object*>>& list,
                              const std::string& survey) {
  for (const auto& [s, o] : list) {
    if (s == survey) return o;
  }
  return nullptr;
}

// The per-language changes of the text field `field` ({lang: text} objects).
void text_changes(const json::object& from, const json::object& to, const char* field,
                  std::vector<TextChange>& out) {
  static const json::object empty;
  const json::value* a = from.if_contains(field);
  const json::value* b = to.if_contains(field);
  const json::object& oa = a != nullptr && a->is_object() ? a->as_object() : empty;
  const json::object& ob = b != nullptr && b->is_object() ? b->as_object() : empty;
  std::vector<std::string> langs;
  for (const auto& kv : ob) langs.emplace_back(kv.key());
  for (const auto& kv : oa) {
    if (!ob.contains(kv.key())) langs.emplace_back(kv.key());
  }
  for (const std::string& lang : langs) {
    const std::string ta = string_at(oa, lang.c_str());
    const std::string tb = string_at(ob, lang.c_str());
    if (ta == tb) continue;
    if (std::none_of(out.begin(), out.end(), [&](const TextChange& c) {
          return c.field == field && c.language == lang && c.from == ta && c.to == tb;
        })) {
      out.push_back({field, lang, ta, tb});
    }
  }
}

SectionDiff diff_questions(const json::object& from, const json::object& to) {
  const Questions a = questions_of(from);
  const Questions b = questions_of(to);
  SectionDiff d;
  for (const std::string& key : b.order) {
    auto old = a.by_key.find(key);
    if (old == a.by_key.end()) {
      d.added.push_back(key);
      continue;
    }
    ChangedItem item;
    item.id = key;
    for (const auto& [survey, q] : b.by_key.at(key)) {
      const json::object* before = in_survey(old->second, survey);
      if (before == nullptr || *before == *q) continue;
      item.surveys.push_back(survey);
      for (std::string& f : differing_fields(*before, *q)) {
        if (std::find(item.fields.begin(), item.fields.end(), f) == item.fields.end()) item.fields.push_back(f);
      }
      for (const char* field : {"text", "help", "low_label", "high_label", "consent"}) {
        text_changes(*before, *q, field, item.texts);
      }
    }
    if (!item.surveys.empty()) d.changed.push_back(std::move(item));
  }
  for (const std::string& key : a.order) {
    if (!b.by_key.count(key)) d.removed.push_back(key);
  }
  return d;
}

json::value strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value section_json(const SectionDiff& d, bool questions) {
  json::object o;
  o["added"] = strings(d.added);
  o["removed"] = strings(d.removed);
  json::array changed;
  for (const ChangedItem& c : d.changed) {
    json::object item;
    item[questions ? "key" : "id"] = c.id;
    if (questions) item["surveys"] = strings(c.surveys);
    item["fields"] = strings(c.fields);
    if (questions) {
      json::array texts;
      for (const TextChange& t : c.texts) {
        texts.emplace_back(json::object{{"field", t.field}, {"language", t.language}, {"from", t.from}, {"to", t.to}});
      }
      item["texts"] = std::move(texts);
    }
    changed.emplace_back(std::move(item));
  }
  o["changed"] = std::move(changed);
  return o;
}

}  // namespace

bool ModelDiff::empty() const {
  return units.empty() && journeys.empty() && touchpoints.empty() && surveys.empty() && questions.empty() &&
         themes.empty() && targets.empty() && settings.empty();
}

ModelDiff diff_models(const domain::Model& from, const domain::Model& to) {
  const json::value va = model_to_json_value(from);
  const json::value vb = model_to_json_value(to);
  const json::object& a = va.as_object();
  const json::object& b = vb.as_object();
  ModelDiff d;
  d.units = diff_keyed(by_id(array_at(a, "units"), "id"), by_id(array_at(b, "units"), "id"));
  d.journeys = diff_keyed(by_id(array_at(a, "journeys"), "id"), by_id(array_at(b, "journeys"), "id"));
  d.touchpoints = diff_keyed(by_id(array_at(a, "touchpoints"), "id"), by_id(array_at(b, "touchpoints"), "id"));
  d.surveys = diff_keyed(by_id(array_at(a, "surveys"), "id"), by_id(array_at(b, "surveys"), "id"));
  d.themes = diff_keyed(by_id(array_at(a, "themes"), "id"), by_id(array_at(b, "themes"), "id"));
  d.targets = diff_keyed(targets_by_key(array_at(a, "targets")), targets_by_key(array_at(b, "targets")));
  d.questions = diff_questions(a, b);
  for (const auto& kv : b) {
    const std::string key(kv.key());
    if (item_sections().count(key)) continue;
    const json::value* old = a.if_contains(kv.key());
    if (old == nullptr || *old != kv.value()) d.settings.push_back(key);
  }
  for (const auto& kv : a) {
    const std::string key(kv.key());
    if (!item_sections().count(key) && !b.contains(kv.key())) d.settings.push_back(key);
  }
  return d;
}

json::value model_diff_to_json(const ModelDiff& diff) {
  json::object o;
  o["units"] = section_json(diff.units, false);
  o["journeys"] = section_json(diff.journeys, false);
  o["touchpoints"] = section_json(diff.touchpoints, false);
  o["surveys"] = section_json(diff.surveys, false);
  o["questions"] = section_json(diff.questions, true);
  o["themes"] = section_json(diff.themes, false);
  o["targets"] = section_json(diff.targets, false);
  o["settings"] = json::object{{"changed", strings(diff.settings)}};
  o["empty"] = diff.empty();
  return o;
}

}  // namespace kaiku::modelfile
