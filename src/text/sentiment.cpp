// SentimentScorer: lexicon weights per token, modified by negation, intensifiers,
// contrast and irrealis (wishes, conditionals), summed into positive and negative
// evidence. Formats of the data files: lexicons/README.md.
#include "text/sentiment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "text/builtin_data.hpp"
#include "text/data_lines.hpp"

namespace kaiku::text {
namespace {

using detail::for_each_data_line;
using detail::lang_index;
using detail::normalise_apostrophe;
using detail::split;
using detail::trim;

// --- Tuning constants (see docs/text.md, "Sentiment") ----------------------------
constexpr double kNegatedPositive = -0.75;  // "ei hyvä": 2 -> -1.5
constexpr double kNegatedNegative = -0.5;   // "ei huono": -2 -> +1
constexpr int kNegationWindow = 4;          // tokens after a negator in its scope
constexpr int kNegationBack = 2;            // fi/sv fallback: tokens before ("svarade inte")
constexpr int kNegationBackFar = 4;         // …further through weight-0 words
constexpr double kAfterContrast = 1.3;      // "mutta" clause weighs more…
constexpr double kBeforeContrast = 0.8;     // …and the clause before it less
constexpr double kConcessiveFactor = 0.7;        // "vaikka", "although" clause
constexpr double kIrrealisPositive = 0.2;   // "olisi kiva jos…": not praise
constexpr double kIrrealisNegative = 0.6;
constexpr double kWishLack = 0.8;           // a wish implies something is lacking
constexpr double kCounterfactual = 1.2;     // "en voisi olla tyytyväisempi"
constexpr double kCounterfactualPlain = 2;  // a comparative without a weight ("more")
constexpr double kExcessAlone = -1.0;       // "liian" + a word without weight
constexpr double kCourtesyTailFactor = 0.25;     // a closing "Kiitos." after other evidence
constexpr double kEvidence = 1.0;           // below this on both sides: neutral
constexpr double kMixedRatio = 0.3;         // weaker side / stronger side for mixed
constexpr double kLongWait = -1.5;          // a waiting word and a duration in one clause

struct Entry {
  double weight = 0;
  double negated = 0;
};

struct Phrase {
  std::vector<std::string> words;  // keys (fi lemmas; sv/en stems)
  Entry entry;
};

struct Lexicon {
  std::unordered_map<std::string, Entry> words;
  std::vector<Phrase> phrases;  // longest first
};

enum Kind : unsigned {
  kNegator = 1u << 0,
  kIntensifier = 1u << 1,
  kDiminisher = 1u << 2,
  kContrast = 1u << 3,
  kConcessive = 1u << 4,
  kConjunction = 1u << 5,
  kScopeEnd = 1u << 6,
  kIrrealis = 1u << 7,
  kWish = 1u << 8,
  kComparative = 1u << 9,
  kExcess = 1u << 10,
  kCourtesy = 1u << 11,
  kCourtesyTail = 1u << 12,
  kIgnore = 1u << 13,
  kContrastAdverb = 1u << 14,
  kExcessWeak = 1u << 15,  // "för": an excess word only before a weighted/quantity word
  kQuantity = 1u << 16,    // "lite", "länge": completes a weak excess word
};

struct Modifier {
  unsigned kinds = 0;
  double factor = 1;      // intensifier/diminisher/excess, for positive words
  double neg_factor = 1;  // the same for negative words
};

struct LangModifiers {
  std::unordered_map<std::string, Modifier> words;  // lower-case surface
  std::vector<std::string> negator_suffixes;        // "n't"
  std::vector<std::pair<std::string, double>> prefix_intensifiers;  // "jätte", 1.5
  std::vector<std::string> negating_prefixes;       // "epä", "o", "un"
  // Matched on a token's keys (fi lemmas, sv/en stems), not surfaces: a long wait is
  // a waiting word and a duration in one clause ("jonotin kolme tuntia", "det tog
  // fyra månader") unless a `short` word says otherwise ("vain tunnin", "only a day").
  // `lasting` verbs ("kestää", "took") need a `long_duration` (days, not an hour:
  // "käynti kesti tunnin" is no complaint).
  std::unordered_set<std::string> waiting, lasting, duration, long_duration, short_wait;
};

bool parse_number(std::string_view s, double& out) {
  if (s.empty() || s.size() > 16) return false;
  std::string tmp(s);
  char* end = nullptr;
  out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && std::isfinite(out);
}

Result<Lexicon> parse_lexicon(std::string_view text, std::string_view name, Language lang) {
  Lexicon lex;
  std::unordered_map<std::string, int> first_line;
  Status st = for_each_data_line(text, [&](int no, const std::vector<std::string_view>& f) -> Status {
    auto where = std::string(name) + ":" + std::to_string(no) + ": ";
    if (f.size() < 2 || f.size() > 3)
      return fail(Error::invalid(where + "expected entry<TAB>weight[<TAB>negated weight]"));
    Entry e;
    if (!parse_number(f[1], e.weight) || e.weight < -3 || e.weight > 3)
      return fail(Error::invalid(where + "weight must be a number in -3..3, got '" +
                                 std::string(f[1]) + "'"));
    if (f.size() == 3) {
      if (!parse_number(f[2], e.negated) || e.negated < -3 || e.negated > 3)
        return fail(Error::invalid(where + "negated weight must be a number in -3..3, got '" +
                                   std::string(f[2]) + "'"));
    } else {
      e.negated = e.weight > 0 ? kNegatedPositive * e.weight : kNegatedNegative * e.weight;
    }
    std::vector<std::string> keys;
    for (std::string_view w : split(f[0], ' ')) {
      if (w.empty()) return fail(Error::invalid(where + "empty word in '" + std::string(f[0]) + "'"));
      std::string lower = to_lower(w);
      if (lower != w) return fail(Error::invalid(where + "entry must be lower case: '" + std::string(w) + "'"));
      keys.push_back(lang == Language::fi ? lower : snowball_stem(lang, lower));
    }
    if (keys.size() > 4) return fail(Error::invalid(where + "a phrase has at most 4 words"));
    std::string joined;
    for (const auto& k : keys) joined += (joined.empty() ? "" : " ") + k;
    auto [it, fresh] = first_line.emplace(joined, no);
    const Entry* before = nullptr;
    if (!fresh) {
      if (keys.size() == 1) before = &lex.words.at(keys[0]);
      else
        for (const Phrase& p : lex.phrases)
          if (p.words == keys) before = &p.entry;
    }
    if (before != nullptr && before->weight == e.weight && before->negated == e.negated)
      return {};  // "trevlig" and "trevligt": one stem, the same weights
    if (!fresh)
      return fail(Error::invalid(where + "'" + std::string(f[0]) + "' has the same key '" + joined +
                                 "' as line " + std::to_string(it->second) +
                                 " but other weights"));
    if (keys.size() == 1) lex.words.emplace(keys[0], e);
    else lex.phrases.push_back({std::move(keys), e});
    return {};
  });
  if (!st) return fail(st.error());
  std::stable_sort(lex.phrases.begin(), lex.phrases.end(),
                   [](const Phrase& a, const Phrase& b) { return a.words.size() > b.words.size(); });
  return lex;
}

Result<std::array<LangModifiers, 3>> parse_modifiers(std::string_view text) {
  std::array<LangModifiers, 3> mods;
  static const std::unordered_map<std::string_view, unsigned> kKinds = {
      {"negator", kNegator},       {"intensifier", kIntensifier}, {"diminisher", kDiminisher},
      {"contrast", kContrast},     {"concessive", kConcessive},   {"conjunction", kConjunction},
      {"scope_end", kScopeEnd},    {"irrealis", kIrrealis},       {"wish", kWish | kIrrealis},
      {"comparative", kComparative}, {"excess", kExcess},         {"courtesy", kCourtesy},
      {"courtesy_tail", kCourtesyTail}, {"ignore", kIgnore},
      {"contrast_adverb", kContrastAdverb}, {"excess_weak", kExcessWeak | kExcess},
      {"quantity", kQuantity}};
  Status st = for_each_data_line(text, [&](int no, const std::vector<std::string_view>& f) -> Status {
    auto where = "modifiers.tsv:" + std::to_string(no) + ": ";
    if (f.size() < 3 || f.size() > 5)
      return fail(Error::invalid(where + "expected lang<TAB>kind<TAB>word[<TAB>factor[<TAB>factor for negative words]]"));
    std::vector<int> langs;
    if (f[0] == "fi") langs = {0};
    else if (f[0] == "sv") langs = {1};
    else if (f[0] == "en") langs = {2};
    else if (f[0] == "*") langs = {0, 1, 2};
    else return fail(Error::invalid(where + "language must be fi, sv, en or *, got '" + std::string(f[0]) + "'"));
    std::string word = normalise_apostrophe(f[2]);
    if (word.empty() || to_lower(word) != word)
      return fail(Error::invalid(where + "word must be non-empty lower case: '" + word + "'"));
    double factor = 1, neg_factor = 1;
    bool needs_factor = f[1] == "intensifier" || f[1] == "diminisher" || f[1] == "excess" ||
                        f[1] == "excess_weak" || f[1] == "prefix_intensifier";
    if (needs_factor != (f.size() >= 4))
      return fail(Error::invalid(where + "kind '" + std::string(f[1]) +
                                 (needs_factor ? "' needs a factor" : "' takes no factor")));
    if (needs_factor) {
      if (!parse_number(f[3], factor) || factor <= 0 || factor > 3)
        return fail(Error::invalid(where + "factor must be a number in (0, 3], got '" + std::string(f[3]) + "'"));
      neg_factor = factor;
      if (f.size() == 5 && (!parse_number(f[4], neg_factor) || neg_factor <= 0 || neg_factor > 3))
        return fail(Error::invalid(where + "factor must be a number in (0, 3], got '" + std::string(f[4]) + "'"));
    }
    for (int li : langs) {
      LangModifiers& m = mods[static_cast<std::size_t>(li)];
      if (f[1] == "negator_suffix") {
        m.negator_suffixes.push_back(word);
      } else if (f[1] == "prefix_intensifier") {
        m.prefix_intensifiers.emplace_back(word, factor);
      } else if (f[1] == "negating_prefix") {
        m.negating_prefixes.push_back(word);
      } else if (f[1] == "waiting" || f[1] == "lasting" || f[1] == "duration" ||
                 f[1] == "long_duration" || f[1] == "short") {
        std::string key = li == 0 ? word : snowball_stem(li == 1 ? Language::sv : Language::en, word);
        (f[1] == "waiting"         ? m.waiting
         : f[1] == "lasting"       ? m.lasting
         : f[1] == "duration"      ? m.duration
         : f[1] == "long_duration" ? m.long_duration
                                   : m.short_wait)
            .insert(key);
      } else {
        auto k = kKinds.find(f[1]);
        if (k == kKinds.end())
          return fail(Error::invalid(where + "unknown kind '" + std::string(f[1]) + "'"));
        Modifier& mod = m.words[word];
        mod.kinds |= k->second;
        if (needs_factor) {
          mod.factor = factor;
          mod.neg_factor = neg_factor;
        }
      }
    }
    return {};
  });
  if (!st) return fail(st.error());
  return mods;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Finnish comparative forms by their ending ("parempi", "paremmin", "tyytyväisempää").
bool finnish_comparative(std::string_view lower) {
  for (std::string_view e : {"mpi", "mpaa", "mpää", "mmin", "mpana", "mpänä", "mpia", "mpiä",
                             "mman", "mmän", "mmat", "mmät", "mmalla", "mmällä"})
    if (ends_with(lower, e)) return true;
  return false;
}

// Whether `k` is a non-final compound part: another key contains it but does not end
// with it ("hyvin" in "hyvinvointialue"; "hyvä" in "superhyvä" is the head and counts).
// The inflected surface itself ("surkeaa" contains "surkea") is not a compound.
bool non_head_part(const std::vector<std::string>& keys, const std::string& lower, const std::string& k) {
  for (const std::string& other : keys)
    if (other != lower && other.size() > k.size() && other.find(k) != std::string::npos &&
        other.compare(other.size() - k.size(), k.size(), k) != 0)
      return true;
  return false;
}

// What one token contributes before context is applied.
struct TokenInfo {
  const Modifier* mod = nullptr;
  bool negator = false;
  bool lexical = false;  // has a lexicon entry
  Entry entry;
  int span = 1;          // tokens covered by a phrase (the rest are skipped)
  bool covered = false;  // inside a phrase started earlier
  double prefix_factor = 1;
  bool comparative = false;
  bool abessive = false;  // fi "ongelmitta", "vastaamatta": "without", read as negated
};

// The Finnish abessive ("ongelmitta", "moitteitta", "kertomatta"): -tta/-ttä on a word
// whose base form does not end so. Partitives of -uus/-yys nouns ("ystävällisyyttä")
// and of -ut/-yt adjectives are not.
bool abessive(const std::string& lower, const std::vector<std::string>& keys) {
  auto ends = [&](std::string_view e) {
    return lower.size() >= e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0;
  };
  if (!(ends("tta") || ends("ttä")) || ends("uutta") || ends("yyttä") || ends("utta") || ends("yttä"))
    return false;
  for (const std::string& k : keys)
    if (k != lower && ((k.size() >= 3 && k.compare(k.size() - 3, 3, "tta") == 0) ||
                       (k.size() >= 4 && k.compare(k.size() - 4, 4, "ttä") == 0)))
      return false;
  return true;
}

}  // namespace

struct SentimentScorer::Impl {
  std::array<Lexicon, 3> lexicons;
  std::array<LangModifiers, 3> mods;

