// The respondent pages: survey, invitation, kiosk, free-form feedback,
// accessibility statement, QR code and poster. HTML comes from src/web.
#include <algorithm>
#include <charconv>

#include "http/api_support.hpp"
#include "http/problem.hpp"
#include "http/router_impl.hpp"
#include "web/frame.hpp"

namespace kaiku::http {

namespace {

using domain::Language;
using web::ErrorPage;

// Question answers and contact fields of a posted form, keyed as the service
// takes them: "q.<key>" -> "<key>", "contact.*" unchanged; everything else dropped.
domain::RawAnswers answers_of(const RawForm& form) {
  domain::RawAnswers raw;
  for (const auto& [k, v] : form.fields) {
    if (k.rfind("q.", 0) == 0 && k.size() > 2) {
      raw[k.substr(2)].push_back(v);
    } else if (k.rfind("contact.", 0) == 0) {
      raw[k].push_back(v);
    }
  }
  return raw;
}

domain::RawAnswers contact_of(const RawForm& form) {
  domain::RawAnswers raw;
  for (const auto& [k, v] : form.fields) {
    if (k.rfind("contact.", 0) == 0) raw[k].push_back(v);
  }
  return raw;
}

std::string tag(Language l) {
  return std::string(domain::language_tag(l));
}

Response with_language(Response res, Language l) {
  res.set_header("Content-Language", tag(l));
  return res;
}

// The page for a failed submission that is not a validation problem.
ErrorPage page_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::not_found:
      return ErrorPage::not_found;
    case ErrorKind::too_large:
      return ErrorPage::too_large;
    case ErrorKind::rate_limited:
      return ErrorPage::rate_limited;
    case ErrorKind::invalid_input:
    case ErrorKind::conflict:
      return ErrorPage::bad_request;
    default:
      return ErrorPage::internal;
  }
}

bool is_web_channel(domain::Channel ch) {
  return ch == domain::Channel::web || ch == domain::Channel::qr || ch == domain::Channel::tablet;
}

// A freshly rendered, still empty form (GET of a survey, invitation or feedback
// page) may be kept by the browser for Back/Forward: "private, no-cache" instead of
// no-store. Going Back after sending then shows the page with its original one-time
// key, so sending it again is recognised as the same submission (303, stored once);
// with no-store the page is fetched anew with a new key while Chromium restores the
// typed answers into it, and the answer would be stored twice. Pages that carry
// what a customer typed (422 re-renders) stay no-store.
Response fresh_form(Response res) {
  res.set_header("Cache-Control", "private, no-cache");
  return res;
}

// The field error shown in the error summary when a form's one-time key had been
// used for a different submission: the form was sent once already; send again.
domain::FieldError already_sent_error() {
  return {"form", "already_sent",
          "form: this form had already been sent once with other answers; check the answers and send again"};
}

// The field error shown when an anonymous POST was rate limited: answers kept.
domain::FieldError rate_limited_error() {
  return {"form", "rate_limited", "form: too many answers from this device just now; wait and send again"};
}

// Turns a failed submission into what its form shows again: a reused key (conflict)
// becomes a form-level error, a 409 and a fresh key; field errors are shown as they
// are. Returns false when neither applies and only an error page fits.
bool show_on_form(const service::SubmitError& e, std::vector<domain::FieldError>& errors, int& status,
                  bool& fresh_key) {
  if (e.kind == ErrorKind::conflict) {
    errors.push_back(already_sent_error());
    status = 409;
    fresh_key = true;
    return true;
  }
  if (e.kind != ErrorKind::invalid_input || e.fields.empty()) return false;
  errors = e.fields;
  return true;
}

bool has_unit(const domain::Touchpoint& tp, const std::string& unit) {
  return std::find(tp.units.begin(), tp.units.end(), unit) != tp.units.end();
}

// "&u=<unit>" or "" (for URLs that already carry a query).
std::string unit_param(const std::string& unit) {
  return unit.empty() ? "" : "&u=" + url_encode(unit);
}

