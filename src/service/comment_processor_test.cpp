// CommentProcessor, its use by SurveyService (every door), backfill_comments and
// ResponseQueryService::originals (roles, scope, audit).
#include "service/comment_processor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "security/password.hpp"
#include "security/sealer.hpp"
#include "service/auth_service.hpp"
#include "service/query_service.hpp"
#include "service/survey_service.hpp"
#include "service/test_support.hpp"
#include "storage/sqlite_store.hpp"
#include "text/analyzer.hpp"

namespace kaiku::service {
namespace {

using domain::Role;

constexpr const char* kComment = "Soita 040-1234567, hetu 131052-308T";

security::SecretKey test_key() {
  security::SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return k;
}

std::unique_ptr<text::Analyzer> make_analyzer() {
  auto a = text::Analyzer::create({}, nullptr);
  if (!a) throw std::runtime_error(a.error().message);
  return std::move(*a);
}

const domain::Answer* answer(const domain::Response& r, const std::string& key) {
  for (const auto& a : r.answers) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

class CommentTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  std::unique_ptr<text::Analyzer> analyzer = make_analyzer();
  security::Sealer sealer{test_key()};
  CommentProcessor processor{*analyzer, sealer, fx.clock};
  SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random, nullptr, &processor};
  SurveyService plain{fx.model, *fx.store, fx.clock, fx.random};  // no analysis: an old writer
  AuthService auth{*fx.store, fx.clock};
  ResponseQueryService queries{fx.model, *fx.store, fx.clock, &sealer};

  SubmissionInput with_comment(const std::string& key, const std::string& text = kComment,
                               const std::string& tp = "tp1") {
    SubmissionInput in;
    in.touchpoint = tp;
    in.submission_key = key;
    in.answers["nps"] = {"9"};
    in.answers["one"] = {"a"};
    in.answers["open"] = {text};
    return in;
  }
  domain::Principal principal(const std::string& login, Role role, const std::string& unit) {
    auto id = add_user(*fx.store, fx.model, login, role, unit, "correct horse", security::PasswordCost::minimal());
    EXPECT_TRUE(id) << id.error().message;
    auto token = issue_token(*fx.store, login, fx.random, fx.clock);
    EXPECT_TRUE(token) << token.error().message;
    auto p = auth.authenticate_header("Bearer " + *token);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }
  std::vector<storage::AuditEntry> audit_of(const std::string& action) {
    auto all = fx.store->audit().recent(100);
    EXPECT_TRUE(all);
    std::vector<storage::AuditEntry> out;
    for (const auto& e : *all) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }
};

TEST_F(CommentTest, ProcessRedactsAnalysesAndSealsOpenAnswersOnly) {
  domain::Response r;
  r.survey = "core";
  r.answers.push_back({"nps", 9, false, {}, ""});
  r.answers.push_back({"open", std::nullopt, false, {}, kComment});
  ASSERT_TRUE(processor.process(fx.model, r));
  const domain::Answer* open = answer(r, "open");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->text.find("040-1234567"), std::string::npos) << open->text;
  EXPECT_EQ(open->text.find("131052-308T"), std::string::npos) << open->text;
  EXPECT_NE(open->text.find("[puhelin]"), std::string::npos) << open->text;
  EXPECT_NE(open->text.find("[hetu]"), std::string::npos) << open->text;
  ASSERT_EQ(r.insights.size(), 1u);
  EXPECT_EQ(r.insights[0].question_key, "open");
  EXPECT_EQ(r.insights[0].placeholders, (std::vector<std::string>{"puhelin", "hetu"}));
  ASSERT_EQ(r.originals.size(), 1u);
  EXPECT_EQ(r.originals[0].question_key, "open");
  EXPECT_EQ(r.originals[0].expires_at,
            fx.clock.now() + std::chrono::days(fx.model.free_text.original_retention_days));
  EXPECT_EQ(r.originals[0].sealed.find("131052"), std::string::npos) << "sealed bytes are not the text";
  auto opened = sealer.open(std::vector<std::uint8_t>(r.originals[0].sealed.begin(), r.originals[0].sealed.end()));
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, kComment);
  EXPECT_EQ(answer(r, "nps")->number, 9);

  // Idempotent: an answer with an insight is not analysed (or sealed) again.
  ASSERT_TRUE(processor.process(fx.model, r));
  EXPECT_EQ(r.insights.size(), 1u);
  EXPECT_EQ(r.originals.size(), 1u);
}

