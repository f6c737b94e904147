// Rendering of single questions and the contact block (shared by the pages).
#include <cmath>
#include <string>

#include "web/frame.hpp"

namespace kaiku::web::detail {
namespace {

using domain::Language;
using domain::Question;
using domain::QuestionType;

std::string esc(std::string_view s) {
  return html_escape(s);
}

// " aria-describedby=\"a b\"" from the non-empty ids, or "".
std::string described_by(std::initializer_list<std::string> ids) {
  std::string joined;
  for (const auto& id : ids) {
    if (id.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += id;
  }
  return joined.empty() ? "" : " aria-describedby=\"" + esc(joined) + "\"";
}

std::string required_marker(const Question& q, Language lang) {
  if (!q.required) return "";
  return " <span class=\"required\">" + esc(tr(Str::required_marker, lang)) + "</span>";
}

std::string help_para(const Question& q, const std::string& base, Language lang) {
  const std::string& help = q.help.get(lang);
  if (help.empty()) return "";
  return "<p class=\"hint\" id=\"" + base + "-help\">" + esc(help) + "</p>";
}

std::string help_id(const Question& q, const std::string& base, Language lang) {
  return q.help.get(lang).empty() ? "" : base + "-help";
}

// One radio or checkbox with its label; `label_html` is trusted markup.
std::string choice(std::string_view type, const std::string& id, const std::string& name,
                   std::string_view value, std::string_view is_checked, const std::string& label_html,
                   const std::string& extra_attrs = "", const std::string& cls = "choice") {
  return "<div class=\"" + cls + "\"><input type=\"" + std::string(type) + "\" id=\"" + id + "\" name=\"" +
         esc(name) + "\" value=\"" + esc(value) + "\"" + std::string(is_checked) + extra_attrs +
         "><label for=\"" + id + "\">" + label_html + "</label></div>";
}

// <fieldset> opening with legend, help and inline error; `more_ids` are
// further ids for aria-describedby.
std::string fieldset_open(const Question& q, const std::string& base, const std::string& cls,
                          const std::string& more_ids, const ErrorIndex& errors, Language lang) {
  const bool bad = errors.has(q.key);
  std::string out = "<fieldset class=\"question " + cls + (bad ? " has-error" : "") + "\"" +
                    described_by({help_id(q, base, lang), more_ids, bad ? error_id(base) : ""}) +
                    (bad ? " aria-invalid=\"true\"" : "") + ">";
  out += "<legend class=\"question-text\">" + esc(q.text.get(lang)) + required_marker(q, lang) + "</legend>";
  out += help_para(q, base, lang);
  out += errors.inline_error(q.key, base);
  return out;
}

std::string nps(const Question& q, const domain::RawAnswers& values, ErrorIndex& errors, Language lang) {
  const std::string base = "q-" + id_part(q.key);
  const std::string name = "q." + q.key;
  const std::string low =
      q.low_label.get(lang).empty() ? std::string(tr(Str::nps_low, lang)) : "0 = " + q.low_label.get(lang);
  const std::string high = q.high_label.get(lang).empty() ? std::string(tr(Str::nps_high, lang))
                                                          : "10 = " + q.high_label.get(lang);
  std::string out = fieldset_open(q, base, "scale-question", base + "-ends", errors, lang);
  out += "<div class=\"scale scale-nps\">";
  for (int i = 0; i <= 10; ++i) {
    const std::string v = std::to_string(i);
    std::string extra;
    if (i == 0) extra = " aria-describedby=\"" + base + "-low\"";
    if (i == 10) extra = " aria-describedby=\"" + base + "-high\"";
    out += choice("radio", base + "-" + v, name, v, checked(values, q.key, v), v, extra, "scale-option");
  }
  out += "</div><p class=\"scale-ends\" id=\"" + base + "-ends\"><span id=\"" + base + "-low\">" + esc(low) +
         "</span> <span id=\"" + base + "-high\">" + esc(high) + "</span></p></fieldset>\n";
  errors.anchor(q.key, base + "-0", q.text.get(lang));
  return out;
}

std::string agreement(const Question& q, const domain::RawAnswers& values, ErrorIndex& errors,
                      Language lang) {
  const std::string base = "q-" + id_part(q.key);
  const std::string name = "q." + q.key;
  static constexpr Str kLabels[] = {Str::agree_1, Str::agree_2, Str::agree_3, Str::agree_4, Str::agree_5};
  std::string out = fieldset_open(q, base, "agreement-question", "", errors, lang);
  out += "<div class=\"choices agreement\">";
  for (int i = 1; i <= 5; ++i) {
    const std::string v = std::to_string(i);
    std::string label(tr(kLabels[i - 1], lang));
    if (i == 1 && !q.low_label.get(lang).empty()) label = q.low_label.get(lang);
    if (i == 5 && !q.high_label.get(lang).empty()) label = q.high_label.get(lang);
    out += choice("radio", base + "-" + v, name, v, checked(values, q.key, v),
                  "<span class=\"scale-number\" aria-hidden=\"true\">" + v + "</span> " + esc(label));
  }
  out += choice("radio", base + "-cant_say", name, "cant_say", checked(values, q.key, "cant_say"),
                esc(tr(Str::cant_say, lang)), "", "choice cant-say");
  out += "</div></fieldset>\n";
  errors.anchor(q.key, base + "-1", q.text.get(lang));
  return out;
}

std::string smiley(const Question& q, int count, const domain::RawAnswers& values, ErrorIndex& errors,
                   Language lang) {
  const std::string base = "q-" + id_part(q.key);
  const std::string name = "q." + q.key;
  std::string out = fieldset_open(q, base, "smiley-question", "", errors, lang);
  out += "<div class=\"faces faces-" + std::to_string(count) + "\">";
  for (int i = 1; i <= count; ++i) {
    const std::string v = std::to_string(i);
    out += choice(
        "radio", base + "-" + v, name, v, checked(values, q.key, v),
        face_svg(i, count) + "<span class=\"face-label\">" + esc(smiley_label(i, count, lang)) + "</span>",
        "", "face-option");
  }
  out += "</div></fieldset>\n";
  errors.anchor(q.key, base + "-1", q.text.get(lang));
  return out;
}

std::string choices(const Question& q, bool multi, const domain::RawAnswers& values, ErrorIndex& errors,
                    Language lang) {
  const std::string base = "q-" + id_part(q.key);
  const std::string name = "q." + q.key;
  std::string out = fieldset_open(q, base, multi ? "multi-question" : "single-question",
                                  multi ? base + "-multi" : "", errors, lang);
  if (multi) out += "<p class=\"hint\" id=\"" + base + "-multi\">" + esc(tr(Str::multi_hint, lang)) + "</p>";
  out += "<div class=\"choices\">";
  for (const auto& opt : q.options) {
    out += choice(multi ? "checkbox" : "radio", base + "-" + id_part(opt.key), name, opt.key,
                  checked(values, q.key, opt.key), esc(opt.label.get(lang)));
  }
  out += "</div></fieldset>\n";
  errors.anchor(q.key, q.options.empty() ? base : base + "-" + id_part(q.options.front().key),
                q.text.get(lang));
  return out;
}

std::string open_text(const Question& q, const domain::RawAnswers& values, ErrorIndex& errors,
                      Language lang) {
  const std::string base = "q-" + id_part(q.key);
  const bool bad = errors.has(q.key);
  std::string out = "<div class=\"question text-question" + std::string(bad ? " has-error" : "") + "\">";
  out += "<label class=\"question-text\" for=\"" + base + "\">" + esc(q.text.get(lang)) +
         required_marker(q, lang) + "</label>";
  out += help_para(q, base, lang);
  // The built-in "no names or health details" hint only when the model gives no help
  // of its own (the model's help usually says the same; one hint is enough).
  std::string hint = esc(fill(tr(Str::max_chars, lang), std::to_string(q.max_length)));
  if (q.help.get(lang).empty()) hint = esc(tr(Str::open_text_hint, lang)) + " " + hint;
  out += "<p class=\"hint\" id=\"" + base + "-hint\">" + hint + "</p>";
  out += errors.inline_error(q.key, base);
  out += "<textarea id=\"" + base + "\" name=\"q." + esc(q.key) + "\" rows=\"5\" maxlength=\"" +
         std::to_string(q.max_length) + "\"" +
         described_by({help_id(q, base, lang), base + "-hint", bad ? error_id(base) : ""}) +
         (bad ? " aria-invalid=\"true\"" : "") + (q.required ? " aria-required=\"true\"" : "") + ">" +
         esc(first_value(values, q.key)) + "</textarea></div>\n";
  errors.anchor(q.key, base, q.text.get(lang));
  return out;
}

// A labelled text input of the contact block.
std::string contact_input(const std::string& field, std::string_view type, std::string_view autocomplete,
                          Str label, const domain::RawAnswers& values, ErrorIndex& errors, Language lang) {
  const std::string id = "contact-" + field.substr(field.find('.') + 1);
  const bool bad = errors.has(field);
  std::string out = "<div class=\"field" + std::string(bad ? " has-error" : "") + "\"><label for=\"" + id +
                    "\">" + esc(tr(label, lang)) + "</label>";
  out += errors.inline_error(field, id);
  out += "<input type=\"" + std::string(type) + "\" id=\"" + id + "\" name=\"" + field +
         "\" autocomplete=\"" + std::string(autocomplete) + "\" maxlength=\"200\" value=\"" +
         esc(first_value(values, field)) + "\"" + (type == "tel" ? " inputmode=\"tel\"" : "") +
         (bad ? " aria-invalid=\"true\" aria-describedby=\"" + error_id(id) + "\"" : "") + "></div>";
  errors.anchor(field, id, std::string(tr(label, lang)));
  return out;
}

}  // namespace

std::string_view smiley_label(int face, int count, Language lang) noexcept {
  static constexpr Str k3[] = {Str::smiley3_1, Str::smiley3_2, Str::smiley3_3};
  static constexpr Str k5[] = {Str::smiley5_1, Str::smiley5_2, Str::smiley5_3, Str::smiley5_4,
                               Str::smiley5_5};
  if (count == 3 && face >= 1 && face <= 3) return tr(k3[face - 1], lang);
  if (count == 5 && face >= 1 && face <= 5) return tr(k5[face - 1], lang);
  return "";
}

std::string face_svg(int face, int count) {
  // Position on the scale 0..1: 0 = saddest, 1 = happiest.
  const double p = count > 1 ? static_cast<double>(face - 1) / (count - 1) : 0.5;
  const int ctrl = static_cast<int>(32 + (p * 2 - 1) * 9);  // mouth curve control y
  const int mouth_y = p < 0.5 ? 35 : 32;
  const int band = count > 1 ? 1 + static_cast<int>(std::lround(p * 4)) : 3;  // colour class 1..5
  std::string out =
      "<svg class=\"face face-tone-" + std::to_string(band) +
      "\" viewBox=\"0 0 48 48\" width=\"48\" height=\"48\" aria-hidden=\"true\" focusable=\"false\">";
  out += "<circle class=\"face-bg\" cx=\"24\" cy=\"24\" r=\"21\"/>";
  out +=
      "<circle class=\"face-ink\" cx=\"17\" cy=\"19\" r=\"3\"/><circle class=\"face-ink\" cx=\"31\" "
      "cy=\"19\" r=\"3\"/>";
  out += "<path class=\"face-mouth\" d=\"M14 " + std::to_string(mouth_y) + " Q24 " +
         std::to_string(ctrl + (mouth_y - 32)) + " 34 " + std::to_string(mouth_y) + "\"/>";
  out += "</svg>";
  return out;
}

std::string contact_block(std::string_view legend, std::string_view consent_text,
                          const domain::RawAnswers& values, ErrorIndex& errors, Language lang) {
  std::string out = "<fieldset class=\"question contact\" aria-describedby=\"contact-note\">";
  out += "<legend class=\"question-text\">" + esc(legend) + "</legend>";
  out += "<p class=\"hint\" id=\"contact-note\">" + esc(tr(Str::contact_fill_note, lang)) + "</p>";
  // The wanted checkbox.
  {
    const bool bad = errors.has("contact.wanted");
    out += errors.inline_error("contact.wanted", "contact-wanted");
    out +=
        choice("checkbox", "contact-wanted", "contact.wanted", "yes",
               checked(values, "contact.wanted", "yes"), esc(tr(Str::contact_wanted, lang)),
               bad ? " aria-invalid=\"true\" aria-describedby=\"contact-wanted-error\"" : "", "choice check");
    errors.anchor("contact.wanted", "contact-wanted", std::string(tr(Str::contact_wanted, lang)));
  }
  out += contact_input("contact.name", "text", "name", Str::contact_name, values, errors, lang);
  out += contact_input("contact.phone", "tel", "tel", Str::contact_phone, values, errors, lang);
  out += contact_input("contact.email", "email", "email", Str::contact_email, values, errors, lang);
  {
    const bool bad = errors.has("contact.consent");
    const std::string consent = consent_text.empty() ? std::string(tr(Str::contact_consent_default, lang))
                                                     : std::string(consent_text);
    out += errors.inline_error("contact.consent", "contact-consent");
    out += choice("checkbox", "contact-consent", "contact.consent", "yes",
                  checked(values, "contact.consent", "yes"), esc(consent),
                  bad ? " aria-invalid=\"true\" aria-describedby=\"contact-consent-error\"" : "",
                  "choice check");
    errors.anchor("contact.consent", "contact-consent", consent);
  }
  out += "<p class=\"note\">" + esc(tr(Str::contact_anonymity_note, lang)) + "</p>";
  out += "<p class=\"note\">" + esc(tr(Str::complaint_separate_note, lang)) + "</p>";
  out += "</fieldset>\n";
  return out;
}

std::string question_block(const Question& q, const domain::RawAnswers& values, ErrorIndex& errors,
                           Language lang) {
  switch (q.type) {
    case QuestionType::nps:
      return nps(q, values, errors, lang);
    case QuestionType::agreement:
      return agreement(q, values, errors, lang);
    case QuestionType::smiley3:
      return smiley(q, 3, values, errors, lang);
    case QuestionType::smiley5:
      return smiley(q, 5, values, errors, lang);
    case QuestionType::single_choice:
      return choices(q, false, values, errors, lang);
    case QuestionType::multi_choice:
      return choices(q, true, values, errors, lang);
    case QuestionType::open_text:
      return open_text(q, values, errors, lang);
    case QuestionType::contact_request: {
      std::string out = errors.inline_error(q.key, "q-" + id_part(q.key)) +
                        contact_block(q.text.get(lang), q.consent.get(lang), values, errors, lang);
      // An error reported on the question itself points at the checkbox.
      errors.anchor(q.key, "contact-wanted", q.text.get(lang));
      return out;
    }
  }
  return "";
}

}  // namespace kaiku::web::detail