int status_of(ErrorKind kind) {
  int s = status_for(kind);
  return s == 409 ? 400 : s;
}

}  // namespace

// ---------------------------------------------------------------- /s/{tp}

Response Router::Impl::survey_page(const Call& c) const {
  Language lang = pick_language(c, Language::fi);
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  const bool post = c.req.method == "POST";
  std::optional<RawForm> form;
  if (post) {
    Response err;
    form = read_form(c, lang, err);
    if (!form) return err;
  }
  auto field = [&](const char* k) { return post && form->has(k) ? form->first(k) : c.query.first(k); };
  std::string v = field("v");
  auto variant = service::parse_variant(v);
  if (!variant) return error_page(c, 404, ErrorPage::not_found, lang);
  auto survey = surveys.survey_for(tp->id, *variant);
  if (!survey) return error_page(c, 404, ErrorPage::not_found, lang);
  // The channel: `c` when it is a web channel of this touchpoint, else the first
  // web channel it has (web, qr, tablet); none -> the touchpoint has no web survey.
  std::string ch = field("c");
  auto channel = domain::parse_channel(ch);
  if (!channel || !is_web_channel(*channel) || !tp->has_channel(*channel)) {
    channel.reset();
    ch.clear();
    for (domain::Channel w : {domain::Channel::web, domain::Channel::qr, domain::Channel::tablet}) {
      if (tp->has_channel(w)) {
        channel = w;
        break;
      }
    }
    if (!channel) return error_page(c, 404, ErrorPage::not_found, lang);
  }
  std::string unit = c.query.first("u");
  if (!unit.empty() && std::find(tp->units.begin(), tp->units.end(), unit) == tp->units.end()) {
    return error_page(c, 404, ErrorPage::not_found, lang);
  }

  web::SurveyForm f;
  f.model = &svc.model;
  f.survey = *survey;
  f.touchpoint = tp;
  f.unit = !unit.empty() ? unit : (tp->units.size() == 1 ? tp->units.front() : "");
  f.action_url = "/s/" + tp->id + (unit.empty() ? "" : "?u=" + url_encode(unit));
  f.variant = *variant == service::Variant::general ? "" : v;
  f.channel = ch;
  if (!post) {
    f.submission_key = new_key();
    return fresh_form(
        with_language(html_response(200, web::render_survey_page(page_context(c, lang), f)), lang));
  }

  std::optional<Response> limited = rate_limited(c, "s/" + tp->id, lang);
  service::SubmissionInput in;
  in.touchpoint = tp->id;
  in.unit = unit;
  in.unit_fallback = true;
  in.variant = *variant;
  in.channel = *channel;
  in.language = lang;
  in.submission_key = form->first("k");
  in.answers = answers_of(*form);
  std::string respondent = form->first("respondent");
  std::vector<domain::FieldError> errors;
  if (*variant == service::Variant::relative) {
    in.respondent = domain::Respondent::relative;
  } else if (respondent.empty()) {
    in.respondent = domain::Respondent::self;
  } else if (respondent == "self" || respondent == "on_behalf") {
    in.respondent = *domain::parse_respondent(respondent);
  } else {
    errors.push_back({"respondent", "unknown_option", "respondent: expected self or on_behalf"});
  }
  int status = 422;
  bool fresh_key = false;
  if (limited) {
    // Rate limited: the form again with the answers kept and a notice, not a bare page.
    errors.insert(errors.begin(), rate_limited_error());
    status = 429;
  } else if (errors.empty()) {
    auto out = surveys.submit(in);
    if (out) return see_other("/s/" + tp->id + "/kiitos?lang=" + tag(lang) + unit_param(unit));
    if (!show_on_form(out.error(), errors, status, fresh_key))
      return error_page(c, status_of(out.error().kind), page_for(out.error().kind), lang);
  }
  f.values = in.answers;
  f.respondent = respondent;
  f.errors = std::move(errors);
  f.submission_key =
      !fresh_key && service::valid_submission_key(in.submission_key) ? in.submission_key : new_key();
  Response res =
      with_language(html_response(status, web::render_survey_page(page_context(c, lang), f)), lang);
  if (limited)
    res.set_header("Retry-After", limited->header("Retry-After").empty()
                                      ? std::string("1")
                                      : std::string(limited->header("Retry-After")));
  return res;
}

