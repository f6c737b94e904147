// A thread-safe wrapper around one libvoikko handle for Finnish morphology.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct VoikkoHandle;

namespace kaiku::text {

// One reading of a word form: Voikko's CLASS ("etunimi", "sukunimi", "paikannimi",
// "nimisana", "teonsana", "kieltosana", …) and BASEFORM ("Virtaselle" -> "Virtanen"),
// plus the attributes the lemmatizer uses (empty when Voikko gives none):
//   mood:      MOOD ("indicative", "conditional", "imperative", "A-infinitive", …);
//   structure: STRUCTURE, one character per code point of the word ('p' lower-case,
//              'i' upper-case, 'q' abbreviation, '-' hyphen…) with '=' before each
//              part of a compound: "puhelinjonossa" -> "=ppppppp=ppppppp";
//   wordbases: WORDBASES, "+surface(base)" per morpheme:
//              "ajanvaraus" -> "+ajan(aika)+vara(varata)+us(+us)".
struct WordReading {
  std::string word_class;
  std::string baseform;
  std::string mood;
  std::string structure;
  std::string wordbases;
};

// Owns a Voikko handle for "fi". analyze() may be called from several threads at once
// (libvoikko calls are serialised by a mutex). Results are cached per word (bounded:
// the cache is emptied when it reaches 50,000 words), since comments repeat words and
// a libvoikko analysis costs about 10 µs. Not copyable or movable.
class Voikko {
 public:
  // Opens the Finnish morphology (package voikko-fi). Returns null and sets *error
  // (when given) if the dictionary is missing or libvoikko fails.
  static std::unique_ptr<Voikko> open(std::string* error = nullptr);
  ~Voikko();
  Voikko(const Voikko&) = delete;
  Voikko& operator=(const Voikko&) = delete;

  // All readings of one word (UTF-8, no spaces); empty when Voikko does not know it.
  std::vector<WordReading> analyze(std::string_view word) const;

 private:
  struct Cache;
  explicit Voikko(VoikkoHandle* handle);
  std::vector<WordReading> analyze_uncached(const std::string& word) const;
  VoikkoHandle* handle_;
  mutable std::mutex mutex_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace kaiku::text
