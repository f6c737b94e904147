// A small hand-built model for the web layer's unit tests (header-only).
#pragma once

#include <string>

#include "domain/model.hpp"

namespace kaiku::web::testing {

inline domain::LocalizedText text4(const std::string& fi, const std::string& sv, const std::string& en,
                                   const std::string& selko = "") {
  domain::LocalizedText t;
  t.texts[domain::Language::fi] = fi;
  t.texts[domain::Language::sv] = sv;
  t.texts[domain::Language::en] = en;
  t.texts[domain::Language::fi_selko] = selko.empty() ? fi : selko;
  return t;
}

inline domain::Question make_question(const std::string& key, domain::QuestionType type,
                                      bool required = false) {
  domain::Question q;
  q.key = key;
  q.type = type;
  q.text = text4("Kysymys " + key, "Fråga " + key, "Question " + key);
  q.required = required;
  return q;
}

// county -> {area_health -> {unit_hc (Lohjan terveysasema), unit_dental (Hammashoitola Ä)},
//            area_social -> {unit_sw}}; survey "core" with every question type;
// survey "kiosk" with a smiley5 and a follow-up; touchpoint "tp1" at unit_hc.
inline domain::Model small_model() {
  using domain::QuestionType;
  domain::Model m;
  m.county_id = "county";
  m.county_name = text4("Testin hyvinvointialue", "Testens välfärdsområde", "Test wellbeing county");
  m.languages = {domain::Language::fi, domain::Language::sv, domain::Language::en,
                 domain::Language::fi_selko};
  auto unit = [](std::string id, std::string parent, domain::LocalizedText name) {
    domain::OrgUnit u;
    u.id = std::move(id);
    u.parent = std::move(parent);
    u.kind = u.parent.empty() ? "county" : "unit";
    u.name = std::move(name);
    return u;
  };
  m.units.push_back(unit("county", "", m.county_name));
  m.units.push_back(
      unit("area_health", "county", text4("Terveyspalvelut", "Hälsotjänster", "Health services")));
  m.units.push_back(unit("unit_hc", "area_health",
                         text4("Lohjan terveysasema", "Lojo hälsostation", "Lohja health centre")));
  m.units.push_back(unit("unit_dental", "area_health",
                         text4("Hammashoitola Äijälä", "Tandklinik Äijälä", "Äijälä dental clinic")));
  m.units.back().keywords = {"hampaat", "suuhygienisti"};
  m.units.push_back(
      unit("area_social", "county", text4("Sosiaalipalvelut", "Socialtjänster", "Social services")));
  m.units.push_back(unit("unit_sw", "area_social",
                         text4("Aikuissosiaalityö", "Socialt arbete för vuxna", "Adult social work")));

  domain::Survey s;
  s.id = "core";
  s.title = text4("Asiakaskysely", "Kundenkät", "Customer survey", "Kysely");
  s.intro = text4("Kerro kokemuksesi.", "Berätta om din upplevelse.", "Tell us about your experience.");
  s.questions.push_back(make_question("nps", QuestionType::nps, true));
  s.questions.push_back(make_question("agree", QuestionType::agreement));
  s.questions.push_back(make_question("face3", QuestionType::smiley3));
  s.questions.push_back(make_question("face5", QuestionType::smiley5));
  domain::Question single = make_question("one", QuestionType::single_choice);
  single.options = {{"a", text4("Vaihtoehto A", "Alternativ A", "Option A")},
                    {"b", text4("Vaihtoehto B", "Alternativ B", "Option B")}};
  s.questions.push_back(single);
  domain::Question multi = make_question("many", QuestionType::multi_choice);
  multi.options = {{"x", text4("Äksä", "X", "X")}, {"y", text4("Yy", "Y", "Y")}};
  s.questions.push_back(multi);
  domain::Question open = make_question("open", QuestionType::open_text);
  open.max_length = 500;
  s.questions.push_back(open);
  domain::Question contact = make_question("contact", QuestionType::contact_request);
  contact.consent = text4("Suostun yhteydenottoon.", "Jag samtycker.", "I consent.");
  s.questions.push_back(contact);
  m.surveys.push_back(s);

  domain::Survey k;
  k.id = "kiosk";
  k.title = text4("Kioski", "Kiosk", "Kiosk");
  k.questions.push_back(make_question("mood", QuestionType::smiley5, true));
  domain::Question why = make_question("why", QuestionType::single_choice);
  why.options = {{"wait", text4("Odotus", "Väntan", "Waiting")},
                 {"staff", text4("Henkilökunta", "Personal", "Staff")}};
  k.questions.push_back(why);
  k.kiosk_question = "mood";
  k.kiosk_followup = "why";
  m.surveys.push_back(k);

  domain::Touchpoint tp;
  tp.id = "tp1";
  tp.name = text4("Vastaanottokäynti", "Mottagningsbesök", "Outpatient visit");
  tp.units = {"unit_hc"};
  tp.survey = "core";
  tp.channels = {domain::Channel::web, domain::Channel::qr, domain::Channel::kiosk};
  m.touchpoints.push_back(tp);
  m.index();
  return m;
}

}  // namespace kaiku::web::testing
