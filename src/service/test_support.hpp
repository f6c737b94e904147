// Test support shared by the service and http unit tests (header only; not part
// of any library): a small hand-built model and a real SQLite store in a fresh
// temporary directory.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "domain/model.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/store.hpp"

namespace kaiku::testing {

inline domain::LocalizedText tr(const std::string& fi) {
  return domain::LocalizedText{{{domain::Language::fi, fi},
                                {domain::Language::sv, fi + " (sv)"},
                                {domain::Language::en, fi + " (en)"},
                                {domain::Language::fi_selko, fi + " (selko)"}}};
}

inline domain::Question question(const std::string& key, domain::QuestionType type, bool required = false) {
  domain::Question q;
  q.key = key;
  q.type = type;
  q.text = tr(key);
  q.required = required;
  return q;
}

// county -> area_a -> {unit_a1, unit_a2 -> unit_a2x}, area_b -> unit_b1.
// Surveys: "core" (nps required, agree, one (single a|b), many (multi x|y), open
// (max 50), contact), "child" (face smiley3 required), "kiosk" (face smiley5,
// kiosk_question face, follow-up "why" single choice wait|staff|place).
// Touchpoints: tp1 at unit_a1 (core, child variant), tp_multi at unit_a1 +
// unit_b1 (core), tp_kiosk at unit_a2 (kiosk), tp_b at unit_b1 (core),
// tp_kiosk_multi at unit_a1 + unit_a2 (kiosk); these five are measured through web, qr, kiosk, sms and api.
// tp_sms at unit_a2x (core) only through sms.
inline domain::Model test_model() {
  using namespace domain;
  Model m;
  m.county_id = "county";
  m.county_name = tr("Testimaakunta");
  m.languages = {Language::fi, Language::sv, Language::en, Language::fi_selko};
  auto org = [](const std::string& id, const std::string& parent, const std::string& kind) {
    OrgUnit u;
    u.id = id;
    u.parent = parent;
    u.kind = kind;
    u.name = tr(id);
    return u;
  };
  m.units = {org("county", "", "county"),        org("area_a", "county", "area"),
             org("unit_a1", "area_a", "unit"),   org("unit_a2", "area_a", "unit"),
             org("unit_a2x", "unit_a2", "unit"), org("area_b", "county", "area"),
             org("unit_b1", "area_b", "unit")};
  Journey j;
  j.id = "visit";
  j.name = tr("Käynti");
  j.stages = {{"arrival", tr("Saapuminen")}, {"care", tr("Hoito")}};
  m.journeys.push_back(j);

  Survey core;
  core.id = "core";
  core.title = tr("Palautekysely");
  core.questions.push_back(question("nps", QuestionType::nps, true));
  core.questions.push_back(question("agree", QuestionType::agreement));
  Question one = question("one", QuestionType::single_choice);
  one.options = {{"a", tr("a")}, {"b", tr("b")}};
  core.questions.push_back(one);
  Question many = question("many", QuestionType::multi_choice);
  many.options = {{"x", tr("x")}, {"y", tr("y")}};
  core.questions.push_back(many);
  Question open = question("open", QuestionType::open_text);
  open.max_length = 50;
  core.questions.push_back(open);
  Question contact = question("contact", QuestionType::contact_request);
  contact.consent = tr("Suostun");
  core.questions.push_back(contact);
  m.surveys.push_back(core);

  Survey child;
  child.id = "child";
  child.title = tr("Lasten kysely");
  child.audience = Audience::child;
  child.allow_on_behalf = false;
  child.questions.push_back(question("face", QuestionType::smiley3, true));
  m.surveys.push_back(child);

  Survey kiosk;
  kiosk.id = "kiosk";
  kiosk.title = tr("Kioski");
  kiosk.questions.push_back(question("face", QuestionType::smiley5, true));
  Question why = question("why", QuestionType::single_choice);
  why.options = {{"wait", tr("odotus")}, {"staff", tr("henkilökunta")}, {"place", tr("tilat")}};
  kiosk.questions.push_back(why);
  kiosk.kiosk_question = "face";
  kiosk.kiosk_followup = "why";
  m.surveys.push_back(kiosk);

  auto touchpoint = [](const std::string& id, std::vector<std::string> units, const std::string& survey) {
    Touchpoint tp;
    tp.id = id;
    tp.name = tr(id);
    tp.journey = "visit";
    tp.stage = "care";
    tp.units = std::move(units);
    tp.survey = survey;
    tp.channels = {Channel::web, Channel::qr, Channel::kiosk, Channel::sms, Channel::api};
    return tp;
  };
  Touchpoint tp1 = touchpoint("tp1", {"unit_a1"}, "core");
  tp1.child_survey = "child";
  m.touchpoints.push_back(tp1);
  m.touchpoints.push_back(touchpoint("tp_multi", {"unit_a1", "unit_b1"}, "core"));
  m.touchpoints.push_back(touchpoint("tp_kiosk", {"unit_a2"}, "kiosk"));
  m.touchpoints.push_back(touchpoint("tp_b", {"unit_b1"}, "core"));
  m.touchpoints.push_back(touchpoint("tp_kiosk_multi", {"unit_a1", "unit_a2"}, "kiosk"));
  Touchpoint sms = touchpoint("tp_sms", {"unit_a2x"}, "core");
  sms.channels = {Channel::sms};
  m.touchpoints.push_back(sms);
  m.version = "testmodel0000001";
  m.index();
  return m;
}

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("kaiku-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The model, a manual clock, a seeded random and a real SQLite store.
struct Fixture {
  domain::Model model = test_model();
  ManualClock clock{TimePoint(std::chrono::milliseconds(1'790'000'000'000))};  // 2026-09-21
  SeededRandom random{42};
  TempDir dir;
  std::unique_ptr<storage::Store> store;

  explicit Fixture(const storage::SqliteOptions& options = {}) {
    auto s = storage::open_sqlite_store(dir.path(), clock, options);
    if (!s) throw std::runtime_error("cannot open test store: " + s.error().message);
    store = std::move(*s);
  }
};

}  // namespace kaiku::testing
