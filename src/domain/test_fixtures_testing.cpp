#include "domain/test_fixtures.hpp"

namespace kaiku::domain::testing {

namespace {
LocalizedText text(const std::string& fi) {
  return LocalizedText{{{Language::fi, fi}, {Language::sv, fi + " (sv)"}, {Language::en, fi + " (en)"}}};
}
OrgUnit org(const std::string& id, const std::string& parent) {
  OrgUnit u;
  u.id = id;
  u.parent = parent;
  u.name = text(id);
  return u;
}
Question question(const std::string& key, QuestionType type, bool required = false) {
  Question q;
  q.key = key;
  q.type = type;
  q.text = text(key);
  q.required = required;
  return q;
}
}  // namespace

Model small_model() {
  Model m;
  m.county_id = "county";
  m.languages = {Language::fi, Language::sv, Language::en, Language::fi_selko};
  m.units = {org("county", ""), org("area_a", "county"), org("unit_a1", "area_a"), org("unit_a2", "area_a"),
             org("area_b", "county"), org("unit_b1", "area_b")};
  m.units[2].codes = {{"oid", "1.2.246.1"}};
  Survey s;
  s.id = "core";
  s.questions.push_back(question("nps", QuestionType::nps, true));
  s.questions.push_back(question("agree", QuestionType::agreement));
  s.questions.push_back(question("face", QuestionType::smiley3));
  Question single = question("one", QuestionType::single_choice);
  single.options = {{"a", text("a")}, {"b", text("b")}};
  s.questions.push_back(single);
  Question multi = question("many", QuestionType::multi_choice);
  multi.options = {{"x", text("x")}, {"y", text("y")}};
  s.questions.push_back(multi);
  Question open = question("open", QuestionType::open_text);
  open.max_length = 10;
  s.questions.push_back(open);
  s.questions.push_back(question("contact", QuestionType::contact_request));
  m.surveys.push_back(s);
  Touchpoint tp;
  tp.id = "tp1";
  tp.units = {"unit_a1"};
  tp.survey = "core";
  tp.channels = {Channel::web, Channel::qr};
  m.touchpoints.push_back(tp);
  m.index();
  return m;
}

}  // namespace kaiku::domain::testing
