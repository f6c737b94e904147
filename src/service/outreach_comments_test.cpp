// OutreachService: the comment of an SMS reply is redacted and analysed before it
// is stored (CommentProcessor through OutreachOptions::comments).
#include <gtest/gtest.h>

#include "service/comment_processor.hpp"
#include "service/outreach_test_support.hpp"
#include "text/analyzer.hpp"

namespace kaiku::service {
namespace {

using kaiku::testing::item_of;
using kaiku::testing::kMobileE164;
using kaiku::testing::kNow;
using kaiku::testing::kSendAt;
using kaiku::testing::kVisit;
using kaiku::testing::RecordingGateway;
using kaiku::testing::visit_event;

TEST(OutreachComments, TheCommentOfAnSmsReplyIsStoredRedactedWithItsOriginalSealed) {
  kaiku::testing::OutreachFixture of;
  auto analyzer = text::Analyzer::create({}, nullptr);
  ASSERT_TRUE(analyzer) << analyzer.error().message;
  CommentProcessor processor(**analyzer, of.sealer, of.fx.clock);
  of.options.comments = &processor;
  of.make();
  RecordingGateway gw;
  auto e = visit_event("1.2.246.2", "c1", kVisit);
  auto r = of.svc->intake({item_of(e)});
  ASSERT_TRUE(r && r->front().decision == domain::Decision::scheduled);
  of.fx.clock.set(kSendAt);
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).sent, 1);
  of.fx.clock.advance(std::chrono::minutes(30));

  ASSERT_TRUE(of.svc->on_reply(kMobileE164, "9"));
  const std::string comment = "Soittakaa 040-7654321, hetu 131052-308T";
  ASSERT_TRUE(of.svc->on_reply(kMobileE164, comment));
  ASSERT_TRUE(of.svc->on_reply(kMobileE164, comment)) << "delivered again";
  auto rs = of.fx.store->responses().scan(0, 100);
  ASSERT_TRUE(rs);
  ASSERT_EQ(rs->size(), 2u);
  const domain::Response& c = (*rs)[1];
  ASSERT_EQ(c.answers.size(), 1u);
  EXPECT_EQ(c.answers[0].text.find("131052-308T"), std::string::npos) << c.answers[0].text;
  EXPECT_EQ(c.answers[0].text.find("040-7654321"), std::string::npos) << c.answers[0].text;
  ASSERT_EQ(c.insights.size(), 1u);
  EXPECT_EQ(c.insights[0].question_key, c.answers[0].key);
  auto originals = of.fx.store->comments().originals(c.id, of.fx.clock.now());
  ASSERT_TRUE(originals) << originals.error().message;
  ASSERT_EQ(originals->size(), 1u);
  EXPECT_EQ(of.sealer.open(std::vector<std::uint8_t>((*originals)[0].sealed.begin(), (*originals)[0].sealed.end()))
                .value(),
            comment);
  EXPECT_TRUE(kaiku::testing::find_in_database(of.db_file(), "131052-308T").empty())
      << "the identity code is nowhere in the database";
  (void)kNow;
}

}  // namespace
}  // namespace kaiku::service
