// Schema migration 9: which model version was published when and by whom (the one served).
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {

// One row per publication, in publication order; the served model is the version of
// the last row. user_id NULL (login '') marks a model loaded from a file at start
// (`kaiku serve --model PATH`). A database made before this schema counts the
// version it remembered last as published then, by its file.
extern const std::string_view kSchemaV9ModelPublications;
const std::string_view kSchemaV9ModelPublications = R"sql(
CREATE TABLE model_publications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  version      TEXT NOT NULL REFERENCES model_versions(version),
  published_at INTEGER NOT NULL,
  user_id      INTEGER,
  login        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_publications_version ON model_publications(version, id);

INSERT INTO model_publications(version, published_at, user_id, login)
  SELECT version, remembered_at, NULL, '' FROM model_versions ORDER BY rowid DESC LIMIT 1;
)sql";

}  // namespace kaiku::storage::sqlite
