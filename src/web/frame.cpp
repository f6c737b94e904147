#include "web/frame.hpp"

#include <algorithm>

namespace kaiku::web {

using domain::Language;

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";
        break;  // U+FFFD: NUL is never valid in HTML text
      default:
        out += c;
    }
  }
  return out;
}

namespace detail {
namespace {

Str language_name_key(Language l) {
  switch (l) {
    case Language::fi:
      return Str::lang_name_fi;
    case Language::sv:
      return Str::lang_name_sv;
    case Language::en:
      return Str::lang_name_en;
    case Language::fi_selko:
      return Str::lang_name_selko;
  }
  return Str::lang_name_fi;
}

std::vector<Language> enabled_languages(const PageContext& ctx) {
  if (ctx.model == nullptr || ctx.model->languages.empty())
    return {domain::kAllLanguages.begin(), domain::kAllLanguages.end()};
  return ctx.model->languages;
}

std::string language_switch(const PageContext& ctx) {
  if (ctx.path.empty()) return "";
  const std::vector<Language> langs = enabled_languages(ctx);
  if (langs.size() < 2) return "";
  std::string out = "<nav class=\"lang-switch\" aria-label=\"";
  out += html_escape(tr(Str::language_nav, ctx.lang));
  out += "\"><ul>";
  for (Language l : langs) {
    std::string href = ctx.path;
    href += '?';
    if (!ctx.query_without_lang.empty()) {
      href += ctx.query_without_lang;
      href += '&';
    }
    href += "lang=";
    href += domain::language_tag(l);
    out += "<li><a href=\"" + html_escape(href) + "\" lang=\"" + std::string(html_lang(l)) +
           "\" hreflang=\"" + std::string(domain::language_tag(l)) + "\"";
    if (l == ctx.lang) out += " aria-current=\"true\"";
    out += ">" + html_escape(tr(language_name_key(l), l)) + "</a></li>";
  }
  out += "</ul></nav>";
  return out;
}

std::string footer_links(const PageContext& ctx) {
  const char* feedback = "/palaute";
  const char* accessibility = "/saavutettavuus";
  if (ctx.lang == Language::sv) {
    feedback = "/respons";
    accessibility = "/tillganglighet";
  } else if (ctx.lang == Language::en) {
    feedback = "/feedback";
    accessibility = "/accessibility";
  }
  std::string fb = feedback, a11y = accessibility;
  if (ctx.lang == Language::fi_selko) {
    fb = with_lang(fb, ctx.lang);
    a11y = with_lang(a11y, ctx.lang);
  }
  std::string out = "<nav aria-label=\"" + html_escape(tr(Str::footer_nav, ctx.lang)) + "\"><ul>";
  out += "<li><a href=\"" + html_escape(fb) + "\">" + html_escape(tr(Str::footer_feedback, ctx.lang)) +
         "</a></li>";
  out += "<li><a href=\"" + html_escape(a11y) + "\">" + html_escape(tr(Str::footer_accessibility, ctx.lang)) +
         "</a></li>";
  out += "</ul></nav>";
  return out;
}

}  // namespace

std::string_view html_lang(Language lang) noexcept {
  return lang == Language::fi_selko ? std::string_view("fi") : domain::language_tag(lang);
}

std::string with_lang(std::string_view url, Language lang) {
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += "lang=";
  out += domain::language_tag(lang);
  return out;
}

std::string id_part(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

std::string document(const PageContext& ctx, const Frame& frame, std::string_view main_html) {
  const Language lang = ctx.lang;
  std::string site = std::string(tr(Str::site_name, lang));
  if (ctx.model != nullptr && !ctx.model->county_name.get(lang).empty())
    site = ctx.model->county_name.get(lang);
  std::string out;
  out.reserve(main_html.size() + 2048);
  out += "<!doctype html>\n<html lang=\"";
  out += html_lang(lang);
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  out += html_escape(frame.title);
  out += " – ";
  out += html_escape(site);
  out += "</title>\n<link rel=\"stylesheet\" href=\"/static/kaiku.css\">\n";
  out += frame.head_extra;
  out += "</head>\n<body";
  if (!frame.body_class.empty()) out += " class=\"" + html_escape(frame.body_class) + "\"";
  out += ">\n<a class=\"skip-link\" href=\"#main\">";
  out += html_escape(tr(Str::skip_link, lang));
  out += "</a>\n<header class=\"site-header\"><div class=\"wrap header-row\"><p class=\"site-name\">";
  out += html_escape(site);
  out += "</p>";
  out += language_switch(ctx);
  out += "</div></header>\n<main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">\n";
  out += main_html;
  out += "\n</div></main>\n<footer class=\"site-footer\"><div class=\"wrap\">";
  if (!frame.footer_text.empty()) out += "<p>" + html_escape(frame.footer_text) + "</p>";
  if (frame.footer_links) out += footer_links(ctx);
  out += "</div></footer>\n</body>\n</html>\n";
  return out;
}

std::string_view error_message(const domain::FieldError& e, Language lang) noexcept {
  static const std::pair<std::string_view, Str> kCodes[] = {
      {"required", Str::err_required},
      {"out_of_range", Str::err_out_of_range},
      {"unknown_option", Str::err_unknown_option},
      {"too_long", Str::err_too_long},
      {"unknown_field", Str::err_unknown_field},
      {"invalid_phone", Str::err_invalid_phone},
      {"invalid_email", Str::err_invalid_email},
      {"consent_required", Str::err_consent_required},
      {"contact_missing", Str::err_contact_missing},
      {"invalid_encoding", Str::err_invalid_encoding},
      {"not_a_number", Str::err_not_a_number},
      {"already_sent", Str::err_already_sent},
      {"rate_limited", Str::err_rate_limited},
  };
  // The feedback form's own fields have more specific "required" texts.
  if (e.code == "required" && e.field == "unit") return tr(Str::fb_err_unit, lang);
  if (e.code == "required" && e.field == "kind") return tr(Str::fb_err_kind, lang);
  for (const auto& [code, key] : kCodes)
    if (code == e.code) return tr(key, lang);
  return tr(Str::err_generic, lang);
}

ErrorIndex::ErrorIndex(const std::vector<domain::FieldError>& errors, Language lang)
    : errors_(errors), lang_(lang) {}

bool ErrorIndex::has(std::string_view field) const {
  return std::any_of(errors_.begin(), errors_.end(),
                     [&](const domain::FieldError& e) { return e.field == field; });
}

std::string ErrorIndex::messages(std::string_view field) const {
  std::string out;
  std::vector<std::string_view> seen;
  for (const auto& e : errors_) {
    if (e.field != field) continue;
    std::string_view m = error_message(e, lang_);
    if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    seen.push_back(m);
    if (!out.empty()) out += ' ';
    out += m;
  }
  return out;
}

void ErrorIndex::anchor(std::string_view field, std::string dom_id, std::string label) {
  anchors_.insert_or_assign(std::string(field), std::make_pair(std::move(dom_id), std::move(label)));
}

std::string ErrorIndex::inline_error(std::string_view field, std::string_view base) const {
  if (!has(field)) return "";
  return "<p class=\"error-message\" id=\"" + error_id(base) + "\"><span class=\"visually-hidden\">" +
         html_escape(tr(Str::error_prefix, lang_)) + " </span>" + html_escape(messages(field)) + "</p>";
}

std::string ErrorIndex::summary() const {
  if (errors_.empty()) return "";
  std::string out =
      "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">"
      "<h2 id=\"error-summary-title\">" +
      html_escape(tr(Str::error_summary_title, lang_)) + "</h2><ul>";
  std::vector<std::string> done;
  for (const auto& e : errors_) {
    if (std::find(done.begin(), done.end(), e.field) != done.end()) continue;
    done.push_back(e.field);
    const auto it = anchors_.find(e.field);
    std::string text = messages(e.field);
    if (it != anchors_.end() && !it->second.second.empty()) text = it->second.second + ": " + text;
    if (it != anchors_.end())
      out += "<li><a href=\"#" + html_escape(it->second.first) + "\">" + html_escape(text) + "</a></li>";
    else
      out += "<li>" + html_escape(text) + "</li>";
  }
  out += "</ul></div>\n";
  return out;
}

std::string_view checked(const domain::RawAnswers& values, const std::string& key, std::string_view value) {
  const auto it = values.find(key);
  if (it == values.end()) return "";
  for (const auto& v : it->second)
    if (v == value) return " checked";
  return "";
}

std::string_view first_value(const domain::RawAnswers& values, const std::string& key) {
  const auto it = values.find(key);
  if (it == values.end() || it->second.empty()) return "";
  return it->second.front();
}

std::string hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" + html_escape(value) + "\">";
}

}  // namespace detail
}  // namespace kaiku::web
