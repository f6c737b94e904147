#include "channels/hl7/mllp_listener.hpp"

#include <spdlog/spdlog.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <atomic>
#include <boost/asio.hpp>
#include <list>
#include <mutex>
#include <thread>

#include "channels/hl7/mllp.hpp"

namespace kaiku::channels::hl7 {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct MllpListener::Impl {
  struct Connection {
    tcp::socket socket;
    std::thread thread;
    std::atomic<bool> done{false};
    explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  };

  MllpOptions options;
  Hl7Intake& intake;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;
  std::mutex mu;
  std::list<std::unique_ptr<Connection>> connections;  // guarded by mu
  std::atomic<bool> stopping{false};
  bool started = false;

  Impl(MllpOptions o, Hl7Intake& i) : options(std::move(o)), intake(i) {}

  // Joins and forgets connections whose thread has finished. Caller holds mu.
  void reap() {
    for (auto it = connections.begin(); it != connections.end();) {
      if ((*it)->done.load()) {
        if ((*it)->thread.joinable()) (*it)->thread.join();
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  }

  void accept_loop() {
    while (!stopping.load()) {
      boost::system::error_code ec;
      tcp::socket socket(io);
      acceptor.accept(socket, ec);
      if (ec) {
        if (stopping.load()) return;
        spdlog::warn("mllp: accept failed: {}", ec.message());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      std::lock_guard lock(mu);
      reap();
      if (connections.size() >= options.max_connections) {
        spdlog::warn("mllp: connection refused, {} open already", connections.size());
        socket.close(ec);
        continue;
      }
      try {
        auto conn = std::make_unique<Connection>(std::move(socket));
        Connection* raw = conn.get();
        connections.push_back(std::move(conn));
        raw->thread = std::thread([this, raw] {
          serve(*raw);
          raw->done.store(true);
        });
      } catch (const std::exception& e) {  // no thread could be started: refuse this one
        spdlog::error("mllp: cannot serve a new connection: {}", e.what());
        if (!connections.empty() && !connections.back()->thread.joinable()) connections.pop_back();
      }
    }
  }

  // Waits until `fd` is ready for `events` (POLLIN / POLLOUT) or the timeout
  // passes; false on timeout, error, or stop().
  bool wait_ready(int fd, short events, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!stopping.load()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, events, 0};
      // Wake at least every second to notice stop().
      const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (r > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }

  // Writes all of `out`; false when the peer does not take it within the idle timeout.
  bool write_all(int fd, const std::string& out) {
    std::size_t done = 0;
    while (done < out.size()) {
      if (!wait_ready(fd, POLLOUT, options.idle_timeout)) return false;
      const ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  void serve(Connection& conn) {
    try {
      boost::system::error_code ec;
      conn.socket.set_option(tcp::no_delay(true), ec);
      conn.socket.set_option(asio::socket_base::keep_alive(true), ec);
      const int fd = conn.socket.native_handle();
      MllpDecoder decoder(options.max_frame);
      std::string buffer(64 * 1024, '\0');
      while (!stopping.load()) {
        // A connection silent for the idle timeout (or half-open) is closed.
        if (!wait_ready(fd, POLLIN, options.idle_timeout)) break;
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (n <= 0) break;  // closed by the peer, or an error
        auto frames = decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        if (frames.empty()) continue;
        // Recorded durably before any ACK is written; no ACK at all when the
        // intake throws (the sender resends after reconnecting).
        const std::vector<std::string> acks = intake.handle(frames);
        std::string out;
        for (const auto& ack : acks) out += frame(ack);
        if (!out.empty() && !write_all(fd, out)) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("mllp: connection closed after an error: {}", e.what());
    } catch (...) {
      spdlog::error("mllp: connection closed after an unknown error");
    }
    // Closed (the descriptor released) only by its owner, under `mu`, after the
    // thread ended: stop() may still shut the descriptor down meanwhile.
    boost::system::error_code ec;
    conn.socket.shutdown(tcp::socket::shutdown_both, ec);
  }
};

MllpListener::MllpListener(MllpOptions options, Hl7Intake& intake)
    : impl_(std::make_unique<Impl>(std::move(options), intake)) {}

MllpListener::~MllpListener() {
  stop();
}

Result<unsigned short> MllpListener::start() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host == "localhost" ? "127.0.0.1" : impl_->options.host, ec);
  if (ec) return fail(Error::invalid("--mllp: not an IP address: " + impl_->options.host));
  tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(Error::unavailable("mllp: cannot listen on " + impl_->options.host + ":" +
                                   std::to_string(impl_->options.port) + ": " + ec.message()));
  }
  const unsigned short port = impl_->acceptor.local_endpoint().port();
  impl_->started = true;
  impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
  return port;
}

void MllpListener::stop() {
  if (!impl_->started || impl_->stopping.exchange(true)) return;
  boost::system::error_code ec;
  // Unblocks accept(): shutdown of the listening socket makes it return; the
  // acceptor is closed only after its thread has ended.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  impl_->acceptor.close(ec);
  std::lock_guard lock(impl_->mu);
  for (auto& conn : impl_->connections) ::shutdown(conn->socket.native_handle(), SHUT_RDWR);
  for (auto& conn : impl_->connections) {
    if (conn->thread.joinable()) conn->thread.join();
  }
  impl_->connections.clear();
}

}  // namespace kaiku::channels::hl7
