// Schema migration: Development actions, "you said, we did" (schema 8).
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {

// One row per action; its localized texts as JSON objects {"fi": "...", "sv": "..."}
// (language tags as domain::language_tag writes them). Themes and the cases
// (response ids) that led to the action are link tables, deleted with the action.
extern const std::string_view kSchemaV8Actions;
const std::string_view kSchemaV8Actions = R"sql(
CREATE TABLE development_actions (
  id          INTEGER PRIMARY KEY,
  unit        TEXT NOT NULL CHECK (unit <> ''),
  title       TEXT NOT NULL CHECK (json_valid(title)),
  description TEXT NOT NULL CHECK (json_valid(description)),
  reason      TEXT NOT NULL CHECK (json_valid(reason)),
  done_on     TEXT NOT NULL CHECK (length(done_on) = 10),
  published   INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  created_by  INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX development_actions_unit ON development_actions(unit, done_on);
CREATE INDEX development_actions_published ON development_actions(done_on, unit) WHERE published = 1;

CREATE TABLE development_action_themes (
  action_id INTEGER NOT NULL REFERENCES development_actions(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  theme     TEXT NOT NULL,
  PRIMARY KEY (action_id, theme)
) WITHOUT ROWID;
CREATE INDEX development_action_themes_theme ON development_action_themes(theme, action_id);

CREATE TABLE development_action_cases (
  action_id   INTEGER NOT NULL REFERENCES development_actions(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  position    INTEGER NOT NULL,
  PRIMARY KEY (action_id, response_id)
) WITHOUT ROWID;
CREATE INDEX development_action_cases_response ON development_action_cases(response_id, action_id);
)sql";

}  // namespace kaiku::storage::sqlite
