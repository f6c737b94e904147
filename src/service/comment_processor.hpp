// Free text on its way in: every open-text answer is analysed and redacted before a
// response is stored, and its original is sealed. Used by every door that stores
// answers (forms, API, kiosk, SMS replies) and by the backfill of older responses.
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"
#include "storage/store.hpp"

namespace kaiku::security {
class Sealer;
}
namespace kaiku::text {
class Analyzer;
}

namespace kaiku::service {

// Thread-safe; references must outlive it.
class CommentProcessor {
 public:
  CommentProcessor(const text::Analyzer& analyzer, const security::Sealer& sealer, Clock& clock);

  // For each answer of `r` that carries free text (storage::carries_free_text:
  // stored as a non-empty text other than "cant_say", whatever type `model` now
  // gives its question, so exactly the answers storage would call unanalysed)
  // that has no insight yet: analyses it with model.free_text (redact_staff_names), replaces answer.text by
  // the redacted text, appends its CommentInsight to r.insights and its sealed
  // original to r.originals (expires now + original_retention_days). Text that is
  // not valid UTF-8 cannot reach here (validate_answers refuses it); if it does,
  // the answer's text is emptied and the error is returned. Never stores anything.
  Status process(const domain::Model& model, domain::Response& r) const;

 private:
  const text::Analyzer& analyzer_;
  const security::Sealer& sealer_;
  Clock& clock_;
};

struct BackfillSummary {
  std::int64_t updated = 0;  // responses whose text was replaced by its redaction
  std::string flush_error;   // why flush_replaced_texts failed ("" when it did not)
};

// Analyses and redacts responses stored without analysis (before schema 5), in
// pages, through storage::CommentRepository. When any was updated, then asks the
// store to flush the replaced texts off the disk (CommentRepository::
// flush_replaced_texts); a failure there is not an error of the backfill (the
// texts are replaced) but is returned in flush_error for the caller to log.
// Idempotent; safe to run while the server takes new responses.
Result<BackfillSummary> backfill_comments(const domain::Model& model, storage::Store& store,
                                          const CommentProcessor& processor);

}  // namespace kaiku::service