  // The lexicon entry of one token in language li (no phrases).
  bool lookup(const Token& t, int li, Entry& e, double& prefix_factor) const {
    const Lexicon& lex = lexicons[static_cast<std::size_t>(li)];
    const LangModifiers& m = mods[static_cast<std::size_t>(li)];
    const std::string* best = nullptr;
    if (li == 0) {  // longest known key: "epäselvä" over its part "selvä"
      for (const std::string& k : t.keys)
        if (lex.words.count(k) != 0 && (best == nullptr || k.size() > best->size()) &&
            !non_head_part(t.keys, t.lower, k))
          best = &k;
    } else {
      for (const std::string& k : t.keys)
        if (lex.words.count(k) != 0) {
          best = &k;
          break;
        }
    }
    if (best != nullptr) {
      e = lex.words.at(*best);
      if (li == 0 && best->size() < t.lower.size()) {  // a compound or prefixed form
        for (const auto& np : m.negating_prefixes)
          if (starts_with(t.lower, np) && !starts_with(*best, np)) {
            // "epäystävällinen" read through its part "ystävällinen"
            Entry flipped{e.weight > 0 ? -0.8 * e.weight : e.weight, e.weight > 0 ? 0.5 * e.weight : e.negated};
            e = flipped;
          }
        for (const auto& [p, f] : m.prefix_intensifiers)
          if (starts_with(t.lower, p) && !starts_with(*best, p)) prefix_factor = f;
      }
      return true;
    }
    if (li == 0) return false;
    if (li == 1 && t.lower.size() > 3 && t.lower.back() == 't') {  // neuter "svårt", "snabbt"
      auto it = lex.words.find(snowball_stem(Language::sv, t.lower.substr(0, t.lower.size() - 1)));
      if (it != lex.words.end()) {
        e = it->second;
        return true;
      }
    }
    // Swedish/English compounds the stemmer cannot see: "jättebra", "unfriendly", "otrevlig".
    for (const auto& [p, f] : m.prefix_intensifiers)
      if (t.lower.size() > p.size() + 1 && starts_with(t.lower, p)) {
        auto it = lex.words.find(snowball_stem(li == 1 ? Language::sv : Language::en, t.lower.substr(p.size())));
        if (it != lex.words.end()) {
          e = it->second;
          prefix_factor = f;
          return true;
        }
      }
    for (const auto& np : m.negating_prefixes)
      if (t.lower.size() >= np.size() + 4 && starts_with(t.lower, np)) {
        auto it = lex.words.find(snowball_stem(li == 1 ? Language::sv : Language::en, t.lower.substr(np.size())));
        if (it != lex.words.end() && it->second.weight > 0) {
          e = Entry{-0.8 * it->second.weight, 0.5 * it->second.weight};
          return true;
        }
      }
    return false;
  }

