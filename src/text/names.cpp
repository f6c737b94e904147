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
  bool shout = false;          // two or more letters, all upper-case ("HOITAJA OLI")
  bool sentence_start = false;
  bool voikko_name = false;    // some reading is etunimi or sukunimi
  bool voikko_common = false;  // some reading is an ordinary word (noun, verb, …)
  bool voikko_place = false;   // some reading is paikannimi
  bool voikko_first = false;   // some reading is etunimi
  bool place_nominative = false;  // a paikannimi reading whose base form is the word itself
  bool voikko_proper = false;
  bool name_nominative = false;  // a name reading whose base form is the word itself  // some reading is another proper noun (class "nimi")
  bool genitive = false;       // read as "Name" + Swedish -s or English 's ("Jonnas", "Rose's")
  bool service = false;        // a name of a service, not a person ("Maisa")
  Size name_end = 0;           // end of the name part when it is "Mari-täti" (else end)
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
constexpr std::array<std::string_view, 15> kFinnishStaff{
    "hoitaja", "lääkäri", "tohtori", "terapeutti", "kätilö", "työntekijä", "virkailija",
    "hoitajat", "psykologi", "avustaja", "ohjaaja", "kuraattori", "farmaseutti", "kirurgi",
    "sihteeri"};
constexpr std::array<std::string_view, 2> kFinnishCourtesy{"rouva", "herra"};
// Substrings that make a lower-case word worth a Voikko look-up as a possible title.
constexpr std::array<std::string_view, 16> kTitleStems{
    "hoita", "lääkär", "tohtor", "terapeu", "kätilö", "työntekij", "virkailij", "psykolog",
    "rouv", "herr", "avusta", "ohjaaj", "kuraattor", "farmaseut", "kirurg", "sihteer"};
// Swedish staff titles are compounds written as one word: matched as suffixes
// ("tandläkaren", "sjukskötaren", "hälsovårdaren", "socialarbetaren", "fysioterapeuten").
constexpr std::array<std::string_view, 22> kSwedishStaffSuffixes{
    "läkare",     "läkaren",     "skötare",    "skötaren",   "sköterska",  "sköterskan",
    "vårdare",    "vårdaren",    "terapeut",   "terapeuten", "arbetare",   "arbetaren",
    "barnmorska", "barnmorskan", "psykolog",   "psykologen", "kurator",    "kuratorn",
    "receptionist", "receptionisten", "logoped", "logopeden"};
constexpr std::array<std::string_view, 24> kForeignStaff{
    "sjuksköterskan", "sjuksköterska", "läkaren", "läkare", "doktor", "doktorn", "skötaren",
    "barnmorskan", "nurse", "doctor", "dr", "skötare", "barnmorska", "sister",
    "physiotherapist", "therapist", "midwife", "receptionist", "dentist", "psychologist",
    "surgeon", "paramedic", "physician", "worker"};
constexpr std::array<std::string_view, 6> kForeignCourtesy{"mr", "mrs", "ms", "miss", "herr", "fru"};
// Kinship words act as courtesy titles: "äitini Hilda", "min bror Mats", "my wife Olga".
// Finnish ones are matched on Voikko's base form, exactly ("isoisoäiti" is listed as a
// compound of "äiti" by its suffix only when it starts with "iso").
constexpr std::array<std::string_view, 24> kFinnishKin{
    "äiti",  "isä",   "veli",  "sisko",  "sisar",   "poika",  "tytär", "vaimo",
    "puoliso", "mummo", "mummi", "mummu", "pappa", "ukki", "vaari", "täti",
    "setä",  "eno",   "serkku", "avopuoliso", "aviomies", "avovaimo", "anoppi", "appi"};
// Substrings that make a lower-case word worth a Voikko look-up as a kinship word.
constexpr std::array<std::string_view, 27> kKinStems{
    "äiti", "äidi", "isä", "isi", "veli", "velj", "sisk", "sisar", "poika", "poja", "tytär",
    "tyttär", "vaimo", "puoliso", "mumm", "papp", "ukki", "ukin", "vaari", "täti", "tädi",
    "setä", "sedä", "eno", "serk", "anop", "appe"};
