#include "text/language.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace kaiku::text {
namespace {

// Word -> weight per language (fi, sv, en). Function words weigh 2, frequent content
// words and replies 1.5. A word in several lists scores for each.
struct Profile {
  std::unordered_map<std::string, std::array<double, 3>> words;

  void add(int lang, std::initializer_list<const char*> list, double w) {
    for (const char* x : list) words[x][static_cast<std::size_t>(lang)] += w;
  }
};

const Profile& profile() {
  static const Profile p = [] {
    Profile q;
    q.add(0, {"ja", "on", "ei", "oli", "se", "että", "kun", "mutta", "tai", "myös", "olen", "olin",
              "ole", "ollut", "niin", "kuin", "jo", "vielä", "nyt", "sitten", "minä", "mä", "minun",
              "minulle", "minua", "hän", "he", "me", "te", "sinä", "sen", "sitä", "siitä", "tämä",
              "tässä", "tästä", "mitä", "miten", "missä", "koska", "jos", "vaan", "aina", "kaikki",
              "erittäin", "todella", "tosi", "hyvin", "liian", "paljon", "vähän", "ihan", "aivan",
              "pitää", "pitäisi", "voisi", "olisi", "ovat", "olivat", "en", "emme", "eikä", "kanssa",
              "mukaan", "jälkeen", "ennen", "asti", "klo", "puh", "kiitos", "kiitokset", "kiitti",
              "hyvä", "hyvää", "huono", "kiva", "ystävällinen", "ystävällisesti", "nopeasti",
              "palvelu", "palvelua", "hoitaja", "lääkäri", "aika", "aikaa", "jonotus", "soitin",
              "soittakaa", "tuli", "sain", "saanut", "vastaanotto", "vastaanotolla", "kuitenkin",
              "joten", "jossa", "joka", "mikä", "tänään", "eilen", "ok", "kyllä", "loistava",
              "mahtava", "huonoa", "asiallinen", "osoite", "asun", "hoito", "hoitoa", "odotin",
              "odottaa", "tunnin", "tuntia", "viikkoa", "päivää", "sekä", "noin", "vain", "ollenkaan",
              "vaikka", "piti", "olla", "ensi", "kerran", "kertaa", "kerralla", "toivoisin", "toivon",
              "lasku", "laskun", "puuttuu", "yhteystiedot", "yhteystietoni", "tilinumero",
              "jees", "mahtavaa", "kiitoksia", "taas", "soita", "ota", "yhteyttä", "osoitteen",
              "vaihdoin", "tili", "hetu", "kotiosoite", "henkilötiedot", "henkilötunnus", "uudestaan", "heti"},
          2.0);
    q.add(1, {"och", "är", "det", "att", "en", "ett", "som", "inte", "jag", "var", "på", "med", "för",
              "till", "av", "om", "den", "de", "har", "hade", "men", "så", "mycket", "bra", "tack",
              "också", "kan", "ska", "skulle", "borde", "vi", "ni", "han", "hon", "min", "mitt",
              "mina", "mig", "dig", "sin", "när", "eller", "bara", "mer", "inget", "ingen", "efter",
              "före", "vid", "hos", "från", "här", "där", "nu", "redan", "alltid", "aldrig",
              "trevlig", "trevligt", "snabbt", "tyvärr", "väldigt", "jättebra", "toppen", "tackar",
              "tusen", "personalen", "läkaren", "sjuksköterskan", "vården", "väntetid", "väntade",
              "ringde", "fick", "får", "mottagningen", "ja", "nej", "dåligt", "dålig", "bemötande",
              "hälsningar", "kunde", "blev", "vara", "bor", "adress", "kl", "tel", "timmar",
              "veckor", "dagar", "svenska", "allt", "ingenting", "kanske", "gärna", "fel", "era",
              "vår", "våra", "ert", "hemma", "adressen", "hemadress", "papper", "igen", "sedan",
              "mottagning", "hej"},
          2.0);
    q.add(2, {"the", "and", "is", "was", "were", "it", "to", "of", "in", "that", "this", "for", "with",
              "not", "but", "my", "me", "you", "your", "we", "they", "he", "she", "have", "had", "has",
              "be", "been", "very", "thanks", "thank", "good", "great", "bad", "nice", "staff",
              "doctor", "nurse", "waited", "wait", "waiting", "hours", "minutes", "please", "could",
              "would", "should", "no", "yes", "at", "on", "an", "a", "i", "am", "are", "there", "so",
              "too", "all", "service", "friendly", "helpful", "appointment", "called", "phone",
              "english", "excellent", "poor", "awful", "terrible", "kind", "what", "when", "why",
              "how", "did", "didn't", "don't", "can't", "it's", "i'm", "lovely", "cheers", "ok",
              "from", "about", "after", "again", "never", "always", "nobody", "anyone", "awesome",
              "amazing", "wonderful", "rude", "late", "bill", "address", "email", "number", "call",
              "reach", "send", "pay", "live"},
          2.0);
    return q;
  }();
  return p;
}

// Lower-cases ASCII and the Nordic capitals Ä Ö Å É (UTF-8 C3 84/96/85/89).
std::string lower(std::string_view w) {
  std::string r(w);
  for (std::size_t k = 0; k < r.size(); ++k) {
    auto& ch = reinterpret_cast<unsigned char&>(r[k]);
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<unsigned char>(ch - 'A' + 'a');
    if (ch == 0xC3 && k + 1 < r.size()) {
      auto& n = reinterpret_cast<unsigned char&>(r[k + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x85 || n == 0x89) n = static_cast<unsigned char>(n + 0x20);
    }
  }
  return r;
}

bool ends_with(std::string_view w, std::string_view e) {
  return w.size() > e.size() + 2 && w.substr(w.size() - e.size()) == e;
}

// Splits into words of letters (ASCII letters, apostrophes inside words, and any
// non-ASCII byte, which in UTF-8 belongs to a letter in practice for these languages).
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == '\'') cur.pop_back();
    if (!cur.empty()) out.push_back(lower(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x80 && c != 0xC2) ||
                  (c == '\'' && !cur.empty());
    // U+00A0 (C2 A0) and other Latin-1 punctuation start with C2: treat as a break.
    // Placeholders left by redaction ("[osoite]") carry no language.
    if (c == '[') {
      std::size_t close = s.find(']', i);
      if (close != std::string_view::npos && close - i <= 12) {
        flush();
        i = close;
        continue;
      }
    }
    if (c == 0xC2) {
      flush();
      ++i;
      continue;
    }
    if (letter) {
      cur += static_cast<char>(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

std::string_view language_code(Language lang) noexcept {
  switch (lang) {
    case Language::fi: return "fi";
    case Language::sv: return "sv";
    case Language::en: return "en";
    case Language::other: return "other";
  }
  return "other";
}

Language identify_language(std::string_view s) noexcept {
  try {
    std::array<double, 3> score{0, 0, 0};
    const Profile& p = profile();
    for (const std::string& w : words(s)) {
      if (auto it = p.words.find(w); it != p.words.end()) {
        for (std::size_t k = 0; k < 3; ++k) score[k] += it->second[k];
        continue;
      }
      // Letters and endings, weaker than function words.
      bool has_a_ring = w.find("\xC3\xA5") != std::string::npos;                 // å
      bool has_umlaut = w.find("\xC3\xA4") != std::string::npos ||                // ä
                        w.find("\xC3\xB6") != std::string::npos;                  // ö
      if (has_a_ring) score[1] += 1.0;
      if (has_umlaut && !has_a_ring) { score[0] += 0.6; score[1] += 0.3; }
      if (w.find("yy") != std::string::npos || w.find("uu") != std::string::npos ||
          w.find("ii") != std::string::npos || w.find("aa") != std::string::npos ||
          w.find("\xC3\xA4\xC3\xA4") != std::string::npos)
        score[0] += 0.6;
      for (std::string_view e : {"ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle",
                                 "ksi", "nen", "sen", "tiin", "ttiin", "mme", "tte", "isi", "oin",
                                 "isin", "ton", "tön", "nnin"})
        if (ends_with(w, e)) { score[0] += 0.5; break; }
      for (std::string_view e : {"arna", "erna", "orna", "heten", "ningen", "het", "ade", "ande",
                                 "igt", "lig", "ligt", "tion"})
        if (ends_with(w, e)) { score[1] += 0.5; break; }
      for (std::string_view e : {"ing", "ly", "tion", "ness", "ed", "ful", "ous"})
        if (ends_with(w, e)) { score[2] += 0.5; break; }
      if (w.find("th") != std::string::npos || w.find('w') != std::string::npos) score[2] += 0.4;
      if (w.find("sj") != std::string::npos || w.find("tj") != std::string::npos ||
          w.find("ck") != std::string::npos)
        score[1] += 0.3;
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < 3; ++k)
      if (score[k] > score[best]) best = k;
    if (score[best] < 1.0) return Language::other;
    return static_cast<Language>(best);
  } catch (...) {
    return Language::other;
  }
}

}  // namespace kaiku::text
