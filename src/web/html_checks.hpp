// Small structural checks on rendered HTML for the web layer's unit tests
// (header-only; not a parser, just enough to catch broken markup).
#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace kaiku::web::testing {

inline int count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = hay.find(needle); pos != std::string::npos;
       pos = hay.find(needle, pos + needle.size()))
    ++n;
  return n;
}

// Every opening tag of these elements has a matching closing tag.
inline void expect_balanced(const std::string& html) {
  for (const char* tag : {"html",     "head",    "body",     "header", "main", "footer", "nav",   "ul",
                          "li",       "form",    "fieldset", "legend", "div",  "p",      "label", "button",
                          "textarea", "section", "svg",      "h1",     "h2",   "span",   "title", "a"}) {
    const std::string open_a = std::string("<") + tag + " ";
    const std::string open_b = std::string("<") + tag + ">";
    const std::string close = std::string("</") + tag + ">";
    EXPECT_EQ(count(html, open_a) + count(html, open_b), count(html, close)) << "unbalanced <" << tag << ">";
  }
}

// The page frame every respondent page must have.
inline void expect_page_frame(const std::string& html, const std::string& lang) {
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"" + lang + "\">"), std::string::npos) << "html lang " << lang;
  EXPECT_NE(html.find("<title>"), std::string::npos);
  EXPECT_EQ(count(html, "<h1"), 1) << "exactly one h1";
  EXPECT_EQ(count(html, "<header"), 1);
  EXPECT_EQ(count(html, "<main id=\"main\""), 1);
  EXPECT_EQ(count(html, "<footer"), 1);
  EXPECT_NE(html.find("class=\"skip-link\" href=\"#main\""), std::string::npos);
  EXPECT_NE(html.find("name=\"viewport\" content=\"width=device-width, initial-scale=1\""),
            std::string::npos);
  EXPECT_EQ(html.find("user-scalable"), std::string::npos);
  EXPECT_EQ(html.find("maximum-scale"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"/static/kaiku.css\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no scripts at all";
  EXPECT_EQ(html.find(" style="), std::string::npos) << "no inline style attributes";
  EXPECT_EQ(html.find("<style"), std::string::npos) << "no inline style elements";
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "no third-party resources";
  expect_balanced(html);
}

// Every visible input/textarea has a <label for=id>; every id is unique.
inline void expect_labels_and_unique_ids(const std::string& html) {
  std::set<std::string> ids;
  const std::regex id_re("\\sid=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_re); it != std::sregex_iterator(); ++it) {
    const std::string id = (*it)[1];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
  }
  const std::regex input_re("<(input|textarea)\\s([^>]*)>");
  const std::regex type_re("type=\"([a-z]+)\"");
  const std::regex iid_re("id=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), input_re); it != std::sregex_iterator();
       ++it) {
    const std::string attrs = (*it)[2];
    std::smatch m;
    if (std::regex_search(attrs, m, type_re) && m[1] == "hidden") continue;
    ASSERT_TRUE(std::regex_search(attrs, m, iid_re)) << "input without id: " << attrs;
    EXPECT_TRUE(std::regex_search(html, std::regex("<label[^>]* for=\"" + m[1].str() + "\"")))
        << "no label for " << m[1];
  }
}

// Every aria-describedby names ids present in the document.
inline void expect_describedby_targets_exist(const std::string& html) {
  const std::regex re("aria-describedby=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) {
    const std::string list = (*it)[1];
    std::size_t pos = 0;
    while (pos < list.size()) {
      std::size_t end = list.find(' ', pos);
      if (end == std::string::npos) end = list.size();
      const std::string id = list.substr(pos, end - pos);
      EXPECT_NE(html.find("id=\"" + id + "\""), std::string::npos)
          << "aria-describedby target missing: " << id;
      pos = end + 1;
    }
  }
}

// Every radio button sits inside a <fieldset> (with a legend).
inline void expect_radios_in_fieldsets(const std::string& html) {
  std::size_t pos = 0;
  while ((pos = html.find("type=\"radio\"", pos)) != std::string::npos) {
    const std::string before = html.substr(0, pos);
    EXPECT_GT(count(before, "<fieldset"), count(before, "</fieldset>"))
        << "radio outside fieldset at " << pos;
    pos += 12;
  }
  EXPECT_EQ(count(html, "<fieldset"), count(html, "<legend"));
}

}  // namespace kaiku::web::testing
