// The HTTP/1.1 server: Boost.Beast sessions on a few I/O threads. Requests that may
// block on storage (Router::may_block: submissions wait for the durable group
// commit) are answered by Router::handle() on a separate worker pool, so they never
// stall the I/O threads; pages rendered from memory are answered on the I/O thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "http/router.hpp"

namespace kaiku::http {

struct ServerOptions {
  std::string host = "127.0.0.1";                   // address to bind (IPv4 or IPv6 literal, or "localhost")
  unsigned short port = 8080;                       // 0: any free port (start() returns it)
  int io_threads = 2;                               // socket I/O
  int worker_threads = 64;                          // Router::handle() of requests that may block on storage
  std::size_t body_limit = std::size_t{64} * 1024;  // larger bodies -> 413 and the connection is closed
  // Other body limits for paths under a prefix, e.g. {"/api/v1/models", 4 MiB}: the
  // first matching prefix (body_limit_for in router.hpp) applies instead of body_limit.
  std::vector<std::pair<std::string, std::size_t>> body_limits;
  std::size_t header_limit = std::size_t{16} * 1024;  // larger request heads -> 431
  std::chrono::seconds read_timeout{15};              // a whole request must arrive within this (slowloris)
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};   // keep-alive connection waiting for the next request
  std::chrono::seconds drain_timeout{10};  // stop(): how long in-flight requests may finish
  bool access_log = true;                  // one spdlog line per request: method, route, status, ms
  // Backpressure. A connection beyond max_connections open at once, and a request
  // that would wait for the worker pool while max_queued others already wait,
  // are answered at once with 503 and Retry-After (Router::overloaded) and not
  // queued; the over-limit connection is closed after its answer.
  std::size_t max_connections = 10000;
  std::size_t max_queued = 4096;
  int retry_after_s = 1;  // the Retry-After of those 503 answers
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();  // stops (see stop())
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the I/O and worker threads. Returns the bound port.
  // unavailable when the address cannot be bound.
  Result<unsigned short> start();

  // Graceful stop: closes the listener, lets in-flight requests finish (up to
  // drain_timeout), then closes every connection and joins all threads.
  // Idempotent; callable from any thread except the server's own.
  void stop();

  // The bound port after start(), else 0.
  unsigned short port() const;

  // Switching the router while running (a new model published), without closing
  // the listening socket or any connection:
  // pause() -- from now on a request that has been read waits instead of reaching
  // the router (connections are still accepted and read). Callable from any
  // thread, also from inside a request handler. Idempotent.
  void pause();
  // Blocks until no request is in progress (read and admitted but not yet written
  // back), logging while it waits. Call after pause(); never from a handler.
  void wait_idle();
  // Answers with `router` from now on (it must outlive the server or the next
  // resume) and lets the waiting requests through, in arrival order.
  void resume(const Router& router);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The entry point for `kaiku serve`: starts a Server, prints
// "listening on http://HOST:PORT" (the actual port when options.port is 0) on
// stdout once it accepts connections, runs until SIGINT or SIGTERM, then stops
// gracefully. Returns the process exit code: 0 after a clean stop, 1 when the
// server could not start (the reason goes to spdlog/stderr). `on_listening`
// (optional) runs once the port is bound, before the "listening on" line, with
// the bound port (the caller starts what needs the server's address).
int run_server(const ServerOptions& options, const Router& router,
               const std::function<void(unsigned short)>& on_listening = {});

}  // namespace kaiku::http
