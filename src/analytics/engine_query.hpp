// Private to the engine: answering a Query from the columnar store.
#pragma once

#include "analytics/columns.hpp"
#include "analytics/query.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"

namespace kaiku::analytics::detail {

// Validates `q` against `model` and computes its table from `store`, with
// suppression, adaptive periods, channel mix, standardisation, targets and
// comparisons as documented in query.hpp and engine.hpp. The caller holds a
// lock that keeps `store` unchanged during the call.
Result<Table> run_query(const Store& store, const domain::Model& model, const Query& q);

}  // namespace kaiku::analytics::detail
