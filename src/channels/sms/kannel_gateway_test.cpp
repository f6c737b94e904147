#include "channels/sms/kannel_gateway.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kaiku::channels::sms {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;
using service::OutgoingSms;
using service::SendOutcome;
using service::SmsCoding;

// A tiny stand-in for smsbox's sendsms interface on 127.0.0.1:<ephemeral>: records
// each request target and answers with a fixed status and body, or (silent) reads
// the request and never answers, or (hang_up) reads the request and closes the
// connection without an answer.
class FakeKannel {
 public:
  FakeKannel(int status, std::string body, bool silent = false, bool hang_up = false)
      : status_(status), body_(std::move(body)), silent_(silent), hang_up_(hang_up), acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeKannel() {
    ioc_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::vector<std::string> targets() {
    std::lock_guard<std::mutex> lock(mutex_);
    return targets_;
  }

 private:
  struct Conn {
    explicit Conn(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;
  };

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto conn = std::make_shared<Conn>(std::move(socket));
      conns_.push_back(conn);  // kept open until the server stops
      http::async_read(conn->socket, conn->buffer, conn->req, [this, conn](beast::error_code e, std::size_t) {
        if (e) return;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          targets_.emplace_back(conn->req.target());
        }
        if (silent_) return;
        if (hang_up_) {
          beast::error_code ignored;
          conn->socket.set_option(asio::socket_base::linger(true, 0), ignored);  // RST
          conn->socket.close(ignored);
          return;
        }
        conn->res.result(static_cast<unsigned>(status_));
        conn->res.version(11);
        conn->res.set(http::field::content_type, "text/html");
        conn->res.body() = body_;
        conn->res.prepare_payload();
        http::async_write(conn->socket, conn->res, [conn](beast::error_code, std::size_t) {
          beast::error_code ignored;
          conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
      accept();
    });
  }

  int status_;
  std::string body_;
  bool silent_;
  bool hang_up_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::vector<std::shared_ptr<Conn>> conns_;
  std::mutex mutex_;
  std::vector<std::string> targets_;
  std::thread thread_;
};

KannelOptions options_for(std::uint16_t port) {
  KannelOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.username = "kaiku";
  o.password = "s&cret word";
  o.dlr_base_url = "http://127.0.0.1:8080/sms/dlr";
  o.timeout = std::chrono::milliseconds(300);
  return o;
}

OutgoingSms message(std::string text = "Kiitos käynnistä! Vastaa 0-10.", SmsCoding coding = SmsCoding::gsm7) {
  OutgoingSms sms;
  sms.to = "+358401234567";
  sms.from = "Kaiku";
  sms.text = std::move(text);
  sms.coding = coding;
  sms.reference = "ob42-1";
  return sms;
}

// The decoded query parameters of a request target.
std::map<std::string, std::string> params_of(const std::string& target) {
  std::map<std::string, std::string> out;
  auto u = boost::urls::parse_origin_form(target);
  EXPECT_TRUE(u.has_value()) << target;
  if (!u) return out;
  for (auto p : u->params()) out[p.key] = p.value;
  return out;
}

TEST(KannelGateway, AcceptedRequestCarriesAllParameters) {
  FakeKannel kannel(202, "0: Accepted for delivery");
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message("äö – €", SmsCoding::ucs2));
  EXPECT_EQ(out.kind, SendOutcome::Kind::accepted) << out.detail;
  EXPECT_EQ(out.detail, "HTTP 202: 0: Accepted for delivery");

  const auto targets = kannel.targets();
  ASSERT_EQ(targets.size(), 1u);
  const std::string& raw = targets[0];
  EXPECT_EQ(raw.rfind("/cgi-bin/sendsms?", 0), 0u) << raw;
  // Text is UTF-8, fully percent-encoded: ä ö space en-dash space euro
  EXPECT_NE(raw.find("text=%C3%A4%C3%B6%20%E2%80%93%20%E2%82%AC&"), std::string::npos) << raw;
  EXPECT_NE(raw.find("to=%2B358401234567&"), std::string::npos) << raw;
  // The dlr-url's own escapes survive as %25d / %25A
  EXPECT_NE(raw.find("status%3D%25d"), std::string::npos) << raw;

  const auto p = params_of(raw);
  EXPECT_EQ(p.at("username"), "kaiku");
  EXPECT_EQ(p.at("password"), "s&cret word");
  EXPECT_EQ(p.at("from"), "Kaiku");
  EXPECT_EQ(p.at("to"), "+358401234567");
  EXPECT_EQ(p.at("text"), "äö – €");
  EXPECT_EQ(p.at("charset"), "UTF-8");
  EXPECT_EQ(p.at("coding"), "2");
  EXPECT_EQ(p.at("dlr-mask"), "31");
  EXPECT_EQ(p.at("dlr-url"), "http://127.0.0.1:8080/sms/dlr?ref=ob42-1&status=%d&answer=%A");
}

TEST(KannelGateway, Gsm7CodingAndNoDlrWhenNoBaseUrl) {
  FakeKannel kannel(202, "0: Accepted for delivery");
  KannelOptions o = options_for(kannel.port());
  o.dlr_base_url.clear();
  KannelGateway gw(o);
  OutgoingSms sms = message();
  sms.reference.clear();
  EXPECT_EQ(gw.send(sms).kind, SendOutcome::Kind::accepted);
  const auto p = params_of(kannel.targets().at(0));
  EXPECT_EQ(p.at("coding"), "0");
  EXPECT_EQ(p.at("text"), "Kiitos käynnistä! Vastaa 0-10.");
  EXPECT_EQ(p.count("dlr-url"), 0u);
  EXPECT_EQ(p.count("dlr-mask"), 0u);
}

TEST(KannelGateway, DlrBaseWithQueryGetsAmpersand) {
  FakeKannel kannel(202, "0: Accepted for delivery");
  KannelOptions o = options_for(kannel.port());
  o.dlr_base_url = "http://127.0.0.1:8080/sms/dlr?k=v";
  KannelGateway gw(o);
  EXPECT_EQ(gw.send(message()).kind, SendOutcome::Kind::accepted);
  EXPECT_EQ(params_of(kannel.targets().at(0)).at("dlr-url"),
            "http://127.0.0.1:8080/sms/dlr?k=v&ref=ob42-1&status=%d&answer=%A");
}

TEST(KannelGateway, QueuedIsAccepted) {
  FakeKannel kannel(202, "3: Queued for later delivery");
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::accepted);
  EXPECT_EQ(out.detail, "queued: HTTP 202: 3: Queued for later delivery");
}

