// SuggestionDetector: cue phrases, Finnish conditional mood of suggestion verbs,
// imperatives and sentence-initial cues, minus counterfactual praise ("en voisi olla
// tyytyväisempi", "could not have been better") and recommendations. Cue file format:
// lexicons/README.md.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "text/builtin_data.hpp"
#include "text/data_lines.hpp"
#include "text/sentiment.hpp"

namespace kaiku::text {
namespace {

using detail::for_each_data_line;
using detail::lang_index;
using detail::normalise_apostrophe;
using detail::split;
using detail::trim;

constexpr std::size_t kConditionalReach = 4;  // "olisi (todella) kiva": words after the verb

// One word of a pattern: a key (fi lemma, sv/en Snowball stem) or, written "=word",
// the lower-case surface.
struct Word {
  std::string text;
  bool surface = false;
};

struct Phrase {
  std::vector<Word> words;
  std::vector<Word> not_next;  // "-have": the cue does not fire when this follows
  std::vector<Word> not_prev;  // leading "-i": …nor when this comes just before
};

struct Conditional {
  std::string lemma;
  std::vector<Word> then;  // empty: the conditional verb alone is a cue
  std::vector<Word> not_prev;  // leading "-minun": not right after this word
};

struct LangCues {
  std::vector<Phrase> phrases;
  std::vector<Conditional> conditionals;
  std::vector<Word> sentence_starts, imperatives, blocks;
  std::unordered_set<std::string> comparatives, negators, not_negators, excluded;
};

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool finnish_comparative(std::string_view lower) {
  for (std::string_view e : {"mpi", "mpaa", "mpää", "mmin", "mpana", "mpänä", "mpia", "mpiä"})
    if (ends_with(lower, e)) return true;
  return false;
}

Result<Word> parse_word(std::string_view w, Language lang, const std::string& where) {
  Word out;
  if (!w.empty() && w.front() == '=') {
    out.surface = true;
    w.remove_prefix(1);
  }
  std::string lower = normalise_apostrophe(w);
  if (lower.empty() || to_lower(lower) != lower)
    return fail(Error::invalid(where + "word must be non-empty lower case: '" + std::string(w) + "'"));
  out.text = out.surface || lang == Language::fi ? lower : snowball_stem(lang, lower);
  return out;
}

Result<std::array<LangCues, 3>> parse_cues(std::string_view text) {
  std::array<LangCues, 3> cues;
  Status parsed = for_each_data_line(text, [&](int no, const std::vector<std::string_view>& f) -> Status {
    std::string where = "suggestion_cues.tsv:" + std::to_string(no) + ": ";
    if (f.size() < 3 || f.size() > 4)
      return fail(Error::invalid(where + "expected lang<TAB>kind<TAB>pattern[<TAB>following words]"));
    Language lang;
    if (f[0] == "fi") lang = Language::fi;
    else if (f[0] == "sv") lang = Language::sv;
    else if (f[0] == "en") lang = Language::en;
    else return fail(Error::invalid(where + "language must be fi, sv or en, got '" + std::string(f[0]) + "'"));
    LangCues& c = cues[static_cast<std::size_t>(lang_index(lang))];
    std::string_view kind = f[1];
    if (f.size() == 4 && kind != "conditional")
      return fail(Error::invalid(where + "only 'conditional' takes a fourth field"));
    std::vector<Word> words;
    std::vector<Word> not_next, not_prev;
    for (std::string_view w : split(f[2], ' ')) {
      bool negative = !w.empty() && w.front() == '-' && (kind == "phrase" || kind == "conditional");
      if (negative) w.remove_prefix(1);
      auto word = parse_word(w, lang, where);
      if (!word) return fail(word.error());
      if (negative && words.empty()) not_prev.push_back(std::move(*word));
      else if (negative) not_next.push_back(std::move(*word));
      else if (!not_next.empty())
        return fail(Error::invalid(where + "'-word' items must come last"));
      else words.push_back(std::move(*word));
    }
    if (words.empty()) return fail(Error::invalid(where + "empty pattern"));
    auto single = [&]() -> Status {
      if (words.size() != 1) return fail(Error::invalid(where + "kind '" + std::string(kind) + "' takes one word"));
      return {};
    };
    if (kind == "phrase") {
      if (words.size() > 4) return fail(Error::invalid(where + "a phrase has at most 4 words"));
      c.phrases.push_back({std::move(words), std::move(not_next), std::move(not_prev)});
    } else if (kind == "conditional") {
      if (lang != Language::fi) return fail(Error::invalid(where + "'conditional' is for fi only"));
      if (Status st = single(); !st) return fail(st.error());
      if (!not_next.empty()) return fail(Error::invalid(where + "'conditional' takes '-word' items only before the verb"));
      Conditional cond{words[0].text, {}, std::move(not_prev)};
      if (f.size() == 4)
        for (std::string_view w : split(f[3], ' ')) {
          auto word = parse_word(w, lang, where);
          if (!word) return fail(word.error());
          cond.then.push_back(std::move(*word));
        }
      c.conditionals.push_back(std::move(cond));
    } else if (kind == "sentence_start" || kind == "imperative" || kind == "block") {
      if (Status st = single(); !st) return fail(st.error());
      if (kind == "imperative" && lang != Language::fi)
        return fail(Error::invalid(where + "'imperative' is for fi only"));
      (kind == "sentence_start" ? c.sentence_starts : kind == "imperative" ? c.imperatives : c.blocks)
          .push_back(std::move(words[0]));
    } else if (kind == "comparative" || kind == "negator" || kind == "not_negator" || kind == "exclude") {
      if (Status st = single(); !st) return fail(st.error());
      // Matched on the lower-case surface as written.
      auto& set = kind == "comparative" ? c.comparatives
                  : kind == "negator"   ? c.negators
                  : kind == "not_negator" ? c.not_negators
                                        : c.excluded;
      set.insert(normalise_apostrophe(f[2][0] == '=' ? f[2].substr(1) : f[2]));
    } else {
      return fail(Error::invalid(where + "unknown kind '" + std::string(kind) + "'"));
    }
    return {};
  });
  if (!parsed) return fail(parsed.error());
  return cues;
}

bool matches(const Token& t, const Word& w) {
  if (t.placeholder) return false;
  if (w.surface) {
    // Most words have no typographic apostrophe: compare without building a copy.
    if (t.lower.find("\xE2\x80\x99") == std::string::npos) return t.lower == w.text;
    return normalise_apostrophe(t.lower) == w.text;
  }
  return std::find(t.keys.begin(), t.keys.end(), w.text) != t.keys.end();
}

// A Finnish sentence that opens with a comparative adjective and a noun, without a
// negation or "kuin": a request ("Isommat kyltit ulos!", "Selkeämmät ohjeet
// netsivuille."), not a comparison ("Parempi kuin viimeksi").
bool verbless_comparative_request(const std::vector<Token>& tokens, std::size_t i,
                                  const std::vector<int>& sentence) {
  const std::string& w = tokens[i].lower;
  bool cmp = false;
  for (std::string_view e : {"mmat", "mmät", "mpi", "mpaa", "mpää"})
    if (ends_with(w, e)) cmp = true;
  if (!cmp || i + 1 >= tokens.size() || sentence[i + 1] != sentence[i] || tokens[i + 1].number)
    return false;
  for (std::size_t j = i + 1; j < tokens.size() && sentence[j] == sentence[i]; ++j)
    if (tokens[j].negation_verb || tokens[j].lower == "kuin" || tokens[j].lower == "ei") return false;
  return true;
}

}  // namespace

struct SuggestionDetector::Impl {
  std::array<LangCues, 3> cues;

