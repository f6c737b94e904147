// Tokeniser, lower-casing, Snowball stems and the cached Finnish lemmatizer.
#include "text/tokens.hpp"

#include <libstemmer.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <shared_mutex>
#include <unordered_map>

#include "text/voikko.hpp"

namespace kaiku::text {

namespace {

using Size = std::size_t;

// ---------------------------------------------------------------------------------
// Lower-casing

// Latin-1 upper-case letters (U+00C0-U+00DE except U+00D7) are C3 80..9E in UTF-8 and
// their lower-case forms are +0x20 in the second byte: Ä, Ö, Å, É, Ü… without ICU.
bool latin1_upper_tail(unsigned char b) { return b >= 0x80 && b <= 0x9E && b != 0x97; }

void lower_valid_run(std::string_view run, std::string& out) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(run.data(), static_cast<int32_t>(run.size())));
  u.toLower(icu::Locale::getRoot());
  u.toUTF8String(out);
}

// ---------------------------------------------------------------------------------
// Snowball

struct Stemmers {
  std::array<sb_stemmer*, 3> s{nullptr, nullptr, nullptr};  // fi, sv, en
  ~Stemmers() {
    for (sb_stemmer* p : s)
      if (p) sb_stemmer_delete(p);
  }
  sb_stemmer* get(Language lang) {
    int i = lang == Language::fi ? 0 : lang == Language::sv ? 1 : 2;
    if (!s[i]) s[i] = sb_stemmer_new(i == 0 ? "finnish" : i == 1 ? "swedish" : "english", "UTF_8");
    return s[i];
  }
};

// Swedish endings Snowball leaves on short nouns ("kön", "köer", "sjuksköterskan"): the
// longest one that leaves at least two bytes is stripped for an extra key.
constexpr std::array<std::string_view, 14> kSwedishEndings{
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "en", "et", "ar", "er", "or", "n"};

// ---------------------------------------------------------------------------------
// Tokeniser

bool is_word_cp(UChar32 c) {
  if (c < 0) return false;
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}
bool is_ascii_digit(UChar32 c) { return c >= '0' && c <= '9'; }
bool is_inner_joiner(UChar32 c) { return c == '-' || c == '\'' || c == 0x2019 || c == 0x2010 || c == 0x2011; }

Boundary separator_kind(UChar32 c) {
  switch (c) {
    case '.': case '!': case '?': case ':': case '\n': case '\r': case 0x2026: case 0x2029: case 0x2028:
      return Boundary::sentence;
    case ',': case ';': case '(': case ')': case '"': case '[': case ']': case '{': case '}':
    case '-': case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2018: case 0x2019:
    case '\'':
      return Boundary::comma;
    default:
      return Boundary::none;
  }
}

Boundary stronger(Boundary a, Boundary b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

UChar32 cp_at(std::string_view s, Size i, Size& len) {
  if (i >= s.size()) {
    len = 0;
    return -1;
  }
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    len = 1;
    return b;
  }
  int32_t off = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), off, static_cast<int32_t>(s.size()), c);
  len = static_cast<Size>(off) - i;
  return c;
}

constexpr std::array<std::string_view, 6> kPlaceholders{"hetu", "iban", "email", "puhelin", "osoite", "nimi"};

// Length of a placeholder "[name]" at i, 0 if none.
Size placeholder_at(std::string_view s, Size i) {
  if (i >= s.size() || s[i] != '[') return 0;
  Size j = i + 1;
  while (j < s.size() && s[j] >= 'a' && s[j] <= 'z') ++j;
  if (j >= s.size() || s[j] != ']') return 0;
  std::string_view name = s.substr(i + 1, j - i - 1);
  if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end()) return 0;
  return j + 1 - i;
}

// End of the word starting at i (a word code point).
Size word_end(std::string_view s, Size i) {
  Size len = 0;
  UChar32 prev = -1;
  while (i < s.size()) {
    UChar32 c = cp_at(s, i, len);
    if (is_word_cp(c)) {
      prev = c;
      i += len;
      continue;
    }
    Size len2 = 0;
    UChar32 next = cp_at(s, i + len, len2);
    // Inner hyphen/apostrophe ("Anna-Liisa", "O'Brien"), inner . or , between digits
    // ("10.30", "45,50").
    bool join = (is_inner_joiner(c) && is_word_cp(next)) ||
                ((c == '.' || c == ',') && is_ascii_digit(prev) && is_ascii_digit(next));
    if (!join) break;
    prev = next;
    i += len + len2;
  }
  return i;
}

