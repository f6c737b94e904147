#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "http/problem.hpp"

namespace kaiku::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// State shared by the listener and every session.
struct Shared {
  Shared(ServerOptions o, const Router& r, net::thread_pool& w) : opt(std::move(o)), current(&r), workers(w) {}
  ServerOptions opt;
  std::atomic<const Router*> current;  // replaced only while paused and idle (Server::resume)
  net::thread_pool& workers;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable idle;
  int in_flight = 0;                        // requests read but not yet written back
  bool paused = false;                      // Server::pause(): requests read wait in `held`
  std::vector<std::function<void()>> held;  // what each waiting request does next (under mu)
  std::atomic<std::size_t> connections{0};  // sessions alive
  std::atomic<std::size_t> queued{0};       // jobs posted to the worker pool, not yet started

  void end() {
    std::lock_guard<std::mutex> lock(mu);
    if (--in_flight == 0) idle.notify_all();
  }
  // Counts a request in (until end()) unless the server is paused: then `later`
  // is kept to run at resume and false is returned.
  bool enter(std::function<void()> later) {
    std::lock_guard<std::mutex> lock(mu);
    if (paused) {
      held.push_back(std::move(later));
      return false;
    }
    ++in_flight;
    return true;
  }
  const Router& router() const { return *current.load(); }
};