  bool detect(const std::vector<Token>& tokens, int li) const {
    const LangCues& c = cues[static_cast<std::size_t>(li)];
    const std::size_t n = tokens.size();
    // Clauses (split at commas and sentence ends) and sentences.
    std::vector<int> clause(n), sentence(n);
    int cl = -1, se = -1;
    for (std::size_t i = 0; i < n; ++i) {
      if (i == 0 || tokens[i].boundary != Boundary::none) ++cl;
      if (i == 0 || tokens[i].boundary == Boundary::sentence) ++se;
      clause[i] = cl;
      sentence[i] = se;
    }
    // Clauses that are counterfactual praise (a negator and a comparative) or recommend.
    std::vector<bool> blocked(static_cast<std::size_t>(cl + 1), false), has_neg = blocked,
        has_cmp = blocked;
    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = tokens[i];
      std::string lower = normalise_apostrophe(t.lower);
      auto g = static_cast<std::size_t>(clause[i]);
      bool neg = (li == 0 && t.negation_verb) || c.negators.count(lower) != 0 ||
                 (li == 2 && ends_with(lower, "n't"));
      if (c.not_negators.count(lower) != 0) neg = false;
      if (neg) has_neg[g] = true;
      if (c.comparatives.count(lower) != 0 || (li == 0 && finnish_comparative(lower))) has_cmp[g] = true;
      for (const Word& b : c.blocks)
        if (matches(t, b)) blocked[g] = true;
    }
    for (std::size_t g = 0; g < blocked.size(); ++g)
      if (has_neg[g] && has_cmp[g]) blocked[g] = true;

