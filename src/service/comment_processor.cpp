#include "service/comment_processor.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "security/sealer.hpp"
#include "storage/answers_json.hpp"
#include "text/analyzer.hpp"

namespace kaiku::service {

namespace {

bool has_insight(const domain::Response& r, const std::string& key) {
  return std::any_of(r.insights.begin(), r.insights.end(),
                     [&](const domain::CommentInsight& i) { return i.question_key == key; });
}

constexpr int kBackfillPage = 500;

}  // namespace

CommentProcessor::CommentProcessor(const text::Analyzer& analyzer, const security::Sealer& sealer, Clock& clock)
    : analyzer_(analyzer), sealer_(sealer), clock_(clock) {}

Status CommentProcessor::process(const domain::Model& model, domain::Response& r) const {
  text::RedactOptions options;
  options.redact_staff_names = model.free_text.redact_staff_names;
  const TimePoint expires = clock_.now() + std::chrono::days(model.free_text.original_retention_days);
  Status result;
  for (auto& a : r.answers) {
    // Every answer stored as text, whatever the model now says about its question
    // (a changed type, a survey gone from the model): storage calls the same
    // answers free text, and none of them may stay unredacted.
    if (!storage::carries_free_text(a) || has_insight(r, a.key)) continue;
    text::Analysis analysis = analyzer_.analyze(a.text, options);
    if (!analysis.redacted.valid_utf8) {
      a.text.clear();  // the unredacted bytes never go further
      if (result) {
        result = fail(Error::invalid("answer '" + a.key + "': not valid UTF-8 (" + analysis.redacted.error + ")"));
      }
      continue;
    }
    const std::vector<std::uint8_t> sealed = sealer_.seal(a.text);
    domain::SealedOriginal original;
    original.question_key = a.key;
    original.sealed.assign(sealed.begin(), sealed.end());
    original.expires_at = expires;
    r.insights.push_back(analysis.insight(a.key));
    r.originals.push_back(std::move(original));
    a.text = std::move(analysis.redacted.text);
  }
  return result;
}

Result<BackfillSummary> backfill_comments(const domain::Model& model, storage::Store& store,
                                          const CommentProcessor& processor) {
  BackfillSummary summary;
  std::int64_t& updated = summary.updated;
  std::int64_t after = 0;
  for (;;) {
    auto page = store.comments().needing_analysis(after, kBackfillPage);
    if (!page) return fail(Error::unavailable("backfill: could not read responses: " + page.error().message));
    if (page->empty()) break;
    for (auto& r : *page) {
      after = std::max(after, r.id);
      const std::size_t before = r.insights.size();
      // An answer that cannot be analysed is emptied by process() (never shown
      // unredacted) and stored so; the rest of the response is analysed as usual.
      const Status analysed = processor.process(model, r);
      if (analysed && r.insights.size() == before) continue;  // nothing to analyse after all
      // Its inbox case (written at the migration or append) gets the redacted text
      // and, with the themes now known, its safety flag.
      r.case_opening = domain::open_case(model, r);
      Status st = store.comments().store_analysis(r);
      if (!st) {
        if (st.error().kind == ErrorKind::not_found) continue;
        return fail(Error{st.error().kind,
                          "backfill: response " + std::to_string(r.id) + ": " + st.error().message});
      }
      ++updated;
    }
    if (static_cast<int>(page->size()) < kBackfillPage) break;
  }
  if (updated > 0) {
    // The replaced raw texts may linger in the WAL (and freed pages): push them out.
    auto flushed = store.comments().flush_replaced_texts();
    if (!flushed) summary.flush_error = flushed.error().message;
  }
  return summary;
}

}  // namespace kaiku::service
