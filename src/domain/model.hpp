// The measurement model of a county: org tree, journeys, touchpoints, surveys,
// questions, frequencies, targets. Pure data plus lookups; standard library only.
// Loaded and validated from YAML by modelfile/, never mutated after load.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/language.hpp"
#include "domain/casework.hpp"
#include "domain/free_text.hpp"
#include "domain/outreach_rules.hpp"

namespace kaiku::domain {

// A code by which an outside system names a unit, e.g. {"oid", "1.2.246.10.1234"}
// or {"lifecare", "KV-SISA"}.
struct UnitCode {
  std::string system;
  std::string value;
};

// A node of the org tree: the county, a service area, or a unit (any depth).
struct OrgUnit {
  std::string id;          // stable id, [a-z0-9_-]+
  std::string parent;      // "" for the root (the county)
  std::string kind;        // "county", "area", "unit" (free-form label for deeper levels)
  LocalizedText name;      // fi, sv, en required; fi-x-selko optional
  std::vector<UnitCode> codes;
  std::vector<std::string> keywords;  // extra search words for the feedback form
};

struct JourneyStage {
  std::string id;
  LocalizedText name;
};

// A customer journey (asiakaspolku) and its ordered stages.
struct Journey {
  std::string id;
  LocalizedText name;
  std::vector<JourneyStage> stages;
};

// Where a response came from.
enum class Channel { web, qr, kiosk, sms, tablet, paper, phone, feedback, api };
std::string_view channel_name(Channel c) noexcept;
std::optional<Channel> parse_channel(std::string_view name) noexcept;

// How often a touchpoint asks.
struct Frequency {
  enum class Kind { continuous, sampled, periodic };
  struct Window {            // a yearly collection window, e.g. 1 March for 14 days
    int month = 1;           // 1-12
    int day = 1;             // 1-31
    int length_days = 14;    // >= 1
  };
  Kind kind = Kind::continuous;
  double sample_share = 1.0;       // (0, 1]; only for sampled
  std::vector<Window> windows;     // only for periodic; at least one
  // Contact cap per person: at most `cap_max` invitations within `cap_days` days.
  int cap_max = 1;
  int cap_days = 30;
};

enum class QuestionType {
  nps,              // 0-10 recommendation
  agreement,        // 1-5 agreement, plus "can't say"
  smiley3,          // 3 faces, 1-3
  smiley5,          // 5 faces, 1-5
  single_choice,
  multi_choice,
  open_text,
  contact_request,  // the customer asks to be contacted (phone or e-mail + consent)
};
std::string_view question_type_name(QuestionType t) noexcept;
std::optional<QuestionType> parse_question_type(std::string_view name) noexcept;

struct ChoiceOption {
  std::string key;
  LocalizedText label;
};

struct Question {
  std::string key;            // stable across model versions, e.g. "nps", "thl_help_when_needed"
  QuestionType type = QuestionType::open_text;
  LocalizedText text;         // the question as asked
  LocalizedText help;         // optional hint under the question
  bool required = false;
  std::vector<ChoiceOption> options;  // single/multi choice
  LocalizedText low_label;    // nps/agreement scale ends (optional; UI has defaults)
  LocalizedText high_label;
  LocalizedText consent;      // contact_request: the consent text (required there)
  int max_length = 2000;      // open_text: maximum characters
};

// Who a survey is for.
enum class Audience { general, child, relative };
std::string_view audience_name(Audience a) noexcept;

struct Survey {
  std::string id;
  LocalizedText title;
  LocalizedText intro;
  Audience audience = Audience::general;
  bool allow_on_behalf = true;        // shows "I answer for my relative"
  std::vector<Question> questions;
  // Optional: the single question a kiosk shows as faces, and its optional follow-up.
  std::string kiosk_question;         // key of a smiley3/smiley5 question
  std::string kiosk_followup;         // key of a single_choice question, may be ""

  const Question* question(const std::string& key) const;
};

// A measurement point (mittaamispiste) on a journey.
struct Touchpoint {
  std::string id;
  LocalizedText name;
  std::string journey;
  std::string stage;                  // a stage id of that journey
  std::vector<std::string> units;     // org nodes where it is measured
  std::string survey;                 // the main survey
  std::string child_survey;           // optional variant for children 7-12
  std::string relative_survey;        // optional variant for relatives
  std::vector<Channel> channels;
  Frequency frequency;
  TouchpointSms sms;                  // SMS outreach settings (used when channels has sms)

  bool has_channel(Channel c) const;
};

// A target for an indicator at an org node, e.g. NPS >= 50 for the county.
struct Target {
  std::string indicator;   // "nps" or a question key
  std::string unit;        // org node; applies to its subtree unless overridden
  double value = 0;
};

// Where a definition came from, for error messages and tooling.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// Contact details the respondent pages print, from the county section of the model.
// Every field is optional ("" = absent); the pages then fall back to generic text.
struct CountyContacts {
  std::string accessibility_email;     // feedback on accessibility (statement page)
  std::string accessibility_phone;     // optional phone for the same
  std::string statement_date;          // date of the accessibility statement, YYYY-MM-DD
  std::string complaints_url;          // county page on muistutus and the ombudsmen (https://...)
  std::string complaints_phone;        // e.g. the patient ombudsman's phone number
};

struct Model {
  std::string county_id;                 // id of the root org unit
  LocalizedText county_name;
  CountyContacts contacts;               // optional contact details (see CountyContacts)
  std::vector<Language> languages;       // enabled customer languages (fi, sv, en, fi-x-selko)
  int reporting_threshold = 5;           // minimum answers before any figure is shown
  std::vector<OrgUnit> units;            // parents before children
  std::vector<Journey> journeys;
  std::vector<Touchpoint> touchpoints;
  std::vector<Survey> surveys;
  std::vector<Target> targets;
  OutreachRules outreach;                // SMS after visits: eligibility and timing
  std::vector<Theme> themes;             // free-text theme taxonomy (may be empty)
  FreeTextSettings free_text;            // redaction, retention and readers of originals
  HandlingSettings handling;             // service levels and alerts of feedback handling (casework.hpp)
  std::string version;                   // content hash (hex), set by the loader

  // Lookups; nullptr when absent. O(log n) after index() has been called.
  const OrgUnit* unit(const std::string& id) const;
  const Journey* journey(const std::string& id) const;
  const Touchpoint* touchpoint(const std::string& id) const;
  const Survey* survey(const std::string& id) const;
  // Finds the unit an outside system names with (system, value); nullptr if none.
  const OrgUnit* unit_by_code(const std::string& system, const std::string& value) const;
  bool language_enabled(Language lang) const;
  // True when `node` is `ancestor` or lies below it in the org tree.
  bool in_subtree(const std::string& node, const std::string& ancestor) const;
  // Ids of `root` and every node below it.
  std::vector<std::string> subtree(const std::string& root) const;
  // The path from the root to `id`, inclusive ("county", "area", "unit").
  std::vector<std::string> path_to(const std::string& id) const;
  // Builds the lookup indexes. Call once after filling the vectors.
  void index();

 private:
  std::map<std::string, std::size_t> unit_idx_, journey_idx_, touchpoint_idx_, survey_idx_;
  std::map<std::pair<std::string, std::string>, std::size_t> code_idx_;
};

}  // namespace kaiku::domain