Response Router::Impl::survey_thanks(const Call& c) const {
  Language lang = pick_language(c, Language::fi);
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  web::ThankYou info;
  info.touchpoint_name = tp->name.get(lang);
  // "Answer again" only where there is a survey page to go back to: not after a
  // personal invitation (single use; the touchpoint may be measured by SMS only).
  const bool web = tp->has_channel(domain::Channel::web) || tp->has_channel(domain::Channel::qr) ||
                   tp->has_channel(domain::Channel::tablet);
  if (web && c.query.first("via") != "i") {
    std::string u = c.query.first("u");
    info.back_url = "/s/" + tp->id + "?lang=" + tag(lang) + (has_unit(*tp, u) ? unit_param(u) : "");
  }
  return with_language(html_response(200, web::render_thank_you_page(page_context(c, lang), info)), lang);
}

// The survey URL a QR code holds: "/s/{tp}?c=qr[&u=unit][&v=variant]", from the
// `u` and `v` of the request, each checked against the touchpoint. nullopt when
// either is not the touchpoint's (unknown unit, no such variant).
std::optional<std::string> Router::Impl::qr_target(const Call& c, const domain::Touchpoint& tp) const {
  std::string unit = c.query.first("u");
  if (!unit.empty() && !has_unit(tp, unit)) return std::nullopt;
  std::string v = c.query.first("v");
  auto variant = service::parse_variant(v);
  if (!variant || !surveys.survey_for(tp.id, *variant)) return std::nullopt;
  std::string url = base_url(c) + "/s/" + tp.id + "?c=qr" + unit_param(unit);
  if (*variant != service::Variant::general) url += "&v=" + url_encode(v);
  return url;
}

Response Router::Impl::qr_code(const Call& c) const {
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, pick_language(c, Language::fi));
  auto url = qr_target(c, *tp);
  if (!url) return error_page(c, 404, ErrorPage::not_found, pick_language(c, Language::fi));
  std::string svg = web::qr_svg(*url);
  if (svg.empty()) return problem(500, "internal", "the survey URL is too long for a QR code", c.path);
  Response res;
  res.set_header("Content-Type", "image/svg+xml");
  res.set_header("Cache-Control", "public, max-age=3600");
  res.body = std::move(svg);
  return res;
}

namespace {
// "Choose the unit whose poster to print" (staff page; no entry in web's strings yet).
std::string_view choose_unit_text(Language lang) {
  switch (lang) {
    case Language::sv:
      return "Välj enheten vars affisch du vill skriva ut. Varje enhet har sin egen QR-kod.";
    case Language::en:
      return "Choose the unit whose poster to print. Each unit has its own QR code.";
    default:
      return "Valitse yksikkö, jonka julisteen haluat tulostaa. Jokaisella yksiköllä on oma QR-koodinsa.";
  }
}
}  // namespace

