// Small pieces shared by the JSON API's routes and mounts (private to src/http).
#pragma once

#include <boost/json.hpp>

#include <string_view>
#include <vector>

#include "domain/free_text.hpp"

namespace kaiku::http {

// True for a JSON request body's Content-Type: application/json or any
// application/*+json, parameters (";charset=utf-8") and case ignored.
bool is_json_content(std::string_view content_type);

// The `comments` array of a response in the API: what the analysis of each open
// answer found (question, language, sentiment, themes, suggestion, placeholders).
boost::json::array insights_json(const std::vector<domain::CommentInsight>& insights);

}  // namespace kaiku::http
