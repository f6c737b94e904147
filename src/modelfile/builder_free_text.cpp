// Free text: the top-level `themes:` section (the county's theme taxonomy, matched
// on lemmas and stems by text::ThemeMatcher) and the `free_text:` section
// (redaction of staff names, retention and readers of sealed originals).
#include <algorithm>
#include <string_view>

#include "domain/access.hpp"
#include "domain/free_text.hpp"
#include "modelfile/builder.hpp"

namespace kaiku::modelfile::detail {

namespace {

constexpr std::size_t kMaxThemes = 64;

// A theme id: [a-z0-9_]+ (no '-', unlike other ids: theme ids are report dimensions).
bool valid_theme_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The lower-case form of one code point of Latin-1 and Latin Extended-A (enough for
// Finnish, Swedish and English words, and names like Šakki or Øster); others unchanged.
char32_t lower_code_point(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x137 && c % 2 == 0) return c + 1;
  if (c >= 0x139 && c <= 0x148 && c % 2 == 1) return c + 1;
  if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;
  if (c == 0x178) return 0xFF;
  if (c >= 0x179 && c <= 0x17E && c % 2 == 1) return c + 1;
  return c;
}

// `s` with ASCII, Latin-1 and Latin Extended-A capitals in lower case (UTF-8 in and
// out; other bytes and malformed sequences are copied as they are).
std::string lower_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out += static_cast<char>(lower_code_point(b0));
      ++i;
      continue;
    }
    // Only two-byte sequences (U+0080..U+07FF) hold letters that change here.
    if ((b0 & 0xE0) == 0xC0 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      const char32_t cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
      const char32_t l = lower_code_point(cp);
      out += static_cast<char>(0xC0 | (l >> 6));
      out += static_cast<char>(0x80 | (l & 0x3F));
      i += 2;
      continue;
    }
    out += s[i];
    ++i;
  }
  return out;
}

// Why `term` is not a valid match term, or "" when it is: non-empty, one word or two
// words separated by one space, '*' only as its first or last character, and no word
// that is only '*'.
std::string term_problem(std::string_view term) {
  if (term.empty()) return "empty term";
  for (char c : term) {
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      return "words must be separated by one space (no tabs or line breaks)";
    }
  }
  if (term.front() == ' ' || term.back() == ' ') return "starts or ends with a space";
  const auto space = term.find(' ');
  if (space != std::string_view::npos) {
    if (term[space + 1] == ' ') return "words must be separated by one space";
    if (term.find(' ', space + 1) != std::string_view::npos) {
      return "more than two words; a term is one word, or two words that occur next to each other";
    }
  }
  const auto star = term.find('*', 1);
  if (star != std::string_view::npos && star != term.size() - 1) {
    return "'*' may only be the first or last character ('jonot*' or '*jono')";
  }
  auto only_star = [](std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](char c) { return c == '*'; });
  };
  if (space == std::string_view::npos ? only_star(term)
                                      : only_star(term.substr(0, space)) || only_star(term.substr(space + 1))) {
    return "'*' needs a word with it ('jonot*' or '*jono'), it does not match on its own";
  }
  return "";
}

}  // namespace

