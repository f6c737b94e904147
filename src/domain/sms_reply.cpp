#include "domain/sms_reply.hpp"

#include <array>
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "domain/sms_utf8.hpp"

namespace kaiku::domain {
namespace {

using Text = std::vector<char32_t>;

bool is_space(char32_t c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == 0x0C || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool is_digit(char32_t c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_letter(char32_t c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
         (c >= 0x400 && c <= 0x4FF);
}

bool is_alnum(char32_t c) noexcept {
  return is_digit(c) || is_letter(c);
}

// Case folding good enough for the words we look for: ASCII, Latin-1 capitals
// (Ä Ö Å É ...), full-width digits and letters.
char32_t fold(char32_t c) noexcept {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0xFF10 && c <= 0xFF19) return '0' + (c - 0xFF10);
  if (c >= 0xFF21 && c <= 0xFF3A) return 'a' + (c - 0xFF21);
  if (c >= 0xFF41 && c <= 0xFF5A) return 'a' + (c - 0xFF41);
  return c;
}

// Decodes the reply: bad bytes -> U+FFFD, CR LF and lone CR -> LF, other control
// characters and invisible format characters removed, then trimmed.
Text clean(std::string_view utf8) {
  Text out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = sms_detail::next_code_point(utf8, i);
    if (c == sms_detail::kBadByte) c = sms_detail::kReplacement;
    if (c == '\r') {
      if (i < utf8.size() && utf8[i] == '\n') ++i;
      c = '\n';
    }
    if (c == '\t') c = ' ';
    const bool control = (c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F);
    const bool invisible = c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF;
    if (!control && !invisible) out.push_back(c);
  }
  std::size_t b = 0, e = out.size();
  while (b < e && is_space(out[b])) ++b;
  while (e > b && is_space(out[e - 1])) --e;
  return Text(out.begin() + static_cast<std::ptrdiff_t>(b), out.begin() + static_cast<std::ptrdiff_t>(e));
}

std::string to_utf8(const Text& t, std::size_t from = 0, std::size_t to = std::string::npos) {
  std::string out;
  if (to > t.size()) to = t.size();
  for (std::size_t i = from; i < to; ++i) sms_detail::append_utf8(out, t[i]);
  return out;
}

// The folded message with everything but letters and digits cut from both ends and
// inner white space collapsed, as UTF-8: the form stop words are compared in.
std::string opt_out_form(const Text& folded) {
  std::size_t b = 0, e = folded.size();
  while (b < e && !is_alnum(folded[b])) ++b;
  while (e > b && !is_alnum(folded[e - 1])) --e;
  std::string out;
  bool space = false;
  for (std::size_t i = b; i < e; ++i) {
    if (is_space(folded[i])) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    sms_detail::append_utf8(out, folded[i]);
  }
  return out;
}

constexpr std::array<std::string_view, 9> kStopWords{"lopeta", "loppu", "älä lähetä", "ala laheta", "stop",
                                                     "stopp",  "sluta", "avsluta",    "unsubscribe"};

struct NumberWord {
  std::string_view word;  // folded (lower case)
  int value;
};
constexpr NumberWord kNumberWords[] = {
    // Finnish, standard and colloquial, with and without diacritics
    {"nolla", 0},
    {"yksi", 1},
    {"yks", 1},
    {"ykkönen", 1},
    {"ykkonen", 1},
    {"kaksi", 2},
    {"kaks", 2},
    {"kakkonen", 2},
    {"kolme", 3},
    {"kolmonen", 3},
    {"neljä", 4},
    {"nelja", 4},
    {"nelonen", 4},
    {"viisi", 5},
    {"viis", 5},
    {"vitonen", 5},
    {"kuusi", 6},
    {"kuus", 6},
    {"kutonen", 6},
    {"seitsemän", 7},
    {"seitseman", 7},
    {"seittemän", 7},
    {"seitteman", 7},
    {"seiska", 7},
    {"kahdeksan", 8},
    {"kaheksan", 8},
    {"kasi", 8},
    {"yhdeksän", 9},
    {"yhdeksan", 9},
    {"yheksän", 9},
    {"yheksan", 9},
    {"ysi", 9},
    {"kymmenen", 10},
    {"kymppi", 10},
    // Swedish ("en" deliberately left out: Finnish "en" starts many texts)
    {"noll", 0},
    {"ett", 1},
    {"två", 2},
    {"tva", 2},
    {"tre", 3},
    {"fyra", 4},
    {"fem", 5},
    {"sex", 6},
    {"sju", 7},
    {"åtta", 8},
    {"atta", 8},
    {"nio", 9},
    {"tio", 10},
    // English
    {"zero", 0},
    {"one", 1},
    {"two", 2},
    {"three", 3},
    {"four", 4},
    {"five", 5},
    {"six", 6},
    {"seven", 7},
    {"eight", 8},
    {"nine", 9},
    {"ten", 10},
};

// Value of the folded word, or -1.
int number_word(const std::string& w) {
  for (const NumberWord& n : kNumberWords)
    if (n.word == w) return n.value;
  return -1;
}

// True when position i is the end or a character that is neither letter nor digit.
bool boundary(const Text& f, std::size_t i) {
  return i >= f.size() || !is_alnum(f[i]);
}

std::size_t skip_spaces(const Text& f, std::size_t i) {
  while (i < f.size() && is_space(f[i])) ++i;
  return i;
}

// Matches white-space separated tokens at i (each ending at a boundary); returns the
// end or npos. A token "10" matches the digits 1 0; words match folded letters.
std::size_t match_tokens(const Text& f, std::size_t i, std::initializer_list<std::string_view> tokens) {
  bool first = true;
  for (std::string_view tok : tokens) {
    if (!first) {
      const std::size_t j = skip_spaces(f, i);
      if (j == i) return std::string::npos;
      i = j;
    }
    first = false;
    std::string got;
    std::size_t j = i;
    // Compare code point by code point against the token's UTF-8.
    while (j < f.size() && is_alnum(f[j])) sms_detail::append_utf8(got, f[j++]);
    if (got != tok) return std::string::npos;
    i = j;
  }
  return i;
}

// After a score ending at `e`, consumes the scale ("/10", "out of ten", ...). Returns
// the new end, or npos when a different scale makes the answer unreadable.
std::size_t consume_scale(const Text& f, std::size_t e) {
  std::size_t k = skip_spaces(f, e);
  if (k < f.size() && (f[k] == '/' || f[k] == 0x2044)) {
    std::size_t d = skip_spaces(f, k + 1);
    std::size_t end = d;
    while (end < f.size() && is_digit(f[end])) ++end;
    if (end == d) return e;  // a lone slash is punctuation
    if (end - d == 2 && f[d] == '1' && f[d + 1] == '0' && boundary(f, end)) return end;
    return std::string::npos;  // "4/5": another scale
  }
  for (auto phrase : {std::initializer_list<std::string_view>{"out", "of", "10"},
                      {"out", "of", "ten"},
                      {"of", "10"},
                      {"of", "ten"},
                      {"av", "10"},
                      {"av", "tio"},
                      {"kymmenestä"},
                      {"kymmenesta"}}) {
    const std::size_t end = match_tokens(f, k, phrase);
    if (end != std::string::npos) return end;
  }
  return e;
}

bool is_separator(char32_t c) noexcept {
  switch (c) {
    case '!':
    case '.':
    case ',':
    case ':':
    case ';':
    case '-':
    case '?':
    case ')':
    case ']':
    case '"':
    case '\'':
    case '*':
    case '>':
    case '=':
    case 0x2013:
    case 0x2014:
    case 0x2026:
    case 0x201D:
    case 0x2019:
    case 0x00BB:
    case 0x00A1:
      return true;
    default:
      return is_space(c);
  }
}

bool is_opening(char32_t c) noexcept {
  switch (c) {
    case '"':
    case '\'':
    case '(':
    case '[':
    case '*':
    case '<':
    case ':':
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019:
    case 0x00AB:
    case 0x00BB:
    case 0x200D:
    case 0xFE0F:  // emoji joiner and presentation selector
      return true;
    default:
      // symbols and emoji, but not minus signs ("−1" must stay unreadable)
      return is_space(c) ||
             (c >= 0x2190 && c != 0x2212 && c != 0xFE63 && c != 0xFF0D && c != sms_detail::kReplacement);
  }
}

// Reads a score at the start of the reply; -1 when unreadable. `rest` is set to the
// index where the comment starts.
int read_score(const Text& f, std::size_t& rest) {
  std::size_t i = 0;
  while (i < f.size() && is_opening(f[i])) ++i;
  if (i >= f.size()) return -1;
  std::size_t e = i;
  int value = -1;
  if (is_digit(f[i])) {
    while (e < f.size() && is_digit(f[e])) ++e;
    if (e - i > 4) return -1;
    value = 0;
    for (std::size_t k = i; k < e; ++k) value = value * 10 + static_cast<int>(f[k] - '0');
    if (value == 1 && e - i == 1 && e < f.size() && f[e] == 'o' && boundary(f, e + 1)) {
      value = 10;  // "1O"
      ++e;
    }
    if (e < f.size() && is_letter(f[e])) return -1;  // "9hyvä", "10km"
    if (e + 1 < f.size() && (f[e] == '.' || f[e] == ',') && is_digit(f[e + 1])) return -1;  // "8,5"
  } else if (is_letter(f[i])) {
    std::string word;
    while (e < f.size() && is_letter(f[e])) sms_detail::append_utf8(word, f[e++]);
    if (e < f.size() && is_digit(f[e])) return -1;
    value = number_word(word);
  }
  if (value < 0 || value > 10) return -1;
  // "8-9", "8 – 9": a range
  std::size_t k = skip_spaces(f, e);
  if (k < f.size() && (f[k] == '-' || f[k] == 0x2013 || f[k] == 0x2014)) {
    k = skip_spaces(f, k + 1);
    if (k < f.size() && is_digit(f[k])) return -1;
  }
  const std::size_t after_scale = consume_scale(f, e);
  if (after_scale == std::string::npos) return -1;
  e = after_scale;
  while (e < f.size() && is_separator(f[e])) ++e;
  rest = e;
  return value;
}

}  // namespace

SmsReply parse_sms_reply(std::string_view utf8, bool expecting_score) {
  SmsReply reply;
  const Text text = clean(utf8);
  if (text.empty()) return reply;  // empty

  Text folded(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) folded[i] = fold(text[i]);

  const std::string stop_form = opt_out_form(folded);
  for (std::string_view w : kStopWords) {
    if (stop_form == w) {
      reply.kind = SmsReply::Kind::opt_out;
      return reply;
    }
  }

  if (expecting_score) {
    std::size_t rest = 0;
    const int score = read_score(folded, rest);
    if (score >= 0) {
      reply.kind = SmsReply::Kind::score;
      reply.score = score;
      reply.comment = to_utf8(text, rest);
      return reply;
    }
  }
  reply.kind = SmsReply::Kind::text;
  reply.comment = to_utf8(text);
  return reply;
}

}  // namespace kaiku::domain
