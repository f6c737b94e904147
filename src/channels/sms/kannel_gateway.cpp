#include "channels/sms/kannel_gateway.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <utility>

#include "domain/sms_text.hpp"

namespace kaiku::channels::sms {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;
using service::SendOutcome;

constexpr std::size_t kMaxReplyBody = 64 * 1024;
constexpr std::size_t kMaxDetailBody = 200;

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Percent-encodes every byte but the unreserved ones (RFC 3986).
std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

bool is_reference_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

Status check_receiver(std::string_view to) {
  bool ok = to.size() >= 8 && to.size() <= 16 && to.front() == '+';
  for (std::size_t i = 1; ok && i < to.size(); ++i) ok = to[i] >= '0' && to[i] <= '9';
  if (!ok)
    return fail(Error::invalid("sms.to: the receiver is not in international form ('+' and 7-15 digits)"));
  return {};
}

Status check_sender(std::string_view from) {
  if (from.empty()) return fail(Error::invalid("sms.from: the sender id is empty"));
  bool numeric = true;
  for (std::size_t i = 0; i < from.size(); ++i) {
    const char c = from[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != ' ' && c != '+' && c != '-' && c != '.')
      return fail(
          Error::invalid("sms.from: the sender id may only contain A-Z, a-z, 0-9, space, '+', '-' and '.'"));
    if (!((c >= '0' && c <= '9') || (c == '+' && i == 0))) numeric = false;
  }
  if (numeric && from.size() > 16)
    return fail(Error::invalid("sms.from: a numeric sender has at most 16 characters"));
  if (!numeric && from.size() > 11)
    return fail(Error::invalid("sms.from: an alphanumeric sender id has at most 11 characters"));
  return {};
}

// Replaces runs of 6+ digits by "<number>", control characters by spaces, and cuts.
std::string safe_text(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && out.size() < max;) {
    if (text[i] >= '0' && text[i] <= '9') {
      std::size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      if (j - i >= 6) {
        if (!out.empty() && out.back() == '+') out.pop_back();
        out += "<number>";
      } else {
        out.append(text.substr(i, j - i));
      }
      i = j;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7F) ? ' ' : text[i];
    ++i;
  }
  // Trim trailing white space and a possibly cut UTF-8 sequence.
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  std::size_t k = out.size();
  while (k > 0 && (static_cast<unsigned char>(out[k - 1]) & 0xC0) == 0x80) --k;
  if (k > 0 && static_cast<unsigned char>(out[k - 1]) >= 0xC0) {
    const auto lead = static_cast<unsigned char>(out[k - 1]);
    const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (out.size() - (k - 1) < need) out.resize(k - 1);
  }
  return out;
}

struct HttpReply {
  int status = 0;
  std::string body;
};

// One GET over a fresh connection with an overall deadline. The caller's thread runs
// a private io_context, so concurrent calls share nothing. `written` tells whether the
// whole request had been written when the call ended (so on an error after that,
// Kannel may have taken the message).
Result<HttpReply> http_get(const KannelOptions& o, const std::string& target, bool& written) {
  written = false;
  const std::string where = "Kannel at " + o.host + ":" + std::to_string(o.port);
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec) return fail(Error::unavailable(where + ": cannot resolve the host: " + ec.message()));

  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, o.host + ":" + std::to_string(o.port));
  req.set(http::field::user_agent, "kaiku");
  req.set(http::field::connection, "close");

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxReplyBody);
  beast::error_code result;
  const char* stage = "connect";

  stream.expires_after(o.timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) {
      result = e;
      return;
    }
    stage = "send the request";
    http::async_write(stream, req, [&](beast::error_code e2, std::size_t) {
      if (e2) {
        result = e2;
        return;
      }
      stage = "read the answer";
      written = true;
      http::async_read(stream, buffer, parser, [&](beast::error_code e3, std::size_t) { result = e3; });
    });
  });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  if (result == beast::error::timeout)
    return fail(Error::unavailable(where + ": no answer within " + std::to_string(o.timeout.count()) +
                                   " ms (timed out trying to " + stage + ")"));
  if (result == asio::error::connection_refused)
    return fail(Error::unavailable(where + ": connection refused"));
  if (result)
    return fail(Error::unavailable(where + ": could not " + std::string(stage) + ": " + result.message()));
  HttpReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  reply.body = std::move(parser.get().body());
  return reply;
}

}  // namespace

