// Language identification of short customer comments: Finnish, Swedish, English or
// other. Pure function on UTF-8 bytes, no model files.
#pragma once

#include <string_view>

namespace kaiku::text {

// The language of a comment. Local to text rather than domain::Language because a
// detector needs "other" and has no use for plain Finnish (fi-x-selko), which is a
// register the county chooses, not something a comment can be recognised as.
enum class Language { fi, sv, en, other };

// Returns "fi", "sv", "en" or "other".
std::string_view language_code(Language lang) noexcept;

// Identifies the dominant language of `utf8` from function-word and stop-word
// profiles, common short replies ("Kiitos!", "Tack!", "Thanks"), typical word endings
// and letters (å points to Swedish; ä/ö to Finnish or Swedish). Returns other when no
// cue is found (empty text, digits only, or another language). Mixed text gets the
// language with the most evidence; ties go fi > sv > en. Invalid UTF-8 is tolerated
// (bytes are only compared, never decoded). Never throws.
Language identify_language(std::string_view utf8) noexcept;

}  // namespace kaiku::text
