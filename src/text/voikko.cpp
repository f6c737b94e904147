#include "text/voikko.hpp"

#include <libvoikko/voikko.h>

namespace kaiku::text {

std::unique_ptr<Voikko> Voikko::open(std::string* error) {
  const char* err = nullptr;
  VoikkoHandle* h = voikkoInit(&err, "fi", nullptr);
  if (h == nullptr) {
    if (error) *error = std::string("cannot open Voikko for Finnish: ") + (err ? err : "unknown error");
    return nullptr;
  }
  return std::unique_ptr<Voikko>(new Voikko(h));
}

Voikko::~Voikko() { voikkoTerminate(handle_); }

std::vector<WordReading> Voikko::analyze(std::string_view word) const {
  std::vector<WordReading> out;
  if (word.empty() || word.size() > 200) return out;
  std::string w(word);
  if (w.find('\0') != std::string::npos) return out;
  std::lock_guard<std::mutex> lock(mutex_);
  voikko_mor_analysis** list = voikkoAnalyzeWordCstr(handle_, w.c_str());
  if (list == nullptr) return out;
  for (voikko_mor_analysis** a = list; *a != nullptr; ++a) {
    WordReading r;
    if (char* c = voikko_mor_analysis_value_cstr(*a, "CLASS")) {
      r.word_class = c;
      voikko_free_mor_analysis_value_cstr(c);
    }
    if (char* b = voikko_mor_analysis_value_cstr(*a, "BASEFORM")) {
      r.baseform = b;
      voikko_free_mor_analysis_value_cstr(b);
    }
    out.push_back(std::move(r));
  }
  voikko_free_mor_analysis(list);
  return out;
}

}  // namespace kaiku::text
