// Thank-you pages, the accessibility statement and the error pages.
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using domain::Language;

namespace {

std::string esc(std::string_view s) {
  return html_escape(s);
}

std::string feedback_path(Language lang) {
  switch (lang) {
    case Language::sv:
      return "/respons";
    case Language::en:
      return "/feedback";
    case Language::fi:
      return "/palaute";
    case Language::fi_selko:
      return detail::with_lang("/palaute", lang);
  }
  return "/palaute";
}

// "2026-11-24" -> "24.11.2026" (fi, sv) or "24 November 2026" (en); anything that is
// not YYYY-MM-DD is shown as it is.
std::string localized_date(std::string_view iso, Language lang) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::string(iso);
  if (lang == Language::en) {
    static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December"};
    return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
  }
  return std::to_string(d) + "." + std::to_string(m) + "." + std::to_string(y);
}

// "029 123 4000" -> "tel:0291234000"; "+358 29 123" -> "tel:+35829123".
std::string tel_uri(std::string_view phone) {
  std::string out = "tel:";
  for (char ch : phone) {
    if ((ch >= '0' && ch <= '9') || ch == '+') out += ch;
  }
  return out;
}

}  // namespace

namespace detail {

std::string complaint_section(const PageContext& ctx) {
  const Language lang = ctx.lang;
  std::string out =
      "<section class=\"complaint\" aria-labelledby=\"complaint-heading\"><h2 id=\"complaint-heading\">" +
      esc(tr(Str::complaint_heading, lang)) + "</h2><p>" + esc(tr(Str::complaint_body, lang)) + "</p><p>" +
      esc(tr(Str::complaint_ombudsman, lang)) + "</p>";
  const domain::CountyContacts* c = ctx.model != nullptr ? &ctx.model->contacts : nullptr;
  if (c != nullptr && (!c->complaints_url.empty() || !c->complaints_phone.empty())) {
    out += "<ul class=\"links\">";
    if (!c->complaints_url.empty()) {
      out += "<li>" + esc(tr(Str::complaint_more, lang)) + " <a href=\"" + esc(c->complaints_url) + "\">" +
             esc(c->complaints_url) + "</a></li>";
    }
    if (!c->complaints_phone.empty()) {
      out += "<li>" + esc(tr(Str::complaint_phone, lang)) + " <a href=\"" +
             esc(tel_uri(c->complaints_phone)) + "\">" + esc(c->complaints_phone) + "</a></li>";
    }
    out += "</ul>";
  }
  out += "<p>" + esc(tr(Str::complaint_relative, lang)) + "</p></section>\n";
  return out;
}

}  // namespace detail

std::string render_thank_you_page(const PageContext& ctx, const ThankYou& info) {
  const Language lang = ctx.lang;
  std::string main = "<h1>" + esc(tr(Str::thanks_title, lang)) + "</h1>\n";
  if (!info.touchpoint_name.empty()) main += "<p class=\"lead\">" + esc(info.touchpoint_name) + "</p>\n";
  main += "<p>" + esc(tr(Str::thanks_body, lang)) + "</p>\n";
  main += detail::complaint_section(ctx);
  main += "<ul class=\"links\"><li><a href=\"" + esc(feedback_path(lang)) + "\">" +
          esc(tr(Str::other_feedback_link, lang)) + "</a></li>";
  if (!info.back_url.empty())
    main += "<li><a href=\"" + esc(info.back_url) + "\">" + esc(tr(Str::thanks_again, lang)) + "</a></li>";
  main += "</ul>\n";
  detail::Frame frame;
  frame.title = std::string(tr(Str::thanks_title, lang));
  return detail::document(ctx, frame, main);
}

std::string render_feedback_thanks_page(const PageContext& ctx) {
  const Language lang = ctx.lang;
  std::string main = "<h1>" + esc(tr(Str::fb_thanks_title, lang)) + "</h1>\n";
  main += "<p>" + esc(tr(Str::fb_thanks_body, lang)) + "</p>\n";
  main += detail::complaint_section(ctx);
  detail::Frame frame;
  frame.title = std::string(tr(Str::fb_thanks_title, lang));
  return detail::document(ctx, frame, main);
}

