// The languages Kaiku speaks to customers. Pure standard library.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kaiku::domain {

// fi, sv, en and plain Finnish (selkokieli, BCP 47 private-use tag "fi-x-selko").
enum class Language { fi, sv, en, fi_selko };

inline constexpr std::array<Language, 4> kAllLanguages{Language::fi, Language::sv, Language::en,
                                                      Language::fi_selko};

// Returns the BCP 47 tag: "fi", "sv", "en", "fi-x-selko".
std::string_view language_tag(Language lang) noexcept;
// Parses a tag exactly as language_tag writes it (case-insensitive); nullopt otherwise.
std::optional<Language> parse_language(std::string_view tag) noexcept;
// Picks the best enabled language from an HTTP Accept-Language header value
// (q-values honoured, "fi-FI" matches fi, "sv-FI" matches sv, "en-GB" matches en).
// Returns nullopt when nothing in the header matches.
std::optional<Language> negotiate_language(std::string_view accept_language,
                                           const std::array<bool, 4>& enabled) noexcept;

// A text in several languages. Lookup falls back fi-x-selko -> fi, and otherwise
// to the first language present, so a customer never sees an empty label.
struct LocalizedText {
  std::map<Language, std::string> texts;

  bool has(Language lang) const { return texts.count(lang) != 0 && !texts.at(lang).empty(); }
  // Returns the text in `lang`, with the fallbacks described above; "" if empty.
  const std::string& get(Language lang) const;
  bool empty() const { return texts.empty(); }
};

}  // namespace kaiku::domain
