// The printable A4 QR poster of a touchpoint.
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using domain::Language;

std::string render_poster_page(const PageContext& ctx, const Poster& poster) {
  const Language lang = ctx.lang;
  // A bilingual county prints both national languages: the chosen one first.
  const Language other = lang == Language::sv ? Language::fi : Language::sv;
  const bool bilingual = (lang == Language::fi || lang == Language::sv) &&
                         (ctx.model == nullptr || ctx.model->language_enabled(other));

  std::string main =
      "<div class=\"poster-sheet\">\n<h1>" + html_escape(tr(Str::poster_title, lang)) + "</h1>\n";
  std::string place = poster.touchpoint_name;
  if (!poster.unit_name.empty()) place += (place.empty() ? "" : " – ") + poster.unit_name;
  if (!place.empty()) main += "<p class=\"poster-place\">" + html_escape(place) + "</p>\n";
  main += "<div class=\"qr\" role=\"img\" aria-label=\"" + html_escape(tr(Str::poster_qr_alt, lang)) + "\">" +
          poster.qr_svg + "</div>\n";
  main += "<p class=\"poster-body\">" + html_escape(tr(Str::poster_body, lang)) + "</p>\n";
  if (bilingual) {
    const std::string ol(detail::html_lang(other));
    main += "<div class=\"poster-other\" lang=\"" + ol + "\"><p class=\"poster-other-title\">" +
            html_escape(tr(Str::poster_title, other)) + "</p><p>" + html_escape(tr(Str::poster_body, other)) +
            "</p></div>\n";
  }
  main += "<p class=\"poster-url\">" + html_escape(tr(Str::poster_url_note, lang)) +
          "<br><span class=\"url\">" + html_escape(poster.survey_url) + "</span></p>\n</div>";

  detail::Frame frame;
  frame.title = std::string(tr(Str::poster_title, lang)) + (place.empty() ? "" : " – " + place);
  frame.body_class = "poster";
  return detail::document(ctx, frame, main);
}

}  // namespace kaiku::web
