#include "domain/language.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace kaiku::domain {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Maps one Accept-Language range to a Kaiku language, if any.
std::optional<Language> match_range(std::string_view range) {
  const std::string r = lower(range);
  if (r == "fi-x-selko") return Language::fi_selko;
  const std::string primary = r.substr(0, r.find('-'));
  if (primary == "fi") return Language::fi;
  if (primary == "sv") return Language::sv;
  if (primary == "en") return Language::en;
  return std::nullopt;
}

}  // namespace

std::string_view language_tag(Language lang) noexcept {
  switch (lang) {
    case Language::fi: return "fi";
    case Language::sv: return "sv";
    case Language::en: return "en";
    case Language::fi_selko: return "fi-x-selko";
  }
  return "fi";
}

std::optional<Language> parse_language(std::string_view tag) noexcept {
  const std::string t = lower(tag);
  for (Language l : kAllLanguages)
    if (t == language_tag(l)) return l;
  return std::nullopt;
}

std::optional<Language> negotiate_language(std::string_view header,
                                           const std::array<bool, 4>& enabled) noexcept {
  std::optional<Language> best;
  double best_q = 0.0;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = trim(header.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    double q = 1.0;
    std::string_view range = item;
    if (auto semi = item.find(';'); semi != std::string_view::npos) {
      range = trim(item.substr(0, semi));
      std::string_view params = trim(item.substr(semi + 1));
      if (params.size() > 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
        std::string qs(params.substr(2));
        char* end = nullptr;
        q = std::strtod(qs.c_str(), &end);
        if (end == qs.c_str() || q < 0 || q > 1) q = 0;
      }
    }
    auto lang = match_range(range);
    if (!lang || !enabled[static_cast<std::size_t>(*lang)] || q <= 0) continue;
    if (q > best_q) {  // earlier entries win ties
      best_q = q;
      best = lang;
    }
  }
  return best;
}

const std::string& LocalizedText::get(Language lang) const {
  static const std::string kEmpty;
  if (auto it = texts.find(lang); it != texts.end() && !it->second.empty()) return it->second;
  if (lang == Language::fi_selko) {
    if (auto it = texts.find(Language::fi); it != texts.end() && !it->second.empty()) return it->second;
  }
  for (Language l : kAllLanguages) {
    if (auto it = texts.find(l); it != texts.end() && !it->second.empty()) return it->second;
  }
  return kEmpty;
}

}  // namespace kaiku::domain