TEST(KannelGateway, ForbiddenIsUnavailable) {
  FakeKannel kannel(403, "Authorization failed for sendsms");
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unavailable);
  EXPECT_EQ(out.detail, "HTTP 403: Authorization failed for sendsms");
}

TEST(KannelGateway, BadRequestIsRejectedWithoutTheNumber) {
  FakeKannel kannel(400, "Number(s) has/have been denied by white- and/or black-lists. +358401234567");
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::rejected);
  EXPECT_EQ(out.detail.find("401234567"), std::string::npos) << out.detail;
  EXPECT_NE(out.detail.find("<number>"), std::string::npos) << out.detail;
}

TEST(KannelGateway, ServerErrorIsUnavailable) {
  FakeKannel kannel(500, "Sending failed.");
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unavailable);
  EXPECT_EQ(out.detail, "HTTP 500: Sending failed.");
}

TEST(KannelGateway, SilentServerTimesOutAsUnknown) {
  // The request was written and may have been queued: not safe to resend.
  FakeKannel kannel(202, "", /*silent=*/true);
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unknown);
  EXPECT_NE(out.detail.find("no answer within 300 ms"), std::string::npos) << out.detail;
  EXPECT_EQ(kannel.targets().size(), 1u);  // the request did arrive
}

TEST(KannelGateway, ConnectionBrokenAfterTheRequestIsUnknown) {
  FakeKannel kannel(202, "", /*silent=*/false, /*hang_up=*/true);
  KannelGateway gw(options_for(kannel.port()));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unknown) << out.detail;
  EXPECT_NE(out.detail.find("read the answer"), std::string::npos) << out.detail;
  EXPECT_EQ(out.detail.find("401234567"), std::string::npos);
  EXPECT_EQ(kannel.targets().size(), 1u);  // the request did arrive
}

