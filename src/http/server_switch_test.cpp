// The server switching routers while running (a new model published) and body
// limits per path prefix.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>

#include "http/router_test_support.hpp"
#include "http/server.hpp"

namespace kaiku::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

RouterConfig named(std::string version) {
  RouterConfig c;
  c.server_version = std::move(version);  // /healthz tells which router answered
  return c;
}

class ServerSwitchTest : public ::testing::Test {
 protected:
  void start(ServerOptions opt = {}) {
    opt.host = "127.0.0.1";
    opt.port = 0;
    opt.worker_threads = 4;
    opt.access_log = false;
    server = std::make_unique<Server>(opt, *a.router);
    auto port = server->start();
    ASSERT_TRUE(port) << port.error().message;
  }
  tcp::socket connect() {
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server->port()));
    return s;
  }
  static bhttp::response<bhttp::string_body> roundtrip(tcp::socket& s, bhttp::request<bhttp::string_body> req) {
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    req.prepare_payload();
    bhttp::write(s, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res);
    return res;
  }

  testing::RouterFixture a{named("router-a")};
  testing::RouterFixture b{named("router-b")};
  net::io_context ioc;
  std::unique_ptr<Server> server;
};

TEST_F(ServerSwitchTest, PausedRequestsWaitAndAreAnsweredByTheNewRouter) {
  start();
  tcp::socket s = connect();
  auto before = roundtrip(s, {bhttp::verb::get, "/healthz", 11});
  EXPECT_NE(before.body().find("router-a"), std::string::npos) << before.body();

  server->pause();
  server->wait_idle();  // nothing in progress: returns at once
  // A request on the open keep-alive connection and one on a new connection.
  auto kept = std::async(std::launch::async, [&] { return roundtrip(s, {bhttp::verb::get, "/healthz", 11}); });
  tcp::socket fresh = connect();
  auto other = std::async(std::launch::async,
                          [&] { return roundtrip(fresh, {bhttp::verb::get, "/healthz", 11}); });
  // Held: neither can be answered before resume().
  EXPECT_EQ(kept.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  EXPECT_EQ(other.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  server->wait_idle();  // held requests are not in progress
  server->resume(*b.router);
  auto k = kept.get();
  auto o = other.get();
  EXPECT_EQ(k.result_int(), 200);
  EXPECT_NE(k.body().find("router-b"), std::string::npos) << k.body();
  EXPECT_NE(o.body().find("router-b"), std::string::npos) << o.body();
  EXPECT_TRUE(k.keep_alive());
  auto after = roundtrip(s, {bhttp::verb::get, "/healthz", 11});
  EXPECT_NE(after.body().find("router-b"), std::string::npos);
}

TEST_F(ServerSwitchTest, StopWhilePausedDropsTheHeldRequests) {
  start();
  tcp::socket s = connect();
  server->pause();
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/healthz", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(s, req);
  server->stop();  // must not hang or touch a router
  // Destroying the server releases what its stopped io_context still holds (a
  // read that had not completed when stop() ran), so the connection is closed
  // whichever way the race between the request and stop() went.
  server.reset();
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  beast::error_code ec;
  bhttp::read(s, buf, res, ec);
  EXPECT_TRUE(ec) << "the held request's connection is closed without an answer";
}

TEST_F(ServerSwitchTest, BodyLimitsPerPathPrefix) {
  ServerOptions opt;
  opt.body_limit = 1024;
  opt.body_limits = {{"/api/v1/big", 8 * 1024}};
  start(opt);
  auto post = [&](const char* target, std::size_t n) {
    tcp::socket s = connect();
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(n, ' ') + "{}";
    return roundtrip(s, req).result_int();
  };
  EXPECT_NE(post("/api/v1/big", 4096), 413) << "under the prefix's limit";
  EXPECT_NE(post("/api/v1/big/x?y=1", 4096), 413);
  EXPECT_EQ(post("/api/v1/big", 9000), 413) << "over the prefix's limit";
  EXPECT_EQ(post("/api/v1/bigger", 4096), 413) << "a prefix matches whole path segments";
  EXPECT_EQ(post("/api/v1/responses", 4096), 413) << "elsewhere the general limit";
}

TEST(BodyLimitFor, MatchesWholeSegmentsAndIgnoresTheQuery) {
  const std::vector<std::pair<std::string, std::size_t>> limits{{"/a/b", 10}, {"/a", 20}};
  EXPECT_EQ(body_limit_for("/a/b", 5, limits), 10u);
  EXPECT_EQ(body_limit_for("/a/b/c?x=/a/b", 5, limits), 10u);
  EXPECT_EQ(body_limit_for("/a/bc", 5, limits), 20u);
  EXPECT_EQ(body_limit_for("/ab", 5, limits), 5u);
  EXPECT_EQ(body_limit_for("/", 5, limits), 5u);
  EXPECT_EQ(body_limit_for("/x?y=/a", 5, {}), 5u);
}

}  // namespace
}  // namespace kaiku::http