bool digits_only(std::string_view w) {
  bool any = false;
  for (char c : w) {
    if (c >= '0' && c <= '9') any = true;
    else if (c != '.' && c != ',') return false;
  }
  return any;
}

// ---------------------------------------------------------------------------------
// Finnish keys from Voikko readings

// At most this many keys per word: the linear duplicate check stays cheap and a
// many-part compound cannot grow the list without bound (real words have a handful).
constexpr Size kMaxKeys = 64;

void add_key(std::vector<std::string>& keys, std::string k) {
  if (k.empty() || keys.size() >= kMaxKeys) return;
  if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
}

std::string_view trim_hyphens(std::string_view s) {
  while (!s.empty() && s.front() == '-') s.remove_prefix(1);
  while (!s.empty() && s.back() == '-') s.remove_suffix(1);
  return s;
}

// The base forms of WORDBASES' morphemes by their surface: "+ajan(aika)+vara(varata)"
// -> {ajan: aika, vara: varata}; suffix morphemes ("+us(+us)") are left out.
std::vector<std::pair<std::string_view, std::string_view>> parse_wordbases(std::string_view wb) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  Size i = 0;
  while (i < wb.size()) {
    if (wb[i] != '+') {
      ++i;
      continue;
    }
    Size open = wb.find('(', i);
    if (open == std::string_view::npos) break;
    Size close = wb.find(')', open);
    if (close == std::string_view::npos) break;
    std::string_view surface = wb.substr(i + 1, open - i - 1);
    std::string_view base = wb.substr(open + 1, close - open - 1);
    if (!base.empty() && base.front() != '+') out.emplace_back(surface, base);
    i = close + 1;
  }
  return out;
}

// Compound parts of `lower` (the analysed word) for one reading: split where
// STRUCTURE has '=' (one STRUCTURE character per code point); non-final parts are
// their surface (and the WORDBASES base form of the same surface, "ajan" -> "aika"),
// the final part is BASEFORM minus the preceding surface, and runs of two or more
// parts of a 3+-part compound are keys too ("terveyskeskuslääkärille" ->
// "terveys", "keskus", "lääkäri", "terveyskeskus", "keskuslääkäri").
void add_compound_parts(std::string_view lower, const WordReading& r, const std::string& base_lower,
                        std::vector<std::string>& keys) {
  std::string_view st = r.structure;
  std::vector<Size> cuts;  // byte offsets in `lower` where a part starts (after the first)
  Size pos = 0;
  bool first = true;
  for (char ch : st) {
    if (ch == '=') {
      if (!first && pos > 0 && pos < lower.size()) cuts.push_back(pos);
      continue;
    }
    first = false;
    if (pos >= lower.size()) return;  // STRUCTURE longer than the word: give up
    Size len = 0;
    cp_at(lower, pos, len);
    pos += len;
  }
  if (cuts.empty() || pos != lower.size()) return;
  std::vector<std::string_view> raw;  // untrimmed surface pieces; the last replaced by its lemma
  Size from = 0;
  for (Size c : cuts) {
    raw.push_back(lower.substr(from, c - from));
    from = c;
  }
  std::string_view prefix = lower.substr(0, cuts.back());
  std::string final_part;
  if (base_lower.size() > prefix.size() && base_lower.compare(0, prefix.size(), prefix) == 0)
    final_part = base_lower.substr(prefix.size());
  auto wordbases = parse_wordbases(r.wordbases);
  for (std::string_view piece : raw) {
    std::string_view t = trim_hyphens(piece);
    if (t.empty()) continue;
    add_key(keys, std::string(t));
    for (const auto& [surface, base] : wordbases)
      if (surface == t) add_key(keys, to_lower(base));
  }
  if (final_part.empty()) return;
  add_key(keys, std::string(trim_hyphens(final_part)));
  // Runs of 2+ parts, not the whole word.
  Size n = raw.size() + 1;
  if (n < 3) return;
  for (Size a = 0; a < n; ++a) {
    for (Size b = a + 2; b <= n; ++b) {
      if (a == 0 && b == n) continue;
      std::string run;
      for (Size k = a; k < b; ++k) run += (k + 1 == n) ? std::string_view(final_part) : raw[k];
      add_key(keys, std::string(trim_hyphens(run)));
    }
  }
}