void Builder::read_themes(domain::Model& m) {
  if (!themes_) return;
  const std::string& file = themes_->file;
  const YAML::Node& list = themes_->node;
  if (!list.IsSequence()) {
    sink_.error(loc_of(file, list), "themes: expected a list of themes (- id: ...), got " +
                                        std::string(list.IsMap() ? "a mapping" : "a single value"));
    return;
  }
  if (list.size() > kMaxThemes) {
    sink_.error(loc_of(file, list[kMaxThemes]), "themes: at most " + std::to_string(kMaxThemes) +
                                                    " themes are allowed, this list has " +
                                                    std::to_string(list.size()));
  }
  std::map<std::string, Loc> seen;
  for (const YAML::Node& node : list) {
    Fields f(sink_, file, node, "theme" + quoted_field(node, "id"), {"id", "label", "fi", "sv", "en"});
    if (!f.ok()) continue;
    domain::Theme theme;
    bool ok = true;
    if (auto id_node = f.require("id")) {
      auto id = scalar(sink_, file, *id_node, f.what() + ": id");
      if (id && !valid_theme_id(*id)) {
        sink_.error(loc_of(file, *id_node),
                    f.what() + ": id '" + *id + "' is not a valid theme id; use only a-z, 0-9 and '_'");
        id.reset();
      }
      if (id && claim(seen, *id, f.loc(), "theme id")) {
        theme.id = *id;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    f.require("label");
    theme.label = read_text(sink_, f, "label", {domain::Language::fi, domain::Language::sv, domain::Language::en});
    std::size_t given = 0;  // term entries written, valid or not
    for (auto [key, slot] : {std::pair<const char*, std::vector<std::string>*>{"fi", &theme.fi},
                             std::pair<const char*, std::vector<std::string>*>{"sv", &theme.sv},
                             std::pair<const char*, std::vector<std::string>*>{"en", &theme.en}}) {
      auto terms = read_list(sink_, f, key);
      if (!terms) {
        if (f.get(key)) ++given;  // not a list: reported, and no "no terms" on top of it
        continue;
      }
      const std::string what = f.what() + ": " + key;
      for (const YAML::Node& t : *terms) {
        ++given;
        auto text = scalar(sink_, file, t, what);
        if (!text) continue;
        if (std::string problem = term_problem(*text); !problem.empty()) {
          sink_.error(loc_of(file, t), what + ": term '" + *text + "': " + problem);
          continue;
        }
        std::string term = lower_utf8(*text);
        if (std::find(slot->begin(), slot->end(), term) != slot->end()) {
          sink_.error(loc_of(file, t), what + ": term '" + term + "' is listed twice");
          continue;
        }
        slot->push_back(std::move(term));
      }
    }
    if (given == 0) {
      sink_.error(f.loc(), f.what() + ": no terms; give at least one term in fi, sv or en");
    }
    if (ok) m.themes.push_back(std::move(theme));
  }
}

void Builder::read_free_text(domain::Model& m) {
  if (!free_text_) return;
  const std::string& file = free_text_->file;
  domain::FreeTextSettings s;
  Fields f(sink_, file, free_text_->node, "free_text",
           {"redact_staff_names", "original_retention_days", "original_readers"});
  if (!f.ok()) return;
  if (auto b = read_bool(sink_, f, "redact_staff_names")) s.redact_staff_names = *b;
  if (auto days = read_int(sink_, f, "original_retention_days")) {
    if (*days < 1 || *days > 3650) {
      sink_.error(loc_of(file, *f.get("original_retention_days")),
                  "free_text: original_retention_days must be between 1 and 3650 (days), got " +
                      std::to_string(*days));
    } else {
      s.original_retention_days = static_cast<int>(*days);
    }
  }
  if (auto list = read_list(sink_, f, "original_readers")) {
    static const std::vector<std::string> kReaders{"admin", "cx_specialist", "director", "unit_manager",
                                                   "analyst"};
    const std::string what = "free_text: original_readers";
    s.original_readers.clear();
    for (const YAML::Node& n : *list) {
      auto name = scalar(sink_, file, n, what);
      if (!name) continue;
      auto role = domain::parse_role(*name);
      if (!role) {
        sink_.error(loc_of(file, n), what + ": unknown role '" + *name +
                                         "'; use admin, cx_specialist, director, unit_manager or analyst" +
                                         did_you_mean(*name, kReaders));
        continue;
      }
      if (*role == domain::Role::integration) {
        sink_.error(loc_of(file, n), what + ": 'integration' is a machine client and may not read originals");
        continue;
      }
      std::string canonical(domain::role_name(*role));
      if (std::find(s.original_readers.begin(), s.original_readers.end(), canonical) !=
          s.original_readers.end()) {
        sink_.error(loc_of(file, n), what + ": role '" + canonical + "' is listed twice");
        continue;
      }
      s.original_readers.push_back(std::move(canonical));
    }
  }
  m.free_text = std::move(s);
}

}  // namespace kaiku::modelfile::detail
