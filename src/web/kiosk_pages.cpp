// Kiosk mode: the face buttons, the optional follow-up and the thank-you page.
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using domain::Language;

namespace {

std::string meta_refresh(const KioskReset& reset) {
  if (!reset.in_markup || reset.url.empty() || reset.seconds <= 0) return "";
  return "<meta http-equiv=\"refresh\" content=\"" + html_escape(kiosk_refresh_header(reset)) + "\">\n";
}

std::string reset_note(const KioskReset& reset, Language lang) {
  if (reset.url.empty()) return "";
  std::string out;
  if (reset.seconds > 0)
    out += "<p class=\"note\">" +
           html_escape(fill(tr(Str::kiosk_reset_note, lang), std::to_string(reset.seconds))) + "</p>\n";
  return out;
}

}  // namespace

std::string kiosk_refresh_header(const KioskReset& reset) {
  return std::to_string(reset.seconds) + ";url=" + reset.url;
}

std::string render_kiosk_page(const PageContext& ctx, const KioskForm& form) {
  const Language lang = ctx.lang;
  const domain::Question* q = form.question;
  const int count = (q != nullptr && q->type == domain::QuestionType::smiley5) ? 5 : 3;
  std::string heading;
  if (q != nullptr) heading = q->text.get(lang);
  if (heading.empty() && form.survey != nullptr) heading = form.survey->title.get(lang);

  std::string main = "<h1 id=\"kiosk-question\">" + html_escape(heading) + "</h1>\n";
  if (form.touchpoint != nullptr && !form.touchpoint->name.get(lang).empty())
    main += "<p class=\"lead\">" + html_escape(form.touchpoint->name.get(lang)) + "</p>\n";
  main += "<p class=\"kiosk-intro\">" + html_escape(tr(Str::kiosk_intro, lang)) + "</p>\n";
  main += "<form method=\"post\" action=\"" + html_escape(form.action_url) +
          "\" accept-charset=\"utf-8\" class=\"kiosk-form\">";
  main += detail::hidden("k", form.submission_key);
  main += detail::hidden("lang", domain::language_tag(lang));
  main += "\n<div class=\"kiosk-faces faces-" + std::to_string(count) +
          "\" role=\"group\" aria-labelledby=\"kiosk-question\">\n";
  for (int i = 1; i <= count; ++i) {
    main += "<button type=\"submit\" name=\"face\" value=\"" + std::to_string(i) +
            "\" class=\"kiosk-face\">" + detail::face_svg(i, count) + "<span class=\"face-label\">" +
            html_escape(detail::smiley_label(i, count, lang)) + "</span></button>\n";
  }
  main += "</div></form>";

  detail::Frame frame;
  frame.title = heading;
  frame.body_class = "kiosk";
  frame.footer_links = false;
  frame.footer_text = std::string(tr(Str::kiosk_footer, lang));
  return detail::document(ctx, frame, main);
}

std::string render_kiosk_followup_page(const PageContext& ctx, const KioskFollowup& form) {
  const Language lang = ctx.lang;
  detail::ErrorIndex errors(form.errors, lang);
  std::string body;
  if (form.question != nullptr) body = detail::question_block(*form.question, {}, errors, lang);

  std::string main = "<h1>" + html_escape(tr(Str::kiosk_followup_intro, lang)) + "</h1>\n";
  main += errors.summary();
  main += "<form method=\"post\" action=\"" + html_escape(form.action_url) +
          "\" accept-charset=\"utf-8\" novalidate class=\"kiosk-followup\">";
  main += detail::hidden("k", form.submission_key);
  main += detail::hidden("r", std::to_string(form.response_id));
  main += detail::hidden("lang", domain::language_tag(lang));
  main += "\n" + body;
  main += "<div class=\"actions\"><button type=\"submit\" class=\"button primary\">" +
          html_escape(tr(Str::kiosk_followup_send, lang)) + "</button>";
  if (!form.reset.url.empty())
    main += " <a class=\"button secondary\" href=\"" + html_escape(form.reset.url) + "\">" +
            html_escape(tr(Str::kiosk_skip, lang)) + "</a>";
  main += "</div>\n</form>\n";
  main += reset_note(form.reset, lang);

  detail::Frame frame;
  frame.title = std::string(tr(Str::kiosk_followup_intro, lang));
  if (!errors.empty()) frame.title = std::string(tr(Str::error_title_prefix, lang)) + ": " + frame.title;
  frame.head_extra = meta_refresh(form.reset);
  frame.body_class = "kiosk";
  frame.footer_links = false;
  frame.footer_text = std::string(tr(Str::kiosk_footer, lang));
  return detail::document(ctx, frame, main);
}

std::string render_kiosk_thanks_page(const PageContext& ctx, const KioskReset& reset) {
  const Language lang = ctx.lang;
  std::string main = "<h1>" + html_escape(tr(Str::kiosk_thanks_title, lang)) + "</h1>\n";
  main += "<p class=\"lead\">" + html_escape(tr(Str::kiosk_thanks_body, lang)) + "</p>\n";
  main += reset_note(reset, lang);
  if (!reset.url.empty())
    main += "<p><a class=\"button primary\" href=\"" + html_escape(reset.url) + "\">" +
            html_escape(tr(Str::kiosk_start_now, lang)) + "</a></p>\n";

  detail::Frame frame;
  frame.title = std::string(tr(Str::kiosk_thanks_title, lang));
  frame.head_extra = meta_refresh(reset);
  frame.body_class = "kiosk";
  frame.footer_links = false;
  frame.footer_text = std::string(tr(Str::kiosk_footer, lang));
  return detail::document(ctx, frame, main);
}

}  // namespace kaiku::web
