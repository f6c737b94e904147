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
// "nimisana", "teonsana", …) and BASEFORM ("Virtaselle" -> "Virtanen").
struct WordReading {
  std::string word_class;
  std::string baseform;
};

// Owns a Voikko handle for "fi". analyze() may be called from several threads at once
// (calls are serialised by a mutex). Not copyable or movable.
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
  explicit Voikko(VoikkoHandle* handle) : handle_(handle) {}
  VoikkoHandle* handle_;
  mutable std::mutex mutex_;
};

}  // namespace kaiku::text
