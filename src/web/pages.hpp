// The respondent-facing HTML pages of Kaiku: survey form, thank-you, kiosk,
// free-form feedback, accessibility statement, error pages and the printable
// poster. Pure functions: view model in, a complete UTF-8 HTML document out.
// No I/O, no storage, no sockets; the http layer fills the view models.
//
// Every page: <!doctype html>, <html lang> (fi-x-selko pages say lang="fi"),
// one <h1>, header/main/footer landmarks, a skip link, the one stylesheet
// /static/kaiku.css, no scripts and no inline style attributes (CSP-friendly:
// default-src 'self'), and all dynamic text escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/casework.hpp"
#include "domain/language.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::web {

// What every page needs to know about the request.
struct PageContext {
  domain::Language lang = domain::Language::fi;
  // The model, for the county name and the enabled languages (language switch).
  // May be null (e.g. a 500 page before the model is loaded): then all four
  // languages are offered and no county name is shown.
  const domain::Model* model = nullptr;
  // Absolute base URL without trailing slash, e.g. "https://palaute.example.fi";
  // used only where an absolute URL is printed (poster). May be "".
  std::string base_url;
  // Path of the current page, e.g. "/s/tp_outpatient" (already URL-safe), used
  // for the language switch links "<path>?<query_without_lang>&lang=<tag>".
  // Empty: no language switcher is rendered.
  std::string path;
  // The rest of the current query string without `lang`, already URL-encoded,
  // e.g. "v=child&c=qr". May be "".
  std::string query_without_lang;
};

// The survey form of /s/{touchpoint} and /i/{token}.
struct SurveyForm {
  const domain::Model* model = nullptr;            // required
  const domain::Survey* survey = nullptr;          // required
  const domain::Touchpoint* touchpoint = nullptr;  // required
  std::string unit;                                // unit id shown under the title ("" = none shown)
  std::string action_url;                          // form action, e.g. "/s/tp1" or "/i/<token>"
  std::string submission_key;                      // hidden `k`
  std::string variant;                             // hidden `v` ("" = not rendered)
  std::string channel;                             // hidden `c` ("" = not rendered)
  // Values to show again after a failed POST, keyed like
  // service::SubmissionInput::answers: question key (without "q.") -> values,
  // and "contact.wanted", "contact.name", "contact.phone", "contact.email",
  // "contact.consent".
  domain::RawAnswers values;
  std::string respondent;  // "self" | "on_behalf" | "" (nothing checked)
  // Problems from validation. `field` is a question key, "respondent" or
  // "contact.*"; each is shown in the summary at the top (linking to the field)
  // and next to its field (aria-describedby + aria-invalid).
  std::vector<domain::FieldError> errors;
  bool invitation = false;  // /i/ link: a personal invitation (no v/c fields)
};

// GET /s/{tp} (200) and a failed POST (422). Renders every question of the
// survey: inputs named "q.<key>" (nps 0..10, agreement 1..5 + "cant_say",
// smiley 1..3/1..5, choice option keys, open text textarea), the respondent
// radio (`respondent` = self|on_behalf) when survey.allow_on_behalf and the
// survey is not the relatives' survey, and for a contact_request question the
// contact.* fields with the consent text.
std::string render_survey_page(const PageContext& ctx, const SurveyForm& form);

// What the thank-you page of /s/{tp}/kiitos shows.
struct ThankYou {
  std::string touchpoint_name;  // already localized; may be ""
  std::string back_url;         // link "answer again / back" (may be "")
};

// GET /s/{tp}/kiitos: thanks, plus plain-words guidance on a formal complaint
// (muistutus) and the patient and social ombudsmen, and a link to /palaute.
std::string render_thank_you_page(const PageContext& ctx, const ThankYou& info);

