// Every fixed text of the respondent pages, in Finnish, Swedish, English and
// plain Finnish (selkokieli: short sentences, common words). Texts from the
// model (questions, unit names) come from the model, not from here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/language.hpp"

namespace kaiku::web {

// Keys of the UI string table. The order matches the table in strings.cpp.
enum class Str {
  // Page frame
  skip_link,
  language_nav,
  site_name,
  footer_feedback,
  footer_accessibility,
  footer_nav,
  lang_name_fi,
  lang_name_sv,
  lang_name_en,
  lang_name_selko,
  // Survey form
  privacy_note,
  required_note,
  required_marker,
  submit,
  error_title_prefix,
  error_summary_title,
  error_prefix,
  nps_low,
  nps_high,
  scale_hint,
  agree_1,
  agree_2,
  agree_3,
  agree_4,
  agree_5,
  cant_say,
  smiley3_1,
  smiley3_2,
  smiley3_3,
  smiley5_1,
  smiley5_2,
  smiley5_3,
  smiley5_4,
  smiley5_5,
  multi_hint,
  open_text_hint,
  max_chars,
  respondent_legend,
  respondent_self,
  respondent_on_behalf,
  contact_wanted,
  contact_fill_note,
  contact_name,
  contact_phone,
  contact_email,
  contact_consent_default,
  contact_anonymity_note,
  complaint_separate_note,
  // Field errors, one per FieldError code
  err_required,
  err_out_of_range,
  err_unknown_option,
  err_too_long,
  err_unknown_field,
  err_invalid_phone,
  err_invalid_email,
  err_consent_required,
  err_contact_missing,
  err_invalid_encoding,
  err_not_a_number,
  err_already_sent,
  err_rate_limited,
  err_generic,
  // Thank-you page and complaint (muistutus) guidance
  thanks_title,
  thanks_body,
  thanks_again,
  complaint_heading,
  complaint_body,
  complaint_ombudsman,
  complaint_relative,
  complaint_more,
  complaint_phone,
  other_feedback_link,
  // Kiosk
  kiosk_intro,
  kiosk_thanks_title,
  kiosk_thanks_body,
  kiosk_reset_note,
  kiosk_start_now,
  kiosk_followup_intro,
  kiosk_followup_send,
  kiosk_skip,
  kiosk_footer,
  // Free-form feedback (/palaute)
  fb_title,
  fb_intro,
  fb_h_service,
  fb_search_label,
  fb_search_hint,
  fb_search_button,
  fb_results_legend,
  fb_no_results,
  fb_unit_whole_county,
  fb_browse_hint,
  fb_browse_placeholder,
  fb_unit_whole_area,
  fb_h_feedback,
  fb_kind_legend,
  fb_kind_praise,
  fb_kind_suggestion,
  fb_kind_complaint,
  fb_text_label,
  fb_respondent_legend,
  fb_respondent_self,
  fb_respondent_relative,
  fb_respondent_other,
  fb_h_contact,
  fb_send,
  fb_thanks_title,
  fb_thanks_body,
  fb_err_unit,
  fb_err_kind,
  // Accessibility statement (saavutettavuusseloste)
  a11y_title,
  a11y_intro,
  a11y_h_status,
  a11y_status,
  a11y_h_limits,
  a11y_limit_kiosk,
  a11y_limit_poster,
  a11y_limit_model_texts,
  a11y_h_prepared,
  a11y_prepared,
  a11y_method,
  a11y_h_feedback,
  a11y_feedback,
  a11y_feedback_form,
  a11y_email_label,
  a11y_phone_label,
  a11y_h_enforcement,
  a11y_enforcement,
  a11y_enforcement_site,
  // Error pages
  e404_title,
  e404_body,
  e410_used_title,
  e410_used_body,
  e410_expired_title,
  e410_expired_body,
  e413_title,
  e413_body,
  e429_title,
  e429_body,
  e400_title,
  e400_body,
  e500_title,
  e500_body,
  // Poster
  poster_title,
  poster_body,
  poster_url_note,
  poster_qr_alt,
  kCount  // not a string: the number of keys
};

// The text of `key` in `lang` (never empty for a valid key). Texts may contain
// "{n}", to be filled with fill().
std::string_view tr(Str key, domain::Language lang) noexcept;

// The key stored in row `i` of the table (for the unit test that checks the
// table's order against the enum). `i` must be < Str::kCount.
Str string_row_key(std::size_t i) noexcept;

// Replaces every "{n}" in `tmpl` with `value`.
std::string fill(std::string_view tmpl, std::string_view value);

// The accessibility statement's e-mail, phone and date, and the complaint contacts,
// come from the model (domain::Model::contacts), not from here.

}  // namespace kaiku::web