Response Router::Impl::poster(const Call& c, std::optional<Language> forced) const {
  Language lang = Language::fi;
  if (forced) {
    lang = *forced;
  } else if (auto l = domain::parse_language(c.query.first("lang"))) {
    lang = *l;
  }
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  auto url = qr_target(c, *tp);
  if (!url) return error_page(c, 404, ErrorPage::not_found, lang);
  std::string unit = c.query.first("u");
  if (unit.empty() && tp->units.size() > 1) {
    // A touchpoint with several units: one poster per unit, so that every answer
    // lands at the unit where the poster hangs. This page links to each.
    std::string v = c.query.first("v");
    std::string main = "<h1>" + web::html_escape(tp->name.get(lang)) + "</h1>\n<p>" +
                       web::html_escape(choose_unit_text(lang)) + "</p>\n<ul>";
    for (const auto& id : tp->units) {
      const domain::OrgUnit* u = svc.model.unit(id);
      std::string href = "/s/" + tp->id + "/" + c.segs[2] + "?u=" + url_encode(id) +
                         (v.empty() ? "" : "&v=" + url_encode(v)) + (forced ? "" : "&lang=" + tag(lang));
      main += "<li><a href=\"" + web::html_escape(href) + "\">" +
              web::html_escape(u != nullptr ? u->name.get(lang) : id) + "</a></li>";
    }
    main += "</ul>\n";
    web::detail::Frame frame;
    frame.title = tp->name.get(lang);
    web::PageContext ctx = page_context(c, lang);
    ctx.path.clear();
    return with_language(html_response(200, web::detail::document(ctx, frame, main)), lang);
  }
  web::Poster p;
  p.touchpoint_name = tp->name.get(lang);
  const std::string& shown = !unit.empty() ? unit : (tp->units.size() == 1 ? tp->units.front() : "");
  if (const domain::OrgUnit* u = svc.model.unit(shown)) p.unit_name = u->name.get(lang);
  p.survey_url = *url;
  p.qr_svg = web::qr_svg(p.survey_url);
  web::PageContext ctx = page_context(c, lang);
  ctx.path.clear();
  return with_language(html_response(200, web::render_poster_page(ctx, p)), lang);
}

// ---------------------------------------------------------------- /i/{token}

Response Router::Impl::invitation_page(const Call& c) const {
  const std::string& token = c.segs[1];
  Language lang = pick_language(c, Language::fi);
  auto inv = surveys.open_invitation(token);
  const bool post = c.req.method == "POST";
  // The 410 page speaks the invitation's language (unless ?lang= says otherwise).
  auto gone = [&](const std::string& why) {
    Language l = lang;
    if (!c.query.has("lang")) {
      if (auto il = surveys.invitation_language(token); il && enabled[static_cast<std::size_t>(*il)]) l = *il;
    }
    return error_page(c, 410, why == "expired" ? ErrorPage::invitation_expired : ErrorPage::invitation_used,
                      l);
  };
  if (!inv && !(post && inv.error().kind == ErrorKind::conflict && inv.error().message == "used")) {
    if (inv.error().kind == ErrorKind::conflict) return gone(inv.error().message);
    if (inv.error().kind == ErrorKind::not_found) return error_page(c, 404, ErrorPage::not_found, lang);
    return error_page(c, 503, ErrorPage::internal, lang);
  }
  std::optional<RawForm> form;
  if (post) {
    Response err;
    form = read_form(c, lang, err);
    if (!form) return err;
  } else if (!c.query.has("lang") && enabled[static_cast<std::size_t>(inv->language)]) {
    lang = inv->language;
  }
  // The invitation's form: on GET empty, after a failed POST with the answers.
  // nullopt when its touchpoint or survey is gone from the model.
  auto build_form = [&](const service::OpenInvitation& open) -> std::optional<web::SurveyForm> {
    const domain::Touchpoint* tp = svc.model.touchpoint(open.touchpoint);
    auto survey = surveys.survey_for(open.touchpoint, service::Variant::general);
    if (tp == nullptr || !survey) return std::nullopt;
    web::SurveyForm f;
    f.model = &svc.model;
    f.survey = *survey;
    f.touchpoint = tp;
    f.unit = open.unit;
    f.action_url = "/i/" + token;
    f.invitation = true;
    return f;
  };
  if (!post) {
    auto f = build_form(*inv);
    if (!f) return error_page(c, 404, ErrorPage::not_found, lang);
    f->submission_key = new_key();
    return fresh_form(
        with_language(html_response(200, web::render_survey_page(page_context(c, lang), *f)), lang));
  }
  // For a POST to a used invitation `inv` holds an error; the store decides
  // whether it is a repeat of the same submission (same key) or a conflict.
  if (auto limited = rate_limited(c, "i", lang)) return *limited;
  service::SubmissionInput in;
  in.language = lang;
  in.submission_key = form->first("k");
  in.answers = answers_of(*form);
  std::string respondent = form->first("respondent");
  in.respondent = respondent == "on_behalf" ? domain::Respondent::on_behalf : domain::Respondent::self;
  auto out = surveys.submit_invitation(token, in);
  if (out) {
    // The thank-you page names the touchpoint; a repeat after use finds it
    // through the stored response. `via=i`: no "answer again" link there.
    std::string t = inv ? inv->touchpoint : "";
    if (t.empty()) {
      if (auto stored = svc.store.responses().get(out->id)) t = stored->touchpoint;
    }
    if (svc.model.touchpoint(t) == nullptr) return see_other("/palaute/kiitos?lang=" + tag(lang));
    return see_other("/s/" + t + "/kiitos?lang=" + tag(lang) + "&via=i");
  }
  const service::SubmitError& e = out.error();
  // A used invitation, or its key reused with other answers (which means the
  // invitation was answered with that key already): nothing more can be sent.
  if (e.kind == ErrorKind::conflict) return gone(e.message == "expired" ? "expired" : "used");
  if (e.kind != ErrorKind::invalid_input || e.fields.empty()) {
    return error_page(c, status_of(e.kind), page_for(e.kind), lang);
  }
  if (!inv) return gone("used");
  auto f = build_form(*inv);
  if (!f) return error_page(c, 404, ErrorPage::not_found, lang);
  f->values = in.answers;
  f->respondent = respondent;
  f->errors = e.fields;
  f->submission_key = service::valid_submission_key(in.submission_key) ? in.submission_key : new_key();
  return with_language(html_response(422, web::render_survey_page(page_context(c, lang), *f)), lang);
}