// A response for a request that never reached the router (too large, malformed).
Response early_response(int status, std::string_view kind, std::string_view detail) {
  Response res = problem(status, kind, detail, "");
  res.route = "(unparsed)";
  add_security_headers(res);
  return res;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    over_limit_ = shared_.connections.fetch_add(1) >= shared_.opt.max_connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ip_ = ep.address().to_string();
  }

  ~Session() { shared_.connections.fetch_sub(1); }

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    if (shared_.stopping) return do_close();
    parser_.emplace();
    // No limit while the head is read: on_header sets the limit of the request's path.
    parser_->body_limit(boost::none);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.opt.header_limit));
    // The first request of a connection gets read_timeout; a keep-alive connection
    // may idle a little longer, but a request that has started must arrive whole
    // within read_timeout (a slow sender is cut off).
    stream_.expires_after(first_ ? shared_.opt.read_timeout : shared_.opt.idle_timeout);
    first_ = false;
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read(ec, 0);
    stream_.expires_after(shared_.opt.read_timeout);
    const auto& head = parser_->get();
    // The body limit of the request's path (ServerOptions::body_limits).
    const std::size_t limit = body_limit_for(head.target(), shared_.opt.body_limit, shared_.opt.body_limits);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return on_read(bhttp::error::body_limit, 0);
    }
    parser_->body_limit(limit);
    if (beast::iequals(head[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      // The client waits for this before sending its body (curl does for > 1 KiB).
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code wec, std::size_t) {
                                if (wec) return self->do_close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
      return do_close();
    }
    start_ = std::chrono::steady_clock::now();
    if (ec) linger_ = true;
    // Every answer below may come from the router: while the server is paused
    // (a new model is being switched in) the request waits here.
    stream_.expires_never();
    if (!shared_.enter([self = shared_from_this(), ec] { self->on_read_held(ec); })) return;
    answer(ec);
  }

  // A request held by pause(): answers it once resumed (see enter()).
  void on_read_held(beast::error_code ec) {
    net::post(stream_.get_executor(), [self = shared_from_this(), ec] {
      if (self->shared_.enter([self, ec] { self->on_read_held(ec); })) self->answer(ec);
    });
  }

  // Answers the request just read (`ec`: why it could not be read); counted in
  // shared_.in_flight by enter() until its answer is written.
  void answer(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      // The head was read: answer in the route's own format (page or problem).
      Request r;
      r.method = std::string(parser_->get().method_string());
      r.target = std::string(parser_->get().target());
      if (auto al = parser_->get().find(bhttp::field::accept_language); al != parser_->get().end()) {
        r.headers.emplace_back("accept-language", std::string(al->value()));
      }
      return write(shared_.router().too_large(r), false, false, r.method, start_, true);
    }
    if (ec == bhttp::error::header_limit) {
      return write(early_response(431, "too_large", "the request head is too large"), false, false, "-",
                   start_, true);
    }
    if (ec) {
      return write(early_response(400, "invalid_input", "malformed HTTP request"), false, false, "-", start_,
                   true);
    }
    auto req = parser_->release();
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.headers.reserve(16);
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.body = std::move(req.body());
    r.client_ip = client_ip_;
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == bhttp::verb::head;
    stream_.expires_never();
    if (over_limit_) {
      // Too many connections: answer at once and close this one.
      return write(overloaded(r), false, head, r.method, start_, true);
    }
    if (!shared_.router().may_block(r)) {
      // Rendered from memory: answer right here on the I/O thread.
      Response res = shared_.router().handle(r);
      return write(std::move(res), keep_alive, head, r.method, start_, true);
    }
    // Run the (possibly blocking) handler on the worker pool, then come back to
    // this connection's executor to write the answer.
    if (shared_.queued.fetch_add(1) >= shared_.opt.max_queued) {
      shared_.queued.fetch_sub(1);
      return write(overloaded(r), keep_alive, head, r.method, start_, true);
    }
    net::post(shared_.workers, [self = shared_from_this(), r = std::move(r), keep_alive, head]() mutable {
      self->shared_.queued.fetch_sub(1);
      Response res = self->shared_.router().handle(r);
      std::string method = r.method;
      net::post(self->stream_.get_executor(),
                [self, res = std::move(res), keep_alive, head, method = std::move(method)]() mutable {
                  self->write(std::move(res), keep_alive, head, method, self->start_, true);
                });
    });
  }

  Response overloaded(const Request& r) const {
    return shared_.router().overloaded(r, shared_.opt.retry_after_s);
  }

  void write(Response res, bool keep_alive, bool head, const std::string& method,
             std::chrono::steady_clock::time_point started, bool counted = false) {
    counted_ = counted;
    keep_alive = keep_alive && !shared_.stopping;
    if (shared_.opt.access_log) {
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      if (method == "-") ms = 0;
      spdlog::info("{} {} {} {:.1f}ms", method, res.route, res.status, ms);
    }
    out_.emplace();
    out_->version(11);
    out_->result(static_cast<unsigned>(res.status));
    for (auto& [k, v] : res.headers) out_->insert(k, v);
    out_->set(bhttp::field::server, "kaiku");
    out_->keep_alive(keep_alive);
    if (head) {
      out_->content_length(res.body.size());
    } else {
      out_->body() = std::move(res.body);
      out_->prepare_payload();
    }
    stream_.expires_after(shared_.opt.write_timeout);
    if (head) {
      // A HEAD answer is the head alone, with the Content-Length a GET would have.
      head_sr_.emplace(*out_);
      return bhttp::async_write_header(
          stream_, *head_sr_, beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
    }
    bhttp::async_write(stream_, *out_,
                       beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    if (counted_) {
      counted_ = false;
      shared_.end();
    }
    head_sr_.reset();
    out_.reset();
    if (ec || !keep_alive) return do_close();
    do_read();
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!linger_) {
      stream_.socket().close(ec);
      return;
    }
    // After an early error the client may still be sending the rest of its body;
    // closing with unread data would reset the connection before it reads our
    // answer. Read and discard for a moment, then close.
    linger_ = false;
    stream_.expires_after(std::chrono::seconds(2));
    do_drain();
  }

  void do_drain() {
    stream_.async_read_some(net::buffer(drain_buf_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) return self->do_drain();
                              beast::error_code ignored;
                              self->stream_.socket().close(ignored);
                            });
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> out_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> head_sr_;
  std::string client_ip_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool first_ = true;
  bool counted_ = false;
  bool linger_ = false;
  bool over_limit_ = false;
  std::array<char, 4096> drain_buf_{};
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& o, const Router& r)
      : ioc(std::max(1, o.io_threads)),
        acceptor(net::make_strand(ioc)),
        workers(static_cast<std::size_t>(std::max(1, o.worker_threads))),
        shared{o, r, workers} {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || shared.stopping) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), shared)->run();
      }
      if (!shared.stopping) accept();
    });
  }

  net::io_context ioc;
  tcp::acceptor acceptor;
  net::thread_pool workers;
  Shared shared;
  std::vector<std::thread> io;
  unsigned short port = 0;
  bool started = false;
  bool stopped = false;
  std::mutex stop_mu;
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(options, router)) {}

