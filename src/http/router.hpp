// The pure request -> response function of the Kaiku server: every route of the
// HTTP contract (respondent pages, static files, QR codes, the JSON API). No
// sockets: the server calls handle() on a worker thread; unit tests call it
// directly.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "domain/model.hpp"
#include "http/message.hpp"
#include "http/mount.hpp"
#include "service/rate_limiter.hpp"
#include "storage/store.hpp"

namespace kaiku::analytics {
class Engine;
}  // namespace kaiku::analytics
namespace kaiku::service {
class OutreachService;
class CommentProcessor;
}  // namespace kaiku::service
namespace kaiku::security {
class Sealer;
}  // namespace kaiku::security

namespace kaiku::http {

// The backends the routes use. All must outlive the Router. Thread-safe.
struct Services {
  const domain::Model& model;
  storage::Store& store;
  Clock& clock;
  Random& random;
  // The reporting engine (optional): when set, every response and invitation
  // stored through the routes is added to it, and /api/v1/reports/* answer from
  // it; when null those routes answer 503.
  analytics::Engine* engine = nullptr;
  // SMS outreach (optional): GET /api/v1/events answers from it; 503 when null.
  service::OutreachService* outreach = nullptr;
  // Free text (optional): `comments` analyses and redacts open answers before
  // they are stored (null: stored unanalysed); `sealer` opens sealed originals
  // for GET /api/v1/responses/{id}/original (null: that route answers 503).
  const service::CommentProcessor* comments = nullptr;
  const security::Sealer* sealer = nullptr;
  // Routes of the layers above (optional; each must outlive the Router), tried
  // before the Router's own routes by path prefix.
  std::vector<const Mount*> mounts;
};

struct RouterConfig {
  // Absolute base URL without trailing slash, for QR codes and posters, e.g.
  // "https://palaute.example.fi". Empty: derived from the request's Host header.
  std::string base_url;
  // Largest request body accepted (bytes); larger -> 413.
  std::size_t body_limit = std::size_t{64} * 1024;
  // Other limits for paths under a prefix (body_limit_for), e.g. the model upload.
  std::vector<std::pair<std::string, std::size_t>> body_limits;
  // Anonymous POSTs (survey, kiosk, feedback) per client IP and touchpoint.
  service::RateLimit anonymous_limit{2.0, 30.0};
  // Reverse proxies (exact IP address strings, e.g. "127.0.0.1", "10.0.0.5") whose
  // X-Forwarded-For is believed. When the peer is one of them, rate limiting keys
  // on the last X-Forwarded-For address that is not in this list (the client as the
  // first trusted proxy saw it); otherwise on the peer address. Empty (default):
  // X-Forwarded-For is ignored.
  std::vector<std::string> trusted_proxies;
  // false: no rate limiting at all (benchmarks, load tests).
  bool rate_limit_enabled = true;
  // Kiosk thank-you / follow-up pages: the reset to the start as a
  // <meta http-equiv="refresh"> in the markup (true, the HTTP contract) or as an
  // HTTP `Refresh` header (false; keeps axe-core's meta-refresh rule quiet).
  bool kiosk_refresh_in_markup = true;
  // Seconds before a kiosk thank-you page resets to the start.
  int kiosk_reset_seconds = 8;
  // Reported by /healthz.
  std::string server_version = "0.1.0";
};

// The body limit of a request to `target` (a path, with or without "?query"): the
// limit of the first entry of `limits` whose prefix is the path or a parent of it
// ("/p" matches "/p" and "/p/x", never "/px"), else `fallback`.
std::size_t body_limit_for(std::string_view target, std::size_t fallback,
                           const std::vector<std::pair<std::string, std::size_t>>& limits);

class Router {
 public:
  Router(Services services, RouterConfig config);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Answers one request. Never throws; every response carries the security
  // headers and `route` set to the matched route pattern. Thread-safe.
  Response handle(const Request& req) const;

  // True when handle(req) may block on storage (every POST, the response list,
  // invitation pages). The server runs those on its worker pool and the rest (pages
  // and static content rendered from memory) directly on the I/O thread.
  bool may_block(const Request& req) const;

  // The 413 answer for `req` (whose body was too large to read): an HTML page for
  // respondent routes, a problem document for the API. Cheap; never blocks.
  Response too_large(const Request& req) const;

  // The 503 answer for `req` when the server is overloaded (too many connections
  // or too many queued requests): an HTML page for respondent routes, a problem
  // document for the API, with `Retry-After: retry_after_s`. Cheap; never blocks.
  Response overloaded(const Request& req, int retry_after_s) const;

  const RouterConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::http
