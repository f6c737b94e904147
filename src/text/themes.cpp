// Theme matching on lemma/stem keys (see domain::Theme for the term syntax).
#include "text/themes.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace kaiku::text {

namespace {

constexpr std::size_t kMaxThemes = 64;  // one bit per theme

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

bool ends_with(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}

}  // namespace

// One word pattern of one language, shared by every term that uses it: an index
// ("slot") into the per-token match lists.
struct ThemeMatcher::Term {
  enum class Kind { exact, prefix, suffix };
  Kind kind = Kind::exact;
  std::string text;  // lower case; for sv/en exact terms the Snowball stem
  std::string stem;  // fi exact terms: the Finnish Snowball stem, for words Voikko does not know
};

// Everything compiled for one language.
struct ThemeMatcher::CompiledTheme {
  Language lang = Language::fi;
  std::unordered_map<std::string, std::vector<std::uint32_t>, TransparentHash, std::equal_to<>> exact;
  std::unordered_map<std::string, std::vector<std::uint32_t>, TransparentHash, std::equal_to<>> fi_stem;
  std::vector<std::pair<std::string, std::uint32_t>> prefix, suffix;
  std::vector<std::uint64_t> slot_themes;  // per slot: the themes of single-word terms using it
  struct Phrase {
    std::uint32_t first, second;
    std::uint64_t themes;
  };
  std::vector<Phrase> phrases;
  std::vector<std::string> ids;  // theme ids, taxonomy order (bit i = ids[i])
  std::unordered_map<std::string, std::uint32_t> slot_of;  // "<kind><text>" -> slot

  // The slot of a word pattern, created on first use.
  std::uint32_t slot(const Term& t) {
    std::string key = std::to_string(static_cast<int>(t.kind)) + t.text;
    auto it = slot_of.find(key);
    if (it != slot_of.end()) return it->second;
    auto s = static_cast<std::uint32_t>(slot_themes.size());
    slot_themes.push_back(0);
    slot_of.emplace(std::move(key), s);
    switch (t.kind) {
      case Term::Kind::exact:
        exact[t.text].push_back(s);
        if (!t.stem.empty() && t.stem != t.text) fi_stem[t.stem].push_back(s);
        break;
      case Term::Kind::prefix: prefix.emplace_back(t.text, s); break;
      case Term::Kind::suffix: suffix.emplace_back(t.text, s); break;
    }
    return s;
  }

  // Appends the slots matched by one token's keys to `out`.
  void token_slots(const std::vector<std::string>& keys, bool unknown_fi, std::vector<std::uint32_t>& out) const {
    for (const std::string& k : keys) {
      if (auto it = exact.find(std::string_view(k)); it != exact.end())
        out.insert(out.end(), it->second.begin(), it->second.end());
      if (unknown_fi)
        if (auto it = fi_stem.find(std::string_view(k)); it != fi_stem.end())
          out.insert(out.end(), it->second.begin(), it->second.end());
      if (k.empty()) continue;
      for (const auto& [p, s] : prefix)
        if (k.size() >= p.size() && k[0] == p[0] && k.compare(0, p.size(), p) == 0) out.push_back(s);
      for (const auto& [x, s] : suffix)
        if (k.size() >= x.size() && k.back() == x.back() && ends_with(k, x)) out.push_back(s);
    }
  }

  std::uint64_t match(const std::vector<Token>& tokens, bool restem) const;
};

std::uint64_t ThemeMatcher::CompiledTheme::match(const std::vector<Token>& tokens, bool restem) const {
  if (slot_themes.empty()) return 0;
  thread_local std::vector<std::uint32_t> flat;
  thread_local std::vector<std::size_t> offs;
  flat.clear();
  offs.assign(1, 0);
  std::uint64_t themes = 0;
  for (const Token& t : tokens) {
    if (!t.placeholder) {
      if (restem) {
        // Tokens analysed for another language (comment language "other"): compute
        // this language's keys from the lower-case form.
        token_slots(stem_keys(lang, t.lower), false, flat);
      } else {
        token_slots(t.keys, lang == Language::fi && !t.known && !t.number, flat);
      }
    }
    for (std::size_t k = offs.back(); k < flat.size(); ++k) themes |= slot_themes[flat[k]];
    offs.push_back(flat.size());
  }
  if (phrases.empty()) return themes;
  auto has = [](std::size_t b, std::size_t e, std::uint32_t s) {
    return std::find(flat.begin() + static_cast<std::ptrdiff_t>(b), flat.begin() + static_cast<std::ptrdiff_t>(e),
                     s) != flat.begin() + static_cast<std::ptrdiff_t>(e);
  };
  for (const Phrase& p : phrases) {
    if ((themes & p.themes) == p.themes) continue;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i + 1].boundary != Boundary::none) continue;
      if (has(offs[i], offs[i + 1], p.first) && has(offs[i + 1], offs[i + 2], p.second)) {
        themes |= p.themes;
        break;
      }
    }
  }
  return themes;
}

