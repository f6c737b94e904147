#include "text/redact.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "base/encoding.hpp"
#include "text/chars.hpp"

namespace kaiku::text {

using namespace detail;  // NOLINT

namespace {

// ---------------------------------------------------------------- hetu

bool valid_date(int d, int m, int y) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int limit = days[static_cast<Size>(m - 1)] + ((m == 2 && leap) ? 1 : 0);
  return d <= limit;
}

int century_of(char sign) {
  switch (upper(sign)) {
    case '+': return 1800;
    case '-': case 'U': case 'V': case 'W': case 'X': case 'Y': return 1900;
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': return 2000;
    default: return -1;
  }
}

// Length of a Unicode dash used for '-' at byte i (U+2010 hyphen, U+2011 non-breaking
// hyphen, U+2012 figure dash, U+2013 en dash, U+2212 minus), else 0.
Size unicode_dash_at(std::string_view s, Size i) {
  if (i + 3 > s.size()) return 0;
  auto b = [&](Size k) { return static_cast<unsigned char>(s[i + k]); };
  if (b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x90 && b(2) <= 0x93) return 3;
  if (b(0) == 0xE2 && b(1) == 0x88 && b(2) == 0x92) return 3;
  return 0;
}

constexpr std::string_view kHetuCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY";

// 0 = not hetu-shaped, 1 = shaped with a valid date but wrong check char, 2 = valid.
int hetu_grade(std::string_view c) {
  if (c.size() != 11) return 0;
  for (Size i : {0, 1, 2, 3, 4, 5, 7, 8, 9})
    if (!is_digit(c[i])) return 0;
  int century = century_of(c[6]);
  if (century < 0) return 0;
  auto num = [&](Size i) { return (c[i] - '0') * 10 + (c[i + 1] - '0'); };
  if (!valid_date(num(0), num(2), century + num(4))) return 0;
  int individual = (c[7] - '0') * 100 + (c[8] - '0') * 10 + (c[9] - '0');
  if (individual < 2) return 0;
  if (!is_alnum(c[10])) return 0;
  long n = 0;
  for (Size i : {0, 1, 2, 3, 4, 5, 7, 8, 9}) n = n * 10 + (c[i] - '0');
  return kHetuCheck[static_cast<Size>(n % 31)] == upper(c[10]) ? 2 : 1;
}

void find_hetus(std::string_view s, const RedactOptions& o, std::vector<Finding>& out) {
  for (Size i = 0; i + 11 <= s.size(); ++i) {
    if (!is_digit(s[i]) || word_before(s, i) || digit_run(s, i) != 6) continue;
    // Optional single spaces around the century sign: "131052 - 308T".
    Size j = i + 6;
    Size sp1 = (s[j] == ' ') ? 1 : 0;
    Size sign = j + sp1;
    if (sign >= s.size()) continue;
    // A word processor may have turned the '-' sign into a dash: "131052–308T".
    Size sign_len = unicode_dash_at(s, sign);
    char sign_char = sign_len > 0 ? '-' : s[sign];
    if (sign_len == 0) sign_len = 1;
    if (century_of(sign_char) < 0) continue;
    Size sp2 = (sign + sign_len < s.size() && s[sign + sign_len] == ' ') ? 1 : 0;
    Size k = sign + sign_len + sp2;
    if (k + 4 > s.size() || digit_run(s, k) < 3 || !is_alnum(s[k + 3])) continue;
    Size end = k + 4;
    if (word_at(s, end)) continue;
    std::string code(s.substr(i, 6));
    code += sign_char;
    code += s.substr(k, 4);
    int g = hetu_grade(code);
    if (g == 2 || (g == 1 && o.hetu_without_checksum)) out.push_back({PiiKind::hetu, i, end});
  }
}

// ---------------------------------------------------------------- iban

int iban_length(std::string_view cc) {
  struct Entry { const char* cc; int len; };
  static constexpr Entry kTable[] = {
      {"FI", 18}, {"AX", 18}, {"SE", 24}, {"NO", 15}, {"DK", 18}, {"IS", 26}, {"EE", 20},
      {"LV", 21}, {"LT", 20}, {"DE", 22}, {"GB", 22}, {"IE", 22}, {"FR", 27}, {"ES", 24},
      {"IT", 27}, {"NL", 18}, {"BE", 16}, {"LU", 20}, {"AT", 20}, {"CH", 21}, {"PL", 28},
      {"PT", 25}, {"CZ", 24}, {"SK", 24}, {"HU", 28}, {"GR", 27}, {"RO", 24}, {"BG", 22},
      {"HR", 21}, {"SI", 19}, {"CY", 28}, {"MT", 31}, {"LI", 21}, {"MC", 27}, {"SM", 27},
      {"UA", 29}, {"TR", 26}, {"RU", 33}};
  for (const auto& e : kTable)
    if (cc == e.cc) return e.len;
  return 0;
}

bool compact_iban_valid(const std::string& c) {
  if (c.size() < 15 || c.size() > 34) return false;
  if (!is_alpha(c[0]) || !is_alpha(c[1]) || !is_digit(c[2]) || !is_digit(c[3])) return false;
  int expected = iban_length(c.substr(0, 2));
  if (expected != 0 && static_cast<int>(c.size()) != expected) return false;
  int rem = 0;
  for (Size n = 0; n < c.size(); ++n) {
    char ch = c[(n + 4) % c.size()];
    if (is_digit(ch)) {
      rem = (rem * 10 + (ch - '0')) % 97;
    } else if (is_alpha(ch)) {
      int v = upper(ch) - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

void find_ibans(std::string_view s, std::vector<Finding>& out) {
  for (Size i = 0; i + 15 <= s.size(); ++i) {
    if (!is_alpha(s[i]) || !is_alpha(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3]))
      continue;
    if (word_before(s, i)) continue;
    std::string compact;
    std::vector<std::pair<Size, Size>> ends;  // (end byte, compact length) at token boundaries
    Size j = i;
    while (j < s.size() && compact.size() < 34) {
      if (is_alnum(s[j])) {
        compact += upper(s[j]);
        ++j;
        if (!word_at(s, j)) ends.emplace_back(j, compact.size());
        continue;
      }
      Size sp = space_at(s, j);
      if (sp != 0 && j + sp < s.size() && is_alnum(s[j + sp])) {
        j += sp;
        continue;
      }
      break;
    }
    for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
      // People write an IBAN in one case ("FI21 1234…" or "fi21 1234…"); a mixed-case
      // run ("mz2184Pctx6AzMkNIbqZw", a token or key) that passes mod-97 by chance
      // (1 in 97) is not one.
      bool has_upper = false, has_lower = false;
      for (Size k = i; k < it->first; ++k) {
        has_upper = has_upper || (s[k] >= 'A' && s[k] <= 'Z');
        has_lower = has_lower || (s[k] >= 'a' && s[k] <= 'z');
      }
      if (has_upper && has_lower) continue;
      if (compact_iban_valid(compact.substr(0, it->second))) {
        out.push_back({PiiKind::iban, i, it->first});
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- email

bool local_char(std::string_view s, Size i) {
  char c = s[i];
  if (is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'')
    return true;
  return static_cast<unsigned char>(c) >= 0x80 && u_isalpha(cp_at(s, i));
}

void find_emails(std::string_view s, std::vector<Finding>& out) {
  for (Size at = 1; at + 1 < s.size(); ++at) {
    if (s[at] != '@') continue;
    // Left: walk back over whole code points.
    Size b = at;
    while (b > 0) {
      Size p = b - 1;
      while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
      if (!local_char(s, p)) break;
      b = p;
    }
    while (b < at && (s[b] == '.' || s[b] == '\'')) ++b;
    if (b == at) continue;
    // Right: domain labels.
    Size e = at + 1;
    while (e < s.size()) {
      Size len = 0;
      UChar32 c = cp_at(s, e, &len);
      if (c == '.' || c == '-' || (c >= 0 && c < 0x80 && is_alnum(static_cast<char>(c))) ||
          (c >= 0x80 && u_isalpha(c)))
        e += len;
      else
        break;
    }
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
    std::string_view domain = s.substr(at + 1, e - at - 1);
    Size dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    std::string_view tld = domain.substr(dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), [](char c) { return is_alpha(c); }))
      continue;
    out.push_back({PiiKind::email, b, e});
  }
}

// An address with '@' or '.' written out, as people do to hide it from robots:
// "matti.virtanen(at)example.fi", "anna [at] example [dot] fi", "matti at example dot
// fi", "etunimi.sukunimi(ät)hyvinvointialue.fi". Bracketed markers may stand with or
// without a space on either side; bare words only between single spaces.
struct WrittenOut {
  std::string_view text;
  bool bare;
};
constexpr WrittenOut kAtMarkers[] = {{"(at)", false},    {"[at]", false},          {"{at}", false},
                                     {"(a)", false},     {"(\xC3\xA4t)", false},   {"[\xC3\xA4t]", false},
                                     {"(miuku)", false}, {"(miukumauku)", false},  {"(snabel-a)", false},
                                     {"at", true},       {"\xC3\xA4t", true}};
constexpr WrittenOut kDotMarkers[] = {{"(dot)", false},   {"[dot]", false},   {"{dot}", false}, {"(piste)", false},
                                      {"[piste]", false}, {"(punkt)", false}, {"[punkt]", false}, {"dot", true},
                                      {"piste", true},    {"punkt", true}};

// Whether `s` at `i` starts with `marker`, ASCII letters in any case.
bool starts_with_ci(std::string_view s, Size i, std::string_view marker) {
  if (i + marker.size() > s.size()) return false;
  for (Size k = 0; k < marker.size(); ++k) {
    char a = s[i + k], b = marker[k];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// A written-out marker found at a position: where what follows it starts, and whether
// it was a bare word.
struct MarkerMatch {
  Size next = 0;
  bool bare = false;
};

// The marker of `markers` that starts at `i` (a space at `i` first is allowed before
// a bracketed one, and required before a bare word; one space after is skipped).
std::optional<MarkerMatch> written_out_at(std::string_view s, Size i, const auto& markers) {
  if (i >= s.size()) return std::nullopt;
  const Size at = s[i] == ' ' ? i + 1 : i;
  for (const WrittenOut& m : markers) {
    if (m.bare && at == i) continue;
    if (!starts_with_ci(s, at, m.text)) continue;
    Size after = at + m.text.size();
    if (m.bare && (after >= s.size() || s[after] != ' ')) continue;
    if (after < s.size() && s[after] == ' ') ++after;
    return MarkerMatch{after, m.bare};
  }
  return std::nullopt;
}

// The marker of `markers` that ends right before `end` (mirror of written_out_at):
// where it starts, with its spaces; nullopt when there is none.
std::optional<Size> written_out_before(std::string_view s, Size end, const auto& markers) {
  for (const WrittenOut& m : markers) {
    Size e = end;
    if (e > 0 && s[e - 1] == ' ') --e;
    else if (m.bare) continue;
    if (e < m.text.size() || !starts_with_ci(s, e - m.text.size(), m.text)) continue;
    Size b = e - m.text.size();
    if (b > 0 && s[b - 1] == ' ') --b;
    else if (m.bare) continue;
    return b;
  }
  return std::nullopt;
}

bool domain_char(std::string_view s, Size i) {
  UChar32 c = cp_at(s, i);
  return c == '-' || (c >= 0 && c < 0x80 && is_alnum(static_cast<char>(c))) || (c >= 0x80 && u_isalpha(c));
}

void find_written_out_emails(std::string_view s, std::vector<Finding>& out) {
  for (Size i = 1; i + 1 < s.size(); ++i) {
    // The marker starts right after the local part, or after one space.
    if (!local_char(s, i - 1) || (s[i] != '(' && s[i] != '[' && s[i] != '{' && s[i] != ' ')) continue;
    auto at = written_out_at(s, i, kAtMarkers);
    if (!at) continue;
    // Left: the local part, over whole code points, its dots possibly written out too
    // ("pekka piste makinen (miuku) …").
    auto local_start = [&](Size end) {
      Size b = end;
      while (b > 0) {
        Size p = b - 1;
        while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
        if (!local_char(s, p)) break;
        b = p;
      }
      while (b < end && (s[b] == '.' || s[b] == '\'')) ++b;
      return b;
    };
    Size b = local_start(i);
    if (b == i) continue;
    bool dotted_local = s.substr(b, i - b).find_first_of("._") != std::string_view::npos;
    while (auto dot = written_out_before(s, b, kDotMarkers)) {
      Size before = local_start(*dot);
      if (before == *dot) break;
      b = before;
      dotted_local = true;
    }
    // Right: labels joined by '.' or a written-out dot.
    Size e = at->next, last_label = e;
    int separators = 0;
    bool written_dot = false;
    while (true) {
      Size label = e;
      while (e < s.size() && domain_char(s, e)) {
        Size len = 0;
        cp_at(s, e, &len);
        e += len;
      }
      if (e == label) break;
      last_label = label;
      if (e + 1 < s.size() && s[e] == '.' && domain_char(s, e + 1)) {
        ++e;
        ++separators;
        continue;
      }
      auto dot = written_out_at(s, e, kDotMarkers);
      if (!dot || dot->next >= s.size() || !domain_char(s, dot->next)) break;
      e = dot->next;
      ++separators;
      written_dot = true;
    }
    if (separators == 0 || e <= last_label) continue;
    std::string_view tld = s.substr(last_label, e - last_label);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), [](char c) { return is_alpha(c); })) continue;
    // A bare "at" is an everyday word ("booked at omaolo.fi"): only with a written-out
    // dot or a local part that looks like an address (a dot or an underscore in it).
    if (at->bare && !written_dot && !dotted_local) continue;
    out.push_back({PiiKind::email, b, e});
  }
}

}  // namespace

std::string_view placeholder_name(PiiKind kind) noexcept {
  switch (kind) {
    case PiiKind::hetu: return "hetu";
    case PiiKind::iban: return "iban";
    case PiiKind::email: return "email";
    case PiiKind::phone: return "puhelin";
    case PiiKind::address: return "osoite";
    case PiiKind::name: return "nimi";
  }
  return "pii";
}

bool is_valid_hetu(std::string_view code) noexcept { return hetu_grade(code) == 2; }

bool is_valid_iban(std::string_view iban) noexcept {
  std::string compact;
  for (char c : iban) {
    if (c == ' ') continue;
    if (!is_alnum(c)) return false;
    compact += upper(c);
  }
  return compact_iban_valid(compact);
}

Redacted redact(std::string_view s, const RedactOptions& o) {
  Redacted r;
  if (Size bad = find_invalid_utf8(s); bad != std::string_view::npos) {
    r.valid_utf8 = false;
    r.error = "invalid UTF-8 at byte " + std::to_string(bad);
    return r;
  }
  std::vector<Finding> all;
  if (o.hetu) find_hetus(s, o, all);
  if (o.iban) find_ibans(s, all);
  if (o.email) {
    find_emails(s, all);
    find_written_out_emails(s, all);
  }
  if (o.phone) find_phones(s, all);
  if (o.address) find_addresses(s, o, all);
  if (o.names) find_names(s, o, all);
  // Longest first; equal length: kind priority, then position. Greedy non-overlapping.
  std::sort(all.begin(), all.end(), [](const Finding& a, const Finding& b) {
    Size la = a.end - a.begin, lb = b.end - b.begin;
    if (la != lb) return la > lb;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.begin < b.begin;
  });
  for (const Finding& f : all) {
    bool clash = std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& g) {
      return f.begin < g.end && g.begin < f.end;
    });
    if (!clash) r.findings.push_back(f);
  }
  std::sort(r.findings.begin(), r.findings.end(),
            [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
  Size pos = 0;
  for (const Finding& f : r.findings) {
    r.text.append(s.substr(pos, f.begin - pos));
    r.text += '[';
    r.text += placeholder_name(f.kind);
    r.text += ']';
    pos = f.end;
  }
  r.text.append(s.substr(pos));
  return r;
}

}  // namespace kaiku::text