// The verb of a participle reading: Voikko gives participles as their own base forms
// ("odottanut", "kuunneltu", "otettu", "odottava"); WORDBASES names the verb on the
// first morpheme ("+odotta(odottaa)+n+ut(+ut)", "+ote(ottaa)+t+tu(+tu)",
// "+odotta(odottaa)+v+a(+a)"). Only a single verb root followed by a past (-nut, -tu)
// or present (-va) participle ending counts; derivations such as "hoitaja"
// ("+hoita(hoitaa)+ja(+ja)") or "auttavainen" do not. Empty when not a participle.
std::string participle_verb(std::string_view wb) {
  struct Morph {
    std::string_view surface, base;
  };
  std::vector<Morph> ms;
  Size i = 0;
  while (i < wb.size()) {
    if (wb[i] != '+') return {};
    Size j = i + 1;
    while (j < wb.size() && wb[j] != '+' && wb[j] != '(') ++j;
    Morph m{wb.substr(i + 1, j - i - 1), {}};
    if (j < wb.size() && wb[j] == '(') {
      Size close = wb.find(')', j);
      if (close == std::string_view::npos) return {};
      m.base = wb.substr(j + 1, close - j - 1);
      j = close + 1;
    }
    ms.push_back(m);
    i = j;
  }
  if (ms.size() < 2) return {};
  std::string_view verb = ms[0].base;
  if (verb.empty() || verb.front() == '+') return {};
  for (Size k = 1; k < ms.size(); ++k)
    if (!ms[k].base.empty() && ms[k].base.front() != '+') return {};  // a second root
  std::string_view last = ms.back().base;
  bool past = last == "+ut" || last == "+yt" || last == "+tu" || last == "+ty";
  bool present = (last == "+a" || last == "+ä") && ms.size() >= 3 && ms[ms.size() - 2].surface == "v" &&
                 ms[ms.size() - 2].base.empty();
  if (!past && !present) return {};
  // A verb's first infinitive ends in -a/-ä ("tehdä", "osata", "kuunnella").
  bool a_end = verb.back() == 'a' || (verb.size() >= 2 && verb.substr(verb.size() - 2) == "\xC3\xA4");
  if (!a_end) return {};
  return to_lower(verb);
}

}  // namespace

// -----------------------------------------------------------------------------------

std::string to_lower(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  bool simple = true;
  for (Size i = 0; i < word.size(); ++i) {
    auto b = static_cast<unsigned char>(word[i]);
    if (b < 0x80) continue;
    if (b == 0xC3 && i + 1 < word.size()) {
      auto t = static_cast<unsigned char>(word[i + 1]);
      if (t >= 0x80 && t <= 0xBF) {
        ++i;
        continue;
      }
    }
    simple = false;
    break;
  }
  if (simple) {
    for (Size i = 0; i < word.size(); ++i) {
      auto b = static_cast<unsigned char>(word[i]);
      if (b >= 'A' && b <= 'Z') out.push_back(static_cast<char>(b + 32));
      else if (b == 0xC3) {
        auto t = static_cast<unsigned char>(word[i + 1]);
        out.push_back(static_cast<char>(b));
        out.push_back(static_cast<char>(latin1_upper_tail(t) ? t + 0x20 : t));
        ++i;
      } else out.push_back(static_cast<char>(b));
    }
    return out;
  }
  // General case: lower-case each valid UTF-8 run with ICU, copy invalid bytes.
  Size i = 0, run = 0;
  while (i < word.size()) {
    int32_t off = static_cast<int32_t>(i);
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), off, static_cast<int32_t>(word.size()), c);
    if (c < 0) {
      if (i > run) lower_valid_run(word.substr(run, i - run), out);
      out.append(word.substr(i, static_cast<Size>(off) - i));
      run = static_cast<Size>(off);
    }
    i = static_cast<Size>(off);
  }
  if (word.size() > run) lower_valid_run(word.substr(run), out);
  return out;
}

