// The two context-heavy redaction passes: Finnish (and international) phone numbers
// and Finnish/Swedish street addresses. See docs/text.md for the formats.
#include <algorithm>
#include <iterator>
#include <string>

#include "text/chars.hpp"

namespace kaiku::text::detail {
namespace {

// A run of digit groups such as "040 123 4567": the end byte and digit count after
// each group, plus each group's length and the separator before it.
struct Group {
  Size end = 0;
  Size digits_total = 0;
  Size len = 0;
  char sep = 0;  // ' ', '-', '/', or 0 for the first group
};

// Reads digit groups from i (which must be a digit), separated by one space, one
// no-break space, '-', '/', or " - ". Later groups must have at least two digits.
std::vector<Group> read_groups(std::string_view s, Size i, Size digits_before,
                               bool short_second = false) {
  std::vector<Group> g;
  Size total = digits_before;
  Size j = i;
  char sep = 0;
  while (true) {
    Size n = digit_run(s, j);
    if (n == 0 || (!g.empty() && n < 2 && !(short_second && g.size() == 1))) break;
    total += n;
    g.push_back({j + n, total, n, sep});
    j += n;
    if (total > 16) break;
    // Separator?
    Size k = j;
    Size sp = space_at(s, k);
    char this_sep = 0;
    if (sp != 0) {
      k += sp;
      this_sep = ' ';
      if (k < s.size() && s[k] == '-' && space_at(s, k + 1) != 0) {  // " - "
        k += 1 + space_at(s, k + 1);
        this_sep = '-';
      }
    } else if (k < s.size() && (s[k] == '-' || s[k] == '/')) {
      this_sep = s[k];
      k += 1;
    } else if (k < s.size() && s[k] == '.' && digit_run(s, k + 1) >= 3 && n >= 3) {
      this_sep = '.';  // "044.765.4321"; not "08.15" or "12.3.2026"
      k += 1;
    }
    if (this_sep == 0 || k >= s.size() || !is_digit(s[k])) break;
    j = k;
    sep = this_sep;
  }
  return g;
}

bool looks_like_date(const std::vector<Group>& g, std::string_view s, Size start) {
  if (g.size() != 3) return false;
  if (g[1].sep != g[2].sep || g[1].sep == ' ') return false;
  if (g[0].len > 2 || g[1].len > 2 || (g[2].len != 2 && g[2].len != 4)) return false;
  auto value = [&](Size gi, Size begin) {
    int v = 0;
    for (Size k = begin; k < g[gi].end; ++k) v = v * 10 + (s[k] - '0');
    return v;
  };
  int d = value(0, start);
  int m = value(1, g[1].end - g[1].len);
  return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

// Picks the longest prefix of groups whose digit count is within [lo, hi] and that
// does not end in a lone trailing 2-digit group after a space (as in "09 123 456
// 15 kertaa", where 15 is a count, not part of the number). Returns the end byte, 0 if none.
Size choose_end(std::string_view s, const std::vector<Group>& g, Size lo, Size hi,
                bool strict_tail = true) {
  for (Size k = g.size(); k-- > 0;) {
    const Group& last = g[k];
    if (last.digits_total < lo || last.digits_total > hi) continue;
    if (word_at(s, last.end)) continue;
    if (strict_tail && k >= 1 && last.sep == ' ' && last.len <= 2) {
      bool pair_before = g[k - 1].len == 2 && k >= 2;
      if (!pair_before) continue;
    }
    return last.end;
  }
  return 0;
}

bool bad_lead(std::string_view s, Size i) {
  if (word_before(s, i)) return true;
  if (i == 0) return false;
  char p = s[i - 1];
  return p == '+' || p == '-' || p == '/' || p == '.' || p == ',' || p == '@';
}

}  // namespace

void find_phones(std::string_view s, std::vector<Finding>& out) {
  for (Size i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '+' && c != '0' && c != '(') continue;
    if (bad_lead(s, i)) continue;
    if (c == '+') {
      if (i + 1 >= s.size() || !is_digit(s[i + 1]) || s[i + 1] == '0') continue;
      std::vector<Group> g = read_groups(s, i + 1, 0, true);
      // "+358 (0)40 ...": allow the bracketed trunk zero after the country code.
      if (!g.empty() && g.size() == 1) {
        Size k = g[0].end + space_at(s, g[0].end);
        if (s.substr(k, 3) == "(0)") {
          Size after = k + 3;
          after += space_at(s, after);
          if (after < s.size() && is_digit(s[after])) {
            auto rest = read_groups(s, after, g[0].digits_total);
            g.insert(g.end(), rest.begin(), rest.end());
          }
        }
      }
      if (Size end = choose_end(s, g, 8, 15, false); end != 0) out.push_back({PiiKind::phone, i, end});
      continue;
    }
    if (c == '(') {
      // "(09) 123 4567"
      Size n = digit_run(s, i + 1);
      if (n < 2 || n > 4 || s[i + 1] != '0' || i + 1 + n >= s.size() || s[i + 1 + n] != ')')
        continue;
      Size k = i + 2 + n;
      Size sp = space_at(s, k);
      if (sp == 0 || k + sp >= s.size() || !is_digit(s[k + sp])) continue;
      std::vector<Group> g = read_groups(s, k + sp, n);
      for (Group& x : g) x.sep = (x.sep == 0) ? '-' : x.sep;  // first group after ")" is not lone
      if (Size end = choose_end(s, g, 8, 11); end != 0) out.push_back({PiiKind::phone, i, end});
      continue;
    }
    // c == '0'
    if (i + 1 >= s.size() || !is_digit(s[i + 1])) continue;
    if (s[i + 1] == '0') {
      // "00358 40 ...": international prefix.
      if (i + 2 >= s.size() || !is_digit(s[i + 2]) || s[i + 2] == '0') continue;
      std::vector<Group> g = read_groups(s, i, 0);
      if (Size end = choose_end(s, g, 10, 17); end != 0) out.push_back({PiiKind::phone, i, end});
      continue;
    }
    std::vector<Group> g = read_groups(s, i, 0);
    if (g.empty() || g[0].len < 2) continue;
    if (looks_like_date(g, s, i)) continue;
    // Hetu-shaped ("040679-3216"): a wrong-checksum identity code or a reference, not a phone.
    if (g[0].len == 6 && g.size() >= 2 && g[1].sep == '-' && g[1].len >= 3 && g[1].len <= 4)
      continue;
    if (Size end = choose_end(s, g, 8, 11); end != 0) out.push_back({PiiKind::phone, i, end});
  }
}

namespace {

constexpr std::string_view kStreetEndings[] = {
    "katu", "tie", "kuja", "polku", "raitti", "väylä", "kaari", "ranta", "tori", "aukio",
    "puistikko", "bulevardi", "rinne", "gata", "gatan", "vägen", "väg", "stigen", "gränd",
    "torget", "backen", "allén", "esplanadi", "esplanaden",
    // Common inflected forms ("Hämeenkadulla 12", "Mannerheimintien 10").
    "kadulla", "kadulle", "kadulta", "kadun", "kadussa", "tiellä", "tielle", "tieltä", "tien",
    "kujalla", "kujalle", "kujan", "polulla", "polun", "raitilla", "väylällä", "väylän",
    "kaarella", "kaaren", "rannalla", "rannan", "torilla", "torin", "aukiolla", "aukion"};

// Capitalised words that belong in front of a street name: "Pohjoinen Rautatiekatu",
// "Norra Esplanaden".
constexpr std::string_view kStreetPrefixes[] = {
    "pohjoinen", "eteläinen", "itäinen", "läntinen", "vanha", "iso", "pieni", "uusi",
    "norra", "södra", "östra", "västra", "stora", "lilla", "gamla", "nya"};

bool is_upper_cp(UChar32 c) { return c >= 0 && u_isupper(c); }

// Lower-cases ASCII and Ä/Ö/Å (enough for the street endings above).
std::string lower_nordic(std::string_view w) {
  std::string r(w);
  for (Size k = 0; k < r.size(); ++k) {
    char& ch = r[k];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (static_cast<unsigned char>(ch) == 0xC3 && k + 1 < r.size()) {
      auto& n = reinterpret_cast<unsigned char&>(r[k + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x85 || n == 0x89) n = static_cast<unsigned char>(n + 0x20);
    }
  }
  return r;
}

bool street_word(std::string_view w) {
  std::string l = lower_nordic(w);
  // Street words that are names on their own ("Esplanaden 4", "Bulevardi 10").
  for (std::string_view whole : {"esplanadi", "esplanaden", "bulevardi", "puistikko"})
    if (l == whole) return true;
  return std::any_of(std::begin(kStreetEndings), std::end(kStreetEndings), [&](std::string_view e) {
    return l.size() > e.size() + 1 && std::string_view(l).substr(l.size() - e.size()) == e;
  });
}

// End of a letter word (letters and inner hyphens) starting at i.
Size word_end(std::string_view s, Size i) {
  Size j = i;
  while (j < s.size()) {
    Size len = 0;
    UChar32 c = cp_at(s, j, &len);
    if (c >= 0 && u_isalpha(c)) {
      j += len;
    } else if (c == '-' && j > i && j + 1 < s.size() && u_isalpha(cp_at(s, j + 1))) {
      j += 1;
    } else {
      break;
    }
  }
  return j;
}

// House number "5", "5a", "5-7", "12 B", "5 B 12", "5 B12", "10 as. 4", "3 lgh 1201".
// Returns the end byte or 0.
Size house_number(std::string_view s, Size i) {
  Size n = digit_run(s, i);
  if (n == 0 || n > 3 || s[i] == '0') return 0;
  Size j = i + n;
  if (j < s.size() && is_alpha(s[j]) && !word_at(s, j + 1)) ++j;  // 5a
  if (j + 1 < s.size() && s[j] == '-' && is_digit(s[j + 1])) {   // 5-7
    Size m = digit_run(s, j + 1);
    if (m <= 4) j += 1 + m;
  }
  if (word_at(s, j)) return 0;
  // Staircase letter (upper-case, single) and optional apartment number.
  Size sp = space_at(s, j);
  if (sp == 0 || j + sp >= s.size()) return j;
  Size k = j + sp;
  if (s[k] >= 'A' && s[k] <= 'Z') {
    Size a = k + 1;
    Size d = digit_run(s, a);
    if (d > 0 && d <= 4 && !word_at(s, a + d)) return a + d;  // "B12"
    if (d > 0 || word_at(s, a)) return j;                      // "Bussi", "B12345"
    Size sp2 = space_at(s, a);
    Size d2 = sp2 != 0 ? digit_run(s, a + sp2) : 0;
    if (d2 > 0 && d2 <= 4 && !word_at(s, a + sp2 + d2)) return a + sp2 + d2;  // "B 12"
    return a;                                                                   // "B"
  }
  if (s[k] >= 'a' && s[k] <= 'h' && !word_at(s, k + 1)) {
    // Lower-case staircase only with an apartment number: "Isokatu 3 a 5" (not "3 i Vasa").
    Size sp2 = space_at(s, k + 1);
    Size d2 = sp2 != 0 ? digit_run(s, k + 1 + sp2) : 0;
    if (d2 > 0 && d2 <= 4 && !word_at(s, k + 1 + sp2 + d2)) return k + 1 + sp2 + d2;
  }
  for (std::string_view tag : {"as. ", "as ", "lgh ", "lgh. ", "bst "}) {
    if (s.substr(k, tag.size()) == tag) {
      Size m = digit_run(s, k + tag.size());
      if (m > 0 && m <= 4 && !word_at(s, k + tag.size() + m)) return k + tag.size() + m;
      break;
    }
  }
  return j;
}

// ", 00100 Helsinki" or " 00100 Helsinki" after an address; returns the end or 0.
Size postcode_town(std::string_view s, Size j) {
  Size k = j;
  if (k < s.size() && s[k] == ',') ++k;
  Size sp = space_at(s, k);
  if (sp == 0) return 0;
  k += sp;
  if (digit_run(s, k) != 5) return 0;
  k += 5;
  sp = space_at(s, k);
  if (sp == 0) return 0;
  k += sp;
  if (!is_upper_cp(cp_at(s, k))) return 0;
  Size e = word_end(s, k);
  return e > k ? e : 0;
}

}  // namespace

void find_addresses(std::string_view s, const RedactOptions& o, std::vector<Finding>& out) {
  for (Size i = 0; i < s.size();) {
    Size len = 0;
    UChar32 c = cp_at(s, i, &len);
    if (!is_upper_cp(c) || word_before(s, i)) {
      i += std::max<Size>(len, 1);
      continue;
    }
    Size we = word_end(s, i);
    if (we > i && street_word(s.substr(i, we - i))) {
      Size sp = space_at(s, we);
      if (sp != 0) {
        if (Size hn = house_number(s, we + sp); hn != 0) {
          Size end = hn;
          if (o.address_postcode) {
            if (Size pc = postcode_town(s, hn); pc != 0) end = pc;
          }
          Size begin = i;
          // A prefix word right before: "Pohjoinen Rautatiekatu 5".
          if (i >= 2 && s[i - 1] == ' ') {
            Size b = i - 1;
            while (b > 0 && s[b - 1] != ' ') --b;
            std::string_view prev = s.substr(b, i - 1 - b);
            std::string low = lower_nordic(prev);
            if (!prev.empty() && is_upper_cp(cp_at(s, b)) && !word_before(s, b) &&
                std::find(std::begin(kStreetPrefixes), std::end(kStreetPrefixes), low) !=
                    std::end(kStreetPrefixes))
              begin = b;
          }
          out.push_back({PiiKind::address, begin, end});
          i = end;
          continue;
        }
      }
    }
    i = std::max(we, i + std::max<Size>(len, 1));
  }
}

}  // namespace kaiku::text::detail
