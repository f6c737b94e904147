// Internal to the web layer: the common page frame (head, header with the
// language switch, main, footer) and small HTML helpers shared by the pages.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/response.hpp"
#include "web/pages.hpp"
#include "web/strings.hpp"

namespace kaiku::web::detail {

// Options of one page.
struct Frame {
  std::string title;         // <title> text (plain, escaped here)
  std::string head_extra;    // trusted markup appended to <head>
  std::string body_class;    // e.g. "kiosk" ("" = none)
  bool footer_links = true;  // feedback + accessibility links in the footer
  std::string footer_text;   // plain text shown in the footer (escaped here)
};

// A complete HTML document around `main_html` (trusted markup).
std::string document(const PageContext& ctx, const Frame& frame, std::string_view main_html);

// The value of <html lang> / lang attributes: the BCP 47 tag, but "fi" for
// plain Finnish (screen readers know no "fi-x-selko").
std::string_view html_lang(domain::Language lang) noexcept;

// `url` with "lang=<tag>" appended as a query parameter ('?' or '&').
std::string with_lang(std::string_view url, domain::Language lang);

// A safe id fragment from a key: [A-Za-z0-9_-] kept, everything else '_'.
std::string id_part(std::string_view key);

// The DOM id of a field's error message: "<base>-error".
inline std::string error_id(std::string_view base) {
  return std::string(base) + "-error";
}

// The customer-facing message of one field error.
std::string_view error_message(const domain::FieldError& e, domain::Language lang) noexcept;

// Collects per-field errors while a form is rendered, and the anchor (first
// focusable element) and label of each field, for the summary at the top.
class ErrorIndex {
 public:
  ErrorIndex(const std::vector<domain::FieldError>& errors, domain::Language lang);
  bool has(std::string_view field) const;
  // The messages of `field` joined, or "" when none.
  std::string messages(std::string_view field) const;
  // Records where the summary link of `field` points and how it is named.
  void anchor(std::string_view field, std::string dom_id, std::string label);
  // <p class="error-message" id="<base>-error">…</p> when `field` has errors, else "".
  std::string inline_error(std::string_view field, std::string_view base) const;
  // The error summary (role="alert", links to fields), or "" when no errors.
  std::string summary() const;
  bool empty() const { return errors_.empty(); }

 private:
  const std::vector<domain::FieldError>& errors_;
  domain::Language lang_;
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> anchors_;
};

// " checked" when `value` is among values[key], else "".
std::string_view checked(const domain::RawAnswers& values, const std::string& key, std::string_view value);
// The first value of values[key], or "".
std::string_view first_value(const domain::RawAnswers& values, const std::string& key);

// <input type="hidden" name=".." value="..">
std::string hidden(std::string_view name, std::string_view value);

// The contact request block (checkbox + name/phone/email + consent + notes),
// fields named contact.*; shared by the survey and the feedback form.
std::string contact_block(std::string_view legend, std::string_view consent_text,
                          const domain::RawAnswers& values, ErrorIndex& errors, domain::Language lang);

// One survey question (inputs named "q.<key>"), for the survey and kiosk pages.
std::string question_block(const domain::Question& q, const domain::RawAnswers& values, ErrorIndex& errors,
                           domain::Language lang);

// The formal complaint (muistutus) guidance: heading + plain-words paragraphs, plus
// the county's complaint web page and phone when the model (ctx.model) has them.
std::string complaint_section(const PageContext& ctx);

// A face drawing (decorative, aria-hidden) for smiley value `face` of `count`.
std::string face_svg(int face, int count);

// The text label of smiley `face` (1-based) in a scale of `count` (3 or 5).
std::string_view smiley_label(int face, int count, domain::Language lang) noexcept;

}  // namespace kaiku::web::detail
