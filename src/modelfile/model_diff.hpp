// What changed between two measurement models: the diff a CX specialist sees
// before publishing a new version (POST /api/v1/models/check). Pure.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "domain/model.hpp"

namespace kaiku::modelfile {

// A text of a question that changed in one language ("" when it was or is missing).
struct TextChange {
  std::string field;     // "text", "help", "low_label", "high_label", "consent"
  std::string language;  // "fi", "sv", "en", "fi-x-selko"
  std::string from, to;
};

// One item present in both models that differs.
struct ChangedItem {
  std::string id;                   // the id; for targets "unit/indicator"; for questions the key
  std::vector<std::string> fields;  // the canonical JSON fields that differ, in the field order
  std::vector<std::string> surveys;  // questions only: the surveys where the question differs
  std::vector<TextChange> texts;     // questions only: the texts that differ, per language
};

// Items added (in the new model's order), removed (in the old model's order) and changed.
struct SectionDiff {
  std::vector<std::string> added, removed;
  std::vector<ChangedItem> changed;
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

struct ModelDiff {
  SectionDiff units, journeys, touchpoints, surveys, questions, themes, targets;
  // Other top-level parts of the canonical JSON that differ, by their key:
  // "languages", "reporting_threshold", "county", "county_name", "contacts",
  // "outreach", "free_text", "handling", ...
  std::vector<std::string> settings;
  bool empty() const;
};

// Compares `from` (e.g. the served model) with `to` (the candidate) on their
// canonical JSON (model_json.hpp): units, journeys, touchpoints, surveys and
// themes by id, targets by unit and indicator, questions by key over all surveys
// (a question whose key is in some survey of a model exists in it). A question
// counts as changed when it differs in a survey that has it in both models;
// its text changes are listed per language. Order alone is no change.
ModelDiff diff_models(const domain::Model& from, const domain::Model& to);

// The diff as JSON:
// {"units"|"journeys"|"touchpoints"|"surveys"|"themes"|"targets":
//     {"added": [ids], "removed": [ids], "changed": [{"id", "fields": [...]}]},
//  "questions": {"added": [keys], "removed": [keys],
//                "changed": [{"key", "surveys": [...], "fields": [...],
//                             "texts": [{"field", "language", "from", "to"}]}]},
//  "settings": {"changed": [keys]}, "empty": bool}
boost::json::value model_diff_to_json(const ModelDiff& diff);

}  // namespace kaiku::modelfile