TEST_F(CommentTest, FeedbackTextIsProcessedAndInvalidUtf8IsEmptied) {
  domain::Response fb;
  fb.survey = kFeedbackSurveyId;
  fb.channel = domain::Channel::feedback;
  fb.answers.push_back({kFeedbackTextKey, std::nullopt, false, {}, "Mail me: matti@example.fi"});
  ASSERT_TRUE(processor.process(fx.model, fb));
  EXPECT_EQ(answer(fb, kFeedbackTextKey)->text.find("matti@example.fi"), std::string::npos);
  ASSERT_EQ(fb.insights.size(), 1u);
  EXPECT_EQ(fb.insights[0].placeholders, std::vector<std::string>{"email"});

  domain::Response bad;
  bad.survey = "core";
  bad.answers.push_back({"open", std::nullopt, false, {}, std::string("hetu 131052-308T \xff\xfe")});
  auto st = processor.process(fx.model, bad);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::invalid_input);
  EXPECT_TRUE(answer(bad, "open")->text.empty()) << "never passed on unredacted";
  EXPECT_TRUE(bad.insights.empty());
  EXPECT_TRUE(bad.originals.empty());
}

TEST_F(CommentTest, SurveyServiceStoresRedactedTextAndRetriesAreDuplicates) {
  auto first = surveys.submit(with_comment("comment-key-000001"));
  ASSERT_TRUE(first) << first.error().message;
  auto stored = fx.store->responses().get(first->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(answer(*stored, "open")->text.find("131052-308T"), std::string::npos);
  ASSERT_EQ(stored->insights.size(), 1u);
  EXPECT_TRUE(stored->originals.empty()) << "get() never returns sealed originals";
  auto originals = fx.store->comments().originals(first->id, fx.clock.now());
  ASSERT_TRUE(originals) << originals.error().message;
  ASSERT_EQ(originals->size(), 1u);

  // A retry of the same submission (a later moment, a new seal) is still the same.
  fx.clock.advance(std::chrono::seconds(5));
  auto again = surveys.submit(with_comment("comment-key-000001"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->id, first->id);
  // Other text under the same key is not.
  auto other = surveys.submit(with_comment("comment-key-000001", "Soita 040-7654321"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::conflict);
  EXPECT_EQ(fx.store->responses().count().value(), 1);

  // Free-form feedback goes through the same door.
  FeedbackInput fb;
  fb.unit = "unit_a1";
  fb.kind = "complaint";
  fb.text = "Hetuni on 131052-308T";
  fb.submission_key = "comment-key-000002";
  auto f = surveys.submit_feedback(fb);
  ASSERT_TRUE(f) << f.error().message;
  auto fr = fx.store->responses().get(f->id);
  ASSERT_TRUE(fr);
  EXPECT_EQ(answer(*fr, kFeedbackTextKey)->text.find("131052"), std::string::npos);
  EXPECT_EQ(fr->insights.size(), 1u);
}

TEST_F(CommentTest, BackfillAnalysesOlderResponsesOnce) {
  auto old1 = plain.submit(with_comment("backfill-key-00001"));
  auto old2 = plain.submit(with_comment("backfill-key-00002", "Kiitos hyvästä palvelusta"));
  SubmissionInput no_text;
  no_text.touchpoint = "tp1";
  no_text.submission_key = "backfill-key-00003";
  no_text.answers["nps"] = {"7"};
  auto old3 = plain.submit(no_text);
  auto fresh = surveys.submit(with_comment("backfill-key-00004"));
  ASSERT_TRUE(old1 && old2 && old3 && fresh);
  ASSERT_EQ(answer(fx.store->responses().get(old1->id).value(), "open")->text, kComment);

  const std::filesystem::path wal = storage::sqlite_database_file(fx.dir.path()).string() + "-wal";
  ASSERT_GT(std::filesystem::file_size(wal), 0u) << "the raw texts are in the WAL";
  auto n = backfill_comments(fx.model, *fx.store, processor);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->updated, 2);
  EXPECT_EQ(n->flush_error, "");
  EXPECT_EQ(std::filesystem::file_size(wal), 0u) << "the backfill flushed the replaced texts off the WAL";
  auto r1 = fx.store->responses().get(old1->id);
  ASSERT_TRUE(r1);
  EXPECT_EQ(answer(*r1, "open")->text.find("040-1234567"), std::string::npos);
  ASSERT_EQ(r1->insights.size(), 1u);
  EXPECT_EQ(r1->insights[0].placeholders, (std::vector<std::string>{"puhelin", "hetu"}));
  auto o1 = fx.store->comments().originals(old1->id, fx.clock.now());
  ASSERT_TRUE(o1);
  ASSERT_EQ(o1->size(), 1u);
  EXPECT_EQ(sealer.open(std::vector<std::uint8_t>((*o1)[0].sealed.begin(), (*o1)[0].sealed.end())).value(),
            kComment);
  EXPECT_EQ(fx.store->responses().get(fresh->id)->insights.size(), 1u) << "not analysed twice";

  auto again = backfill_comments(fx.model, *fx.store, processor);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->updated, 0);
}

TEST_F(CommentTest, EveryTextAnswerIsAnalysedWhateverTheModelSaysOfItsQuestion) {
  // "agree" is an agreement question, "gone" no question at all, survey "left" no
  // survey of the model: text stored under any of them is free text all the same.
  for (const std::string survey : {"core", "left"}) {
    domain::Response r;
    r.survey = survey;
    r.answers.push_back({"agree", std::nullopt, false, {}, "Soita 040-1234567"});
    r.answers.push_back({"gone", std::nullopt, false, {}, "hetu 131052-308T"});
    r.answers.push_back({"nps", 9, false, {}, ""});
    r.answers.push_back({"many", std::nullopt, false, {"x"}, ""});
    r.answers.push_back({"agree2", std::nullopt, true, {}, ""});
    ASSERT_TRUE(processor.process(fx.model, r)) << survey;
    ASSERT_EQ(r.insights.size(), 2u) << survey;
    EXPECT_EQ(r.insights[0].question_key, "agree");
    EXPECT_EQ(r.insights[1].question_key, "gone");
    EXPECT_EQ(r.originals.size(), 2u);
    EXPECT_EQ(answer(r, "agree")->text.find("040-1234567"), std::string::npos) << survey;
    EXPECT_EQ(answer(r, "gone")->text.find("131052-308T"), std::string::npos) << survey;
  }
}

TEST_F(CommentTest, BackfillAnalysesTextWhoseQuestionChangedTypeOrLeftTheModel) {
  auto typed = plain.submit(with_comment("changed-key-000001"));
  auto gone = plain.submit(with_comment("changed-key-000002", "Kiitos, hetu 131052-308T"));
  ASSERT_TRUE(typed && gone);
  // The next model version: "open" became a single choice, survey "core" renamed.
  domain::Model next = fx.model;
  for (auto& sv : next.surveys) {
    for (auto& q : sv.questions) {
      if (q.key == "open") q.type = domain::QuestionType::single_choice;
    }
  }
  auto once = backfill_comments(next, *fx.store, processor);
  ASSERT_TRUE(once) << once.error().message;
  EXPECT_EQ(once->updated, 2);
  EXPECT_EQ(answer(fx.store->responses().get(typed->id).value(), "open")->text.find("040-1234567"),
            std::string::npos);

  auto later = plain.submit(with_comment("changed-key-000003"));
  ASSERT_TRUE(later);
  next.surveys[0].id = "core_v2";
  next.index();
  ASSERT_EQ(next.survey("core"), nullptr);
  auto twice = backfill_comments(next, *fx.store, processor);
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->updated, 1);
  EXPECT_EQ(fx.store->responses().get(later->id)->insights.size(), 1u);
  auto left = fx.store->comments().needing_analysis(0, 100);
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty()) << "nothing storage calls unanalysed is left behind";
  auto none = backfill_comments(next, *fx.store, processor);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->updated, 0);
}

