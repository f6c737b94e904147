// The county's free-form feedback form (/palaute, /respons, /feedback).
#include <algorithm>
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using detail::ErrorIndex;
using domain::Language;

namespace {

std::string esc(std::string_view s) {
  return html_escape(s);
}

// A radio group of fixed options; `field` is the form name.
std::string radio_group(const std::string& field, std::string_view legend,
                        std::initializer_list<std::pair<const char*, Str>> options, std::string_view current,
                        ErrorIndex& errors, Language lang) {
  const bool bad = errors.has(field);
  std::string out =
      "<fieldset class=\"question" + std::string(bad ? " has-error" : "") + "\"" +
      (bad ? " aria-describedby=\"" + detail::error_id(field) + "\" aria-invalid=\"true\"" : "") +
      "><legend class=\"question-text\">" + esc(legend) + "</legend>";
  out += errors.inline_error(field, field);
  out += "<div class=\"choices\">";
  for (const auto& [value, label] : options) {
    const std::string id = field + "-" + value;
    out += "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"" + field + "\" value=\"" +
           value + "\"" + (current == value ? " checked" : "") + "><label for=\"" + id + "\">" +
           esc(tr(label, lang)) + "</label></div>";
  }
  out += "</div></fieldset>\n";
  errors.anchor(field, field + "-" + options.begin()->first, std::string(legend));
  return out;
}

// The unit's name, with its parent's in brackets unless the parent is the county
// (or `group`, the area heading it is already shown under).
std::string unit_label(const domain::Model& model, const domain::OrgUnit& u, Language lang,
                       const std::string& group = "") {
  std::string label = u.name.get(lang);
  if (const domain::OrgUnit* parent = model.unit(u.parent);
      parent != nullptr && !parent->parent.empty() && parent->id != group)
    label += " (" + parent->name.get(lang) + ")";
  return label;
}

// Without a search: every service area of the org tree as an <optgroup> of one
// <select name="unit">, the area itself first, then its units depth-first (deeper
// ones labelled with their parent), so that a person who does not know a unit's
// name can still choose. "I don't know / the whole county" comes first.
std::string unit_browser(const FeedbackForm& form, ErrorIndex& errors, Language lang) {
  const domain::Model& model = *form.model;
  const bool bad = errors.has("unit");
  std::string out = "<div class=\"question units" + std::string(bad ? " has-error" : "") +
                    "\"><label class=\"question-text\" for=\"unit\">" +
                    esc(tr(Str::fb_results_legend, lang)) + "</label>";
  out += "<p class=\"hint\" id=\"unit-hint\">" + esc(tr(Str::fb_browse_hint, lang)) + "</p>";
  out += errors.inline_error("unit", "unit");
  out += "<select id=\"unit\" name=\"unit\" aria-describedby=\"unit-hint" +
         std::string(bad ? " unit-error\" aria-invalid=\"true" : "") + "\" aria-required=\"true\">";
  auto option = [&](const std::string& value, const std::string& label) {
    return "<option value=\"" + esc(value) + "\"" +
           (form.unit == value && !value.empty() ? " selected" : "") + ">" + esc(label) + "</option>";
  };
  out += option("", std::string(tr(Str::fb_browse_placeholder, lang)));
  if (!model.county_id.empty())
    out += option(model.county_id, std::string(tr(Str::fb_unit_whole_county, lang)));
  for (const domain::OrgUnit& area : model.units) {
    if (area.parent.empty() || area.parent != model.county_id) continue;
    out += "<optgroup label=\"" + esc(area.name.get(lang)) + "\">";
    out += option(area.id, fill(tr(Str::fb_unit_whole_area, lang), area.name.get(lang)));
    for (const std::string& id : model.subtree(area.id)) {
      if (id == area.id) continue;
      if (const domain::OrgUnit* u = model.unit(id))
        out += option(u->id, unit_label(model, *u, lang, area.id));
    }
    out += "</optgroup>";
  }
  out += "</select></div>\n";
  errors.anchor("unit", "unit", std::string(tr(Str::fb_results_legend, lang)));
  return out;
}

// With a search (`haku`): the matching units as radios, plus the chosen unit and
// "I don't know / the whole county".
std::string unit_group(const FeedbackForm& form, ErrorIndex& errors, Language lang) {
  const domain::Model& model = *form.model;
  std::vector<const domain::OrgUnit*> units = search_units(model, form.search);
  const bool searched = !form.search.empty();
  const bool no_results = searched && units.empty();
  if (!form.unit.empty() && form.unit != model.county_id) {
    const domain::OrgUnit* chosen = model.unit(form.unit);
    if (chosen != nullptr && std::find(units.begin(), units.end(), chosen) == units.end())
      units.insert(units.begin(), chosen);
  }
  const bool bad = errors.has("unit");
  std::string out = "<fieldset class=\"question units" + std::string(bad ? " has-error" : "") + "\"" +
                    (bad ? " aria-describedby=\"unit-error\" aria-invalid=\"true\"" : "") +
                    "><legend class=\"question-text\">" + esc(tr(Str::fb_results_legend, lang)) + "</legend>";
  out += errors.inline_error("unit", "unit");
  if (no_results) out += "<p class=\"note\">" + esc(tr(Str::fb_no_results, lang)) + "</p>";
  out += "<div class=\"choices\">";
  std::string first_id;
  for (const domain::OrgUnit* u : units) {
    const std::string id = "unit-" + detail::id_part(u->id);
    if (first_id.empty()) first_id = id;
    out += "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"unit\" value=\"" +
           esc(u->id) + "\"" + (form.unit == u->id ? " checked" : "") + "><label for=\"" + id + "\">" +
           esc(unit_label(model, *u, lang)) + "</label></div>";
  }
  if (!model.county_id.empty()) {
    const std::string id = "unit-whole-county";
    if (first_id.empty()) first_id = id;
    out += "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"unit\" value=\"" +
           esc(model.county_id) + "\"" + (form.unit == model.county_id ? " checked" : "") + "><label for=\"" +
           id + "\">" + esc(tr(Str::fb_unit_whole_county, lang)) + "</label></div>";
  }
  out += "</div></fieldset>\n";
  errors.anchor("unit", first_id.empty() ? "haku" : first_id, std::string(tr(Str::fb_results_legend, lang)));
  return out;
}

std::string text_field(const FeedbackForm& form, ErrorIndex& errors, Language lang) {
  const bool bad = errors.has("text");
  std::string out = "<div class=\"question text-question" + std::string(bad ? " has-error" : "") + "\">";
  out += "<label class=\"question-text\" for=\"text\">" + esc(tr(Str::fb_text_label, lang)) + "</label>";
  out += "<p class=\"hint\" id=\"text-hint\">" + esc(tr(Str::open_text_hint, lang)) + " " +
         esc(fill(tr(Str::max_chars, lang), std::to_string(form.max_length))) + "</p>";
  out += errors.inline_error("text", "text");
  out += "<textarea id=\"text\" name=\"text\" rows=\"8\" maxlength=\"" + std::to_string(form.max_length) +
         "\" aria-describedby=\"text-hint" + std::string(bad ? " text-error\" aria-invalid=\"true" : "") +
         "\" aria-required=\"true\">" + esc(form.text) + "</textarea></div>\n";
  errors.anchor("text", "text", std::string(tr(Str::fb_text_label, lang)));
  return out;
}

}  // namespace