constexpr std::array<std::string_view, 4> kFinnishKinPrefixes{"iso", "isoiso", "pikku", "lapsen"};
constexpr std::array<std::string_view, 31> kSwedishKin{
    "son", "bror",    "brodern", "syster",  "systern", "mamma",   "mamman",  "pappa",   "pappan",
    "dotter",  "dottern", "sonen",   "maken",   "make",    "maka",    "makan",   "hustru",
    "hustrun", "sambo",   "sambon",  "mormor",  "farmor",  "morfar",  "farfar",  "moster",
    "faster",  "morbror", "farbror", "svärmor", "svärfar", "barnbarnet"};
constexpr std::array<std::string_view, 22> kEnglishKin{
    "wife",        "husband",     "son",      "daughter", "brother",  "mother",
    "father",      "mom",         "mum",      "dad",      "grandma",  "grandpa",
    "grandmother", "grandfather", "grandson", "granddaughter", "aunt", "uncle",
    "niece",       "nephew",      "partner",  "fiancé"};
// Words capitalised in English that are never a person's name after a title.
constexpr std::array<std::string_view, 19> kEnglishCapitalised{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "english"};
// A name right before one of these (lower-case) names a hospital or clinic, not a
// person: "Auroran sairaalassa", "Marian sairaala", "Maria sjukhus", "Aurora hospital".
constexpr std::array<std::string_view, 7> kInstitutionPrefixes{
    "sairaala", "terveysasem", "klinik", "hospital", "sjukhus", "vårdcentral", "clinic"};
// Names of public e-services that Voikko reads as first names.
constexpr std::array<std::string_view, 3> kServiceNames{"maisa", "omaolo", "wilma"};

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
    {
      int letters = 0;
      bool all_upper = true;
      for (Size k = w.begin; k < w.end;) {
        Size l3 = 0;
        UChar32 d = cp_at(s, k, &l3);
        if (l3 == 0) break;
        if (is_letter(d)) {
          ++letters;
          if (!u_isupper(d)) all_upper = false;
        }
        k += l3;
      }
      w.shout = all_upper && letters >= 2;
    }
    w.sentence_start = at_sentence_start(s, w.begin);
    words.push_back(std::move(w));
  }
  return words;
}

// Spelled like a Finnish name, unlike an English or Swedish word: ä/ö, a double vowel
// or a double k/t/p, or the surname ending -nen ("Leena", "Tiina", "Pekka", "Heikki",
// "Mäkinen"); not "Will", "Mark", "Rose", "Hans".
bool finnish_looking(std::string_view lower) {
  for (std::string_view p : {"ä", "ö", "aa", "ee", "ii", "uu", "yy", "kk", "tt", "pp"})
    if (lower.find(p) != std::string_view::npos) return true;
  return ends_with(lower, "nen");
}

bool is_finnish_kin(std::string_view base) {
  if (in(kFinnishKin, base)) return true;
  return std::any_of(kFinnishKinPrefixes.begin(), kFinnishKinPrefixes.end(), [&](std::string_view p) {
    return base.size() > p.size() && base.substr(0, p.size()) == p &&
           in(kFinnishKin, base.substr(p.size()));
  });
}

// Voikko's readings of `word`, folded into flags: name (etunimi/sukunimi), first name,
// ordinary word, place, other proper noun, service name.
struct Reading {
  bool name = false, name_nom = false, first = false, common = false, place = false, place_nom = false,
       proper = false, service = false;
  std::vector<std::string> common_bases;
};

Reading read(const Voikko& v, std::string_view word, std::string_view lower) {
  Reading rd;
  for (const WordReading& r : v.analyze(word)) {
    const std::string& c = r.word_class;
    std::string base = to_lower(r.baseform);
    if (c == "etunimi" || c == "sukunimi") {
      rd.name = true;
      if (base == lower) rd.name_nom = true;
      if (c == "etunimi") rd.first = true;
      if (in(kServiceNames, base)) rd.service = true;
    } else if (c == "paikannimi") {
      rd.place = true;
      if (base == lower) rd.place_nom = true;
    } else if (c == "nimi") {
      rd.proper = true;
    } else {
      rd.common = true;
      rd.common_bases.push_back(std::move(base));
    }
  }
  return rd;
}