  bool key_matches(const Token& t, const std::string& key) const {
    return std::find(t.keys.begin(), t.keys.end(), key) != t.keys.end();
  }

  std::vector<TokenInfo> classify(const std::vector<Token>& tokens, int li) const {
    std::vector<TokenInfo> info(tokens.size());
    const LangModifiers& m = mods[static_cast<std::size_t>(li)];
    const Lexicon& lex = lexicons[static_cast<std::size_t>(li)];
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      TokenInfo& ti = info[i];
      if (t.placeholder || t.number) continue;
      std::string lower = normalise_apostrophe(t.lower);
      auto mit = m.words.find(lower);
      if (mit != m.words.end()) ti.mod = &mit->second;
      ti.negator = (li == 0 && t.negation_verb) || (ti.mod != nullptr && (ti.mod->kinds & kNegator));
      for (const auto& suf : m.negator_suffixes)
        if (lower.size() > suf.size() && ends_with(lower, suf)) ti.negator = true;
      ti.comparative = (ti.mod != nullptr && (ti.mod->kinds & kComparative)) ||
                       (li == 0 && finnish_comparative(lower));
      if (ti.covered || (ti.mod != nullptr && (ti.mod->kinds & kIgnore))) continue;
      // Phrases first, longest first, within one clause.
      for (const Phrase& p : lex.phrases) {
        if (i + p.words.size() > tokens.size()) continue;
        bool ok = true;
        for (std::size_t j = 0; j < p.words.size() && ok; ++j) {
          const Token& u = tokens[i + j];
          if (j > 0 && u.boundary != Boundary::none) ok = false;
          else if (!key_matches(u, p.words[j])) ok = false;
        }
        if (!ok) continue;
        ti.lexical = true;
        ti.entry = p.entry;
        ti.span = static_cast<int>(p.words.size());
        for (std::size_t j = 1; j < p.words.size(); ++j) info[i + j].covered = true;
        break;
      }
      if (!ti.lexical) ti.lexical = lookup(t, li, ti.entry, ti.prefix_factor);
      ti.abessive = li == 0 && ti.lexical && ti.span == 1 && abessive(lower, t.keys);
    }
    return info;
  }