// ---------------------------------------------------------------- /k/{tp}

// The `u` of a kiosk URL when it is one of `tp`'s units, else "".
static std::string kiosk_unit(const Call& c, const domain::Touchpoint& tp) {
  std::string u = c.query.first("u");
  return has_unit(tp, u) ? u : "";
}

Response Router::Impl::kiosk_page(const Call& c) const {
  Language lang = pick_language(c, Language::fi);
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  auto survey = surveys.survey_for(tp->id, service::Variant::general);
  if (!survey) return error_page(c, 404, ErrorPage::not_found, lang);
  const domain::Question* q = (*survey)->question(service::kiosk_question_key(**survey));
  if (q == nullptr || !tp->has_channel(domain::Channel::kiosk))
    return error_page(c, 404, ErrorPage::not_found, lang);
  // `?u=`: the unit where this kiosk stands (kept through tap, follow-up and reset).
  // Without it a touchpoint with several units records at their common ancestor.
  const std::string unit = c.query.first("u");
  if (!unit.empty() && !has_unit(*tp, unit)) return error_page(c, 404, ErrorPage::not_found, lang);
  web::KioskForm f;
  f.model = &svc.model;
  f.survey = *survey;
  f.touchpoint = tp;
  f.question = q;
  f.action_url = "/k/" + tp->id + (unit.empty() ? "" : "?u=" + url_encode(unit));
  if (c.req.method != "POST") {
    f.submission_key = new_key();
    return with_language(html_response(200, web::render_kiosk_page(page_context(c, lang), f)), lang);
  }
  Response err;
  auto form = read_form(c, lang, err);
  if (!form) return err;
  if (auto limited = rate_limited(c, "k/" + tp->id, lang)) return *limited;
  int face = 0;
  std::string face_text = form->first("face");
  auto [p, ec] = std::from_chars(face_text.data(), face_text.data() + face_text.size(), face);
  if (ec != std::errc() || p != face_text.data() + face_text.size()) face = 0;
  auto out = surveys.kiosk_tap(tp->id, face, lang, form->first("k"), unit);
  if (!out) {
    // Invalid (no face) or the key reused for another tap: the buttons again with a new key.
    if (out.error().kind == ErrorKind::invalid_input || out.error().kind == ErrorKind::conflict) {
      f.submission_key = new_key();
      int status = out.error().kind == ErrorKind::conflict ? 409 : 422;
      return with_language(html_response(status, web::render_kiosk_page(page_context(c, lang), f)), lang);
    }
    return error_page(c, status_of(out.error().kind), page_for(out.error().kind), lang);
  }
  const std::string& fu = (*survey)->kiosk_followup;
  if (!fu.empty() && (*survey)->question(fu) != nullptr) {
    return see_other("/k/" + tp->id + "/jatko?r=" + std::to_string(out->id) + "&lang=" + tag(lang) +
                     unit_param(unit));
  }
  return see_other("/k/" + tp->id + "/kiitos?lang=" + tag(lang) + unit_param(unit));
}