std::string render_feedback_page(const PageContext& ctx, const FeedbackForm& form) {
  const Language lang = ctx.lang;
  ErrorIndex errors(form.errors, lang);
  const std::string lang_tag(domain::language_tag(lang));

  // The POST form body first (records the error anchors).
  std::string post;
  post += form.search.empty() ? unit_browser(form, errors, lang) : unit_group(form, errors, lang);
  post += "<h2>" + esc(tr(Str::fb_h_feedback, lang)) + "</h2>\n";
  post += radio_group("kind", tr(Str::fb_kind_legend, lang),
                      {{"praise", Str::fb_kind_praise},
                       {"suggestion", Str::fb_kind_suggestion},
                       {"complaint", Str::fb_kind_complaint}},
                      form.kind, errors, lang);
  post += text_field(form, errors, lang);
  post += radio_group("respondent", tr(Str::fb_respondent_legend, lang),
                      {{"self", Str::fb_respondent_self},
                       {"relative", Str::fb_respondent_relative},
                       {"other", Str::fb_respondent_other}},
                      form.respondent, errors, lang);
  post += detail::contact_block(tr(Str::fb_h_contact, lang), "", form.contact, errors, lang);

  std::string main = "<h1>" + esc(tr(Str::fb_title, lang)) + "</h1>\n";
  main += "<p>" + esc(tr(Str::fb_intro, lang)) + "</p>\n";
  main += "<p class=\"note privacy\">" + esc(tr(Str::privacy_note, lang)) + "</p>\n";
  main += errors.summary();
  // Step 1: find the service (a GET form, works without JavaScript).
  main += "<h2 id=\"fb-service\">" + esc(tr(Str::fb_h_service, lang)) + "</h2>\n";
  main += "<form method=\"get\" action=\"" + esc(form.action_url) + "\" class=\"search\" role=\"search\">";
  main += detail::hidden("lang", lang_tag);
  main += "<label for=\"haku\">" + esc(tr(Str::fb_search_label, lang)) + "</label>";
  main += "<p class=\"hint\" id=\"haku-hint\">" + esc(tr(Str::fb_search_hint, lang)) + "</p>";
  main += "<div class=\"search-row\"><input type=\"search\" id=\"haku\" name=\"haku\" value=\"" +
          esc(form.search) +
          "\" aria-describedby=\"haku-hint\" maxlength=\"100\"><button type=\"submit\" class=\"button\">" +
          esc(tr(Str::fb_search_button, lang)) + "</button></div></form>\n";
  // Step 2: the feedback itself.
  main += "<form method=\"post\" action=\"" + esc(form.action_url) +
          "\" accept-charset=\"utf-8\" novalidate class=\"feedback\">";
  main += detail::hidden("k", form.submission_key);
  main += detail::hidden("lang", lang_tag);
  if (!form.search.empty()) main += detail::hidden("haku", form.search);
  main += "\n" + post;
  main += "<div class=\"actions\"><button type=\"submit\" class=\"button primary\">" +
          esc(tr(Str::fb_send, lang)) + "</button></div>\n</form>\n";
  main += detail::complaint_section(ctx);

  detail::Frame frame;
  frame.title = std::string(tr(Str::fb_title, lang));
  if (!errors.empty()) frame.title = std::string(tr(Str::error_title_prefix, lang)) + ": " + frame.title;
  return detail::document(ctx, frame, main);
}

}  // namespace kaiku::web
