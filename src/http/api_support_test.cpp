#include "http/api_support.hpp"

#include <gtest/gtest.h>

namespace kaiku::http {
namespace {

TEST(ApiSupport, JsonContentTypes) {
  EXPECT_TRUE(is_json_content("application/json"));
  EXPECT_TRUE(is_json_content("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content("application/problem+json"));
  EXPECT_FALSE(is_json_content("application/+json"));
  EXPECT_FALSE(is_json_content("text/json"));
  EXPECT_FALSE(is_json_content("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content(""));
}

TEST(ApiSupport, InsightsAsJson) {
  domain::CommentInsight i;
  i.question_key = "comment";
  i.language = "fi";
  i.sentiment = domain::Sentiment::mixed;
  i.themes = {"access_waiting", "booking"};
  i.suggestion = true;
  i.placeholders = {"nimi", "puhelin"};
  const auto a = insights_json({i});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(boost::json::serialize(a[0]),
            R"({"question":"comment","language":"fi","sentiment":"mixed","themes":["access_waiting","booking"],)"
            R"("suggestion":true,"placeholders":["nimi","puhelin"]})");
  EXPECT_TRUE(insights_json({}).empty());
}

TEST(ApiSupport, PathSegmentsAndIds) {
  EXPECT_EQ(split_path("/api//v1/cases/812/"), (std::vector<std::string>{"api", "v1", "cases", "812"}));
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_EQ(parse_id("812"), 812);
  EXPECT_FALSE(parse_id("0"));
  EXPECT_FALSE(parse_id("-3"));
  EXPECT_FALSE(parse_id("12x"));
  EXPECT_FALSE(parse_id(""));
  EXPECT_FALSE(parse_id("99999999999999999999"));
}

TEST(ApiSupport, MethodNotAllowedNamesTheMethods) {
  const Response r = api_method_not_allowed("GET, HEAD", "/api/v1/cases");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
  EXPECT_NE(r.body.find("use GET, HEAD"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::http
