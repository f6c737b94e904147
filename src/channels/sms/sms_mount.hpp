// Kannel's callbacks into Kaiku, mounted on the HTTP server under /sms:
//   GET /sms/mo?key=K&from=%p&to=%P&text=%b&id=%I   a reply from a phone (smsbox get-url;
//                                             id lets a redelivered reply be taken once)
//   GET /sms/dlr?key=K&ref=R&status=%d        a delivery report (per-message dlr-url)
// Authenticated by the shared secret K (constant-time compare), which only Kannel's
// configuration and Kaiku know; Kannel calls from loopback. Answers 200 with an
// empty body once the reply or report is durable (Kannel then sends nothing back to
// the phone), 503 when storage failed (Kannel retries), 400/403 otherwise.
#pragma once

#include <string>
#include <string_view>

#include "http/mount.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::channels::sms {

class SmsCallbackMount final : public http::Mount {
 public:
  // `outreach` must outlive the mount. `key`: the shared secret, at least 16 characters.
  SmsCallbackMount(service::OutreachService& outreach, std::string key);
  std::string_view prefix() const override { return "/sms"; }
  http::Response handle(const http::Request& req, const Result<domain::Principal>& caller) const override;

 private:
  service::OutreachService& outreach_;
  std::string key_;
};

}  // namespace kaiku::channels::sms