Server::~Server() {
  stop();
}

unsigned short Server::port() const {
  return impl_->port;
}

void Server::pause() {
  std::lock_guard<std::mutex> lock(impl_->shared.mu);
  impl_->shared.paused = true;
}

void Server::wait_idle() {
  Shared& sh = impl_->shared;
  std::unique_lock<std::mutex> lock(sh.mu);
  while (!sh.idle.wait_for(lock, sh.opt.drain_timeout, [&] { return sh.in_flight == 0; })) {
    spdlog::warn("waiting for {} request(s) in progress before switching", sh.in_flight);
  }
}

void Server::resume(const Router& router) {
  std::vector<std::function<void()>> held;
  {
    std::lock_guard<std::mutex> lock(impl_->shared.mu);
    impl_->shared.current.store(&router);
    impl_->shared.paused = false;
    held.swap(impl_->shared.held);
  }
  for (auto& go : held) go();
}

Result<unsigned short> Server::start() {
  Impl& m = *impl_;
  if (m.started) return fail(Error::internal("server already started"));
  beast::error_code ec;
  tcp::resolver resolver(m.ioc);
  auto results = resolver.resolve(m.shared.opt.host, std::to_string(m.shared.opt.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return fail(
        Error::unavailable("cannot resolve listen address '" + m.shared.opt.host + "': " + ec.message()));
  }
  tcp::endpoint ep = results.begin()->endpoint();
  m.acceptor.open(ep.protocol(), ec);
  if (!ec) m.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor.bind(ep, ec);
  if (!ec) m.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(Error::unavailable("cannot listen on " + m.shared.opt.host + ":" +
                                   std::to_string(m.shared.opt.port) + ": " + ec.message()));
  }
  m.port = m.acceptor.local_endpoint().port();
  m.started = true;
  m.accept();
  for (int i = 0; i < std::max(1, m.shared.opt.io_threads); ++i) m.io.emplace_back([&m] { m.ioc.run(); });
  return m.port;
}

void Server::stop() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> guard(m.stop_mu);
  if (!m.started || m.stopped) return;
  m.stopped = true;
  m.shared.stopping = true;
  net::post(m.acceptor.get_executor(), [&m] {
    beast::error_code ec;
    m.acceptor.close(ec);
  });
  {
    std::unique_lock<std::mutex> lock(m.shared.mu);
    m.shared.idle.wait_for(lock, m.shared.opt.drain_timeout, [&] { return m.shared.in_flight == 0; });
  }
  m.ioc.stop();
  for (auto& t : m.io) t.join();
  m.io.clear();
  beast::error_code ec;
  m.acceptor.close(ec);  // in case the posted close never ran
  m.workers.join();
  std::lock_guard<std::mutex> lock(m.shared.mu);
  m.shared.held.clear();  // requests still held by pause() are dropped with their connections
}

int run_server(const ServerOptions& options, const Router& router,
               const std::function<void(unsigned short)>& on_listening) {
  Server server(options, router);
  auto port = server.start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    std::fprintf(stderr, "kaiku: %s\n", port.error().message.c_str());
    return 1;
  }
  net::io_context signals_ioc(1);
  net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&](const beast::error_code& ec, int sig) {
    if (!ec) received = sig;
  });
  if (on_listening) on_listening(*port);
  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::printf("listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(*port));
  std::fflush(stdout);
  spdlog::info("listening on http://{}:{}", host, *port);
  signals_ioc.run();
  spdlog::info("signal {} received: stopping (draining in-flight requests)", received);
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace kaiku::http