Response Router::Impl::kiosk_followup(const Call& c) const {
  Language lang = pick_language(c, Language::fi);
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  auto survey = surveys.survey_for(tp->id, service::Variant::general);
  if (!survey) return error_page(c, 404, ErrorPage::not_found, lang);
  const domain::Question* q = (*survey)->question((*survey)->kiosk_followup);
  const bool post = c.req.method == "POST";
  const std::string unit = kiosk_unit(c, *tp);
  std::optional<RawForm> form;
  if (post) {
    Response err;
    form = read_form(c, lang, err);
    if (!form) return err;
  }
  const std::string thanks = "/k/" + tp->id + "/kiitos?lang=" + tag(lang) + unit_param(unit);
  if (q == nullptr) return see_other(thanks);
  auto r = parse_id(post ? form->first("r") : c.query.first("r"));
  if (!r) return error_page(c, 400, ErrorPage::bad_request, lang);
  web::KioskFollowup f;
  f.question = q;
  f.action_url = "/k/" + tp->id + "/jatko" + (unit.empty() ? "" : "?u=" + url_encode(unit));
  f.response_id = *r;
  f.reset = web::KioskReset{20, "/k/" + tp->id + "?lang=" + tag(lang) + unit_param(unit),
                            cfg.kiosk_refresh_in_markup};
  auto render = [&](int status) {
    web::PageContext ctx = page_context(c, lang);
    ctx.path.clear();  // a kiosk follow-up has no language switch
    Response res = with_language(html_response(status, web::render_kiosk_followup_page(ctx, f)), lang);
    if (!f.reset.in_markup) res.set_header("Refresh", web::kiosk_refresh_header(f.reset));
    return res;
  };
  if (!post) {
    f.submission_key = new_key();
    return render(200);
  }
  if (auto limited = rate_limited(c, "k/" + tp->id, lang)) return *limited;
  std::string key = form->first("k");
  auto out = surveys.kiosk_followup(tp->id, *r, answers_of(*form), lang, key);
  if (out) return see_other(thanks);
  // The tap has a follow-up already (a repeat, or a forged `r`): nothing is
  // stored, and the kiosk simply thanks, as after the first one.
  if (out.error().kind == ErrorKind::conflict) return see_other(thanks);
  if (out.error().kind != ErrorKind::invalid_input || out.error().fields.empty()) {
    return error_page(c, status_of(out.error().kind), page_for(out.error().kind), lang);
  }
  for (const auto& e : out.error().fields) {
    if (e.field == "r") return error_page(c, 400, ErrorPage::bad_request, lang);
  }
  f.errors = out.error().fields;
  f.submission_key = service::valid_submission_key(key) ? key : new_key();
  return render(422);
}