std::string snowball_stem(Language lang, std::string_view lower_word) {
  if (lang == Language::other || lower_word.empty()) return std::string(lower_word);
  thread_local Stemmers stemmers;
  sb_stemmer* s = stemmers.get(lang);
  if (s == nullptr) return std::string(lower_word);
  const sb_symbol* r = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(lower_word.data()),
                                       static_cast<int>(lower_word.size()));
  if (r == nullptr) return std::string(lower_word);
  return std::string(reinterpret_cast<const char*>(r), static_cast<Size>(sb_stemmer_length(s)));
}

std::vector<std::string> stem_keys(Language lang, std::string_view lower) {
  std::vector<std::string> keys;
  if (lang != Language::sv && lang != Language::en) {
    add_key(keys, std::string(lower));
    return keys;
  }
  add_key(keys, snowball_stem(lang, lower));
  add_key(keys, std::string(lower));
  if (lang == Language::sv) {
    for (std::string_view e : kSwedishEndings) {
      if (lower.size() >= e.size() + 2 && lower.substr(lower.size() - e.size()) == e) {
        add_key(keys, std::string(lower.substr(0, lower.size() - e.size())));
        break;
      }
    }
    // The neuter -t of adjectives (and supines) after a consonant, which Snowball keeps:
    // "professionellt", "vänligt", "noggrant", "ringt" -> the stem of the word without it.
    if (lower.size() >= 5 && lower.back() == 't') {
      char before = lower[lower.size() - 2];
      bool consonant =
          before >= 'a' && before <= 'z' && std::string_view("aeiouyt").find(before) == std::string_view::npos;
      if (consonant) add_key(keys, snowball_stem(lang, lower.substr(0, lower.size() - 1)));
    }
  }
  return keys;
}

// -----------------------------------------------------------------------------------
// Lemmatizer

namespace {

struct Analysed {
  std::vector<std::string> keys;
  bool negation = false;
  bool conditional = false;
  bool known = false;
};

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

constexpr Size kMaxCacheEntries = 200'000;
// Words longer than this are analysed every time, not cached: real words are shorter,
// and hostile input full of unique long "words" must not pin memory.
constexpr Size kMaxCachedWordBytes = 64;
// A shard is also emptied when its words and keys exceed this many bytes.
constexpr Size kMaxCacheBytes = 32u << 20;
// Unknown hyphenated words ("kela-kortti") give the keys of at most this many parts.
constexpr Size kMaxHyphenParts = 8;

// Approximate heap bytes of one cache entry.
Size entry_bytes(std::string_view word, const Analysed& a) {
  Size b = word.size() + sizeof(Analysed) + 64;
  for (const std::string& k : a.keys) b += k.size() + sizeof(std::string);
  return b;
}

}  // namespace

struct Lemmatizer::Cache {
  struct Shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<std::string, Analysed, TransparentHash, std::equal_to<>> map;
    Size bytes = 0;  // entry_bytes() of the entries in map
  };
  std::array<Shard, 3> by_lang;  // fi, sv, en
};

Lemmatizer::Lemmatizer(const Voikko* voikko) : voikko_(voikko), cache_(std::make_unique<Cache>()) {}
Lemmatizer::~Lemmatizer() = default;

namespace {

Analysed analyse_finnish(const Voikko* voikko, std::string_view lower, int depth);

Analysed analyse_unknown_finnish(const Voikko* voikko, std::string_view lower, int depth) {
  Analysed a;
  add_key(a.keys, std::string(lower));
  add_key(a.keys, snowball_stem(Language::fi, lower));
  // "kela-kortti": the keys of each hyphen part.
  if (depth == 0 && lower.find('-') != std::string_view::npos) {
    Size from = 0, parts = 0;
    while (from <= lower.size() && parts < kMaxHyphenParts) {
      Size dash = lower.find('-', from);
      if (dash == std::string_view::npos) dash = lower.size();
      std::string_view part = lower.substr(from, dash - from);
      if (!part.empty()) {
        ++parts;
        Analysed p = analyse_finnish(voikko, part, depth + 1);
        for (std::string& k : p.keys) add_key(a.keys, std::move(k));
        a.negation = a.negation || p.negation;
        a.conditional = a.conditional || p.conditional;
      }
      from = dash + 1;
    }
  }
  return a;
}

Analysed analyse_finnish(const Voikko* voikko, std::string_view lower, int depth) {
  if (voikko == nullptr) return analyse_unknown_finnish(voikko, lower, depth);
  std::vector<WordReading> readings = voikko->analyze(lower);
  if (readings.empty()) return analyse_unknown_finnish(voikko, lower, depth);
  Analysed a;
  a.known = true;
  for (const WordReading& r : readings) add_key(a.keys, to_lower(r.baseform));
  for (const WordReading& r : readings) {
    if (r.word_class == "kieltosana") a.negation = true;
    if (r.mood == "conditional") a.conditional = true;
    add_compound_parts(lower, r, to_lower(r.baseform), a.keys);
    // Participles also give their verb ("kuunneltu" -> kuunnella, "ei otettu vakavasti").
    if (r.word_class == "laatusana" || r.word_class == "nimisana_laatusana")
      add_key(a.keys, participle_verb(r.wordbases));
  }
  // The word itself, last: adverbs and particles Voikko reads as forms of other words
  // ("takaisin" -> taata, takainen) still match as written.
  add_key(a.keys, std::string(lower));
  return a;
}

}  // namespace