    for (std::size_t i = 0; i < n; ++i) {
      const Token& t = tokens[i];
      if (t.placeholder || t.number) continue;
      if (blocked[static_cast<std::size_t>(clause[i])]) continue;
      if (c.excluded.count(normalise_apostrophe(t.lower)) != 0) continue;
      // Phrases may cross a comma ("toivon, että") but not a sentence end.
      for (const Phrase& p : c.phrases) {
        if (i + p.words.size() > n) continue;
        bool ok = true;
        for (std::size_t j = 0; j < p.words.size() && ok; ++j) {
          if (j > 0 && tokens[i + j].boundary == Boundary::sentence) ok = false;
          else ok = matches(tokens[i + j], p.words[j]);
        }
        if (ok && !p.not_next.empty()) {
          std::size_t k = i + p.words.size();
          if (k < n && tokens[k].boundary != Boundary::sentence)
            for (const Word& w : p.not_next)
              if (matches(tokens[k], w)) ok = false;
        }
        if (ok && i > 0 && t.boundary == Boundary::none)
          for (const Word& w : p.not_prev)
            if (matches(tokens[i - 1], w)) ok = false;
        if (ok) return true;
      }
      if (li == 0 && t.conditional && !t.negation_verb) {
        for (const Conditional& cond : c.conditionals) {
          if (std::find(t.keys.begin(), t.keys.end(), cond.lemma) == t.keys.end()) continue;
          bool after_excluded = false;
          if (i > 0 && t.boundary == Boundary::none)
            for (const Word& w : cond.not_prev)
              if (matches(tokens[i - 1], w)) after_excluded = true;
          if (after_excluded) continue;
          if (cond.then.empty()) return true;
          for (std::size_t j = i + 1; j < n && j <= i + kConditionalReach && sentence[j] == sentence[i]; ++j)
            for (const Word& w : cond.then)
              if (matches(tokens[j], w)) return true;
        }
      }
      if (li == 0 && (ends_with(t.lower, "kaa") || ends_with(t.lower, "kää")))
        for (const Word& w : c.imperatives)
          if (matches(t, w)) return true;
      if (i == 0 || t.boundary == Boundary::sentence) {
        for (const Word& w : c.sentence_starts)
          if (matches(t, w)) return true;
        if (li == 0 && verbless_comparative_request(tokens, i, sentence)) return true;
      }
    }
    return false;
  }
};

SuggestionDetector::SuggestionDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SuggestionDetector::~SuggestionDetector() = default;

Result<std::unique_ptr<SuggestionDetector>> SuggestionDetector::create(std::string_view cues) {
  auto parsed = parse_cues(cues);
  if (!parsed) return fail(parsed.error());
  auto impl = std::make_unique<Impl>();
  impl->cues = std::move(*parsed);
  return std::unique_ptr<SuggestionDetector>(new SuggestionDetector(std::move(impl)));
}

Result<std::unique_ptr<SuggestionDetector>> SuggestionDetector::create_builtin() {
  auto data = builtin_data("suggestion_cues.tsv");
  if (!data) return fail(Error::internal("built-in data file missing: suggestion_cues.tsv"));
  return create(*data);
}

bool SuggestionDetector::is_suggestion(const std::vector<Token>& tokens, Language lang) const {
  int li = lang_index(lang);
  if (li >= 0) return impl_->detect(tokens, li);
  for (int l = 0; l < 3; ++l)
    if (impl_->detect(tokens, l)) return true;
  return false;
}

}  // namespace kaiku::text
