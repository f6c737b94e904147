// The real server over TCP: keep-alive, size limits, HEAD, slow clients, stop.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/router_test_support.hpp"

namespace kaiku::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions opt = {}) {
    opt.host = "127.0.0.1";
    opt.port = 0;
    opt.worker_threads = 4;
    opt.access_log = false;
    server = std::make_unique<Server>(opt, *rf.router);
    auto port = server->start();
    ASSERT_TRUE(port) << port.error().message;
    ASSERT_NE(*port, 0);
  }
  tcp::socket connect() {
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server->port()));
    return s;
  }
  bhttp::response<bhttp::string_body> roundtrip(tcp::socket& s, bhttp::request<bhttp::string_body> req) {
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    req.prepare_payload();
    bhttp::write(s, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res);
    return res;
  }

  testing::RouterFixture rf;
  net::io_context ioc;
  std::unique_ptr<Server> server;
};

TEST_F(ServerTest, ServesRequestsWithKeepAlive) {
  start();
  tcp::socket s = connect();
  auto a = roundtrip(s, {bhttp::verb::get, "/healthz", 11});
  EXPECT_EQ(a.result_int(), 200);
  EXPECT_NE(a.body().find("\"status\":\"ok\""), std::string::npos);
  EXPECT_EQ(a["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(a.keep_alive());
  auto b = roundtrip(s, {bhttp::verb::get, "/s/tp1?lang=en", 11});
  EXPECT_EQ(b.result_int(), 200);
  EXPECT_EQ(b[bhttp::field::content_language], "en");
}

TEST_F(ServerTest, ConnectionsBeyondTheCapGet503AtOnce) {
  ServerOptions opt;
  opt.max_connections = 1;
  opt.retry_after_s = 3;
  start(opt);
  tcp::socket first = connect();
  EXPECT_EQ(roundtrip(first, {bhttp::verb::get, "/healthz", 11}).result_int(), 200);
  tcp::socket second = connect();
  auto api = roundtrip(second, {bhttp::verb::get, "/healthz", 11});
  EXPECT_EQ(api.result_int(), 503);
  EXPECT_EQ(api["Retry-After"], "3");
  EXPECT_EQ(api[bhttp::field::content_type], "application/problem+json");
  EXPECT_FALSE(api.keep_alive());
  first.close();
}

TEST_F(ServerTest, RequestsBeyondTheQueueCapGet503NotQueued) {
  ServerOptions opt;
  opt.max_queued = 0;  // nothing may wait for the worker pool
  start(opt);
  tcp::socket s = connect();
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/s/tp1", 11};
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "k=queuedkey00000000001&q.nps=10";
  auto res = roundtrip(s, req);
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_FALSE(res["Retry-After"].empty());
  EXPECT_NE(std::string(res[bhttp::field::content_type]).find("text/html"), std::string::npos);
  EXPECT_EQ(rf.stored(), 0);
  // Pages rendered on the I/O thread are not queued and still answer.
  EXPECT_EQ(roundtrip(s, {bhttp::verb::get, "/s/tp1", 11}).result_int(), 200);
}

TEST_F(ServerTest, FormPostIsStoredBeforeTheRedirect) {
  start();
  tcp::socket s = connect();
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/s/tp1", 11};
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "k=serverkey00000000001&q.nps=10";
  auto res = roundtrip(s, req);
  EXPECT_EQ(res.result_int(), 303);
  EXPECT_EQ(res[bhttp::field::location], "/s/tp1/kiitos?lang=fi");
  EXPECT_EQ(rf.stored(), 1);
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
  start();
  tcp::socket s = connect();
  std::string body = "k=serverkey00000000003&q.nps=4";
  net::write(
      s, net::buffer("POST /s/tp1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     "Expect: 100-continue\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n"));
  std::string interim(25, '\0');
  net::read(s, net::buffer(interim));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  net::write(s, net::buffer(body));
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  EXPECT_EQ(res.result_int(), 303);
  EXPECT_EQ(rf.stored(), 1);
}

TEST_F(ServerTest, HeadAnswersWithoutABody) {
  start();
  tcp::socket s = connect();
  bhttp::request<bhttp::empty_body> req{bhttp::verb::head, "/static/kaiku.css", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(s, req);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::empty_body> p;
  p.skip(true);
  bhttp::read(s, buf, p);
  EXPECT_EQ(p.get().result_int(), 200);
  EXPECT_NE(p.get()[bhttp::field::content_length], "0");
  auto again = roundtrip(s, {bhttp::verb::get, "/healthz", 11});
  EXPECT_EQ(again.result_int(), 200) << "the connection stays usable after HEAD";
}

TEST_F(ServerTest, OversizedBodyGets413AndTheConnectionCloses) {
  ServerOptions opt;
  opt.body_limit = 1024;
  start(opt);
  tcp::socket s = connect();
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/s/tp1", 11};
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "k=serverkey00000000002&q.open=" + std::string(64 * 1024, 'a');
  auto res = roundtrip(s, req);
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8") << "a page for a page route";
  EXPECT_FALSE(res.keep_alive());
  tcp::socket s2 = connect();
  bhttp::request<bhttp::string_body> api{bhttp::verb::post, "/api/v1/responses", 11};
  api.set(bhttp::field::content_type, "application/json");
  api.body() = std::string(4096, ' ') + "{}";
  auto res2 = roundtrip(s2, api);
  EXPECT_EQ(res2.result_int(), 413);
  EXPECT_EQ(res2[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(rf.stored(), 0);
}

TEST_F(ServerTest, OversizedHeadGets431) {
  ServerOptions opt;
  opt.header_limit = 2048;
  start(opt);
  tcp::socket s = connect();
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/healthz", 11};
  req.set("X-Filler", std::string(8000, 'x'));
  auto res = roundtrip(s, req);
  EXPECT_EQ(res.result_int(), 431);
}

TEST_F(ServerTest, MalformedRequestGets400) {
  start();
  tcp::socket s = connect();
  net::write(s, net::buffer(std::string("GARBAGE\r\n\r\n")));
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  EXPECT_EQ(res.result_int(), 400);
}

TEST_F(ServerTest, SlowClientIsCutOff) {
  ServerOptions opt;
  opt.read_timeout = std::chrono::seconds(1);
  start(opt);
  tcp::socket s = connect();
  net::write(s, net::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));  // never finishes
  char c;
  beast::error_code ec;
  s.read_some(net::buffer(&c, 1), ec);  // blocks until the server closes
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
}

TEST_F(ServerTest, StopClosesTheListener) {
  start();
  unsigned short port = server->port();
  { tcp::socket s = connect(); }
  server->stop();
  server->stop();  // idempotent
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec) << "nothing listens after stop()";
}

TEST_F(ServerTest, BindFailureIsAnError) {
  start();
  ServerOptions opt;
  opt.host = "127.0.0.1";
  opt.port = server->port();
  Server second(opt, *rf.router);
  auto port = second.start();
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace kaiku::http
