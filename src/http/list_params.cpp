// Query parameters shared by the paged list endpoints (responses, events).
#include <charconv>

#include "http/problem.hpp"
#include "http/router_impl.hpp"

namespace kaiku::http {

std::optional<Response> read_list_params(const Call& c, std::initializer_list<std::string_view> known,
                                         ListParams& out) {
  for (const auto& [k, v] : c.query.fields) {
    bool ok = k == "from" || k == "to" || k == "cursor" || k == "limit";
    for (std::string_view n : known) ok = ok || k == n;
    if (!ok) return problem(400, "invalid_input", "unknown query parameter '" + k + "'", c.path);
  }
  for (const char* name : {"from", "to"}) {
    if (!c.query.has(name)) continue;
    TimePoint t;
    if (!parse_rfc3339(c.query.first(name), t)) {
      return problem(400, "invalid_input",
                     std::string(name) + ": expected an RFC 3339 time such as 2026-11-24T08:00:00Z", c.path);
    }
    (std::string_view(name) == "from" ? out.from : out.to) = t;
  }
  out.cursor = c.query.first("cursor");
  if (c.query.has("limit")) {
    const std::string t = c.query.first("limit");
    int n = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || p != t.data() + t.size() || n < 1 || n > 1000) {
      return problem(400, "invalid_input", "limit: expected an integer 1-1000", c.path);
    }
    out.limit = n;
  }
  return std::nullopt;
}

}  // namespace kaiku::http
