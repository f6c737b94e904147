// The CustomerMessenger of `kaiku serve`: answers customers through the channel
// they left. SMS goes into the SMS outbox (OutreachService::queue_direct_message)
// and is sent by the outreach dispatcher through Kannel, with delivery reports;
// e-mail goes into the mail outbox (storage/mail_store.hpp) and is sent by the mail
// worker (channels/mail/mail_worker.hpp) to the SMTP relay. Both are durable
// before send() returns. See docs/mail.md.
//
// PRIVACY: addresses and texts are sealed with the server key before storage and
// never appear in an error message.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "domain/model.hpp"
#include "security/sealer.hpp"
#include "service/customer_messenger.hpp"
#include "service/outreach_service.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// Limits of a reply.
inline constexpr int kMaxReplySmsParts = 3;          // concatenated SMS parts
inline constexpr int kMaxReplyEmailChars = 10000;    // code points

struct ReplyOptions {
  bool email = false;  // an SMTP relay is configured (--smtp-url): "email" is offered
  // An SMS reply not handed to Kannel within this time expires (the number is
  // deleted then too).
  std::chrono::hours sms_lifetime{72};
};

// True for a plausible single e-mail address "local@domain.tld": 3..254 bytes,
// one '@', no white space, control characters or any of <>()[],;:"\ , a domain of
// dot-separated labels [A-Za-z0-9-] (or non-ASCII) with at least one dot. Pure.
bool plausible_email_address(std::string_view address) noexcept;

class ReplySender final : public CustomerMessenger {
 public:
  // `sms`: the outreach service when Kannel is configured (--kannel-url), else
  // null (then "sms" is not offered). All must outlive the sender.
  ReplySender(const domain::Model& model, storage::Store& store, const security::Sealer& sealer, Clock& clock,
              OutreachService* sms, ReplyOptions options);

  std::vector<std::string> channels() const override;
  // See CustomerMessenger::send. SMS: the text is cleaned to GSM 7-bit where it
  // can be (domain::gsm7_safe) and must fit in kMaxReplySmsParts parts. E-mail: at
  // most kMaxReplyEmailChars characters; the subject (in `language`, no personal
  // data) says it answers the customer's feedback to the county, the body is the
  // text and the county's name. Always status "queued". Also conflict (SMS) when
  // the number opted out of SMS.
  Result<ReplyReceipt> send(std::int64_t case_id, const domain::ContactRequest& contact, std::string_view channel,
                            std::string_view text, domain::Language language) override;

 private:
  Result<ReplyReceipt> send_sms(std::int64_t case_id, const std::string& phone, std::string_view text);
  Result<ReplyReceipt> send_email(std::int64_t case_id, const std::string& email, std::string_view text,
                                  domain::Language language);

  const domain::Model& model_;
  storage::Store& store_;
  const security::Sealer& sealer_;
  Clock& clock_;
  OutreachService* sms_;
  ReplyOptions options_;
};

}  // namespace kaiku::service
