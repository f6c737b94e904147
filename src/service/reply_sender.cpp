// ReplySender: replies to customers by SMS (the SMS outbox) and e-mail (the mail outbox).
#include "service/reply_sender.hpp"

#include <string>

#include "domain/sms_text.hpp"
#include "storage/mail_store.hpp"

namespace kaiku::service {

namespace {

// Number of code points of UTF-8 `s` (continuation bytes not counted).
int utf8_length(std::string_view s) {
  int n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// The lines of a reply e-mail in the customer's language (fi, sv, en; plain Finnish: fi).
struct ReplyMailTexts {
  const char* subject;  // followed by " - <county>"
};

ReplyMailTexts reply_texts(domain::Language lang) {
  switch (lang) {
    case domain::Language::sv: return {"Svar på din respons"};
    case domain::Language::en: return {"Reply to your feedback"};
    case domain::Language::fi:
    case domain::Language::fi_selko: break;
  }
  return {"Vastaus palautteeseesi"};
}

}  // namespace

bool plausible_email_address(std::string_view a) noexcept {
  if (a.size() < 3 || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) return false;
  for (char ch : a) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) return false;
    if (std::string_view("<>()[],;:\"\\").find(ch) != std::string_view::npos) return false;
  }
  const std::string_view domain = a.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
  // Labels: non-empty, [A-Za-z0-9-] or non-ASCII, not starting or ending with '-'.
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char ch : label) {
      const auto c = static_cast<unsigned char>(ch);
      const bool ok = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

ReplySender::ReplySender(const domain::Model& model, storage::Store& store, const security::Sealer& sealer,
                         Clock& clock, OutreachService* sms, ReplyOptions options)
    : model_(model), store_(store), sealer_(sealer), clock_(clock), sms_(sms), options_(options) {}

std::vector<std::string> ReplySender::channels() const {
  std::vector<std::string> out;
  if (sms_ != nullptr) out.emplace_back("sms");
  if (options_.email) out.emplace_back("email");
  return out;
}

Result<ReplyReceipt> ReplySender::send(std::int64_t case_id, const domain::ContactRequest& contact,
                                       std::string_view channel, std::string_view text, domain::Language language) {
  if (channel == "sms") {
    if (sms_ == nullptr) return fail(Error::unavailable("channel sms: no SMS gateway is configured (--kannel-url)"));
    if (contact.phone.empty()) return fail(Error::invalid("channel sms: the customer left no phone number"));
    return send_sms(case_id, contact.phone, text);
  }
  if (channel == "email") {
    if (!options_.email) return fail(Error::unavailable("channel email: no SMTP relay is configured (--smtp-url)"));
    if (contact.email.empty()) return fail(Error::invalid("channel email: the customer left no e-mail address"));
    return send_email(case_id, contact.email, text, language);
  }
  return fail(Error::invalid("channel: must be \"sms\" or \"email\", got \"" + std::string(channel.substr(0, 20)) + "\""));
}

Result<ReplyReceipt> ReplySender::send_sms(std::int64_t case_id, const std::string& phone, std::string_view text) {
  if (blank(text)) return fail(Error::invalid("text: must not be empty"));
  const std::string clean = domain::gsm7_safe(text);
  const domain::SmsParts parts = domain::measure_sms(clean);
  if (parts.parts > kMaxReplySmsParts) {
    return fail(Error::invalid("text: " + std::to_string(parts.characters) + (parts.gsm7 ? " GSM characters" : " UCS-2 characters") +
                               " need " + std::to_string(parts.parts) + " SMS parts; at most " +
                               std::to_string(kMaxReplySmsParts) + " (459 GSM characters, or 201 with characters "
                               "outside the GSM alphabet)"));
  }
  (void)case_id;  // the outbox row carries no case: the case's history records the reply
  auto id = sms_->queue_direct_message(phone, clean, "", clock_.now() + options_.sms_lifetime);
  if (!id) return fail(id.error());
  return ReplyReceipt{"sms", "queued"};
}

Result<ReplyReceipt> ReplySender::send_email(std::int64_t case_id, const std::string& email, std::string_view text,
                                             domain::Language language) {
  if (blank(text)) return fail(Error::invalid("text: must not be empty"));
  const int chars = utf8_length(text);
  if (chars > kMaxReplyEmailChars) {
    return fail(Error::invalid("text: " + std::to_string(chars) + " characters; an e-mail reply has at most " +
                               std::to_string(kMaxReplyEmailChars)));
  }
  if (!plausible_email_address(email)) {
    return fail(Error::invalid("channel email: the customer's e-mail address is not a usable address"));
  }
  const std::string county = model_.county_name.get(language);
  storage::MailMessage m;
  m.kind = storage::MailKind::reply;
  m.case_id = case_id;
  m.sealed_to = sealer_.seal(email);
  m.subject = std::string(reply_texts(language).subject) + (county.empty() ? "" : " - " + county);
  std::string body(text);
  if (!county.empty()) body += "\n\n-- \n" + county;
  body += "\n";
  m.sealed_body = sealer_.seal(body);
  m.created_at = clock_.now();
  m.next_attempt_at = m.created_at;
  auto id = store_.mail().enqueue(m);
  if (!id) return fail(Error::unavailable("could not queue the e-mail: " + id.error().message));
  return ReplyReceipt{"email", "queued"};
}

}  // namespace kaiku::service
