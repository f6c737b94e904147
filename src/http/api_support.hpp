// Small pieces shared by the JSON API's routes and mounts (private to src/http).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/free_text.hpp"
#include "http/message.hpp"

namespace kaiku::http {

// True for a JSON request body's Content-Type: application/json or any
// application/*+json, parameters (";charset=utf-8") and case ignored.
bool is_json_content(std::string_view content_type);

// The `comments` array of a response in the API: what the analysis of each open
// answer found (question, language, sentiment, themes, suggestion, placeholders).
boost::json::array insights_json(const std::vector<domain::CommentInsight>& insights);

// The segments of a URL path without its empty ones: "/api//v1/x/" -> {"api", "v1", "x"}.
std::vector<std::string> split_path(std::string_view path);

// A positive decimal id as it appears in a URL ("812"); nullopt for anything else
// (signs, spaces, leading garbage, 0, overflow).
std::optional<std::int64_t> parse_id(std::string_view text);

// The API's 405: a problem document naming the allowed methods, with `Allow: allow`.
Response api_method_not_allowed(std::string_view allow, const std::string& path);

}  // namespace kaiku::http