void classify(std::string_view s, Word& w, const RedactOptions& o) {
  w.name_end = w.end;
  const bool finnish = !o.language || *o.language == Language::fi || *o.language == Language::other;
  const bool foreign = !o.language || *o.language != Language::fi;
  if (in(kForeignStaff, w.lower) ||
      std::any_of(kSwedishStaffSuffixes.begin(), kSwedishStaffSuffixes.end(),
                  [&](std::string_view suf) { return ends_with(w.lower, suf); }))
    w.title = Title::staff;
  else if (in(kForeignCourtesy, w.lower))
    w.title = Title::courtesy;
  else if (foreign && (in(kSwedishKin, w.lower) || in(kEnglishKin, w.lower)))
    w.title = Title::courtesy;
  const Voikko* voikko = o.voikko;
  if (voikko == nullptr) return;
  bool title_candidate =
      std::any_of(kTitleStems.begin(), kTitleStems.end(),
                  [&](std::string_view st) { return w.lower.find(st) != std::string::npos; }) ||
      std::any_of(kKinStems.begin(), kKinStems.end(),
                  [&](std::string_view st) { return w.lower.find(st) != std::string::npos; });
  if (!w.cap && !title_candidate) return;
  std::string_view text = s.substr(w.begin, w.end - w.begin);
  Reading rd = read(*voikko, text, w.lower);
  // "Jonnas", "Rose's": a name Voikko knows, uninflected, plus a genitive/possessive.
  if (w.cap && !rd.name && !rd.common && !rd.place && !rd.proper) {
    std::string_view stem;
    if (ends_with(w.lower, "'s")) stem = text.substr(0, text.size() - 2);
    else if (ends_with(w.lower, "\u2019s")) stem = text.substr(0, text.size() - 4);
    else if (ends_with(w.lower, "s") && w.lower.size() >= 4) stem = text.substr(0, text.size() - 1);
    if (!stem.empty()) {
      std::string stem_lower = to_lower(stem);
      Reading g = read(*voikko, stem, stem_lower);
      bool nominative = false;
      for (const WordReading& r : voikko->analyze(stem))
        if ((r.word_class == "etunimi" || r.word_class == "sukunimi") && to_lower(r.baseform) == stem_lower)
          nominative = true;
      if (g.name && nominative && !g.place && !g.proper) {
        rd = g;
        w.genitive = true;
      }
    }
  }
  // "Mari-täti", "Pekka-setä": a name joined by a hyphen to a kinship or staff word.
  if (w.cap && !rd.name) {
    Size hy = text.rfind('-');
    if (hy != std::string_view::npos && hy > 0 && hy + 1 < text.size()) {
      std::string_view head = text.substr(0, hy), tail = text.substr(hy + 1);
      Reading h = read(*voikko, head, to_lower(head));
      Reading t = read(*voikko, tail, to_lower(tail));
      bool tail_title = std::any_of(t.common_bases.begin(), t.common_bases.end(), [](const std::string& b) {
        return is_finnish_kin(b) || std::any_of(kFinnishStaff.begin(), kFinnishStaff.end(),
                                                [&](std::string_view st) { return ends_with(b, st); });
      });
      // The head needs no name reading ("Mari" is only a place to Voikko, "Ahmed" is
      // unknown): the kinship or staff word is the evidence. Not an ordinary word.
      if (!h.common && !h.proper && !h.service && tail_title && !u_isupper(cp_at(tail, 0))) {
        w.name_end = w.begin + hy;
        w.name = true;
        return;
      }
    }
  }
  w.voikko_name = rd.name && !rd.service;
  w.voikko_first = rd.first && !rd.service;
  w.voikko_place = rd.place;
  w.place_nominative = rd.place_nom;
  w.voikko_common = rd.common;
  w.voikko_proper = rd.proper;
  w.name_nominative = rd.name_nom;
  w.service = rd.service;
  for (const std::string& base : rd.common_bases) {
    if (std::any_of(kFinnishStaff.begin(), kFinnishStaff.end(),
                    [&](std::string_view t) { return ends_with(base, t); }))
      w.title = Title::staff;
    else if ((in(kFinnishCourtesy, base) || (finnish && is_finnish_kin(base))) &&
             w.title == Title::none)
      w.title = Title::courtesy;
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
  for (Word& w : words) classify(s, w, o);
  const Size n = words.size();
  auto place_only = [](const Word& w) { return w.voikko_place && !w.voikko_name; };
  // 1. A capitalised word right after a title word: a name (staff unless courtesy).
  for (Size i = 1; i < n; ++i) {
    Word& w = words[i];
    // An inflected place ("hoitaja Oulussa") is not a name; an uninflected one may be a
    // surname ("tohtori Nieminen").
    if (!w.cap || (place_only(w) && !w.place_nominative) || single_letter_pronoun(w) ||
        w.title != Title::none || in(kEnglishCapitalised, w.lower))
      continue;
    if (!title_before(s, words[i - 1], w)) continue;
    // Text in capitals: a capital after a title says nothing ("ÄITI OLI…").
    if (w.shout && words[i - 1].shout && !w.voikko_name) continue;
    w.name = true;
    w.titled = true;
    w.staff = words[i - 1].title == Title::staff;
  }
  // 2. A capitalised name word (Voikko etunimi/sukunimi) inside a sentence. Words that
  //    are also ordinary words need the capital too; at a sentence start they need a
  //    neighbouring name (step 3) or a title (step 1).
  for (Word& w : words)
    if (w.cap && w.voikko_name && !w.sentence_start && w.title == Title::none) w.name = true;
  // 2b. A lone name at the start of a sentence, when the comment's language is known:
  //     in Finnish a word Voikko reads only as a person's name ("Pekka oli ihana.",
  //     "Virtaselta sain…"); in Swedish and English such a name only in the genitive or
  //     possessive ("Jonnas och…", "Rose's advice") or spelled like a Finnish name
  //     ("Leena was great"), as their sentence starts ("Will", "Mark") are read by
  //     Voikko as Finnish first names.
  if (o.language)
    for (Word& w : words) {
      if (!w.cap || !w.sentence_start || !w.voikko_name || w.voikko_common || w.voikko_place ||
          w.voikko_proper || w.title != Title::none || w.end - w.begin < 3)
        continue;
      const bool foreign_text = *o.language == Language::sv || *o.language == Language::en;
      if (*o.language == Language::fi || (foreign_text && (w.genitive || finnish_looking(w.lower))))
        w.name = true;
    }
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
                  (d < 0 && nb.titled && !w.shout && (!w.voikko_place || w.place_nominative)) ||
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
  // "Auroran sairaalassa": a name (not after a title) before a hospital or clinic word.
  for (Size i = 0; i + 1 < n; ++i) {
    const Word& next = words[i + 1];
    // Only a nominative or genitive name: "Auroralle sairaalan puolesta" is a person.
    const bool nom_or_gen = words[i].name_nominative || ends_with(words[i].lower, "n");
    if (!words[i].name || words[i].titled || !nom_or_gen || next.cap || !joined(s, words[i], next))
      continue;
    if (std::any_of(kInstitutionPrefixes.begin(), kInstitutionPrefixes.end(),
                    [&](std::string_view p) { return next.lower.rfind(p, 0) == 0; }))
      for (Size k = i + 1; k-- > 0 && words[k].name;) {
        words[k].name = false;
        if (k == 0 || !joined(s, words[k - 1], words[k])) break;
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
    out.push_back({PiiKind::name, words[i].begin, words[j].name_end});
    i = j + 1;
  }
}

}  // namespace kaiku::text::detail
