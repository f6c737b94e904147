// OutreachService: SMS outside surveys -- staff answering a customer's contact
// request (queue_direct_message).
#include <algorithm>
#include <chrono>

#include "domain/sms_text.hpp"
#include "service/outreach_internal.hpp"

namespace kaiku::service {

Result<std::int64_t> OutreachService::queue_direct_message(const std::string& phone, const std::string& text,
                                                           const std::string& unit, TimePoint expires_at) {
  const TimePoint now = clock_.now();
  if (text.empty()) return fail(Error::invalid("text: must not be empty"));
  if (expires_at <= now) return fail(Error::invalid("expires_at: must be after now"));
  const std::string e164 = domain::normalise_msisdn(phone);
  // PRIVACY: the number is never part of an error message.
  if (e164.empty()) return fail(Error::invalid("phone: the contact's phone number is not a valid number"));
  storage::OutreachRepository& repo = store_.outreach();
  const std::string key = Impl::number_key(sealer_, e164);
  auto opted = repo.is_opted_out(key);
  if (!opted) return fail(Error::unavailable("could not read the opt-outs: " + opted.error().message));
  if (*opted) {
    return fail(Error::conflict("the customer's number has refused SMS from this service (opt-out); answer by "
                                "e-mail or phone"));
  }
  storage::ContactRecord c;
  c.number_key = key;
  c.sealed_number = sealer_.seal(e164);
  c.created_at = now;
  c.expires_at = expires_at;
  auto contact_id = repo.add_contact(c);
  if (!contact_id) return fail(Error::unavailable("could not store the contact: " + contact_id.error().message));

  storage::OutboxMessage m;
  m.contact_id = *contact_id;
  m.kind = storage::OutboxKind::reply;
  m.unit = unit;
  m.sealed_text = sealer_.seal(text);
  m.ucs2 = !domain::fits_gsm7(text);
  m.state = storage::OutboxState::pending;
  m.created_at = now;
  m.not_before = now;
  m.next_attempt_at = now;
  m.expires_at = expires_at;
  m.reference = new_outbox_reference(random_);
  m.updated_at = now;
  auto id = repo.enqueue(m);
  if (!id) return fail(Error::unavailable("could not queue the SMS: " + id.error().message));
  return *id;
}

}  // namespace kaiku::service