Response Router::Impl::kiosk_thanks(const Call& c) const {
  Language lang = pick_language(c, Language::fi);
  const domain::Touchpoint* tp = svc.model.touchpoint(c.segs[1]);
  if (tp == nullptr) return error_page(c, 404, ErrorPage::not_found, lang);
  web::KioskReset reset{cfg.kiosk_reset_seconds,
                        "/k/" + tp->id + "?lang=" + tag(lang) + unit_param(kiosk_unit(c, *tp)),
                        cfg.kiosk_refresh_in_markup};
  web::PageContext ctx = page_context(c, lang);
  ctx.path.clear();
  Response res = with_language(html_response(200, web::render_kiosk_thanks_page(ctx, reset)), lang);
  if (!reset.in_markup) res.set_header("Refresh", web::kiosk_refresh_header(reset));
  return res;
}

// ---------------------------------------------------------------- /palaute

namespace {
Language path_language(const Call& c, const std::array<bool, 4>& enabled, Language path_lang,
                       Language picked) {
  if (c.query.has("lang")) {
    auto l = domain::parse_language(c.query.first("lang"));
    if (l && enabled[static_cast<std::size_t>(*l)]) return *l;
  }
  if (enabled[static_cast<std::size_t>(path_lang)]) return path_lang;
  return picked;
}
}  // namespace

Response Router::Impl::feedback_page(const Call& c, Language path_lang) const {
  Language lang = path_language(c, enabled, path_lang, pick_language(c, path_lang));
  web::FeedbackForm f;
  f.model = &svc.model;
  f.action_url = "/" + c.segs[0];
  if (c.req.method != "POST") {
    f.search = c.query.first("haku");
    f.unit = c.query.first("unit");
    if (!f.unit.empty() && svc.model.unit(f.unit) == nullptr) f.unit.clear();
    f.submission_key = new_key();
    return fresh_form(
        with_language(html_response(200, web::render_feedback_page(page_context(c, lang), f)), lang));
  }
  Response err;
  auto form = read_form(c, lang, err);
  if (!form) return err;
  if (auto limited = rate_limited(c, "palaute", lang)) return *limited;
  service::FeedbackInput in;
  in.unit = form->first("unit");
  in.kind = form->first("kind");
  in.text = form->first("text");
  in.language = lang;
  in.submission_key = form->first("k");
  in.contact = contact_of(*form);
  std::string writer = form->first("respondent");
  std::vector<domain::FieldError> errors;
  // The feedback form's writer: self, relative or other.
  if (writer.empty()) {
    in.respondent = domain::Respondent::self;
  } else if (writer == "self" || writer == "relative" || writer == "other") {
    in.respondent = *domain::parse_respondent(writer);
  } else {
    errors.push_back({"respondent", "unknown_option", "respondent: expected self, relative or other"});
  }
  int status = 422;
  bool fresh_key = false;
  if (errors.empty()) {
    auto out = surveys.submit_feedback(in);
    if (out) return see_other("/palaute/kiitos?lang=" + tag(lang));
    if (!show_on_form(out.error(), errors, status, fresh_key))
      return error_page(c, status_of(out.error().kind), page_for(out.error().kind), lang);
  }
  f.unit = in.unit;
  f.kind = in.kind;
  f.text = in.text;
  f.respondent = writer;
  f.contact = in.contact;
  f.errors = std::move(errors);
  f.submission_key =
      !fresh_key && service::valid_submission_key(in.submission_key) ? in.submission_key : new_key();
  return with_language(html_response(status, web::render_feedback_page(page_context(c, lang), f)), lang);
}

Response Router::Impl::feedback_thanks(const Call& c, Language path_lang) const {
  Language lang = path_language(c, enabled, path_lang, pick_language(c, path_lang));
  return with_language(html_response(200, web::render_feedback_thanks_page(page_context(c, lang))), lang);
}

Response Router::Impl::accessibility(const Call& c, Language path_lang) const {
  Language lang = path_language(c, enabled, path_lang, pick_language(c, path_lang));
  return with_language(html_response(200, web::render_accessibility_statement(page_context(c, lang))), lang);
}

}  // namespace kaiku::http
