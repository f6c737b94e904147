#include "modelfile/model_from_json.hpp"

#include <gtest/gtest.h>

#include "modelfile/loader.hpp"
#include "modelfile/model_json.hpp"

namespace kaiku::modelfile {
namespace {

TEST(ModelFromJson, RoundTripsTheDemoModel) {
  auto loaded = load_model(std::filesystem::path(KAIKU_SOURCE_DIR) / "models/demo");
  ASSERT_TRUE(loaded.has_value());
  const std::string json = model_to_json(*loaded);
  auto back = model_from_json(json);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(model_to_json(*back), json);
  EXPECT_EQ(back->version, loaded->version);
  EXPECT_EQ(model_content_hash(*back), loaded->version);
  EXPECT_FALSE(back->contacts.accessibility_email.empty());  // the demo's county contacts survive
  EXPECT_EQ(back->contacts.statement_date, loaded->contacts.statement_date);
  EXPECT_EQ(back->contacts.complaints_url, loaded->contacts.complaints_url);
  ASSERT_FALSE(back->touchpoints.empty());
  EXPECT_NE(back->touchpoint(back->touchpoints.front().id), nullptr);
}

TEST(ModelFromJson, NamesThePathOfAWrongValue) {
  auto r = model_from_json(R"({"units":[{"id":"a"},{"id":7}]})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("$.units[1].id: expected a string"), std::string::npos)
      << r.error().message;
  // The first wrong value is named, even when later ones are wrong too.
  r = model_from_json(R"({"contacts":{"statement_date":5},"languages":["xx"],"surveys":7})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("$.contacts.statement_date: expected a string"), std::string::npos)
      << r.error().message;
  r = model_from_json(R"({"surveys":[{"questions":[{"type":"essay"}]}]})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("$.surveys[0].questions[0].type: unknown question type"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(model_from_json("{not json").has_value());
  EXPECT_FALSE(model_from_json("[]").has_value());
}

}  // namespace
}  // namespace kaiku::modelfile
