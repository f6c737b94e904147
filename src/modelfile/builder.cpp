#include "modelfile/builder.hpp"

#include <algorithm>
#include <functional>

namespace kaiku::modelfile::detail {

using domain::Language;

std::string where(const Loc& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

bool Builder::claim(std::map<std::string, Loc>& seen, const std::string& id, const Loc& at,
                    const std::string& kind) {
  auto [it, inserted] = seen.emplace(id, at);
  if (!inserted) {
    sink_.error(at, "duplicate " + kind + " '" + id + "' (first defined at " + where(it->second) + ")");
  }
  return inserted;
}

void Builder::consequential(const Loc& at, std::string message) {
  if (!syntax_error_) sink_.error(at, std::move(message));
}

void Builder::add(const SourceFile& source) {
  if (first_file_.empty()) first_file_ = source.name;
  YAML::Node root;
  try {
    root = YAML::Load(source.text);
  } catch (const YAML::Exception& e) {
    Loc at{source.name, 1, 1};
    if (e.mark.line >= 0) at = {source.name, e.mark.line + 1, e.mark.column + 1};
    std::string msg = "YAML syntax error: " + e.msg;
    // yaml-cpp ends an unquoted text at ? , [ ] { } inside { } and [ ]; say so when
    // the error is on (or just after) such a line.
    auto line_text = [&](int n) -> std::string {
      std::size_t start = 0;
      for (int i = 1; i < n; ++i) {
        start = source.text.find('\n', start);
        if (start == std::string::npos) return "";
        ++start;
      }
      return source.text.substr(start, source.text.find('\n', start) - start);
    };
    if (line_text(at.line).find_first_of("{[") != std::string::npos ||
        line_text(at.line - 1).find_first_of("{[") != std::string::npos) {
      msg +=
          " (inside { } or [ ], put texts that contain ? , : [ ] { } in quotes, "
          "or write them one per line)";
    }
    sink_.error(at, msg);
    syntax_error_ = true;
    return;
  }
  if (!root.IsDefined() || root.IsNull()) return;  // an empty file adds nothing
  Fields top(sink_, source.name, root, "top level",
             {"county", "languages", "reporting_threshold", "units", "journeys", "questions", "surveys",
              "touchpoints", "targets", "outreach", "themes", "free_text", "handling"});
  if (!top.ok()) return;
  auto single = [&](const char* key, std::optional<Section>& slot) {
    auto n = top.get(key);
    if (!n) return;
    if (slot) {
      sink_.error(loc_of(source.name, *n), std::string("section '") + key + "' is already defined at " +
                                               where(loc_of(slot->file, slot->node)));
      return;
    }
    slot = Section{source.name, *n};
  };
  single("county", county_);
  single("languages", languages_);
  single("reporting_threshold", threshold_);
  single("outreach", outreach_);
  single("themes", themes_);
  single("free_text", free_text_);
  single("handling", handling_);
  auto list = [&](const char* key, std::vector<Section>& into) {
    auto n = read_list(sink_, top, key);
    if (n) into.push_back(Section{source.name, *n});
  };
  list("units", units_);
  list("journeys", journeys_);
  list("questions", questions_);
  list("surveys", surveys_);
  list("touchpoints", touchpoints_);
  list("targets", targets_);
}

void Builder::read_languages() {
  if (!languages_) {
    consequential({first_file_, 1, 1},
                "missing required section 'languages' (e.g. languages: [fi, sv, en, fi-x-selko])");
    enabled_ = {Language::fi};
  } else if (!languages_->node.IsSequence()) {
    sink_.error(loc_of(languages_->file, languages_->node),
                "languages: expected a list, e.g. [fi, sv, en, fi-x-selko]");
    enabled_ = {Language::fi};
  } else {
    for (const YAML::Node& n : languages_->node) {
      auto tag = scalar(sink_, languages_->file, n, "languages");
      if (!tag) continue;
      auto lang = domain::parse_language(*tag);
      if (!lang || domain::language_tag(*lang) != *tag) {
        sink_.error(loc_of(languages_->file, n),
                    "languages: unknown language '" + *tag + "'; use fi, sv, en or fi-x-selko");
        continue;
      }
      if (std::find(enabled_.begin(), enabled_.end(), *lang) != enabled_.end()) {
        sink_.error(loc_of(languages_->file, n), "languages: '" + *tag + "' is listed twice");
        continue;
      }
      enabled_.push_back(*lang);
    }
    if (std::find(enabled_.begin(), enabled_.end(), Language::fi) == enabled_.end()) {
      sink_.error(loc_of(languages_->file, languages_->node), "languages: fi must be enabled");
      enabled_.insert(enabled_.begin(), Language::fi);
    }
  }
  for (Language l : {Language::fi, Language::sv, Language::en}) {
    if (std::find(enabled_.begin(), enabled_.end(), l) != enabled_.end()) name_langs_.push_back(l);
  }
}

void Builder::collect_unit(const std::string& file, const YAML::Node& node, const std::string& parent,
                           bool nested, bool is_county, int depth) {
  constexpr int kMaxDepth = 50;
  if (depth > kMaxDepth) {
    sink_.error(loc_of(file, node), "units nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  const Loc here = loc_of(file, node);
  if (node.IsMap() && !unit_positions_.emplace(here.file, here.line, here.column).second) {
    sink_.error(here,
                "this unit is repeated through a YAML alias (*name); write each unit "
                "out once");
    return;
  }
  const std::string what = (is_county ? "county" : "unit") + quoted_field(node, "id");
  Fields f(sink_, file, node, what,
           is_county ? std::initializer_list<std::string_view>{"id", "name", "codes", "keywords", "children",
                                                               "accessibility", "complaints"}
                     : std::initializer_list<std::string_view>{"id", "parent", "kind", "name", "codes",
                                                               "keywords", "children"});
  if (!f.ok()) return;
  UnitSrc src;
  src.loc = f.loc();
  src.is_county = is_county;
  f.require("id");
  auto id = read_id(sink_, f, "id");
  f.require("name");
  src.unit.name = read_text(sink_, f, "name", name_langs_);
  src.unit.kind = is_county ? "county" : "unit";
  if (auto kind = read_id(sink_, f, "kind")) {
    src.unit.kind = *kind;
    src.kind_given = true;
  }
  if (nested) {
    src.unit.parent = parent;
    src.has_parent = true;
    src.parent_loc = f.loc();
    if (auto p = f.get("parent")) {
      sink_.error(loc_of(file, *p),
                  what + ": 'parent' is not needed under 'children' (the parent is '" + parent + "')");
    }
  } else if (!is_county) {
    if (auto p = f.get("parent")) {
      src.parent_loc = loc_of(file, *p);
      src.has_parent = true;  // even when malformed (reported), so it is not called a root
      if (auto pid = read_id(sink_, f, "parent")) src.unit.parent = *pid;
    }
  }
  if (auto codes = f.get("codes")) {
    if (!codes->IsMap()) {
      sink_.error(loc_of(file, *codes), what +
                                            ": codes: expected a mapping of system: value, "
                                            "e.g. {oid: 1.2.246.10.12345678.10.1}");
    } else {
      for (auto it = codes->begin(); it != codes->end(); ++it) {
        auto system = id_scalar(sink_, file, it->first, what + ": codes");
        if (!system) continue;
        std::vector<YAML::Node> values;
        const YAML::Node vals = it->second;
        if (vals.IsSequence()) {
          for (const YAML::Node& v : vals) values.push_back(v);
        } else {
          values.push_back(vals);
        }
        for (const YAML::Node& vn : values) {
          auto value = scalar(sink_, file, vn, what + ": codes." + *system);
          if (!value) continue;
          if (value->empty()) {
            sink_.error(loc_of(file, vn), what + ": codes." + *system + ": empty code");
            continue;
          }
          Loc at = loc_of(file, vn);
          auto [cit, inserted] =
              codes_.emplace(std::make_pair(*system, *value), std::make_pair(id.value_or(""), at));
          if (!inserted) {
            sink_.error(at, what + ": duplicate code " + *system + " '" + *value +
                                "', already used by unit '" + cit->second.first + "' at " +
                                where(cit->second.second));
            continue;
          }
          src.unit.codes.push_back({*system, *value});
        }
      }
    }
  }
  if (is_county) read_contacts(f);
  if (auto kw = read_list(sink_, f, "keywords")) {
    for (const YAML::Node& k : *kw) {
      if (auto s = scalar(sink_, file, k, what + ": keywords")) src.unit.keywords.push_back(*s);
    }
  }
  const bool id_ok = id && claim(unit_ids_, *id, f.loc(), "unit id");
  if (id_ok) {
    src.unit.id = *id;
    unit_srcs_.push_back(src);
  }
  if (auto children = read_list(sink_, f, "children")) {
    for (const YAML::Node& c : *children) {
      collect_unit(file, c, id_ok ? *id : std::string(), true, false, depth + 1);
    }
  }
}

namespace {

bool valid_email(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == s.npos &&
         s.find_first_of(" \t<>\"'") == s.npos && s.find('.', at) != s.npos;
}

bool valid_phone(std::string_view s) {
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 5;
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool valid_url(std::string_view s) {
  return (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) && s.size() > 8 &&
         s.find_first_of(" \t<>\"'") == s.npos;
}

}  // namespace

void Builder::read_contacts(const Fields& county) {
  // One optional contact field: read, check with `ok`, store into `slot`.
  auto contact = [&](const Fields& f, const char* key, bool (*ok)(std::string_view), const char* expected,
                     std::string& slot) {
    auto v = read_string(sink_, f, key);
    if (!v) return;
    if (!ok(*v)) {
      sink_.error(loc_of(f.file(), *f.get(key)),
                  f.what() + ": " + key + ": expected " + expected + ", got '" + *v + "'");
      return;
    }
    slot = *v;
  };
  if (auto a = county.get("accessibility")) {
    Fields f(sink_, county.file(), *a, "county: accessibility", {"email", "phone", "statement_date"});
    if (f.ok()) {
      f.require("email");
      contact(f, "email", valid_email, "an e-mail address", contacts_.accessibility_email);
      contact(f, "phone", valid_phone, "a phone number, e.g. 029 123 4567", contacts_.accessibility_phone);
      contact(f, "statement_date", valid_date, "a date YYYY-MM-DD", contacts_.statement_date);
    }
  }
  if (auto c = county.get("complaints")) {
    Fields f(sink_, county.file(), *c, "county: complaints", {"url", "phone"});
    if (f.ok()) {
      contact(f, "url", valid_url, "a web address starting with https://", contacts_.complaints_url);
      contact(f, "phone", valid_phone, "a phone number, e.g. 029 123 4567", contacts_.complaints_phone);
    }
  }
}

void Builder::read_org(domain::Model& m) {
  if (!county_) {
    consequential({first_file_, 1, 1}, "missing required section 'county' (the root of the org tree)");
  } else {
    collect_unit(county_->file, county_->node, "", false, true, 0);
  }
  for (const Section& s : units_) {
    for (const YAML::Node& n : s.node) collect_unit(s.file, n, "", false, false, 0);
  }
  // Roots: the county plus every unit without a parent. Exactly one is allowed.
  std::string root;
  for (const UnitSrc& u : unit_srcs_) {
    if (u.is_county) root = u.unit.id;
  }
  for (const UnitSrc& u : unit_srcs_) {
    if (u.is_county || u.has_parent) continue;
    if (root.empty()) {
      root = u.unit.id;
      continue;
    }
    consequential(u.loc, "more than one root in the org tree: unit '" + u.unit.id + "' has no parent, but '" +
                           root + "' is already the root; add 'parent: <id>' or nest it under 'children'");
  }
  std::map<std::string, const UnitSrc*> by_id;
  for (const UnitSrc& u : unit_srcs_) by_id[u.unit.id] = &u;
  for (const UnitSrc& u : unit_srcs_) {
    if (u.has_parent && !u.unit.parent.empty() && !by_id.count(u.unit.parent)) {
      consequential(u.parent_loc, "unit '" + u.unit.id + "': unknown parent '" + u.unit.parent + "'" +
                                    did_you_mean(u.unit.parent, unit_ids_));
    }
  }
  // Cycles: follow parents; a walk that comes back to a unit on its own path is a cycle.
  std::set<std::string> in_cycle;
  for (const UnitSrc& u : unit_srcs_) {
    std::vector<std::string> path{u.unit.id};
    std::string cur = u.unit.parent;
    while (!cur.empty() && by_id.count(cur) && path.size() <= unit_srcs_.size()) {
      auto pos = std::find(path.begin(), path.end(), cur);
      if (pos != path.end()) {
        if (pos == path.begin() && !in_cycle.count(u.unit.id)) {
          std::string chain;
          for (const std::string& p : path) {
            chain += p + " -> ";
            in_cycle.insert(p);
          }
          sink_.error(u.loc, "cycle in the org tree: " + chain + cur);
        }
        break;
      }
      path.push_back(cur);
      cur = by_id[cur]->unit.parent;
    }
  }
  if (root.empty()) return;
  m.contacts = contacts_;
  m.county_id = root;
  m.county_name = by_id[root]->unit.name;
  // Parents before children: depth-first from the root, in definition order.
  std::map<std::string, std::vector<const UnitSrc*>> children;
  for (const UnitSrc& u : unit_srcs_) {
    if (u.has_parent) children[u.unit.parent].push_back(&u);
  }
  std::function<void(const UnitSrc&, int)> visit = [&](const UnitSrc& u, int depth) {
    domain::OrgUnit out = u.unit;
    if (!u.kind_given && !u.is_county) out.kind = depth == 1 ? "area" : "unit";
    m.units.push_back(std::move(out));
    for (const UnitSrc* c : children[u.unit.id]) visit(*c, depth + 1);
  };
  visit(*by_id[root], 0);
}

domain::Model Builder::finish() {
  domain::Model m;
  read_languages();
  m.languages = enabled_;
  if (threshold_) {
    auto v = scalar(sink_, threshold_->file, threshold_->node, "reporting_threshold");
    auto n = v ? parse_whole_number(*v) : std::nullopt;
    if (v && !n) {
      sink_.error(loc_of(threshold_->file, threshold_->node),
                  "reporting_threshold: expected a whole number, got '" + *v + "'");
    } else if (n && *n < 1) {
      sink_.error(loc_of(threshold_->file, threshold_->node),
                  "reporting_threshold: must be at least 1, got " + *v);
    } else if (n) {
      m.reporting_threshold = static_cast<int>(std::min<long long>(*n, 1'000'000));
    }
  }
  read_org(m);
  read_journeys(m);
  read_library();
  read_surveys(m);
  read_touchpoints(m);
  read_targets(m);
  read_outreach(m);
  read_themes(m);
  read_free_text(m);
  read_handling(m);
  return m;
}

}  // namespace kaiku::modelfile::detail
