// Internal to modelfile/: typed, diagnosing reads from yaml-cpp nodes. Every helper
// reports what is wrong (with the node's position) into a Sink and returns nullopt,
// so that loading continues and every problem is found in one pass.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/language.hpp"
#include "modelfile/diagnostic.hpp"

namespace kaiku::modelfile::detail {

// A position in a source file (1-based).
struct Loc {
  std::string file;
  int line = 1;
  int column = 1;
};

// Position of `node` in `file` (1:1 when yaml-cpp has none).
Loc loc_of(const std::string& file, const YAML::Node& node);

// Collects diagnostics.
class Sink {
 public:
  void error(const Loc& at, std::string message);
  std::vector<Diagnostic>& diagnostics() { return diags_; }
  bool empty() const { return diags_.empty(); }

 private:
  std::vector<Diagnostic> diags_;
};

// The entries of one YAML mapping, read once: checks that it is a mapping, that no
// key repeats and that every key is one of `allowed` (suggesting the nearest allowed
// key for a typo). `what` names the mapping in messages, e.g. "unit 'tk-vaasa'".
class Fields {
 public:
  Fields(Sink& sink, const std::string& file, const YAML::Node& node, std::string what,
         std::initializer_list<std::string_view> allowed);

  bool ok() const { return ok_; }  // false when the node is not a mapping
  const std::string& what() const { return what_; }
  const std::string& file() const { return file_; }
  Loc loc() const { return loc_; }
  // The value under `key`; nullopt when absent or null (`key:` with nothing after it).
  std::optional<YAML::Node> get(const std::string& key) const;
  // Like get, but reports "missing required field" when absent.
  std::optional<YAML::Node> require(const std::string& key) const;

 private:
  Sink& sink_;
  std::string file_;
  std::string what_;
  Loc loc_;
  bool ok_ = false;
  std::map<std::string, YAML::Node> values_;
};

// Typed reads of one field of `f`. Absent fields give nullopt silently (use
// f.require first for required ones); wrong types are reported.
std::optional<std::string> read_string(Sink& s, const Fields& f, const std::string& key);
// A stable identifier: [a-z0-9_-]+.
std::optional<std::string> read_id(Sink& s, const Fields& f, const std::string& key);
std::optional<long long> read_int(Sink& s, const Fields& f, const std::string& key);
std::optional<double> read_number(Sink& s, const Fields& f, const std::string& key);
std::optional<bool> read_bool(Sink& s, const Fields& f, const std::string& key);
// A list node under `key` (nullopt and a diagnostic when it is not a list).
std::optional<YAML::Node> read_list(Sink& s, const Fields& f, const std::string& key);

// Converts a scalar node; reports "<what>: expected ..." otherwise.
std::optional<std::string> scalar(Sink& s, const std::string& file, const YAML::Node& n,
                                  const std::string& what);
std::optional<std::string> id_scalar(Sink& s, const std::string& file, const YAML::Node& n,
                                     const std::string& what);
bool valid_id(std::string_view id);

// A text in several languages, `{fi: ..., sv: ..., en: ..., fi-x-selko: ...}`.
// Unknown language tags are reported; so is every language in `required` that is
// missing or empty ("missing translation"). Returns the texts found.
domain::LocalizedText read_text(Sink& s, const Fields& f, const std::string& key,
                                const std::vector<domain::Language>& required);

// " 'value'" of the scalar `field` of mapping `node` (e.g. its id), for naming the
// mapping in messages before it is validated; "" when there is none.
std::string quoted_field(const YAML::Node& node, std::string_view field);

// Parses a whole decimal number ("-12", "5"); nullopt for anything else.
std::optional<long long> parse_whole_number(const std::string& text);

// Edit distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// "; did you mean 'x'?" for the candidate nearest to `word` (at most 2 edits, or a
// prefix/suffix match), else "". `Range` holds strings or (string, T) pairs (maps).
template <class Range>
std::string did_you_mean(std::string_view word, const Range& candidates) {
  std::string_view best;
  std::size_t best_d = 3;
  for (const auto& c : candidates) {
    std::string_view name;
    if constexpr (requires { c.first; })
      name = c.first;
    else
      name = c;
    std::size_t d = edit_distance(word, name);
    if (d < best_d) best_d = d, best = name;
  }
  return best.empty() ? std::string() : "; did you mean '" + std::string(best) + "'?";
}

}  // namespace kaiku::modelfile::detail
