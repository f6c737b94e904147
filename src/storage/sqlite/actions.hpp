// Internal: the SQLite ActionRepository (see storage/action_store.hpp).
#pragma once

#include "storage/action_store.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

class SqliteActions final : public ActionRepository {
 public:
  explicit SqliteActions(Context& ctx) : ctx_(ctx) {}
  Result<domain::DevelopmentAction> create(const domain::DevelopmentAction& a) override;
  Result<domain::DevelopmentAction> replace(const domain::DevelopmentAction& a) override;
  Status remove(std::int64_t id) override;
  Result<domain::DevelopmentAction> get(std::int64_t id) override;
  Result<std::vector<domain::DevelopmentAction>> list(const ActionQuery& q) override;
  Result<std::vector<std::string>> units_with_published() override;

 private:
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