std::vector<Token> Lemmatizer::tokenize(std::string_view s, Language lang) const {
  std::vector<Token> tokens;
  Boundary pending = Boundary::sentence;
  Size i = 0;
  while (i < s.size()) {
    Size len = 0;
    UChar32 c = cp_at(s, i, len);
    if (c < 0) {  // invalid byte: skipped, like a space
      i += std::max<Size>(len, 1);
      continue;
    }
    Size ph = placeholder_at(s, i);
    if (ph == 0 && !is_word_cp(c)) {
      // A hyphen right after a word ("sosiaali- ja terveyspalvelut") is a truncated
      // compound, not a dash.
      bool truncation = c == '-' && !tokens.empty() && tokens.back().end == i;
      if (!truncation) pending = stronger(pending, separator_kind(c));
      i += len;
      continue;
    }
    Token t;
    t.begin = i;
    t.boundary = pending;
    pending = Boundary::none;
    if (ph > 0) {
      t.end = i + ph;
      t.placeholder = true;
      t.surface.assign(s.substr(i, ph));
      t.lower = t.surface;
      // A case ending kept after a placeholder ("[puhelin]:ään", "[nimi]lle") is part of it.
      Size j = t.end;
      if (j + 1 < s.size() && s[j] == ':') {
        Size l2 = 0;
        if (is_word_cp(cp_at(s, j + 1, l2))) ++j;
      }
      Size l3 = 0;
      if (j < s.size() && is_word_cp(cp_at(s, j, l3))) j = word_end(s, j);
      else j = t.end;
      i = j;
      tokens.push_back(std::move(t));
      continue;
    }
    t.end = word_end(s, i);
    t.surface.assign(s.substr(i, t.end - i));
    t.lower = to_lower(t.surface);
    i = t.end;
    if (digits_only(t.lower)) {
      t.number = true;
      t.keys.push_back(t.lower);
      tokens.push_back(std::move(t));
      continue;
    }
    if (lang == Language::other) {
      t.keys.push_back(t.lower);
      tokens.push_back(std::move(t));
      continue;
    }
    Cache::Shard& shard = cache_->by_lang[lang == Language::fi ? 0 : lang == Language::sv ? 1 : 2];
    const bool cacheable = t.lower.size() <= kMaxCachedWordBytes;
    bool hit = false;
    if (cacheable) {
      std::shared_lock lock(shard.mutex);
      auto it = shard.map.find(std::string_view(t.lower));
      if (it != shard.map.end()) {
        t.keys = it->second.keys;
        t.negation_verb = it->second.negation;
        t.conditional = it->second.conditional;
        t.known = it->second.known;
        hit = true;
      }
    }
    if (!hit) {
      Analysed a;
      if (lang == Language::fi) a = analyse_finnish(voikko_, t.lower, 0);
      else a.keys = stem_keys(lang, t.lower);
      t.keys = a.keys;
      t.negation_verb = a.negation;
      t.conditional = a.conditional;
      t.known = a.known;
      if (cacheable) {
        const Size bytes = entry_bytes(t.lower, a);
        std::unique_lock lock(shard.mutex);
        if (shard.map.size() >= kMaxCacheEntries || shard.bytes + bytes > kMaxCacheBytes) {
          shard.map.clear();
          shard.bytes = 0;
        }
        if (shard.map.emplace(t.lower, std::move(a)).second) shard.bytes += bytes;
      }
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

}  // namespace kaiku::text
