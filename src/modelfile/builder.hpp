// Internal to modelfile/: turns parsed YAML documents into a domain::Model,
// checking everything docs/model-format.md promises. Split over builder_*.cpp:
// builder.cpp (files, sections, org tree), builder_surveys.cpp (questions, surveys),
// builder_journeys.cpp (journeys, touchpoints, frequencies, targets),
// builder_outreach.cpp (the outreach section and touchpoints' sms blocks),
// builder_free_text.cpp (the themes and free_text sections), builder_handling.cpp
// (the handling section).
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "domain/model.hpp"
#include "modelfile/loader.hpp"
#include "modelfile/yaml_reader.hpp"

namespace kaiku::modelfile::detail {

// One top-level section value and the file it came from.
struct Section {
  std::string file;
  YAML::Node node;
};

class Builder {
 public:
  explicit Builder(Sink& sink) : sink_(sink) {}

  // Parses one file and files its sections; syntax errors become diagnostics.
  void add(const SourceFile& source);
  // Validates everything added and fills the model (meaningful only when the sink
  // stays empty). After a syntax error in any file, missing sections and unknown
  // references are not reported (they may be defined in the file that did not
  // parse); every other check still runs on the files that did.
  domain::Model finish();

 private:
  // builder.cpp
  void read_languages();
  void read_org(domain::Model& m);
  void collect_unit(const std::string& file, const YAML::Node& node, const std::string& parent, bool nested,
                    bool is_county, int depth);
  // The optional `accessibility:` and `complaints:` contacts of the county mapping.
  void read_contacts(const Fields& county);
  // builder_surveys.cpp
  void read_library();
  void read_surveys(domain::Model& m);
  std::optional<domain::Question> read_question(const std::string& file, const YAML::Node& node,
                                                const std::string& owner);
  void note_question_type(const domain::Question& q, const Loc& at, const std::string& owner);
  // builder_journeys.cpp
  void read_journeys(domain::Model& m);
  void read_touchpoints(domain::Model& m);
  std::optional<domain::Frequency> read_frequency(const std::string& file, const YAML::Node& node,
                                                  const std::string& owner);
  void read_targets(domain::Model& m);
  // builder_outreach.cpp
  // A touchpoint's `sms:` block; `survey` is its main survey (nullptr when unknown),
  // `sms_channel` whether its channels include sms.
  void read_touchpoint_sms(const std::string& file, const YAML::Node& node, const std::string& owner,
                           const domain::Survey* survey, bool sms_channel, domain::TouchpointSms& out);
  // The optional top-level `outreach:` section (after the org tree and touchpoints).
  void read_outreach(domain::Model& m);
  // builder_free_text.cpp
  // The optional top-level `themes:` (the theme taxonomy) and `free_text:` sections.
  void read_themes(domain::Model& m);
  void read_free_text(domain::Model& m);
  // builder_handling.cpp
  // The optional top-level `handling:` section (after the themes).
  void read_handling(domain::Model& m);

  // Reports an error that may be a mere consequence of a file that did not parse
  // (a missing section, an unknown reference): dropped once a syntax error was seen.
  void consequential(const Loc& at, std::string message);

  // Reads a list of {key_field: id, text_field: texts} items (journey stages,
  // choice options): unknown keys, missing fields, bad ids and duplicates within the
  // list are reported; `item` names an item in messages (e.g. "journey 'x': stage").
  // Returns the valid items in order.
  std::vector<std::pair<std::string, domain::LocalizedText>> read_keyed_texts(
      const std::string& file, const YAML::Node& list, const std::string& item, const char* key_field,
      const char* text_field, const std::vector<domain::Language>& langs, const std::string& dup_kind);

  // Reports "duplicate <kind> '<id>'" (kind e.g. "unit id") when `id` is already in `seen`; else records it.
  bool claim(std::map<std::string, Loc>& seen, const std::string& id, const Loc& at, const std::string& kind);

  Sink& sink_;
  std::string first_file_;
  bool syntax_error_ = false;  // some added file did not parse (finish() then checks nothing more)
  std::optional<Section> county_, languages_, threshold_, outreach_, themes_, free_text_, handling_;
  std::vector<Section> units_, journeys_, questions_, surveys_, touchpoints_, targets_;

  // Derived while finishing.
  std::vector<domain::Language> enabled_;     // every customer-facing survey text
  std::vector<domain::Language> name_langs_;  // org, journey and touchpoint names
  struct UnitSrc {
    domain::OrgUnit unit;
    Loc loc;
    Loc parent_loc;
    bool has_parent = false;
    bool kind_given = false;
    bool is_county = false;
  };
  std::vector<UnitSrc> unit_srcs_;
  domain::CountyContacts contacts_;
  // Positions of unit mappings read so far: a YAML alias that repeats a unit shows up
  // as the same position again (guards against self-referring aliases and alias bombs).
  std::set<std::tuple<std::string, int, int>> unit_positions_;
  std::map<std::string, Loc> unit_ids_;
  std::map<std::pair<std::string, std::string>, std::pair<std::string, Loc>> codes_;
  struct LibraryQuestion {
    domain::Question question;
    Loc loc;
  };
  std::map<std::string, LibraryQuestion> library_;
  // Every question key seen, with its type and where it was first defined, so that
  // one key means one kind of answer across the whole model.
  struct KeyType {
    domain::QuestionType type;
    Loc loc;
    std::string owner;
  };
  std::map<std::string, KeyType> key_types_;
};

// "file:line:column" of a location, for "first defined at ..." hints.
std::string where(const Loc& l);

}  // namespace kaiku::modelfile::detail
