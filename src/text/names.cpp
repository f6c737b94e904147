// The [nimi] pass: personal names from Voikko's proper-noun classes plus context.
// The rule is documented in docs/text.md ("Names").
#include <algorithm>
#include <array>
#include <string>

#include "text/chars.hpp"
#include "text/voikko.hpp"

namespace kaiku::text::detail {

namespace {

enum class Title { none, staff, courtesy };

struct Word {
  Size begin = 0, end = 0;
  std::string lower;
  bool cap = false;            // first letter upper-case
  bool sentence_start = false;
  bool voikko_name = false;    // some reading is etunimi or sukunimi
  bool voikko_common = false;  // some reading is an ordinary word (noun, verb, …)
  bool voikko_place = false;   // some reading is paikannimi
  bool voikko_first = false;   // some reading is etunimi
  bool place_nominative = false;  // a paikannimi reading whose base form is the word itself
  Title title = Title::none;
  bool name = false;
  bool staff = false;
  bool titled = false;  // found after a title, or joined to the right of such a name
};

bool is_letter(UChar32 c) { return c >= 0 && u_isalpha(c); }

std::string to_lower(std::string_view s) {
  std::string out;
  Size i = 0;
  while (i < s.size()) {
    Size len = 0;
    UChar32 c = cp_at(s, i, &len);
    if (len == 0) break;
    UChar32 l = u_tolower(c);
    char buf[4];
    int32_t n = 0;
    UBool err = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, l, err);
    if (err) out.append(s.substr(i, len));
    else out.append(buf, static_cast<Size>(n));
    i += len;
  }
  return out;
}

// Finnish staff titles are matched on Voikko's base form, as a suffix so that
// compounds count: "sairaanhoitaja", "omahoitaja", "erikoislääkäri", "hammaslääkäri".
constexpr std::array<std::string_view, 9> kFinnishStaff{
    "hoitaja", "lääkäri", "tohtori", "terapeutti", "kätilö", "työntekijä", "virkailija",
    "hoitajat", "psykologi"};
constexpr std::array<std::string_view, 2> kFinnishCourtesy{"rouva", "herra"};
// Substrings that make a lower-case word worth a Voikko look-up as a possible title.
constexpr std::array<std::string_view, 10> kTitleStems{
    "hoita", "lääkär", "tohtor", "terapeu", "kätilö", "työntekij", "virkailij", "psykolog",
    "rouv", "herr"};
constexpr std::array<std::string_view, 14> kForeignStaff{
    "sjuksköterskan", "sjuksköterska", "läkaren", "läkare", "doktor", "doktorn", "skötaren",
    "barnmorskan", "nurse", "doctor", "dr", "skötare", "barnmorska", "sister"};
constexpr std::array<std::string_view, 6> kForeignCourtesy{"mr", "mrs", "ms", "miss", "herr", "fru"};

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

template <typename List>
bool in(const List& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// True when the text before byte i (skipping spaces, quotes and brackets) is the start
// of the text or the end of a sentence.
bool at_sentence_start(std::string_view s, Size i) {
  while (i > 0) {
    UChar32 c = cp_before(s, i);
    Size w = static_cast<Size>(U8_LENGTH(c));
    if (c == ' ' || c == 0xA0 || c == '\t' || c == '"' || c == '\'' || c == '(' || c == '[' ||
        c == 0x201C || c == 0x201D || c == 0xAB || c == 0xBB || c == 0x2019) {
      i -= w;
      continue;
    }
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == '\n' || c == '\r' || c == '-' ||
           c == 0x2013 || c == 0x2022 || c == '*' || c == ':';
  }
  return true;
}

std::vector<Word> split_words(std::string_view s) {
  std::vector<Word> words;
  Size i = 0;
  while (i < s.size()) {
    Size len = 0;
    UChar32 c = cp_at(s, i, &len);
    if (len == 0) break;
    if (!is_letter(c) || word_before(s, i)) {
      i += len;
      continue;
    }
    Word w;
    w.begin = i;
    w.cap = u_isupper(c) || u_istitle(c);
    Size j = i;
    while (j < s.size()) {
      Size l2 = 0;
      UChar32 d = cp_at(s, j, &l2);
      if (is_letter(d)) {
        j += l2;
        continue;
      }
      // Internal hyphen or apostrophe joins letters: "Anna-Liisa", "O'Brien".
      if ((d == '-' || d == '\'' || d == 0x2019) && is_letter(cp_at(s, j + l2))) {
        j += l2;
        continue;
      }
      break;
    }
    w.end = j;
    i = j;
    // A word glued to digits or '@' is not a name (codes, e-mail local parts).
    UChar32 next = cp_at(s, j);
    if ((next >= 0 && u_isdigit(next)) || next == '@' || word_before(s, w.begin)) continue;
    w.lower = to_lower(s.substr(w.begin, w.end - w.begin));
    w.sentence_start = at_sentence_start(s, w.begin);
    words.push_back(std::move(w));
  }
  return words;
}

void classify(std::string_view s, Word& w, const Voikko* voikko) {
  if (in(kForeignStaff, w.lower)) w.title = Title::staff;
  else if (in(kForeignCourtesy, w.lower)) w.title = Title::courtesy;
  if (voikko == nullptr) return;
  bool title_candidate =
      std::any_of(kTitleStems.begin(), kTitleStems.end(),
                  [&](std::string_view st) { return w.lower.find(st) != std::string::npos; });
  if (!w.cap && !title_candidate) return;
  for (const WordReading& r : voikko->analyze(s.substr(w.begin, w.end - w.begin))) {
    const std::string& c = r.word_class;
    if (c == "etunimi" || c == "sukunimi") {
      w.voikko_name = true;
      if (c == "etunimi") w.voikko_first = true;
    } else if (c == "paikannimi") {
      w.voikko_place = true;
      if (to_lower(r.baseform) == w.lower) w.place_nominative = true;
    } else if (c != "nimi") {
      w.voikko_common = true;
      std::string base = to_lower(r.baseform);
      if (std::any_of(kFinnishStaff.begin(), kFinnishStaff.end(),
                      [&](std::string_view t) { return ends_with(base, t); }))
        w.title = Title::staff;
      else if (in(kFinnishCourtesy, base) && w.title == Title::none)
        w.title = Title::courtesy;
    }
  }
}

// Words a and b (a before b) are separated by whitespace only.
bool joined(std::string_view s, const Word& a, const Word& b) {
  if (b.begin <= a.end) return false;
  for (Size k = a.end; k < b.begin; ++k)
    if (s[k] != ' ' && s[k] != '\t' && !(static_cast<unsigned char>(s[k]) == 0xC2) &&
        !(static_cast<unsigned char>(s[k]) == 0xA0))
      return false;
  return b.begin - a.end <= 2;
}

// Title a directly before word b: whitespace only, or "Dr. Smith" (one dot after an
// abbreviation).
bool title_before(std::string_view s, const Word& a, const Word& b) {
  if (a.title == Title::none) return false;
  if (joined(s, a, b)) return true;
  if (a.end < s.size() && s[a.end] == '.' && a.lower.size() <= 4) {
    Word dot = a;
    dot.end = a.end + 1;
    return joined(s, dot, b);
  }
  return false;
}

bool single_letter_pronoun(const Word& w) { return w.lower == "i"; }

}  // namespace

void find_names(std::string_view s, const RedactOptions& o, std::vector<Finding>& out) {
  std::vector<Word> words = split_words(s);
  for (Word& w : words) classify(s, w, o.voikko);
  const Size n = words.size();
  auto place_only = [](const Word& w) { return w.voikko_place && !w.voikko_name; };
  // 1. A capitalised word right after a title word: a name (staff unless courtesy).
  for (Size i = 1; i < n; ++i) {
    Word& w = words[i];
    // An inflected place ("hoitaja Oulussa") is not a name; an uninflected one may be a
    // surname ("tohtori Nieminen").
    if (!w.cap || (place_only(w) && !w.place_nominative) || single_letter_pronoun(w) ||
        w.title != Title::none)
      continue;
    if (!title_before(s, words[i - 1], w)) continue;
    w.name = true;
    w.titled = true;
    w.staff = words[i - 1].title == Title::staff;
  }
  // 2. A capitalised name word (Voikko etunimi/sukunimi) inside a sentence. Words that
  //    are also ordinary words need the capital too; at a sentence start they need a
  //    neighbouring name (step 3) or a title (step 1).
  for (Word& w : words)
    if (w.cap && w.voikko_name && !w.sentence_start && w.title == Title::none) w.name = true;
  // "Kaisa Nieminen oli…": a sentence-initial first name followed by a surname that Voikko
  // knows only as a place (uninflected).
  for (Size i = 0; i + 1 < n; ++i) {
    Word& a = words[i];
    Word& b = words[i + 1];
    if (a.cap && a.voikko_first && !a.voikko_common && b.cap && b.place_nominative &&
        !b.voikko_common && joined(s, a, b))
      a.name = b.name = true;
  }
  // 3. Neighbours: a capitalised word joined to a name is a name when Voikko knows it as
  //    a name, or (after a title) when it is not a known ordinary word (foreign surnames).
  for (bool changed = true; changed;) {
    changed = false;
    for (Size i = 0; i < n; ++i) {
      Word& w = words[i];
      if (w.name || !w.cap || w.title != Title::none || single_letter_pronoun(w)) continue;
      for (int d : {-1, 1}) {
        if ((d < 0 && i == 0) || (d > 0 && i + 1 >= n)) continue;
        const Word& nb = words[d < 0 ? i - 1 : i + 1];
        if (!nb.name) continue;
        if (!(d < 0 ? joined(s, nb, w) : joined(s, w, nb))) continue;
        if (d > 0 && !w.sentence_start && !w.voikko_name) continue;
        bool ok = w.voikko_name ||
                  // After a titled name any capitalised word but an inflected place:
                  // "Sosiaalityöntekijä Ahmed Ali", "doctor John Brown".
                  (d < 0 && nb.titled && (!w.voikko_place || w.place_nominative)) ||
                  // "Kaisa Nieminen": surnames Voikko knows only as places, uninflected.
                  (d < 0 && nb.voikko_first && w.place_nominative && !w.voikko_common);
        if (!ok) continue;
        w.name = true;
        w.staff = nb.staff;
        w.titled = d < 0 && nb.titled;
        changed = true;
        break;
      }
    }
  }
  // A chain of joined names shares the staff flag of its title.
  for (Size i = 1; i < n; ++i)
    if (words[i].name && words[i - 1].name && joined(s, words[i - 1], words[i]) &&
        (words[i - 1].staff || words[i].staff))
      words[i - 1].staff = words[i].staff = true;
  // 4. Joined names become one finding.
  for (Size i = 0; i < n;) {
    if (!words[i].name || (words[i].staff && !o.redact_staff_names)) {
      ++i;
      continue;
    }
    Size j = i;
    while (j + 1 < n && words[j + 1].name && joined(s, words[j], words[j + 1]) &&
           !(words[j + 1].staff && !o.redact_staff_names))
      ++j;
    out.push_back({PiiKind::name, words[i].begin, words[j].end});
    i = j + 1;
  }
}

}  // namespace kaiku::text::detail
