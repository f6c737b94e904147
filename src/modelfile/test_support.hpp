// Internal to modelfile tests: a tiny valid base model and diagnostic matchers.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modelfile/loader.hpp"

namespace kaiku::modelfile::testing {

// A raw string literal with its leading newline dropped, so that line 1 of the
// YAML is the first line written in the test.
inline std::string Y(const char* s) {
  std::string out(s);
  if (!out.empty() && out.front() == '\n') out.erase(0, 1);
  return out;
}

// A small valid model: county c > area > u1, u2; journey j (stages s1, s2); library
// question nps; survey core (nps + mood smiley5 + reason single_choice, kiosk ready);
// surveys kids (child) and rel (relative).
inline const std::string& base_yaml() {
  static const std::string kBase = Y(R"(
languages: [fi, sv, en, fi-x-selko]
reporting_threshold: 5
county:
  id: c
  name: {fi: Maakunta, sv: Landskap, en: County}
  codes: {oid: 1.2.246.10.1}
  children:
    - id: area
      name: {fi: Alue, sv: Område, en: Area}
      children:
        - id: u1
          name: {fi: Yksikkö, sv: Enhet, en: Unit}
          codes: {oid: 1.2.246.10.1.1, lifecare: U1}
        - id: u2
          name: {fi: Toinen, sv: Andra, en: Second}
journeys:
  - id: j
    name: {fi: Polku, sv: Stig, en: Journey}
    stages:
      - {id: s1, name: {fi: Käynti, sv: Besök, en: Visit}}
      - {id: s2, name: {fi: Jälkeen, sv: Efter, en: After}}
questions:
  - key: nps
    type: nps
    text: {fi: Suosittelisitko, sv: Rekommendera, en: Recommend, fi-x-selko: Suosittelisitko}
surveys:
  - id: core
    title: {fi: Kysely, sv: Enkät, en: Survey, fi-x-selko: Kysely}
    kiosk_question: mood
    kiosk_followup: reason
    questions:
      - use: nps
      - key: mood
        type: smiley5
        text: {fi: 'Miltä tuntui?', sv: 'Hur kändes det?', en: 'How was it?', fi-x-selko: 'Miltä tuntui?'}
      - key: reason
        type: single_choice
        text:
          fi: Mikä?
          sv: Vad?
          en: What?
          fi-x-selko: Mikä?
        options:
          - {key: staff, label: {fi: Henkilöstö, sv: Personal, en: Staff, fi-x-selko: Ihmiset}}
  - id: kids
    audience: child
    title: {fi: Lapset, sv: Barn, en: Children, fi-x-selko: Lapset}
    questions:
      - {key: kid_mood, type: smiley3, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
  - id: rel
    audience: relative
    title: {fi: Omaiset, sv: Anhöriga, en: Relatives, fi-x-selko: Omaiset}
    questions:
      - use: nps
)");
  return kBase;
}

// Loads the base model plus `snippet` as a second file named "t.yaml".
inline std::vector<Diagnostic> diagnose(const std::string& snippet) {
  auto r = load_model_sources({{"base.yaml", base_yaml()}, {"t.yaml", snippet}});
  if (r) return {};
  return r.error();
}

inline std::string dump(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += "  " + format(d) + "\n";
  return s;
}

// True when some diagnostic is at file:line:column and contains `fragment`.
inline ::testing::AssertionResult has_diag(const std::vector<Diagnostic>& ds, const std::string& file,
                                           int line, int column, const std::string& fragment) {
  for (const auto& d : ds) {
    if (d.file == file && d.line == line && d.column == column &&
        d.message.find(fragment) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no diagnostic " << file << ":" << line << ":" << column
                                       << " containing '" << fragment << "'; got:\n"
                                       << dump(ds);
}

}  // namespace kaiku::modelfile::testing
