// Theme matching: which themes of the county's taxonomy (domain::Theme) a comment
// touches, on lemmas and stems rather than raw strings.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "domain/free_text.hpp"
#include "text/language.hpp"
#include "text/tokens.hpp"

namespace kaiku::text {

// A compiled taxonomy. Immutable after compile(); thread-safe.
class ThemeMatcher {
 public:
  ThemeMatcher() = default;  // matches nothing
  // Compiles the terms (Swedish and English terms are stemmed, wildcards parsed).
  // Error::invalid naming the term, e.g. "themes[3] (parking).sv[2] \"\": empty term".
  static Result<ThemeMatcher> compile(const std::vector<domain::Theme>& themes);

  // The ids of the themes whose terms for `lang` occur in `tokens` (for other: the
  // terms of every language), each once, in taxonomy order.
  std::vector<std::string> match(const std::vector<Token>& tokens, Language lang) const;

 private:
  struct Term;
  struct CompiledTheme;
  std::vector<std::shared_ptr<const CompiledTheme>> themes_;
};

}  // namespace kaiku::text
