#include "http/json_body.hpp"

#include <gtest/gtest.h>

namespace kaiku::http {
namespace {

const char* kValid = R"({"touchpoint":"tp1","channel":"kiosk","language":"sv","respondent":"on_behalf",
  "submission_key":"abcdefghijklmnopqrstuv","answers":{"nps":9,"agree":"cant_say","many":["x","y"],"open":"hej"},
  "contact":{"name":"A","phone":"040 123 4567","consent":true}})";

TEST(ApiSubmissionParser, ParsesEveryField) {
  auto s = parse_api_submission(kValid);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->touchpoint, "tp1");
  EXPECT_EQ(s->channel, domain::Channel::kiosk);
  EXPECT_EQ(s->language, domain::Language::sv);
  EXPECT_EQ(s->respondent, domain::Respondent::on_behalf);
  EXPECT_EQ(s->answers.at("nps"), std::vector<std::string>{"9"});
  EXPECT_EQ(s->answers.at("agree"), std::vector<std::string>{"cant_say"});
  EXPECT_EQ(s->answers.at("many"), (std::vector<std::string>{"x", "y"}));
  ASSERT_TRUE(s->contact);
  EXPECT_TRUE(s->contact->consent);
  auto raw = raw_answers_of(*s);
  EXPECT_EQ(raw.at("contact.wanted"), std::vector<std::string>{"yes"});
  EXPECT_EQ(raw.at("contact.phone"), std::vector<std::string>{"040 123 4567"});
  EXPECT_EQ(raw.at("contact.consent"), std::vector<std::string>{"yes"});
  EXPECT_EQ(raw.count("contact.email"), 0u);
}

void expect_error(std::string_view body, const std::string& fragment) {
  auto s = parse_api_submission(body);
  ASSERT_FALSE(s) << body;
  EXPECT_EQ(s.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(s.error().message.find(fragment), std::string::npos) << "got: " << s.error().message;
}

TEST(ApiSubmissionParser, RejectsUnknownFieldsWithTheirPath) {
  expect_error(
      R"({"touchpoint":"tp1","channel":"web","language":"fi","submission_key":"k","answers":{},"extra":1})",
      "extra: unknown field");
  expect_error(R"({"touchpoint":"tp1","channel":"web","language":"fi","submission_key":"k","answers":{},
                   "contact":{"phone":"1","fax":"2"}})",
               "contact.fax: unknown field");
  expect_error(R"({"touchpoint":"tp1","channel":"web","language":"fi","submission_key":"k",
                   "answers":{"contact.phone":"1"}})",
               "answers.contact.phone");
}

TEST(ApiSubmissionParser, RejectsWrongTypesWithTheirPath) {
  expect_error(R"({"touchpoint":5,"channel":"web","language":"fi","submission_key":"k","answers":{}})",
               "touchpoint: expected a string, got an integer");
  expect_error(
      R"({"touchpoint":"t","channel":"web","language":"fi","submission_key":"k","answers":{"nps":9.5}})",
      "answers.nps: expected an integer, a string or an array of strings");
  expect_error(
      R"({"touchpoint":"t","channel":"web","language":"fi","submission_key":"k","answers":{"m":["x",1]}})",
      "answers.m[1]: expected a string, got an integer");
  expect_error(R"({"touchpoint":"t","channel":"web","language":"fi","submission_key":"k","answers":[]})",
               "answers: expected an object, got an array");
  expect_error(R"({"touchpoint":"t","channel":"web","language":"fi","submission_key":"k","answers":{},
                   "contact":{"consent":"yes"}})",
               "contact.consent: expected a boolean, got a string");
  expect_error(R"({"touchpoint":"t","channel":"pigeon","language":"fi","submission_key":"k","answers":{}})",
               "channel: unknown channel 'pigeon'");
  expect_error(R"({"touchpoint":"t","channel":"web","language":"de","submission_key":"k","answers":{}})",
               "language: unknown language 'de'");
  expect_error(R"([1,2])", "(body): expected an object");
}

TEST(ApiSubmissionParser, RequiresTheCoreFields) {
  expect_error(R"({"channel":"web","language":"fi","submission_key":"k","answers":{}})",
               "touchpoint: required");
  expect_error(R"({"touchpoint":"t","channel":"web","language":"fi","submission_key":"k"})",
               "answers: required");
  expect_error(R"({"touchpoint":"t","language":"fi","submission_key":"k","answers":{}})",
               "channel: required");
}

TEST(ApiSubmissionParser, RejectsBrokenJsonWithOffset) {
  expect_error(R"({"touchpoint": "t",)", "invalid JSON");
  expect_error("{\"touchpoint\": \"\xFF\"}", "invalid JSON at byte");
  expect_error(std::string(100, '[') + std::string(100, ']'), "invalid JSON");
  expect_error("", "invalid JSON");
}

TEST(ApiInvitationParser, DefaultsAndChecks) {
  auto inv = parse_api_invitation(R"({"touchpoint":"tp1","event_ref":"v-1"})");
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->ttl_hours, 168);
  EXPECT_EQ(inv->channel, domain::Channel::sms);
  EXPECT_EQ(inv->language, domain::Language::fi);
  auto full = parse_api_invitation(
      R"({"touchpoint":"tp1","unit":"u","event_ref":"v","language":"en","channel":"web","ttl_hours":48})");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->ttl_hours, 48);
  EXPECT_EQ(full->channel, domain::Channel::web);
  auto bad = parse_api_invitation(R"({"touchpoint":"tp1","ttl_hours":"48"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ttl_hours: expected an integer"), std::string::npos);
  auto big = parse_api_invitation(R"({"touchpoint":"tp1","ttl_hours":99999999999})");
  ASSERT_FALSE(big);
  auto unknown = parse_api_invitation(R"({"touchpoint":"tp1","phone":"040"})");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("phone: unknown field"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::http
