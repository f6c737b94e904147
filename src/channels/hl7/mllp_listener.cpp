#include "channels/hl7/mllp_listener.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>

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
      auto conn = std::make_unique<Connection>(std::move(socket));
      Connection* raw = conn.get();
      connections.push_back(std::move(conn));
      raw->thread = std::thread([this, raw] {
        serve(*raw);
        raw->done.store(true);
      });
    }
  }

  void serve(Connection& conn) {
    boost::system::error_code ec;
    conn.socket.set_option(tcp::no_delay(true), ec);
    // The idle timeout as a receive timeout: a read that sees no byte for this
    // long fails and the connection is closed.
    timeval tv{};
    tv.tv_sec = static_cast<long>(options.idle_timeout.count());
    ::setsockopt(conn.socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    MllpDecoder decoder(options.max_frame);
    std::string buffer(64 * 1024, '\0');
    while (!stopping.load()) {
      const std::size_t n = conn.socket.read_some(asio::buffer(buffer), ec);
      if (ec) break;  // closed by the peer, idle timeout, or stop()
      auto frames = decoder.feed(std::string_view(buffer.data(), n));
      if (frames.empty()) continue;
      std::vector<std::string> acks;
      try {
        acks = intake.handle(frames);
      } catch (const std::exception& e) {
        spdlog::error("mllp: intake failed: {}", e.what());
        break;  // no ACK: the sender resends after reconnecting
      }
      std::string out;
      for (const auto& ack : acks) out += frame(ack);
      if (!out.empty()) asio::write(conn.socket, asio::buffer(out), ec);
      if (ec) break;
    }
    // Closed (the descriptor released) only by its owner, under `mu`, after the
    // thread ended: stop() may still shut the descriptor down meanwhile.
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
  // Unblocks accept(): shutdown of the listening socket makes it return.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->acceptor.close(ec);
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  std::lock_guard lock(impl_->mu);
  for (auto& conn : impl_->connections) ::shutdown(conn->socket.native_handle(), SHUT_RDWR);
  for (auto& conn : impl_->connections) {
    if (conn->thread.joinable()) conn->thread.join();
  }
  impl_->connections.clear();
}

}  // namespace kaiku::channels::hl7
