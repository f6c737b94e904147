#include "http/api_support.hpp"

#include <cctype>
#include <string>

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

}  // namespace kaiku::http
