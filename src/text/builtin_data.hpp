// The data files Kaiku's text analysis ships with (lexicons/*.tsv: sentiment
// lexicons, negation/intensifier/suggestion cue lists), embedded at build time by
// cmake/embed_text_data.cmake. See lexicons/README.md for their formats.
#pragma once

#include <optional>
#include <string_view>

namespace kaiku::text {

// The contents of lexicons/<name> (e.g. "sentiment_fi.tsv") as built into the
// binary; nullopt for an unknown name.
std::optional<std::string_view> builtin_data(std::string_view name) noexcept;

}  // namespace kaiku::text
