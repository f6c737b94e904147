#include "http/api_support.hpp"

#include <cctype>
#include <charconv>
#include <string>

#include "http/problem.hpp"

namespace kaiku::http {

bool is_json_content(std::string_view content_type) {
  std::string lower;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ' && c != '\t') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/json" ||
         (lower.rfind("application/", 0) == 0 && lower.size() > 17 && lower.compare(lower.size() - 5, 5, "+json") == 0);
}

boost::json::array insights_json(const std::vector<domain::CommentInsight>& insights) {
  boost::json::array comments;
  for (const auto& i : insights) {
    boost::json::array themes, placeholders;
    for (const auto& t : i.themes) themes.emplace_back(t);
    for (const auto& p : i.placeholders) placeholders.emplace_back(p);
    comments.push_back(boost::json::object{{"question", i.question_key},
                                           {"language", i.language},
                                           {"sentiment", domain::sentiment_name(i.sentiment)},
                                           {"themes", std::move(themes)},
                                           {"suggestion", i.suggestion},
                                           {"placeholders", std::move(placeholders)}});
  }
  return comments;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segs;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    segs.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return segs;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Response api_method_not_allowed(std::string_view allow, const std::string& path) {
  Response r = problem(405, "method_not_allowed", "use " + std::string(allow), path);
  r.set_header("Allow", std::string(allow));
  return r;
}

}  // namespace kaiku::http
