// Routes provided by a layer above http (the channels: FHIR intake, the SMS
// gateway's callbacks), mounted on the Router by path prefix. The Router still owns
// the connection rules (body limit, security headers, error containment); a mount
// only turns one request into one response.
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "domain/access.hpp"
#include "http/message.hpp"

namespace kaiku::http {

class Mount {
 public:
  virtual ~Mount() = default;
  // The path prefix served, e.g. "/fhir": the mount gets "/fhir" and every path
  // below it ("/fhir/Encounter"), never "/fhirx". Constant for the mount's life.
  virtual std::string_view prefix() const = 0;
  // False for mounts that never look at `caller` (static files, public pages): the
  // Router then skips authentication (no session lookup per asset request) and
  // passes unauthorized.
  virtual bool wants_caller() const { return true; }
  // Answers one request under the prefix. `caller` is the principal of the
  // request's bearer token, or why there is none (unauthorized: no or a bad
  // token; unavailable: the store failed) -- mounts that authenticate otherwise
  // ignore it. Runs on a worker thread (may block on storage). Thread-safe; should
  // not throw (the Router answers 500 if it does).
  virtual Response handle(const Request& req, const Result<domain::Principal>& caller) const = 0;
};

}  // namespace kaiku::http
