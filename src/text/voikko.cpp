#include "text/voikko.hpp"

#include <libvoikko/voikko.h>

#include <shared_mutex>
#include <unordered_map>

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

namespace {

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

constexpr std::size_t kMaxCachedWords = 50'000;

}  // namespace

struct Voikko::Cache {
  std::shared_mutex mutex;
  std::unordered_map<std::string, std::vector<WordReading>, TransparentHash, std::equal_to<>> map;
};

Voikko::Voikko(VoikkoHandle* handle) : handle_(handle), cache_(std::make_unique<Cache>()) {}

Voikko::~Voikko() { voikkoTerminate(handle_); }

std::vector<WordReading> Voikko::analyze(std::string_view word) const {
  if (word.empty() || word.size() > 200 || word.find('\0') != std::string_view::npos) return {};
  {
    std::shared_lock lock(cache_->mutex);
    auto it = cache_->map.find(word);
    if (it != cache_->map.end()) return it->second;
  }
  std::string w(word);
  std::vector<WordReading> out = analyze_uncached(w);
  std::unique_lock lock(cache_->mutex);
  if (cache_->map.size() >= kMaxCachedWords) cache_->map.clear();
  cache_->map.emplace(std::move(w), out);
  return out;
}

std::vector<WordReading> Voikko::analyze_uncached(const std::string& w) const {
  std::vector<WordReading> out;
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
    if (char* m = voikko_mor_analysis_value_cstr(*a, "MOOD")) {
      r.mood = m;
      voikko_free_mor_analysis_value_cstr(m);
    }
    if (char* st = voikko_mor_analysis_value_cstr(*a, "STRUCTURE")) {
      r.structure = st;
      voikko_free_mor_analysis_value_cstr(st);
    }
    if (char* wb = voikko_mor_analysis_value_cstr(*a, "WORDBASES")) {
      r.wordbases = wb;
      voikko_free_mor_analysis_value_cstr(wb);
    }
    out.push_back(std::move(r));
  }
  voikko_free_mor_analysis(list);
  return out;
}

}  // namespace kaiku::text
