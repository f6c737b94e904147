// search_units: finding a unit by name for the free-form feedback form.
#include <algorithm>
#include <string>
#include <vector>

#include "web/pages.hpp"

namespace kaiku::web {
namespace {

// Folds one Latin-1 Supplement code point (U+00C0..U+00FF) to a lower-case
// ASCII letter, or 0 when it has no such base letter.
char fold_latin1(unsigned cp) {
  static constexpr const char* kMap =  // U+00C0 .. U+00FF
      "aaaaaaaceeeeiiii"               // C0-CF
      "dnooooo\0ouuuuy\0s"             // D0-DF (D7 multiplication, DE thorn)
      "aaaaaaaceeeeiiii"               // E0-EF
      "dnooooo\0ouuuuy\0y";            // F0-FF (F7 division, FE thorn)
  if (cp < 0xC0 || cp > 0xFF) return 0;
  return kMap[cp - 0xC0];
}

// Lower-case, diacritics folded (ä->a, ö->o, å->a, é->e), other characters
// kept; punctuation becomes a space so that words split cleanly.
std::string normalize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out += static_cast<char>(c);
      else if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c - 'A' + 'a');
      else
        out += ' ';
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {  // two-byte sequence
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      if (char f = fold_latin1(cp)) {
        out += f;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);  // other UTF-8 bytes kept as they are
  }
  return out;
}

std::vector<std::string> words(const std::string& normalized) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < normalized.size()) {
    while (pos < normalized.size() && normalized[pos] == ' ') ++pos;
    std::size_t end = normalized.find(' ', pos);
    if (end == std::string::npos) end = normalized.size();
    if (end > pos) out.push_back(normalized.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

}  // namespace

std::vector<const domain::OrgUnit*> search_units(const domain::Model& model, std::string_view query,
                                                 std::size_t limit) {
  const std::vector<std::string> terms = words(normalize(query));
  std::vector<std::pair<int, const domain::OrgUnit*>> hits;
  if (terms.empty()) return {};
  for (const auto& unit : model.units) {
    if (unit.parent.empty()) continue;  // the county itself is offered separately
    std::string names;
    for (const auto& [lang, text] : unit.name.texts) names += " " + normalize(text);
    std::string haystack = names;
    for (const auto& kw : unit.keywords) haystack += " " + normalize(kw);
    bool all = true;
    int score = 0;
    for (const auto& t : terms) {
      const std::size_t at = haystack.find(t);
      if (at == std::string::npos) {
        all = false;
        break;
      }
      // A match at the start of a word ranks higher; within a name higher still.
      const bool word_start = at == 0 || haystack[at - 1] == ' ';
      score += word_start ? 2 : 1;
      if (word_start && at < names.size()) score += 1;
    }
    if (all) hits.emplace_back(score, &unit);
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const domain::OrgUnit*> out;
  for (const auto& h : hits) {
    if (out.size() >= limit) break;
    out.push_back(h.second);
  }
  return out;
}

}  // namespace kaiku::web