TEST(KannelGateway, ClosedPortIsUnavailable) {
  std::uint16_t port = 0;
  {
    asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed again: nothing listens there now
  KannelGateway gw(options_for(port));
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unavailable);
  EXPECT_EQ(out.detail, "Kannel at 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(KannelGateway, InvalidMessagesAreRejectedBeforeSending) {
  FakeKannel kannel(202, "0: Accepted for delivery");
  KannelGateway gw(options_for(kannel.port()));
  OutgoingSms bad_to = message();
  bad_to.to = "0401234567";
  SendOutcome out = gw.send(bad_to);
  EXPECT_EQ(out.kind, SendOutcome::Kind::rejected);
  EXPECT_EQ(out.detail.find("0401234567"), std::string::npos);

  OutgoingSms bad_ref = message();
  bad_ref.reference = "a b";
  EXPECT_EQ(gw.send(bad_ref).kind, SendOutcome::Kind::rejected);

  OutgoingSms no_ref = message();
  no_ref.reference.clear();
  EXPECT_EQ(gw.send(no_ref).kind, SendOutcome::Kind::rejected);

  OutgoingSms long_from = message();
  long_from.from = "KaikuPalaute";  // 12 characters
  EXPECT_EQ(gw.send(long_from).kind, SendOutcome::Kind::rejected);

  OutgoingSms too_long = message(std::string(6 * 153 + 1, 'a'));
  out = gw.send(too_long);
  EXPECT_EQ(out.kind, SendOutcome::Kind::rejected);
  EXPECT_EQ(out.detail, "sms.text: needs 7 parts (919 septets); at most 6 are allowed");

  OutgoingSms empty = message("");
  EXPECT_EQ(gw.send(empty).kind, SendOutcome::Kind::rejected);
  EXPECT_TRUE(kannel.targets().empty());
}

TEST(KannelGateway, BadOptionsMakeEverySendUnavailable) {
  KannelOptions o = options_for(9);
  o.dlr_base_url = "ftp://x";
  EXPECT_FALSE(check_options(o));
  KannelGateway gw(o);
  const SendOutcome out = gw.send(message());
  EXPECT_EQ(out.kind, SendOutcome::Kind::unavailable);
  EXPECT_NE(out.detail.find("kannel.dlr_base_url"), std::string::npos);
  EXPECT_TRUE(check_options(options_for(9)));
}

TEST(KannelGateway, ClassifyReplies) {
  EXPECT_EQ(classify_sendsms_reply(202, "0: Accepted for delivery").kind, SendOutcome::Kind::accepted);
  EXPECT_EQ(classify_sendsms_reply(200, "Sent.").kind, SendOutcome::Kind::accepted);
  EXPECT_EQ(classify_sendsms_reply(403, "Not routable. Do not try again.").kind,
            SendOutcome::Kind::unavailable);
  EXPECT_EQ(classify_sendsms_reply(404, "Unknown service").kind, SendOutcome::Kind::unavailable);
  EXPECT_EQ(classify_sendsms_reply(503, "Temporal failure, try again later.").kind,
            SendOutcome::Kind::unavailable);
  EXPECT_EQ(classify_sendsms_reply(400, "Empty receiver number not allowed, rejected").kind,
            SendOutcome::Kind::rejected);
  EXPECT_EQ(classify_sendsms_reply(302, "").kind, SendOutcome::Kind::unavailable);
  const SendOutcome multi = classify_sendsms_reply(202, "Sent. Denied receivers are: 358401234567\n");
  EXPECT_EQ(multi.detail, "HTTP 202: Sent. Denied receivers are: <number>");
  EXPECT_EQ(classify_sendsms_reply(500, std::string(1000, 'x')).detail.size(), 10u + 200u);
}

TEST(KannelGateway, BuildTargetForGsm7) {
  KannelOptions o = options_for(13013);
  auto t = build_sendsms_target(o, message("a+b&c=d"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_NE(t->find("text=a%2Bb%26c%3Dd&"), std::string::npos) << *t;
  EXPECT_NE(t->find("&coding=0"), std::string::npos);
  EXPECT_NE(t->find("password=s%26cret%20word&"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::channels::sms