namespace {

std::string where(std::size_t index, const domain::Theme& th, std::string_view lang, std::size_t term) {
  return "themes[" + std::to_string(index) + "] (" + th.id + ")." + std::string(lang) + "[" + std::to_string(term) +
         "]";
}

}  // namespace

Result<ThemeMatcher> ThemeMatcher::compile(const std::vector<domain::Theme>& themes) {
  if (themes.size() > kMaxThemes)
    return fail(Error::invalid("themes: " + std::to_string(themes.size()) + " themes, at most " +
                               std::to_string(kMaxThemes) + " are supported"));
  ThemeMatcher m;
  const Language langs[3] = {Language::fi, Language::sv, Language::en};
  for (Language lang : langs) {
    auto c = std::make_shared<CompiledTheme>();
    c->lang = lang;
    for (std::size_t ti = 0; ti < themes.size(); ++ti) {
      const domain::Theme& th = themes[ti];
      if (th.id.empty()) return fail(Error::invalid("themes[" + std::to_string(ti) + "]: empty id"));
      for (std::size_t tj = 0; tj < ti; ++tj)
        if (themes[tj].id == th.id)
          return fail(Error::invalid("themes[" + std::to_string(ti) + "] (" + th.id + "): duplicate id"));
      c->ids.push_back(th.id);
      const std::uint64_t bit = std::uint64_t{1} << ti;
      const auto& terms = lang == Language::fi ? th.fi : lang == Language::sv ? th.sv : th.en;
      for (std::size_t k = 0; k < terms.size(); ++k) {
        const std::string w = where(ti, th, language_code(lang), k) + " \"" + terms[k] + "\"";
        std::string term = to_lower(terms[k]);
        // Words: one, or two separated by one space.
        std::vector<std::string> words;
        std::size_t from = 0;
        while (true) {
          std::size_t sp = term.find(' ', from);
          words.push_back(term.substr(from, sp == std::string::npos ? std::string::npos : sp - from));
          if (sp == std::string::npos) break;
          from = sp + 1;
        }
        if (term.empty()) return fail(Error::invalid(w + ": empty term"));
        for (const std::string& word : words)
          if (word.empty()) return fail(Error::invalid(w + ": words must be separated by exactly one space"));
        if (words.size() > 2) return fail(Error::invalid(w + ": a term is one word or two words"));
        std::vector<std::uint32_t> slots;
        for (const std::string& word : words) {
          if (word.find_first_of("\t\n\r") != std::string::npos)
            return fail(Error::invalid(w + ": tab or line break in a term"));
          Term t;
          bool lead = word.front() == '*', trail = word.back() == '*';
          std::string core = word.substr(lead ? 1 : 0);
          if (trail && !core.empty()) core.pop_back();
          if (core.empty()) return fail(Error::invalid(w + ": a wildcard needs a word"));
          if (lead && trail) return fail(Error::invalid(w + ": \"*\" at both ends is not supported"));
          if (core.find('*') != std::string::npos)
            return fail(Error::invalid(w + ": \"*\" only at the start or the end of a word"));
          if (lead) {
            t.kind = Term::Kind::suffix;
            t.text = core;
          } else if (trail) {
            t.kind = Term::Kind::prefix;
            t.text = core;
          } else if (lang == Language::fi) {
            t.text = core;
            t.stem = snowball_stem(Language::fi, core);
          } else {
            t.text = snowball_stem(lang, core);
          }
          slots.push_back(c->slot(t));
        }
        if (slots.size() == 1) {
          c->slot_themes[slots[0]] |= bit;
        } else {
          auto it = std::find_if(c->phrases.begin(), c->phrases.end(), [&](const CompiledTheme::Phrase& p) {
            return p.first == slots[0] && p.second == slots[1];
          });
          if (it != c->phrases.end()) it->themes |= bit;
          else c->phrases.push_back({slots[0], slots[1], bit});
        }
      }
    }
    c->slot_of.clear();
    m.themes_.push_back(std::move(c));
  }
  return m;
}

std::vector<std::string> ThemeMatcher::match(const std::vector<Token>& tokens, Language lang) const {
  std::vector<std::string> out;
  if (themes_.empty()) return out;
  std::uint64_t mask = 0;
  switch (lang) {
    case Language::fi: mask = themes_[0]->match(tokens, false); break;
    case Language::sv: mask = themes_[1]->match(tokens, false); break;
    case Language::en: mask = themes_[2]->match(tokens, false); break;
    case Language::other:
      // The tokens carry Finnish (or plain lower-case) keys: Finnish terms on them,
      // Swedish and English terms on stems computed here.
      mask = themes_[0]->match(tokens, false) | themes_[1]->match(tokens, true) | themes_[2]->match(tokens, true);
      break;
  }
  const auto& ids = themes_[0]->ids;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (mask & (std::uint64_t{1} << i)) out.push_back(ids[i]);
  return out;
}

}  // namespace kaiku::text
