// The texts of outreach SMS: the model's question texts where it has them, fixed
// templates in Finnish, Swedish and English otherwise; everything passed through
// domain::gsm7_safe so that it stays in 7-bit GSM where the characters allow.
#include <string>

#include "domain/sms_text.hpp"
#include "service/outreach_internal.hpp"

namespace kaiku::service {

namespace {

using domain::Language;

// Picks the template of `lang` (fi, sv, en; plain Finnish uses fi).
const char* pick(Language lang, const char* fi, const char* sv, const char* en) {
  switch (sms_language(lang)) {
    case Language::sv:
      return sv;
    case Language::en:
      return en;
    default:
      return fi;
  }
}

const domain::Survey* survey_of(const domain::Model& model, const domain::Touchpoint& tp) {
  return model.survey(tp.survey);
}

const domain::Question* first_of_type(const domain::Survey* s, domain::QuestionType type) {
  if (s == nullptr) return nullptr;
  for (const auto& q : s->questions) {
    if (q.type == type) return &q;
  }
  return nullptr;
}

// Appends `part` to `out` with one space between non-empty parts.
void add(std::string& out, const std::string& part) {
  if (part.empty()) return;
  if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
  out += part;
}

// The model's text in `lang` (plain Finnish falls back to Finnish), trimmed.
std::string model_text(const domain::LocalizedText& t, Language lang) {
  std::string s = t.get(sms_language(lang));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n')) ++i;
  return s.substr(i);
}

const char* stop_hint(Language lang) {
  return pick(lang, "Jos et halua palautekyselyitä, vastaa LOPETA.",
              "Om du inte vill ha enkäter, svara SLUTA.", "To get no more surveys, reply STOP.");
}

}  // namespace

const domain::Question* followup_question(const domain::Model& model, const domain::Touchpoint& tp) {
  const domain::Survey* s = survey_of(model, tp);
  if (s == nullptr) return nullptr;
  if (!tp.sms.followup_question.empty()) {
    const domain::Question* q = s->question(tp.sms.followup_question);
    if (q != nullptr && q->type == domain::QuestionType::open_text) return q;
  }
  return first_of_type(s, domain::QuestionType::open_text);
}

std::string SmsTexts::invite_link(const domain::Model& /*model*/, const domain::Touchpoint& tp,
                                  domain::Language lang, const std::string& url) {
  std::string out = pick(lang, "Kiitos käynnistäsi", "Tack för ditt besök", "Thank you for your visit");
  std::string where = model_text(tp.name, lang);
  if (!where.empty()) out += " (" + where + ")";
  out += ".";
  add(out, pick(lang, "Kerro kokemuksestasi:", "Berätta om din upplevelse:", "Tell us how it went:"));
  add(out, url);
  add(out, stop_hint(lang));
  return domain::gsm7_safe(out);
}

std::string SmsTexts::invite_reply(const domain::Model& model, const domain::Touchpoint& tp,
                                   domain::Language lang) {
  std::string out = pick(lang, "Kiitos käynnistäsi", "Tack för ditt besök", "Thank you for your visit");
  std::string where = model_text(tp.name, lang);
  if (!where.empty()) out += " (" + where + ")";
  out += ".";
  const domain::Question* nps = first_of_type(survey_of(model, tp), domain::QuestionType::nps);
  std::string question = nps != nullptr ? model_text(nps->text, lang) : "";
  if (question.empty()) {
    question = pick(lang, "Kuinka todennäköisesti suosittelisit saamaasi palvelua läheisellesi tai ystävällesi?",
                    "Hur sannolikt skulle du rekommendera tjänsten till andra?",
                    "How likely would you be to recommend the service to a friend or relative?");
  }
  add(out, question);
  std::string low = nps != nullptr ? model_text(nps->low_label, lang) : "";
  std::string high = nps != nullptr ? model_text(nps->high_label, lang) : "";
  if (low.empty()) low = pick(lang, "ei lainkaan todennäköisesti", "mycket osannolikt", "not at all likely");
  if (high.empty()) high = pick(lang, "erittäin todennäköisesti", "högst sannolikt", "extremely likely");
  add(out, std::string(pick(lang, "Vastaa numerolla 0–10", "Svara med en siffra 0–10", "Reply with a number 0–10")) +
               " (0 = " + low + ", 10 = " + high + ").");
  add(out, stop_hint(lang));
  return domain::gsm7_safe(out);
}

std::string SmsTexts::followup(const domain::Model& model, const domain::Touchpoint& tp, domain::Language lang) {
  const domain::Question* q = followup_question(model, tp);
  std::string out = pick(lang, "Kiitos!", "Tack!", "Thank you!");
  std::string question = q != nullptr ? model_text(q->text, lang) : "";
  if (question.empty()) {
    question = pick(lang, "Mikä olisi tehnyt käynnistäsi vielä paremman?",
                    "Vad hade kunnat göra ditt besök ännu bättre?", "What would have made your visit even better?");
  }
  add(out, question);
  add(out, pick(lang, "Vastaa omin sanoin.", "Svara med egna ord.", "Reply in your own words."));
  return domain::gsm7_safe(out);
}

std::string SmsTexts::reprompt(domain::Language lang) {
  return domain::gsm7_safe(pick(lang, "Emme saaneet vastauksestasi selvää. Vastaa pelkällä numerolla 0–10.",
                                "Vi kunde inte läsa ditt svar. Svara med bara en siffra 0–10.",
                                "We could not read your reply. Please reply with just a number 0–10."));
}

std::string SmsTexts::thanks(domain::Language lang) {
  return domain::gsm7_safe(
      pick(lang, "Kiitos palautteestasi!", "Tack för din respons!", "Thank you for your feedback!"));
}

std::string SmsTexts::opt_out_confirm(domain::Language lang) {
  return domain::gsm7_safe(pick(lang, "Et saa enää palautekyselyitä tähän numeroon.",
                                "Du får inte längre enkäter till det här numret.",
                                "You will no longer get feedback surveys to this number."));
}

}  // namespace kaiku::service