  void score_lang(const std::vector<Token>& tokens, int li, SentimentScore& out) const {
    std::vector<TokenInfo> info = classify(tokens, li);
    const std::size_t n = tokens.size();
    // Segments: clauses split at boundaries and at contrast/concessive/conjunction words.
    std::vector<int> seg(n, 0), sentence(n, 0);
    std::vector<double> seg_factor;
    std::vector<bool> separator(n, false);
    int s = -1, sent = -1;
    // First segment of the current sentence, and the first segment not yet weighed down
    // by a contrast: segments before it already hold kBeforeContrast and nothing later
    // changes them, so each contrast only visits the segments since the previous one
    // (linear on "mutta mutta mutta…").
    int sent_first_seg = 0, before_from = 0;
    auto weigh_down_before = [&](int upto) {
      for (int g = std::max(sent_first_seg, before_from); g < upto; ++g)
        seg_factor[static_cast<std::size_t>(g)] = kBeforeContrast;
      before_from = std::max(before_from, upto);
    };
    for (std::size_t i = 0; i < n; ++i) {
      const Modifier* mod = info[i].mod;
      bool sep = mod != nullptr && (mod->kinds & (kContrast | kConcessive | kConjunction)) &&
                 !info[i].lexical;
      if (i == 0 || tokens[i].boundary != Boundary::none || sep) {
        ++s;
        seg_factor.push_back(1.0);
      }
      if (i == 0 || tokens[i].boundary == Boundary::sentence) {
        ++sent;
        sent_first_seg = s;
      }
      seg[i] = s;
      sentence[i] = sent;
      if (mod != nullptr && (mod->kinds & kContrastAdverb) && !info[i].lexical) {
        // "ei kuitenkaan", "dock", "however": weighs like "mutta" without splitting
        separator[i] = true;
        weigh_down_before(s);  // the sentence's earlier segments
        seg_factor[static_cast<std::size_t>(s)] = kAfterContrast;
      }
      if (sep) {
        separator[i] = true;
        if (mod->kinds & kContrast) {
          // This and later clauses of the sentence weigh more, earlier ones less.
          weigh_down_before(s);  // i opens segment s: every earlier token is before it
          seg_factor[static_cast<std::size_t>(s)] = kAfterContrast;
        } else if (mod->kinds & kConcessive) {
          seg_factor[static_cast<std::size_t>(s)] = kConcessiveFactor;
        } else if (s > 0 && seg_factor[static_cast<std::size_t>(s - 1)] != 1.0 &&
                   sentence[i] == sent) {
          seg_factor[static_cast<std::size_t>(s)] = seg_factor[static_cast<std::size_t>(s - 1)];
        }
      } else if (s > 0 && tokens[i].boundary == Boundary::comma && i > 0 &&
                 seg_factor[static_cast<std::size_t>(s - 1)] == kAfterContrast) {
        seg_factor[static_cast<std::size_t>(s)] = kAfterContrast;  // rest of the "mutta" sentence
      }
    }
    const int segments = s + 1;
    // Per segment: irrealis, wish, negation present, comparative lexical word present.
    std::vector<bool> irrealis(static_cast<std::size_t>(segments), false), wish = irrealis,
        negated_seg = irrealis, comparative = irrealis;
    for (std::size_t i = 0; i < n; ++i) {
      auto g = static_cast<std::size_t>(seg[i]);
      const Modifier* mod = info[i].mod;
      if (mod != nullptr && (mod->kinds & kIrrealis)) irrealis[g] = true;
      if (mod != nullptr && (mod->kinds & kWish)) wish[g] = true;
      if (li == 0 && tokens[i].conditional && !tokens[i].negation_verb) irrealis[g] = wish[g] = true;
      if (info[i].negator) negated_seg[g] = true;
      if (info[i].comparative) comparative[g] = true;
    }
    // Swedish/English "could not", "kunde inte", "would not recommend": a negated
    // modal is past inability or plain refusal, not a wish, unless it is
    // counterfactual praise (a comparative).
    if (li != 0)
      for (int g = 0; g < segments; ++g) {
        auto u = static_cast<std::size_t>(g);
        if (irrealis[u] && negated_seg[u] && !comparative[u]) irrealis[u] = wish[u] = false;
      }
    // Negation scope.
    std::vector<bool> negated(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      if (!info[i].negator) continue;
      bool hit = false, verb_taken = false;
      for (std::size_t j = i + 1; j < n && j <= i + kNegationWindow && seg[j] == seg[i]; ++j) {
        if (info[j].mod != nullptr && (info[j].mod->kinds & kScopeEnd)) break;
        if (info[j].negator) break;
        // A negated weight-0 verb ("ingen informerade oss om förseningen") keeps a
        // later criticism word a criticism.
        if (verb_taken && info[j].lexical && info[j].entry.weight < 0) break;
        if (info[j].lexical && !info[j].covered && info[j].entry.weight == 0 && info[j].entry.negated != 0)
          verb_taken = true;
        negated[j] = true;
        if (info[j].lexical) hit = true;
        // The first word with a weight takes the negation: "inget fel på bemötandet"
        // (weight-0 words such as "saada" pass it on: "en saanut apua").
        if (info[j].lexical && !info[j].covered && (info[j].entry.weight != 0)) break;
      }
      // "X eikä Y", "ettei": a negating conjunction looks forward only.
      // So does a preposition ("ilman selitystä", "utan", "without").
      bool conjunction_negator = (li == 0 && (starts_with(tokens[i].lower, "eikä") ||
                                              starts_with(tokens[i].lower, "ettei") ||
                                              starts_with(tokens[i].lower, "jottei"))) ||
                                 tokens[i].lower == "ilman" || tokens[i].lower == "vailla" ||
                                 tokens[i].lower == "utan";
      if (!hit && li != 2 && !conjunction_negator) {
        // Weight-0 words ("fick", "besked") pass the negation further back, up to
        // kNegationBackFar words: "klara besked fick vi aldrig".
        bool passed = false;
        for (std::size_t b = 1; b <= (passed ? kNegationBackFar : kNegationBack) && b <= i; ++b) {
          std::size_t j = i - b;
          if (seg[j] != seg[i] || info[j].negator) break;
          if (info[j].lexical && !info[j].covered) {
            negated[j] = true;
            if (info[j].entry.weight != 0) break;
            passed = true;
          }
        }
      }
    }
    // Sum.
    double pos = 0, neg = 0;
    std::vector<double> contrib(n, 0.0);
    double pending_pos = 1, pending_neg = 1;
    bool pending_excess = false;
    int pending_seg = -1;
    for (std::size_t i = 0; i < n; ++i) {
      const TokenInfo& ti = info[i];
      auto g = static_cast<std::size_t>(seg[i]);
      if (seg[i] != pending_seg) {
        pending_pos = pending_neg = 1;
        pending_excess = false;
        pending_seg = seg[i];
      }
      if (ti.covered || separator[i] || ti.negator) continue;
      const Modifier* mod = ti.mod;
      bool next_lexical = false;
      for (std::size_t j = i + 1; j < n && j <= i + 2 && seg[j] == seg[i]; ++j) {
        if (info[j].lexical) {
          next_lexical = true;
          break;
        }
        if (info[j].mod == nullptr || !(info[j].mod->kinds & (kIntensifier | kDiminisher))) break;
      }
      if (mod != nullptr && (mod->kinds & (kIntensifier | kDiminisher)) && next_lexical) {
        pending_pos *= mod->factor;
        pending_neg *= mod->neg_factor;
        continue;
      }
      if (mod != nullptr && (mod->kinds & kExcess) && !ti.lexical) {
        bool has_next = i + 1 < n && seg[i + 1] == seg[i] && !tokens[i + 1].placeholder;
        if (has_next && (mod->kinds & kExcessWeak) && !info[i + 1].lexical &&
            !(info[i + 1].mod != nullptr && (info[i + 1].mod->kinds & kQuantity)))
          has_next = false;  // "för min pappa", "för att": a preposition
        if (has_next && !negated[i]) {
          if (info[i + 1].lexical) {
            pending_neg *= mod->neg_factor;
            pending_excess = true;
          } else {  // "liian vähän", "too much": the excess itself is the complaint
            contrib[i] = kExcessAlone * (irrealis[g] ? kIrrealisNegative : 1.0) * seg_factor[g];
          }
        }
        continue;
      }
      bool counterfactual = irrealis[g] && negated_seg[g] && comparative[g];
      if (!ti.lexical && counterfactual && ti.comparative) {  // "couldn't ask for more"
        contrib[i] = kCounterfactualPlain * kCounterfactual * seg_factor[g];
        continue;
      }
      if (!ti.lexical) continue;
      Entry e = ti.entry;
      double v;
      if (counterfactual && ti.comparative) {
        v = e.weight * kCounterfactual;
      } else if (negated[i] != ti.abessive) {
        v = e.negated;
      } else {
        v = e.weight * ti.prefix_factor;
        if (pending_excess && v == 0) v = kExcessAlone;
        else v *= v > 0 ? pending_pos : pending_neg;
      }
      pending_pos = pending_neg = 1;
      pending_excess = false;
      if (irrealis[g] && !counterfactual) v *= v > 0 ? kIrrealisPositive : kIrrealisNegative;
      v *= seg_factor[g];
      contrib[i] = v;
    }
    // A long wait told without sentiment words: a waiting word and a duration in one
    // clause, not negated, not hypothetical, no "only"/"same" ("jonotin puoli vuotta",
    // "det tog fyra månader", "waited three hours"); once per clause.
    {
      const LangModifiers& m = mods[static_cast<std::size_t>(li)];
      auto has = [&](const Token& t, const std::unordered_set<std::string>& set) {
        for (const std::string& k : t.keys)
          if (set.count(k) != 0) return true;
        return false;
      };
      std::vector<int> wait_at(static_cast<std::size_t>(segments), -1), last_at = wait_at;
      std::vector<bool> dur(static_cast<std::size_t>(segments), false), long_dur = dur, shrt = dur,
                                                                        neg_any = dur;
      for (std::size_t i = 0; i < n; ++i) {
        auto g = static_cast<std::size_t>(seg[i]);
        if (tokens[i].placeholder || tokens[i].number) continue;
        if (has(tokens[i], m.waiting) && wait_at[g] < 0) wait_at[g] = static_cast<int>(i);
        if (has(tokens[i], m.lasting) && last_at[g] < 0) last_at[g] = static_cast<int>(i);
        if (has(tokens[i], m.long_duration)) long_dur[g] = dur[g] = true;
        if (has(tokens[i], m.duration)) dur[g] = true;
        if (has(tokens[i], m.short_wait)) shrt[g] = true;
        if (info[i].negator || negated[i]) neg_any[g] = true;
      }
      for (int g = 0; g < segments; ++g) {
        auto u = static_cast<std::size_t>(g);
        if (shrt[u] || neg_any[u] || irrealis[u]) continue;
        int at = wait_at[u] >= 0 && dur[u] ? wait_at[u] : last_at[u] >= 0 && long_dur[u] ? last_at[u] : -1;
        if (at >= 0) contrib[static_cast<std::size_t>(at)] += kLongWait * seg_factor[u];
      }
    }
    // A lone excess word at the end of its clause adds nothing; one before a word
    // without weight was handled above. Wishes imply a lack: once per sentence.
    std::vector<bool> wish_counted(static_cast<std::size_t>(sent + 1), false);
    for (std::size_t i = 0; i < n; ++i) {
      auto g = static_cast<std::size_t>(seg[i]);
      bool counterfactual = irrealis[g] && negated_seg[g] && comparative[g];
      if (wish[g] && !counterfactual && !wish_counted[static_cast<std::size_t>(sentence[i])]) {
        wish_counted[static_cast<std::size_t>(sentence[i])] = true;
        neg += kWishLack * seg_factor[g];
      }
    }
    // A closing courtesy sentence ("Kiitos.", "Thanks in advance") after other evidence
    // is politeness, not praise.
    if (n > 0) {
      int last = sentence[n - 1];
      bool only_courtesy = true, has_courtesy = false;
      double other = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (sentence[i] != last) {
          other += std::abs(contrib[i]);
          continue;
        }
        const Modifier* mod = info[i].mod;
        if (mod != nullptr && (mod->kinds & kCourtesy)) has_courtesy = true;
        else if (!(mod != nullptr && (mod->kinds & kCourtesyTail)) && !tokens[i].placeholder)
          only_courtesy = false;
      }
      if (has_courtesy && only_courtesy && other > 0)
        for (std::size_t i = 0; i < n; ++i)
          if (sentence[i] == last) contrib[i] *= kCourtesyTailFactor;
    }
    for (double v : contrib) (v > 0 ? pos : neg) += std::abs(v);
    out.positive += pos;
    out.negative += neg;
  }
};

