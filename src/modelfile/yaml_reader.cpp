#include "modelfile/yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace kaiku::modelfile::detail {
namespace {

std::string kind_of(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    default:
      return "nothing";
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Loc loc_of(const std::string& file, const YAML::Node& node) {
  Loc l{file, 1, 1};
  if (!node.IsDefined()) return l;
  YAML::Mark m = node.Mark();
  if (m.line >= 0 && m.column >= 0) {
    l.line = m.line + 1;
    l.column = m.column + 1;
  }
  return l;
}

void Sink::error(const Loc& at, std::string message) {
  diags_.push_back({at.file, at.line, at.column, std::move(message)});
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

Fields::Fields(Sink& sink, const std::string& file, const YAML::Node& node, std::string what,
               std::initializer_list<std::string_view> allowed)
    : sink_(sink), file_(file), what_(std::move(what)), loc_(loc_of(file, node)) {
  if (!node.IsMap()) {
    sink_.error(loc_, what_ + ": expected a mapping (key: value lines), got " + kind_of(node));
    return;
  }
  ok_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node k = it->first;  // copies: the iterator's pair is a temporary
    const YAML::Node v = it->second;
    Loc kl = loc_of(file, k);
    if (!k.IsScalar()) {
      sink_.error(kl, what_ + ": keys must be plain words");
      continue;
    }
    const std::string& key = k.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string msg = what_ + ": unknown key '" + key + "'";
      std::string_view best;
      std::size_t best_d = 3;  // suggest only close matches
      for (std::string_view a : allowed) {
        std::size_t d = edit_distance(key, a);
        if (d < best_d) best_d = d, best = a;
      }
      if (!best.empty()) msg += "; did you mean '" + std::string(best) + "'?";
      sink_.error(kl, msg);
      continue;
    }
    if (values_.count(key)) {
      sink_.error(kl, what_ + ": key '" + key + "' appears twice");
      continue;
    }
    values_.emplace(key, v);
  }
}

std::optional<YAML::Node> Fields::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || !it->second.IsDefined() || it->second.IsNull()) return std::nullopt;
  return it->second;
}

std::optional<YAML::Node> Fields::require(const std::string& key) const {
  auto v = get(key);
  if (!v && ok_) sink_.error(loc_, what_ + ": missing required field '" + key + "'");
  return v;
}

std::string quoted_field(const YAML::Node& node, std::string_view field) {
  if (!node.IsMap()) return "";
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == field && it->second.IsScalar()) {
      return " '" + it->second.Scalar() + "'";
    }
  }
  return "";
}

std::optional<long long> parse_whole_number(const std::string& text) {
  long long out = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [p, ec] = std::from_chars(begin, end, out);
  if (begin == end || ec != std::errc() || p != end) return std::nullopt;
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<std::string> scalar(Sink& s, const std::string& file, const YAML::Node& n,
                                  const std::string& what) {
  if (!n.IsScalar()) {
    s.error(loc_of(file, n), what + ": expected a single value, got " + kind_of(n));
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<std::string> id_scalar(Sink& s, const std::string& file, const YAML::Node& n,
                                     const std::string& what) {
  auto v = scalar(s, file, n, what);
  if (!v) return v;
  if (!valid_id(*v)) {
    s.error(loc_of(file, n), what + ": '" + *v + "' is not a valid id; use only a-z, 0-9, '-' and '_'");
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> read_string(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  return scalar(s, f.file(), *n, f.what() + ": " + key);
}

std::optional<std::string> read_id(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  return id_scalar(s, f.file(), *n, f.what() + ": " + key);
}

std::optional<long long> read_int(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  auto v = scalar(s, f.file(), *n, f.what() + ": " + key);
  if (!v) return std::nullopt;
  auto out = parse_whole_number(*v);
  if (!out) {
    s.error(loc_of(f.file(), *n), f.what() + ": " + key + ": expected a whole number, got '" + *v + "'");
  }
  return out;
}

std::optional<double> read_number(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  auto v = scalar(s, f.file(), *n, f.what() + ": " + key);
  if (!v) return std::nullopt;
  std::string text = *v;
  std::replace(text.begin(), text.end(), ',', '.');  // "0,2" as written in Finnish
  char* end = nullptr;
  errno = 0;
  double out = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(out)) {
    s.error(loc_of(f.file(), *n), f.what() + ": " + key + ": expected a number, got '" + *v + "'");
    return std::nullopt;
  }
  return out;
}

std::optional<bool> read_bool(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  auto v = scalar(s, f.file(), *n, f.what() + ": " + key);
  if (!v) return std::nullopt;
  std::string l = lower(*v);
  if (l == "true" || l == "yes") return true;
  if (l == "false" || l == "no") return false;
  s.error(loc_of(f.file(), *n), f.what() + ": " + key + ": expected true or false, got '" + *v + "'");
  return std::nullopt;
}

std::optional<YAML::Node> read_list(Sink& s, const Fields& f, const std::string& key) {
  auto n = f.get(key);
  if (!n) return std::nullopt;
  if (!n->IsSequence()) {
    s.error(loc_of(f.file(), *n), f.what() + ": " + key + ": expected a list, got " + kind_of(*n));
    return std::nullopt;
  }
  return n;
}

domain::LocalizedText read_text(Sink& s, const Fields& f, const std::string& key,
                                const std::vector<domain::Language>& required) {
  domain::LocalizedText out;
  auto n = f.get(key);
  if (!n) return out;
  const std::string what = f.what() + ": " + key;
  if (!n->IsMap()) {
    s.error(loc_of(f.file(), *n), what +
                                      ": expected texts by language, e.g. {fi: ..., sv: ..., "
                                      "en: ...}, got " +
                                      kind_of(*n));
    return out;
  }
  for (auto it = n->begin(); it != n->end(); ++it) {
    Loc kl = loc_of(f.file(), it->first);
    if (!it->first.IsScalar()) {
      s.error(kl, what + ": expected a language tag as key");
      continue;
    }
    const std::string tag = it->first.Scalar();
    auto lang = domain::parse_language(tag);
    if (!lang || domain::language_tag(*lang) != tag) {
      s.error(kl, what + ": unknown language '" + tag + "'; use fi, sv, en or fi-x-selko");
      continue;
    }
    if (out.texts.count(*lang)) {
      s.error(kl, what + ": language '" + tag + "' appears twice");
      continue;
    }
    auto text = scalar(s, f.file(), it->second, what + "." + tag);
    if (text) out.texts.emplace(*lang, *text);
  }
  std::string missing;
  for (domain::Language l : required) {
    if (!out.has(l)) missing += (missing.empty() ? "" : ", ") + std::string(domain::language_tag(l));
  }
  if (!missing.empty()) {
    s.error(loc_of(f.file(), *n), what + ": missing translation for " + missing);
  }
  return out;
}

}  // namespace kaiku::modelfile::detail