std::string render_accessibility_statement(const PageContext& ctx) {
  const Language lang = ctx.lang;
  const domain::CountyContacts contacts =
      ctx.model != nullptr ? ctx.model->contacts : domain::CountyContacts{};
  auto section = [&](Str heading, const std::string& id, const std::string& body) {
    return "<section aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\">" + esc(tr(heading, lang)) +
           "</h2>" + body + "</section>\n";
  };
  std::string main = "<h1>" + esc(tr(Str::a11y_title, lang)) + "</h1>\n";
  main += "<p>" + esc(tr(Str::a11y_intro, lang)) + "</p>\n";
  main += section(Str::a11y_h_status, "a11y-status", "<p>" + esc(tr(Str::a11y_status, lang)) + "</p>");
  main += section(Str::a11y_h_limits, "a11y-limits",
                  "<ul><li>" + esc(tr(Str::a11y_limit_kiosk, lang)) + "</li><li>" +
                      esc(tr(Str::a11y_limit_poster, lang)) + "</li><li>" +
                      esc(tr(Str::a11y_limit_model_texts, lang)) + "</li></ul>");
  std::string prepared;
  if (!contacts.statement_date.empty()) {
    prepared = "<p>" +
               esc(fill(tr(Str::a11y_prepared, lang), localized_date(contacts.statement_date, lang))) +
               "</p>";
  }
  prepared += "<p>" + esc(tr(Str::a11y_method, lang)) + "</p>";
  main += section(Str::a11y_h_prepared, "a11y-prepared", prepared);
  std::string channels = "<li><a href=\"" + esc(feedback_path(lang)) + "\">" +
                         esc(tr(Str::a11y_feedback_form, lang)) + "</a></li>";
  if (!contacts.accessibility_email.empty()) {
    channels += "<li>" + esc(tr(Str::a11y_email_label, lang)) + " <a href=\"mailto:" +
                esc(contacts.accessibility_email) + "\">" + esc(contacts.accessibility_email) + "</a></li>";
  }
  if (!contacts.accessibility_phone.empty()) {
    channels += "<li>" + esc(tr(Str::a11y_phone_label, lang)) + " <a href=\"" +
                esc(tel_uri(contacts.accessibility_phone)) + "\">" + esc(contacts.accessibility_phone) +
                "</a></li>";
  }
  main += section(Str::a11y_h_feedback, "a11y-feedback",
                  "<p>" + esc(tr(Str::a11y_feedback, lang)) + "</p><ul>" + channels + "</ul>");
  const char* site = lang == Language::sv   ? "https://www.tillganglighetskrav.fi/"
                     : lang == Language::en ? "https://www.webaccessibility.fi/"
                                            : "https://www.saavutettavuusvaatimukset.fi/";
  main += section(Str::a11y_h_enforcement, "a11y-enforcement",
                  "<p>" + esc(tr(Str::a11y_enforcement, lang)) + "</p><p><a href=\"" + site + "\">" +
                      esc(tr(Str::a11y_enforcement_site, lang)) + "</a></p>");
  detail::Frame frame;
  frame.title = std::string(tr(Str::a11y_title, lang));
  return detail::document(ctx, frame, main);
}

std::string render_error_page(const PageContext& ctx, int status, ErrorPage kind) {
  const Language lang = ctx.lang;
  Str title = Str::e500_title, body = Str::e500_body;
  switch (kind) {
    case ErrorPage::not_found:
      title = Str::e404_title;
      body = Str::e404_body;
      break;
    case ErrorPage::invitation_used:
      title = Str::e410_used_title;
      body = Str::e410_used_body;
      break;
    case ErrorPage::invitation_expired:
      title = Str::e410_expired_title;
      body = Str::e410_expired_body;
      break;
    case ErrorPage::too_large:
      title = Str::e413_title;
      body = Str::e413_body;
      break;
    case ErrorPage::rate_limited:
      title = Str::e429_title;
      body = Str::e429_body;
      break;
    case ErrorPage::bad_request:
      title = Str::e400_title;
      body = Str::e400_body;
      break;
    case ErrorPage::internal:
      title = Str::e500_title;
      body = Str::e500_body;
      break;
  }
  std::string main = "<h1>" + esc(tr(title, lang)) + "</h1>\n<p>" + esc(tr(body, lang)) + "</p>\n";
  main += "<p><a href=\"" + esc(feedback_path(lang)) + "\">" + esc(tr(Str::other_feedback_link, lang)) +
          "</a></p>\n";
  detail::Frame frame;
  frame.title = std::string(tr(title, lang)) + " (" + std::to_string(status) + ")";
  return detail::document(ctx, frame, main);
}

}  // namespace kaiku::web
