// The survey form of /s/{touchpoint} and /i/{token}.
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using detail::ErrorIndex;
using domain::Language;

namespace {

std::string respondent_block(const SurveyForm& form, ErrorIndex& errors, Language lang) {
  const bool bad = errors.has("respondent");
  std::string out = "<fieldset class=\"question respondent" + std::string(bad ? " has-error" : "") + "\"" +
                    (bad ? " aria-describedby=\"respondent-error\" aria-invalid=\"true\"" : "") + ">";
  out += "<legend class=\"question-text\">" + html_escape(tr(Str::respondent_legend, lang)) + "</legend>";
  out += errors.inline_error("respondent", "respondent");
  out += "<div class=\"choices\">";
  const std::pair<const char*, Str> kOptions[] = {{"self", Str::respondent_self},
                                                  {"on_behalf", Str::respondent_on_behalf}};
  for (const auto& [value, label] : kOptions) {
    const std::string id = std::string("respondent-") + value;
    out += "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"respondent\" value=\"" +
           value + "\"" + (form.respondent == value ? " checked" : "") + "><label for=\"" + id + "\">" +
           html_escape(tr(label, lang)) + "</label></div>";
  }
  out += "</div></fieldset>\n";
  errors.anchor("respondent", "respondent-self", std::string(tr(Str::respondent_legend, lang)));
  return out;
}

}  // namespace

std::string render_survey_page(const PageContext& ctx, const SurveyForm& form) {
  const Language lang = ctx.lang;
  const domain::Survey& survey = *form.survey;
  ErrorIndex errors(form.errors, lang);

  // The form body first: it records the anchors the error summary links to.
  std::string body;
  bool any_required = false;
  for (const auto& q : survey.questions) any_required = any_required || q.required;
  if (any_required)
    body += "<p class=\"required-note\">" + html_escape(tr(Str::required_note, lang)) + "</p>\n";
  if (survey.allow_on_behalf && survey.audience != domain::Audience::relative)
    body += respondent_block(form, errors, lang);
  for (const auto& q : survey.questions) body += detail::question_block(q, form.values, errors, lang);

  std::string main = "<h1>" + html_escape(survey.title.get(lang)) + "</h1>\n";
  std::string where;
  if (form.touchpoint != nullptr) where = form.touchpoint->name.get(lang);
  if (!form.unit.empty() && form.model != nullptr) {
    if (const domain::OrgUnit* u = form.model->unit(form.unit)) {
      if (!where.empty()) where += " – ";
      where += u->name.get(lang);
    }
  }
  if (!where.empty()) main += "<p class=\"lead\">" + html_escape(where) + "</p>\n";
  if (!survey.intro.get(lang).empty()) main += "<p>" + html_escape(survey.intro.get(lang)) + "</p>\n";
  main += "<p class=\"note privacy\">" + html_escape(tr(Str::privacy_note, lang)) + "</p>\n";
  main += errors.summary();
  main += "<form method=\"post\" action=\"" + html_escape(form.action_url) +
          "\" accept-charset=\"utf-8\" novalidate class=\"survey\">\n";
  main += detail::hidden("k", form.submission_key);
  main += detail::hidden("lang", domain::language_tag(lang));
  if (!form.invitation) {
    if (!form.variant.empty()) main += detail::hidden("v", form.variant);
    if (!form.channel.empty()) main += detail::hidden("c", form.channel);
  }
  main += "\n" + body;
  main += "<div class=\"actions\"><button type=\"submit\" class=\"button primary\">" +
          html_escape(tr(Str::submit, lang)) + "</button></div>\n</form>";

  detail::Frame frame;
  frame.title = survey.title.get(lang);
  if (!errors.empty()) frame.title = std::string(tr(Str::error_title_prefix, lang)) + ": " + frame.title;
  return detail::document(ctx, frame, main);
}

}  // namespace kaiku::web