// How a kiosk page returns to the start by itself.
struct KioskReset {
  int seconds = 8;  // delay
  std::string url;  // e.g. "/k/tp1?lang=fi"
  // true: a <meta http-equiv="refresh" content="N;url=..."> in <head>.
  // NOTE: axe-core's rule "meta-refresh" (WCAG 2.2.1, level A) flags any meta
  // refresh with a delay between 1 s and 20 h. To keep axe clean, the http layer
  // may set this false and send the same value as an HTTP `Refresh` header
  // instead (see kiosk_refresh_header). Either way the page shows the reset in
  // words and a "back to start now" link.
  bool in_markup = true;
};

// The value for an HTTP `Refresh` header equivalent to `reset`: "8;url=/k/tp1?lang=fi".
std::string kiosk_refresh_header(const KioskReset& reset);

// GET /k/{tp}: the kiosk start page.
struct KioskForm {
  const domain::Model* model = nullptr;            // required
  const domain::Survey* survey = nullptr;          // required
  const domain::Touchpoint* touchpoint = nullptr;  // required
  const domain::Question* question = nullptr;      // the smiley3/smiley5 kiosk question
  std::string action_url;                          // "/k/{tp}"
  std::string submission_key;                      // hidden `k`
};
// Huge face buttons, each `<button type=submit name="face" value="1..N">` with a
// text label; hidden `k` and `lang`. No personal data asked.
std::string render_kiosk_page(const PageContext& ctx, const KioskForm& form);

// GET /k/{tp}/jatko?r=..: the optional follow-up after a tap.
struct KioskFollowup {
  const domain::Question* question = nullptr;  // required: the follow-up (single/multi choice)
  std::string action_url;                      // "/k/{tp}/jatko"
  std::string submission_key;                  // hidden `k` (a new key)
  std::int64_t response_id = 0;                // hidden `r`: the tap it supplements
  std::vector<domain::FieldError> errors;
  KioskReset reset{20, ""};  // back to the start after ~20 s
};
std::string render_kiosk_followup_page(const PageContext& ctx, const KioskFollowup& form);

// GET /k/{tp}/kiitos: thanks; back to the start after ~8 s.
std::string render_kiosk_thanks_page(const PageContext& ctx, const KioskReset& reset);

// The free-form feedback form of /palaute, /feedback, /respons.
struct FeedbackForm {
  const domain::Model* model = nullptr;    // required (unit search)
  std::string action_url;                  // form action, e.g. "/palaute"
  std::string search;                      // the GET `haku` value (may be "")
  std::string unit;                        // chosen unit id (`unit`), kept on re-render
  std::string kind;                        // "praise" | "suggestion" | "complaint" | ""
  std::string text;                        // `text`
  std::string respondent;                  // "self" | "relative" | "other" | ""
  domain::RawAnswers contact;              // "contact.wanted", "contact.name", ...
  std::string submission_key;              // hidden `k`
  int max_length = 4000;                   // longest `text` (service::kFeedbackMaxLength)
  std::vector<domain::FieldError> errors;  // fields: unit, kind, text, respondent, contact.*
};
// GET (200) and failed POST (422). A GET search form (field `haku`) lists the
// matching units as radios named `unit` (plus the chosen unit, if any); the POST
// form carries `unit`, `kind`, `text`, `respondent`, contact.*, `k`, `lang`.
std::string render_feedback_page(const PageContext& ctx, const FeedbackForm& form);

// GET /palaute/kiitos.
std::string render_feedback_thanks_page(const PageContext& ctx);

// Units whose name (any language) or keyword matches every word of `query`,
// case-insensitively and ignoring diacritics (ä=a, ö=o, å=a, é=e); the org root
// is never listed. Best matches (name prefix) first, at most `limit`.
std::vector<const domain::OrgUnit*> search_units(const domain::Model& model, std::string_view query,
                                                 std::size_t limit = 30);

// GET /saavutettavuus, /tillganglighet, /accessibility: the accessibility
// statement (saavutettavuusseloste) required by Act 306/2019.
std::string render_accessibility_statement(const PageContext& ctx);

