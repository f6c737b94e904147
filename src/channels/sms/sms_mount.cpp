#include "channels/sms/sms_mount.hpp"

#include <spdlog/spdlog.h>

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "channels/sms/kannel_callbacks.hpp"
#include "http/problem.hpp"
#include "security/digest.hpp"

namespace kaiku::channels::sms {

namespace {

http::Response plain(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.set_header("Content-Type", "text/plain; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.body = std::move(body);
  return res;
}

// The value of `name` in the query string `query` (decoded), "" when absent.
std::string query_param(std::string_view query, std::string_view name) {
  if (!boost::urls::parse_query(query)) return "";
  try {
    for (const auto& p : boost::urls::params_view(query)) {
      if (p.key == name) return p.value;
    }
  } catch (const std::exception&) {
  }
  return "";
}

}  // namespace

SmsCallbackMount::SmsCallbackMount(service::OutreachService& outreach, std::string key)
    : outreach_(outreach), key_(std::move(key)) {}

http::Response SmsCallbackMount::handle(const http::Request& req, const Result<domain::Principal>&) const {
  const std::string_view target = req.target;
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  if (req.method != "GET" && req.method != "POST") {
    http::Response res = plain(405, "GET only\n");
    res.set_header("Allow", "GET, POST");
    return res;
  }
  if (path != "/sms/mo" && path != "/sms/dlr") return plain(404, "no such SMS callback\n");
  const std::string key = query_param(query, "key");
  if (key.empty() || !security::constant_time_equals(key, key_)) return plain(403, "key: missing or wrong\n");

  Status done;
  if (path == "/sms/mo") {
    auto mo = parse_mo_query(query);
    if (!mo) return plain(400, mo.error().message + "\n");
    done = outreach_.on_reply(mo->from, mo->text, mo->id);
  } else {
    auto dlr = parse_dlr_query(query);
    if (!dlr) return plain(400, dlr.error().message + "\n");
    done = outreach_.on_delivery_report(dlr->reference, dlr->status);
    if (!done && done.error().kind == ErrorKind::not_found) return plain(200, "");  // not ours any more: purged
  }
  if (!done) {
    spdlog::warn("sms: callback {} failed: {}", path, done.error().message);
    return plain(done.error().kind == ErrorKind::unavailable ? 503 : 400, done.error().message + "\n");
  }
  return plain(200, "");
}

}  // namespace kaiku::channels::sms