TEST_F(CommentTest, ACommentThatIsLiterallyCantSayIsAccepted) {
  // Stored as the JSON string "cant_say" it reads back as the agreement "can't say";
  // it gets no insight (so storage's checks accept the response), and nothing to backfill.
  auto first = surveys.submit(with_comment("cantsay-key-000001", "cant_say"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->duplicate);
  auto stored = fx.store->responses().get(first->id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->insights.empty());
  auto originals = fx.store->comments().originals(first->id, fx.clock.now());
  ASSERT_TRUE(originals);
  EXPECT_TRUE(originals->empty());
  auto again = surveys.submit(with_comment("cantsay-key-000001", "cant_say"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  auto n = backfill_comments(fx.model, *fx.store, processor);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->updated, 0);

  // Free-form feedback reading just "cant_say" likewise.
  FeedbackInput fb;
  fb.unit = "unit_a1";
  fb.kind = "complaint";
  fb.text = "cant_say";
  fb.submission_key = "cantsay-key-000002";
  auto f = surveys.submit_feedback(fb);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_TRUE(fx.store->responses().get(f->id)->insights.empty());

  // A comment merely containing it is analysed as usual.
  auto longer = surveys.submit(with_comment("cantsay-key-000003", "cant_say, hetu 131052-308T"));
  ASSERT_TRUE(longer) << longer.error().message;
  EXPECT_EQ(fx.store->responses().get(longer->id)->insights.size(), 1u);
}

TEST_F(CommentTest, OriginalsOnlyForReadersInScopeAndEveryReadAudited) {
  auto in_a = surveys.submit(with_comment("original-key-00001"));
  auto in_b = surveys.submit(with_comment("original-key-00002", kComment, "tp_b"));
  ASSERT_TRUE(in_a && in_b);
  const auto admin = principal("admin1", Role::admin, "county");
  const auto cx_a = principal("cx_a", Role::cx_specialist, "area_a");
  const auto analyst = principal("analyst1", Role::analyst, "county");
  const auto manager = principal("manager1", Role::unit_manager, "unit_a1");

  auto got = queries.originals(admin, in_a->id);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].question_key, "open");
  EXPECT_EQ((*got)[0].text, kComment);
  auto served = audit_of("comments.original");
  ASSERT_EQ(served.size(), 1u);
  EXPECT_EQ(served[0].object, "response=" + std::to_string(in_a->id));
  EXPECT_EQ(served[0].login, "admin1");
  EXPECT_EQ(served[0].count, 1);

  for (const auto* who : {&analyst, &manager}) {
    auto no = queries.originals(*who, in_a->id);
    ASSERT_FALSE(no);
    EXPECT_EQ(no.error().kind, ErrorKind::forbidden) << who->login;
  }
  auto outside = queries.originals(cx_a, in_b->id);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().kind, ErrorKind::not_found) << "outside the scope looks like missing";
  auto missing = queries.originals(admin, 999999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(audit_of("comments.original.denied").size(), 4u);
  EXPECT_EQ(audit_of("comments.original").size(), 1u);

  // Roles are the model's: without cx_specialist among the readers, cx is refused.
  fx.model.free_text.original_readers = {"admin"};
  auto cx = queries.originals(cx_a, in_a->id);
  ASSERT_FALSE(cx);
  EXPECT_EQ(cx.error().kind, ErrorKind::forbidden);

  // After the retention the original is gone (the redacted response stays).
  fx.clock.advance(std::chrono::days(fx.model.free_text.original_retention_days) + std::chrono::hours(1));
  auto expired = queries.originals(admin, in_a->id);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().kind, ErrorKind::not_found);
  EXPECT_EQ(answer(fx.store->responses().get(in_a->id).value(), "open")->text.find("[hetu]") != std::string::npos,
            true);

  ResponseQueryService no_sealer{fx.model, *fx.store, fx.clock};
  auto unavailable = no_sealer.originals(admin, in_a->id);
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace kaiku::service
