// Words of a comment with their lemmas (Finnish, Voikko) or stems (Swedish and
// English, Snowball): the common input of theme matching, sentiment and suggestion
// detection. Thread-safe; caches word analyses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/language.hpp"

namespace kaiku::text {

class Voikko;

// What separates a token from the one before it.
enum class Boundary : std::uint8_t {
  none,      // only spaces (or the token is the first one: see `sentence`)
  comma,     // , ; ( ) " and dashes between words: a clause boundary
  sentence,  // start of text, . ! ? … : or a line break before it
};

// One word (a run of letters/digits with inner - or '), or a redaction placeholder.
struct Token {
  std::size_t begin = 0, end = 0;  // byte range in the analysed text
  std::string surface;             // as written
  std::string lower;               // lower-cased (ä, ö, å, é… included)
  // Match keys, lower case, no duplicates: for Finnish the Voikko base form of every
  // reading and, for compounds, the base form of each part ("puhelinjonossa" ->
  // "puhelinjono", "puhelin", "jono"), then `lower` itself (so "takaisin", which Voikko
  // reads as a form of taata/takainen, matches as written), and for a participle the
  // verb of its WORDBASES ("kuunneltu" -> also "kuunnella", "odottanut" -> "odottaa",
  // "odottava" -> "odottaa"; not derivations such as "hoitaja"); for a word Voikko does not
  // know, `lower` and its Finnish Snowball stem. For Swedish and English: see
  // stem_keys() (Snowball stem, `lower`, Swedish without its ending). For language
  // other: `lower` only.
  std::vector<std::string> keys;
  Boundary boundary = Boundary::none;
  bool placeholder = false;  // "[nimi]", "[puhelin]"…: keys empty
  // Finnish only: Voikko knew the word, so `keys` are base forms (and compound parts).
  // False for an unknown word (keys: `lower`, its Finnish Snowball stem and, for an
  // unknown hyphenated word such as "kela-kortti", the keys of each hyphen part).
  bool known = false;
  bool number = false;       // digits only, inner . or , allowed ("3", "2026", "10.30")
  // Finnish only (Voikko): the negation verb (ei, en, et, emme, ette, eivät, älä, älkää…)
  bool negation_verb = false;
  // Finnish only (Voikko): some reading is in the conditional mood (voisi, pitäisi,
  // toivoisin, olisi).
  bool conditional = false;
};

// Lower-cases `word` (UTF-8) with Unicode case mapping; invalid bytes are kept.
std::string to_lower(std::string_view word);

// The Snowball stem (libstemmer: "finnish", "swedish", "english") of a lower-case
// word; other returns the word itself. Thread-safe.
std::string snowball_stem(Language lang, std::string_view lower_word);

// The match keys of a Swedish or English word (lower case), as Lemmatizer gives them:
// its Snowball stem, the word itself and, for Swedish, the word without its longest
// definite/plural ending ("telefonkön" -> "telefonkö", "köerna" -> "kö"), which
// Snowball leaves on short nouns. Other languages: the word itself. Thread-safe.
std::vector<std::string> stem_keys(Language lang, std::string_view lower_word);

// Splits texts into tokens and analyses their words. Thread-safe: one instance is
// shared by all threads; Voikko analyses are cached (bounded).
class Lemmatizer {
 public:
  // `voikko` may be null (Finnish words then get lower form + Snowball stem only);
  // not owned, must outlive the Lemmatizer.
  explicit Lemmatizer(const Voikko* voikko);
  ~Lemmatizer();
  Lemmatizer(const Lemmatizer&) = delete;
  Lemmatizer& operator=(const Lemmatizer&) = delete;

  // Tokens of `utf8` in text order, keys computed for language `lang`.
  std::vector<Token> tokenize(std::string_view utf8, Language lang) const;

 private:
  struct Cache;
  const Voikko* voikko_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace kaiku::text
