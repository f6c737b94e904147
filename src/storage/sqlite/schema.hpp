// Internal: the versioned schema of the SQLite store.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "storage/sqlite/db.hpp"

namespace kaiku::storage::sqlite {

// The migrations, in order: migration i (1-based) brings the schema to version i.
// Append only: never edit a migration that has shipped.
const std::vector<std::string_view>& migrations();

// Brings the database to the newest known schema version inside one IMMEDIATE
// transaction, recording each step in `schema_migrations`. Idempotent. Fails with
// ErrorKind::unavailable naming both versions when the database was written by a
// newer Kaiku (its schema version exceeds migrations().size()).
// Returns the schema version after migrating.
Result<int> migrate(Connection& conn, std::int64_t now_ms);

// The schema version recorded in the database (0 for an empty database).
Result<int> current_schema_version(Connection& conn);

}  // namespace kaiku::storage::sqlite