Status check_options(const KannelOptions& o) {
  if (o.host.empty()) return fail(Error::invalid("kannel.host: empty"));
  if (o.path.empty() || o.path.front() != '/')
    return fail(Error::invalid("kannel.path: must start with '/'"));
  if (o.username.empty()) return fail(Error::invalid("kannel.username: empty"));
  if (o.password.empty()) return fail(Error::invalid("kannel.password: empty"));
  if (!o.dlr_base_url.empty() && o.dlr_base_url.rfind("http://", 0) != 0 &&
      o.dlr_base_url.rfind("https://", 0) != 0)
    return fail(Error::invalid("kannel.dlr_base_url: must start with http:// or https://"));
  if (o.timeout.count() <= 0) return fail(Error::invalid("kannel.timeout: must be positive"));
  if (o.max_parts < 1 || o.max_parts > 255) return fail(Error::invalid("kannel.max_parts: must be 1..255"));
  return {};
}

Result<std::string> build_sendsms_target(const KannelOptions& o, const service::OutgoingSms& sms) {
  if (auto s = check_receiver(sms.to); !s) return fail(s.error());
  if (auto s = check_sender(sms.from); !s) return fail(s.error());
  if (sms.text.empty()) return fail(Error::invalid("sms.text: empty"));
  const bool ucs2 = sms.coding == service::SmsCoding::ucs2;
  const domain::SmsParts size = domain::measure_sms_as(sms.text, ucs2);
  if (size.parts > o.max_parts)
    return fail(Error::invalid("sms.text: needs " + std::to_string(size.parts) + " parts (" +
                               std::to_string(size.characters) + (ucs2 ? " UCS-2 units" : " septets") +
                               "); at most " + std::to_string(o.max_parts) + " are allowed"));
  if (sms.reference.size() > 64) return fail(Error::invalid("sms.reference: longer than 64 characters"));
  for (char c : sms.reference)
    if (!is_reference_char(c))
      return fail(Error::invalid("sms.reference: may only contain A-Z, a-z, 0-9, '_' and '-'"));

  std::string t = o.path;
  t += "?username=" + url_encode(o.username);
  t += "&password=" + url_encode(o.password);
  t += "&from=" + url_encode(sms.from);
  t += "&to=" + url_encode(sms.to);
  t += "&text=" + url_encode(sms.text);
  t += "&charset=UTF-8";
  t += ucs2 ? "&coding=2" : "&coding=0";
  if (!o.dlr_base_url.empty()) {
    if (sms.reference.empty())
      return fail(Error::invalid("sms.reference: empty, but delivery reports need it"));
    std::string dlr = o.dlr_base_url;
    dlr += dlr.find('?') == std::string::npos ? '?' : '&';
    dlr += "ref=" + sms.reference + "&status=%d&answer=%A";
    t += "&dlr-mask=31&dlr-url=" + url_encode(dlr);
  }
  return t;
}

SendOutcome classify_sendsms_reply(int status, std::string_view body) {
  std::string_view b = body;
  while (!b.empty() && (b.front() == ' ' || b.front() == '\r' || b.front() == '\n' || b.front() == '\t'))
    b.remove_prefix(1);
  SendOutcome out;
  out.detail = "HTTP " + std::to_string(status) + ": " + safe_text(b, kMaxDetailBody);
  if (status >= 200 && status < 300) {
    out.kind = SendOutcome::Kind::accepted;
    if (b.rfind("3:", 0) == 0) out.detail = "queued: " + out.detail;
  } else if (status == 400 || status == 413 || status == 414 || status == 422) {
    out.kind = SendOutcome::Kind::rejected;
  } else {
    out.kind = SendOutcome::Kind::unavailable;
  }
  return out;
}

KannelGateway::KannelGateway(KannelOptions options)
    : options_(std::move(options)), options_ok_(check_options(options_)) {}

SendOutcome KannelGateway::send(const service::OutgoingSms& sms) {
  try {
    if (!options_ok_)
      return {SendOutcome::Kind::unavailable, "Kannel gateway misconfigured: " + options_ok_.error().message};
    auto target = build_sendsms_target(options_, sms);
    if (!target) return {SendOutcome::Kind::rejected, target.error().message};
    bool written = false;
    auto reply = http_get(options_, *target, written);
    if (!reply) {
      // After the whole request went out, Kannel may have queued the message even
      // though its answer never came (timeout, reset, closed): not safe to resend.
      return {written ? SendOutcome::Kind::unknown : SendOutcome::Kind::unavailable,
              safe_text(reply.error().message, 300)};
    }
    return classify_sendsms_reply(reply->status, reply->body);
  } catch (const std::exception& e) {
    return {SendOutcome::Kind::unavailable, "Kannel gateway failed: " + safe_text(e.what(), 200)};
  } catch (...) {
    return {SendOutcome::Kind::unavailable, "Kannel gateway failed: unknown error"};
  }
}

}  // namespace kaiku::channels::sms
