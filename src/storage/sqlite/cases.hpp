// Internal: the SQLite CaseRepository (see storage/case_store.hpp), and the
// helpers the response writes call inside their transactions.
#pragma once

#include <cstdint>

#include "storage/case_store.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

// Writes the case `r.case_opening` describes for the just stored response
// `response_id`, inside the caller's transaction (append_in_transaction); nothing
// when `r.case_opening` is unset. The redacted text (excerpt, full-text index) and
// the analysis (themes, sentiment, suggestion) are written only when every open
// answer of `r` has been analysed (its texts are the redacted ones); otherwise
// refresh_case_text_in_transaction writes them after store_analysis.
Status insert_case_in_transaction(Connection& c, std::int64_t response_id, const domain::Response& r,
                                  std::int64_t now_ms);

// After store_analysis replaced the texts of `redacted` by their redaction (in the
// same transaction): writes the case's excerpt, full-text row, themes, sentiment
// and suggestion from `redacted` (and turns `safety`/`alert` on when
// redacted.case_opening says so; never off). Nothing when the response has no case or its text is indexed already.
Status refresh_case_text_in_transaction(Connection& c, const domain::Response& redacted, std::int64_t now_ms);

class SqliteCases final : public CaseRepository {
 public:
  explicit SqliteCases(Context& ctx) : ctx_(ctx) {}
  Result<CasePage> list(const CaseQuery& q) override;
  Result<CaseRecord> get(std::int64_t id) override;
  Result<CaseRecord> update(const CaseChange& change) override;
  Result<std::vector<CaseEvent>> history(std::int64_t id) override;
  Result<std::vector<UnitOverdue>> overdue(const std::vector<std::string>& units, TimePoint now) override;
  Result<std::vector<CaseRecord>> pending_alerts(std::int64_t after_id, int limit) override;
  Status set_alert_notified(std::int64_t id, std::optional<TimePoint> at) override;

 private:
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