SentimentScorer::SentimentScorer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentimentScorer::~SentimentScorer() = default;

Result<std::unique_ptr<SentimentScorer>> SentimentScorer::create(const Sources& src) {
  auto impl = std::make_unique<Impl>();
  const std::pair<std::string_view, const char*> files[3] = {
      {src.sentiment_fi, "sentiment_fi.tsv"}, {src.sentiment_sv, "sentiment_sv.tsv"},
      {src.sentiment_en, "sentiment_en.tsv"}};
  const Language langs[3] = {Language::fi, Language::sv, Language::en};
  for (int i = 0; i < 3; ++i) {
    auto lex = parse_lexicon(files[i].first, files[i].second, langs[i]);
    if (!lex) return fail(lex.error());
    impl->lexicons[static_cast<std::size_t>(i)] = std::move(*lex);
  }
  auto mods = parse_modifiers(src.modifiers);
  if (!mods) return fail(mods.error());
  impl->mods = std::move(*mods);
  return std::unique_ptr<SentimentScorer>(new SentimentScorer(std::move(impl)));
}

Result<std::unique_ptr<SentimentScorer>> SentimentScorer::create_builtin() {
  Sources src;
  for (auto [name, field] : {std::pair{"sentiment_fi.tsv", &Sources::sentiment_fi},
                             std::pair{"sentiment_sv.tsv", &Sources::sentiment_sv},
                             std::pair{"sentiment_en.tsv", &Sources::sentiment_en},
                             std::pair{"modifiers.tsv", &Sources::modifiers}}) {
    auto data = builtin_data(name);
    if (!data) return fail(Error::internal(std::string("built-in data file missing: ") + name));
    src.*field = *data;
  }
  return create(src);
}

SentimentScore SentimentScorer::score(const std::vector<Token>& tokens, Language lang) const {
  SentimentScore out;
  int li = lang_index(lang);
  if (li >= 0) {
    impl_->score_lang(tokens, li, out);
  } else {  // other: every lexicon, the strongest reading wins
    SentimentScore best;
    for (int l = 0; l < 3; ++l) {
      SentimentScore sc;
      impl_->score_lang(tokens, l, sc);
      if (sc.positive + sc.negative > best.positive + best.negative) best = sc;
    }
    out = best;
  }
  double hi = std::max(out.positive, out.negative), lo = std::min(out.positive, out.negative);
  if (hi < kEvidence) out.label = domain::Sentiment::neutral;
  else if (lo >= kEvidence && lo >= kMixedRatio * hi) out.label = domain::Sentiment::mixed;
  else out.label = out.positive > out.negative ? domain::Sentiment::positive : domain::Sentiment::negative;
  return out;
}

}  // namespace kaiku::text