// ---- Public pages of the county (no sign-in): "you said, we did" and results
// (public_pages.cpp). Finnish, Swedish and English, each language on its own path;
// a language switch links the three. ctx.model is required; ctx.path is ignored.
// Plain Finnish (fi-x-selko) is shown as Finnish.

// "/sanoitte-teimme" (fi), "/ni-sade-vi-gjorde" (sv), "/you-said-we-did" (en).
std::string_view actions_path(domain::Language lang) noexcept;
// "/tulokset" (fi), "/resultat" (sv), "/results" (en).
std::string_view results_path(domain::Language lang) noexcept;

// GET /sanoitte-teimme/{area}: the published development actions of an area's
// subtree, newest first, each with its title, date, unit, what was done and why.
struct ActionsPage {
  const domain::OrgUnit* area = nullptr;                 // required
  std::vector<domain::DevelopmentAction> actions;        // published ones, newest first
};
std::string render_actions_page(const PageContext& ctx, const ActionsPage& page);

// GET /sanoitte-teimme: the areas (org nodes) that have published actions.
std::string render_action_areas_page(const PageContext& ctx, const std::vector<const domain::OrgUnit*>& areas);

// One figure of the public results page. A suppressed figure carries no number.
struct PublicFigure {
  bool shown = false;                      // false: fewer answers than the threshold
  double value = 0;                        // NPS points; percent agreeing; or the answer count
  std::optional<double> ci_low, ci_high;   // the 95 % interval
  std::int64_t n = 0;                      // answers behind the figure
  std::optional<double> target;            // the model's target (NPS only; shown when set)
};

struct PublicStatement {
  std::string key;                // question key
  domain::LocalizedText text;     // the statement as asked
  PublicFigure figure;            // share of 4-5 answers ("can't say" left out)
};

// GET /tulokset/{area}: NPS of the last 30 days with its interval, the core
// statements, the number of answers and the period; suppressed figures are shown
// as "fewer than N answers", never as numbers.
struct ResultsPage {
  const domain::OrgUnit* area = nullptr;               // required
  std::string from, to;                                // the period, YYYY-MM-DD, inclusive
  int threshold = 5;                                   // the model's reporting threshold
  PublicFigure answers;                                // value = the number of answers
  PublicFigure nps;
  std::vector<PublicStatement> statements;             // in the order asked
  std::vector<const domain::OrgUnit*> children;        // the next level, linked
};
std::string render_results_page(const PageContext& ctx, const ResultsPage& page);

// What went wrong, for render_error_page.
enum class ErrorPage {
  not_found,           // 404 unknown survey / page
  invitation_used,     // 410 the invitation was answered already
  invitation_expired,  // 410 the invitation has expired
  too_large,           // 413
  rate_limited,        // 429
  bad_request,         // 400 (broken form, bad encoding)
  internal,            // 500 / 503
};
// A friendly error page; `status` is only shown in the <title> as a hint.
std::string render_error_page(const PageContext& ctx, int status, ErrorPage kind);

// GET /s/{tp}/juliste?lang=fi|sv: a printable A4 poster with the QR code.
struct Poster {
  std::string touchpoint_name;  // localized
  std::string unit_name;        // localized, may be ""
  std::string survey_url;       // the absolute URL the QR code holds (printed too)
  std::string qr_svg;           // output of qr_svg(survey_url)
};
std::string render_poster_page(const PageContext& ctx, const Poster& poster);

// A QR code (ECC level M, quiet zone of 4 modules) of `text` as a standalone SVG
// document: viewBox in modules, the dark modules as one <path>, no external
// references. Returns "" when the text cannot be encoded (too long).
std::string qr_svg(std::string_view text);

// Escapes & < > " ' for HTML text and quoted attribute values.
std::string html_escape(std::string_view text);

// The stylesheet served at /static/kaiku.css (embedded; identical to static/kaiku.css).
std::string_view stylesheet() noexcept;

}  // namespace kaiku::web
