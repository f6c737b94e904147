#include "storage/fingerprint.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

using testing::sample_response;

TEST(ResponseFingerprint, IgnoresTimingVersionKeyAndOrder) {
  const auto base = sample_response("key-a");
  const std::string fp = response_fingerprint(base);
  EXPECT_EQ(fp.size(), 64u);

  auto later = base;
  later.submission_key = "key-b";
  later.answered_at += std::chrono::minutes(5);
  later.model_version = "mv-2";
  later.id = 42;
  EXPECT_EQ(response_fingerprint(later), fp);

  auto reordered = base;
  std::reverse(reordered.answers.begin(), reordered.answers.end());
  std::reverse(reordered.answers.back().choices.begin(), reordered.answers.back().choices.end());
  EXPECT_EQ(response_fingerprint(reordered), fp) << "answers by key, choices as a set";

  auto with_contact = base;
  with_contact.contact = domain::ContactRequest{"A", "0401234567", "", true};
  auto other_contact = base;
  other_contact.contact = domain::ContactRequest{"B", "0409999999", "b@example.fi", true};
  EXPECT_EQ(response_fingerprint(with_contact), response_fingerprint(other_contact))
      << "contact presence counts, not the details (they expire)";
}

TEST(ResponseFingerprint, EveryCoveredFieldChangesIt) {
  const auto base = sample_response("key-a");
  const std::string fp = response_fingerprint(base);
  std::vector<std::pair<std::string, std::function<void(domain::Response&)>>> changes = {
      {"touchpoint", [](auto& r) { r.touchpoint = "tp-other"; }},
      {"unit", [](auto& r) { r.unit = "u-2"; }},
      {"survey", [](auto& r) { r.survey = "child"; }},
      {"channel", [](auto& r) { r.channel = domain::Channel::qr; }},
      {"language", [](auto& r) { r.language = domain::Language::fi; }},
      {"respondent", [](auto& r) { r.respondent = domain::Respondent::self; }},
      {"a number", [](auto& r) { r.answers[0].number = 8; }},
      {"cant_say",
       [](auto& r) {
         r.answers[1].cant_say = false;
         r.answers[1].number = 3;
       }},
      {"a choice", [](auto& r) { r.answers[2].choices = {"phone"}; }},
      {"a text", [](auto& r) { r.answers[3].text += "!"; }},
      {"an answer less", [](auto& r) { r.answers.pop_back(); }},
      {"contact",
       [](auto& r) {
         r.contact = domain::ContactRequest{"A", "0401234567", "", true};
       }},
      {"invitation", [](auto& r) { r.invitation = "inv-1"; }},
      {"supplements", [](auto& r) { r.supplements = 7; }},
      {"feedback_kind", [](auto& r) { r.feedback_kind = "praise"; }},
  };
  for (const auto& [what, change] : changes) {
    auto r = base;
    change(r);
    EXPECT_NE(response_fingerprint(r), fp) << what;
  }
}

TEST(ResponseFingerprint, FieldsCannotBleedIntoEachOther) {
  auto a = sample_response("k");
  a.answers = {{"q1", std::nullopt, false, {}, "ab"}, {"q2", std::nullopt, false, {}, "c"}};
  auto b = a;
  b.answers = {{"q1", std::nullopt, false, {}, "a"}, {"q2", std::nullopt, false, {}, "bc"}};
  EXPECT_NE(response_fingerprint(a), response_fingerprint(b));
  auto c = a;
  c.touchpoint = "tp";
  c.unit = "u1";
  auto d = a;
  d.touchpoint = "tpu";
  d.unit = "1";
  EXPECT_NE(response_fingerprint(c), response_fingerprint(d));
}

}  // namespace
}  // namespace kaiku::storage
