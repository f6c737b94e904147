// The port through which case handling answers a customer: by SMS (Kannel) or
// e-mail (an SMTP relay), to the contact the customer left. Implemented by the
// reply work (service/reply_sender.hpp); CaseService only uses this interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/language.hpp"
#include "domain/response.hpp"

namespace kaiku::service {

// How a reply left Kaiku.
struct ReplyReceipt {
  std::string channel;  // "sms" or "email"
  std::string status;   // "queued" (durably queued, sent by a worker) or "sent"
};

class CustomerMessenger {
 public:
  virtual ~CustomerMessenger() = default;
  // The channels that can be used now ("sms", "email"): configured on the server.
  virtual std::vector<std::string> channels() const = 0;
  // Queues `text` durably for `contact` by `channel` ("sms" needs contact.phone,
  // "email" contact.email) as the answer to case `case_id`, in the customer's
  // `language` (e-mail subject line). invalid_input when the contact lacks that
  // address or the text is empty or too long (SMS: 3 segments; e-mail: 10,000
  // characters); unavailable when the channel is not configured or storage fails.
  virtual Result<ReplyReceipt> send(std::int64_t case_id, const domain::ContactRequest& contact,
                                    std::string_view channel, std::string_view text,
                                    domain::Language language) = 0;
};

}  // namespace kaiku::service
