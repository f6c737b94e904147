#include "service/case_service.hpp"

#include <algorithm>
#include <charconv>

#include "analytics/calendar.hpp"
#include "service/staff_read.hpp"

namespace kaiku::service {
namespace {

using domain::CaseStatus;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr std::size_t kMaxNote = 4000;

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Result<std::int64_t> parse_int(std::string_view name, std::string_view v) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty()) {
    return fail(Error::invalid(std::string(name) + ": expected a whole number, got '" + std::string(v) + "'"));
  }
  return out;
}

Result<bool> parse_flag(std::string_view name, const std::optional<std::string>& v) {
  if (!v) return false;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return fail(Error::invalid(std::string(name) + ": expected true or false, got '" + *v + "'"));
}

// "<opened_at ms>-<id>" of the last case of a page.
std::string format_cursor(const storage::CaseCursor& c) {
  return std::to_string(c.opened_at.time_since_epoch().count()) + "-" + std::to_string(c.id);
}

Result<storage::CaseCursor> parse_cursor(const std::string& v) {
  const auto dash = v.rfind('-');
  auto bad = [&] { return Error::invalid("cursor: not a cursor this endpoint returned ('" + v + "')"); };
  if (dash == std::string::npos || dash == 0) return fail(bad());
  auto ms = parse_int("cursor", std::string_view(v).substr(0, dash));
  auto id = parse_int("cursor", std::string_view(v).substr(dash + 1));
  if (!ms || !id || *id <= 0) return fail(bad());
  return storage::CaseCursor{TimePoint(std::chrono::milliseconds(*ms)), *id};
}

Result<TimePoint> parse_day(std::string_view name, const std::string& v, int plus_days) {
  auto d = analytics::parse_date(v);
  if (!d) return fail(Error::invalid(std::string(name) + ": expected a date YYYY-MM-DD, got '" + v + "'"));
  return analytics::TimeZone::helsinki().start_of_day(*d + plus_days);
}

std::string status_list(const std::vector<CaseStatus>& s) {
  std::string out;
  for (auto x : s) {
    if (!out.empty()) out += ',';
    out += domain::case_status_name(x);
  }
  return out;
}

storage::CaseEvent event(const domain::Principal& who, std::string kind, std::string text) {
  storage::CaseEvent e;
  e.user_id = who.user_id;
  e.login = who.login;
  e.kind = std::move(kind);
  e.text = std::move(text);
  return e;
}

Error storage_error(const std::string& what, const Error& e) {
  if (e.kind == ErrorKind::conflict || e.kind == ErrorKind::not_found || e.kind == ErrorKind::invalid_input) {
    return e;
  }
  return Error::unavailable(what + ": " + e.message);
}

bool is_open(CaseStatus s) {
  return s == CaseStatus::new_case || s == CaseStatus::in_handling || s == CaseStatus::answered;
}

}  // namespace

bool case_overdue(const storage::CaseRecord& c, TimePoint now) noexcept {
  return (c.status == CaseStatus::new_case || c.status == CaseStatus::in_handling) && c.due_at < now;
}

Result<std::string> fts_query(std::string_view q) {
  if (q.size() > 200) return fail(Error::invalid("q: at most 200 bytes"));
  std::vector<std::string> words;
  std::string word;
  auto flush = [&](bool prefix) {
    if (!word.empty()) words.push_back("\"" + word + "\"" + (prefix ? "*" : ""));
    word.clear();
  };
  for (std::size_t i = 0; i < q.size(); ++i) {
    const auto c = static_cast<unsigned char>(q[i]);
    const bool letter = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (letter) {
      word += static_cast<char>(c);
    } else if (c == '*') {
      flush(true);
    } else {
      flush(false);
    }
  }
  flush(false);
  if (words.empty()) return fail(Error::invalid("q: give at least one word to search for"));
  if (words.size() > 16) return fail(Error::invalid("q: at most 16 words"));
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string complaint_instructions(const domain::Model& model, domain::Language language) {
  const std::string& url = model.contacts.complaints_url;
  const std::string& phone = model.contacts.complaints_phone;
  if (url.empty() && phone.empty()) return "";
  std::string out;
  switch (language) {
    case domain::Language::sv:
      out = "Er respons behandlas som en anmärkning.";
      if (!url.empty()) out += " Så gör ni en anmärkning: " + url;
      if (!phone.empty()) out += " Patient- och socialombudsmannen ger råd, tfn " + phone + ".";
      break;
    case domain::Language::en:
      out = "Your feedback is treated as a formal complaint (muistutus).";
      if (!url.empty()) out += " How to file one: " + url;
      if (!phone.empty()) out += " The patient and social ombudsman can advise you, tel. " + phone + ".";
      break;
    default:
      out = "Palautettanne käsitellään muistutuksena.";
      if (!url.empty()) out += " Näin teette muistutuksen: " + url;
      if (!phone.empty()) out += " Neuvoa antaa potilas- ja sosiaaliasiavastaava, puh. " + phone + ".";
      break;
  }
  return out;
}

CaseService::CaseService(const domain::Model& model, storage::Store& store, Clock& clock, CustomerMessenger* messenger)
    : model_(model), store_(store), clock_(clock), messenger_(messenger) {}

Status CaseService::audit(const domain::Principal& who, const std::string& action, const std::string& object,
                          std::int64_t count) const {
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = action;
  a.object = object;
  a.count = count;
  if (auto st = store_.audit().record(a); !st) {
    return fail(Error::unavailable("could not be audited, so it is not done: " + st.error().message));
  }
  return {};
}

Result<CaseList> CaseService::list(const domain::Principal& who, const CaseFilter& f) const {
  const TimePoint now = clock_.now();
  const StaffRead read(model_, store_, who, now, "cases.list", f.unit ? "unit=" + *f.unit : "unit=" + who.scope_unit);
  if (auto st = read.check_reader("cases"); !st) return fail(st.error());
  auto root = read.root(f.unit);
  if (!root) return fail(root.error());
  storage::CaseQuery q;
  q.units = model_.subtree(*root);
  q.now = now;
  if (f.touchpoint) {
    if (model_.touchpoint(*f.touchpoint) == nullptr && *f.touchpoint != "feedback") {
      return fail(Error::invalid("touchpoint: unknown touchpoint '" + *f.touchpoint + "'"));
    }
    q.touchpoint = *f.touchpoint;
  }
  if (f.channel) {
    auto c = domain::parse_channel(*f.channel);
    if (!c) return fail(Error::invalid("channel: unknown channel '" + *f.channel + "'"));
    q.channel = *c;
  }
  if (f.kind) {
    auto k = domain::parse_case_kind(*f.kind);
    if (!k) return fail(Error::invalid("kind: expected contact_request, feedback or comment, got '" + *f.kind + "'"));
    q.kind = *k;
  }
  if (f.band) {
    auto b = domain::parse_score_band(*f.band);
    if (!b) return fail(Error::invalid("band: expected detractor, passive, promoter or none, got '" + *f.band + "'"));
    q.band = *b;
  }
  if (f.theme) {
    const bool known = std::any_of(model_.themes.begin(), model_.themes.end(),
                                   [&](const domain::Theme& t) { return t.id == *f.theme; });
    if (!known) return fail(Error::invalid("theme: unknown theme '" + *f.theme + "'"));
    q.theme = *f.theme;
  }
  if (f.sentiment) {
    if (!domain::parse_sentiment(*f.sentiment)) {
      return fail(Error::invalid("sentiment: expected positive, neutral, negative or mixed, got '" + *f.sentiment + "'"));
    }
    q.sentiment = *f.sentiment;
  }
  if (f.language) {
    auto l = domain::parse_language(*f.language);
    if (!l) return fail(Error::invalid("language: unknown language '" + *f.language + "'"));
    q.language = *l;
  }
  if (f.status) {
    std::string_view rest = *f.status;
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view one = rest.substr(0, comma);
      auto s = domain::parse_case_status(one);
      if (!s) {
        return fail(Error::invalid("status: unknown status '" + std::string(one) +
                                   "'; use new, in_handling, answered, closed, muistutus (comma separated)"));
      }
      if (std::find(q.statuses.begin(), q.statuses.end(), *s) == q.statuses.end()) q.statuses.push_back(*s);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  } else {
    q.statuses = {CaseStatus::new_case, CaseStatus::in_handling, CaseStatus::answered};
  }
  if (f.from) {
    auto t = parse_day("from", *f.from, 0);
    if (!t) return fail(t.error());
    q.from = *t;
  }
  if (f.to) {
    auto t = parse_day("to", *f.to, 1);  // the whole day `to`
    if (!t) return fail(t.error());
    q.to = *t;
  }
  if (q.from && q.to && *q.from >= *q.to) return fail(Error::invalid("from: must not be after to"));
  std::size_t q_words = 0;
  if (f.q) {
    auto m = fts_query(*f.q);
    if (!m) return fail(m.error());
    q.match = *m;
    q_words = static_cast<std::size_t>(std::count(m->begin(), m->end(), ' ')) + 1;  // quoted words, one space apart
  }
  if (f.assignee) {
    const std::string& a = *f.assignee;
    if (a == "me") {
      q.assignee_user = who.user_id;
    } else if (a.rfind("unit:", 0) == 0) {
      const std::string unit = a.substr(5);
      if (model_.unit(unit) == nullptr) return fail(Error::invalid("assignee: unknown unit '" + unit + "'"));
      q.assigned_unit = unit;
    } else {
      auto id = parse_int("assignee", a);
      if (!id) return fail(Error::invalid("assignee: expected me, a user id or unit:<unit id>, got '" + a + "'"));
      q.assignee_user = *id;
    }
  }
  auto overdue = parse_flag("overdue", f.overdue);
  if (!overdue) return fail(overdue.error());
  q.overdue_only = *overdue;
  auto alert = parse_flag("alert", f.alert);
  if (!alert) return fail(alert.error());
  q.alert_only = *alert;
  if (f.total && *f.total != "true" && *f.total != "false") {
    return fail(Error::invalid("total: expected true or false, got '" + *f.total + "'"));
  }
  q.count_total = !(f.total && *f.total == "false");
  q.limit = kDefaultLimit;
  if (f.limit) {
    auto n = parse_int("limit", *f.limit);
    if (!n || *n < 1 || *n > kMaxLimit) {
      return fail(Error::invalid("limit: expected 1-" + std::to_string(kMaxLimit) + ", got '" + *f.limit + "'"));
    }
    q.limit = static_cast<int>(*n);
  }
  if (f.cursor && !f.cursor->empty()) {
    auto c = parse_cursor(*f.cursor);
    if (!c) return fail(c.error());
    q.after = *c;
  }
  if (q.units.empty()) return fail(Error::forbidden("no units in scope"));

  auto page = store_.cases().list(q);
  if (!page) return fail(storage_error("could not read cases", page.error()));
  CaseList out;
  out.now = now;
  out.total = page->total;
  out.total_capped = page->total_capped;
  out.total_counted = q.count_total;
  if (page->next) out.next_cursor = format_cursor(*page->next);
  out.cases = std::move(page->cases);
  const std::string object = "unit=" + *root + " status=" + status_list(q.statuses) + (f.q ? " q=<" + std::to_string(q_words) + (q_words == 1 ? " word>" : " words>") : "") +
                             " " + served_ids(out.cases);
  if (auto st = read.audit_served(object, static_cast<std::int64_t>(out.cases.size())); !st) return fail(st.error());
  return out;
}

std::vector<std::string> CaseService::reply_channels(const storage::CaseRecord& c,
                                                     const std::optional<domain::ContactRequest>& contact) const {
  std::vector<std::string> out;
  if (messenger_ == nullptr || !contact || !c.has_contact || !is_open(c.status)) return out;
  for (const auto& ch : messenger_->channels()) {
    if ((ch == "sms" && !contact->phone.empty()) || (ch == "email" && !contact->email.empty())) out.push_back(ch);
  }
  return out;
}

Result<CaseDetail> CaseService::detail(const domain::Principal& who, storage::CaseRecord record, bool audit_read) const {
  CaseDetail d;
  d.now = clock_.now();
  auto r = store_.responses().get(record.id);
  if (!r) return fail(storage_error("could not read the response", r.error()));
  d.response = std::move(*r);
  std::optional<domain::ContactRequest> contact;
  if (record.has_contact && record.status != CaseStatus::closed) {
    auto c = store_.responses().contact_for(record.id);
    if (!c) return fail(storage_error("could not read the contact details", c.error()));
    contact = std::move(*c);
  }
  if (domain::may_handle_cases(who)) d.can_reply = reply_channels(record, contact);
  if (contact && domain::may_read_contact_details(who)) d.contact = std::move(contact);
  auto h = store_.cases().history(record.id);
  if (!h) return fail(storage_error("could not read the history", h.error()));
  d.history = std::move(*h);
  d.record = std::move(record);
  const std::string object = "unit=" + d.record.unit + " ids=" + std::to_string(d.record.id);
  if (audit_read) {
    if (auto st = audit(who, "cases.get", object, 1); !st) return fail(st.error());
  }
  if (d.contact) {  // whichever call returns them: get, status, assign, muistutus
    if (auto st = audit(who, "contact.read", object, 1); !st) return fail(st.error());
  }
  return d;
}

Result<CaseDetail> CaseService::get(const domain::Principal& who, std::int64_t id) const {
  const std::string object = "id=" + std::to_string(id);
  const StaffRead read(model_, store_, who, clock_.now(), "cases.get", object);
  if (auto st = read.check_reader("cases"); !st) return fail(st.error());
  auto c = store_.cases().get(id);
  if (!c) {
    if (c.error().kind == ErrorKind::not_found) return fail(read.denied(Error::not_found("no case " + std::to_string(id))));
    return fail(storage_error("could not read the case", c.error()));
  }
  if (model_.unit(c->unit) == nullptr || !domain::in_scope(model_, who, c->unit)) {
    return fail(read.denied(object + " scope=outside", Error::not_found("no case " + std::to_string(id))));
  }
  return detail(who, std::move(*c), true);
}

Result<storage::CaseRecord> CaseService::handled_case(const domain::Principal& who, std::int64_t id,
                                                      const std::string& action) const {
  const std::string object = "case=" + std::to_string(id);
  const StaffRead read(model_, store_, who, clock_.now(), action, object);
  if (!domain::may_handle_cases(who)) {
    return fail(read.denied(
        Error::forbidden("role '" + std::string(domain::role_name(who.role)) + "' may not handle cases")));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(read.denied(Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model")));
  }
  auto c = store_.cases().get(id);
  if (!c) {
    if (c.error().kind == ErrorKind::not_found) return fail(read.denied(Error::not_found("no case " + std::to_string(id))));
    return fail(storage_error("could not read the case", c.error()));
  }
  if (model_.unit(c->unit) == nullptr || !domain::in_scope(model_, who, c->unit)) {
    return fail(read.denied(object + " scope=outside", Error::not_found("no case " + std::to_string(id))));
  }
  return c;
}

Result<CaseDetail> CaseService::set_status(const domain::Principal& who, std::int64_t id, std::string_view status,
                                           const std::string& note) const {
  auto to = domain::parse_case_status(status);
  if (!to) {
    return fail(Error::invalid("status: unknown status '" + std::string(status) +
                               "'; use new, in_handling, answered, closed or muistutus"));
  }
  if (utf8_length(note) > kMaxNote) return fail(Error::invalid("note: at most 4000 characters"));
  auto c = handled_case(who, id, "case.status");
  if (!c) return fail(c.error());
  if (!domain::case_transition_allowed(c->status, *to)) {
    std::string why = "case " + std::to_string(id) + ": " + std::string(domain::case_status_name(c->status)) +
                      " -> " + std::string(status) + " is not allowed";
    if (c->status == CaseStatus::new_case && *to == CaseStatus::answered) why += "; take it first (in_handling)";
    return fail(Error::conflict(why));
  }
  storage::CaseChange ch;
  ch.case_id = id;
  ch.expected = c->status;
  ch.to = *to;
  ch.at = clock_.now();
  ch.events.push_back(event(who, *to == CaseStatus::muistutus ? "muistutus" : "status", note));
  if (auto st = audit(who, "case.status",
                      "case=" + std::to_string(id) + " from=" + std::string(domain::case_status_name(c->status)) +
                          " to=" + std::string(status),
                      1);
      !st) {
    return fail(st.error());
  }
  auto done = store_.cases().update(ch);
  if (!done) return fail(storage_error("could not change the case", done.error()));
  return detail(who, std::move(*done), false);
}

Result<CaseDetail> CaseService::assign(const domain::Principal& who, std::int64_t id,
                                       const std::optional<std::string>& user,
                                       const std::optional<std::string>& unit) const {
  if (user.has_value() == unit.has_value()) return fail(Error::invalid("give exactly one of user and unit"));
  auto c = handled_case(who, id, "case.assign");
  if (!c) return fail(c.error());
  storage::CaseChange ch;
  ch.case_id = id;
  ch.expected = c->status;
  ch.assign = true;
  ch.at = clock_.now();
  std::string text;
  if (user) {
    storage::User u;
    if (*user == "me") {
      auto me = store_.users().find_by_id(who.user_id);
      if (!me) return fail(storage_error("could not read your account", me.error()));
      u = std::move(*me);
    } else {
      auto found = store_.users().find_by_login(*user);
      if (!found) {
        if (found.error().kind == ErrorKind::not_found) {
          return fail(Error::invalid("user: no user '" + *user + "'"));
        }
        return fail(storage_error("could not read users", found.error()));
      }
      u = std::move(*found);
    }
    domain::Principal assignee{u.id, u.login, u.role, u.scope_unit};
    if (u.disabled) return fail(Error::invalid("user: '" + u.login + "' is disabled"));
    if (!domain::may_handle_cases(assignee)) {
      return fail(Error::invalid("user: '" + u.login + "' (" + std::string(domain::role_name(u.role)) +
                                 ") may not handle cases"));
    }
    if (model_.unit(u.scope_unit) == nullptr || !domain::in_scope(model_, assignee, c->unit)) {
      return fail(Error::invalid("user: the case's unit '" + c->unit + "' is outside the scope of '" + u.login + "'"));
    }
    ch.assignee_user = u.id;
    text = u.login;
    if (u.id == who.user_id && c->status == CaseStatus::new_case) ch.to = CaseStatus::in_handling;  // taken
  } else {
    if (model_.unit(*unit) == nullptr) return fail(Error::invalid("unit: unknown unit '" + *unit + "'"));
    if (!domain::in_scope(model_, who, *unit)) {
      return fail(Error::forbidden("unit: '" + *unit + "' is outside your scope"));
    }
    // Staff see a case by its own unit (their scope must contain it), so only the
    // case's unit or a unit above it can see what is assigned to it.
    if (!model_.in_subtree(c->unit, *unit)) {
      return fail(Error::invalid("unit: '" + *unit + "' is neither the case's unit '" + c->unit +
                                 "' nor above it, so its staff could not see the case"));
    }
    ch.assigned_unit = *unit;
    text = "unit:" + *unit;
  }
  ch.events.push_back(event(who, "assign", text));
  if (auto st = audit(who, "case.assign", "case=" + std::to_string(id) + " to=" + text, 1); !st) {
    return fail(st.error());
  }
  auto done = store_.cases().update(ch);
  if (!done) return fail(storage_error("could not assign the case", done.error()));
  return detail(who, std::move(*done), false);
}

Result<storage::CaseEvent> CaseService::add_note(const domain::Principal& who, std::int64_t id,
                                                 const std::string& text) const {
  const std::size_t n = utf8_length(text);
  if (n == 0 || n > kMaxNote) return fail(Error::invalid("text: expected 1-4000 characters, got " + std::to_string(n)));
  auto c = handled_case(who, id, "case.note");
  if (!c) return fail(c.error());
  storage::CaseChange ch;
  ch.case_id = id;
  ch.at = clock_.now();
  ch.events.push_back(event(who, "note", text));
  if (auto st = audit(who, "case.note", "case=" + std::to_string(id), 1); !st) return fail(st.error());
  auto done = store_.cases().update(ch);
  if (!done) return fail(storage_error("could not add the note", done.error()));
  auto h = store_.cases().history(id);
  if (!h || h->empty()) return fail(Error::unavailable("could not read the note back"));
  return h->back();
}

Result<ReplyReceipt> CaseService::reply(const domain::Principal& who, std::int64_t id, std::string_view channel,
                                        const std::string& text) const {
  if (channel != "sms" && channel != "email") {
    return fail(Error::invalid("channel: expected sms or email, got '" + std::string(channel) + "'"));
  }
  if (text.empty()) return fail(Error::invalid("text: must not be empty"));
  auto c = handled_case(who, id, "case.reply");
  if (!c) return fail(c.error());
  if (!c->has_contact) return fail(Error::conflict("case " + std::to_string(id) + ": the customer did not ask for contact"));
  if (!is_open(c->status)) {
    return fail(Error::conflict("case " + std::to_string(id) + " is " + std::string(domain::case_status_name(c->status)) +
                                "; it can no longer be replied to"));
  }
  if (messenger_ == nullptr) return fail(Error::unavailable("replies to customers are not configured on this server"));
  const auto channels = messenger_->channels();
  if (std::find(channels.begin(), channels.end(), channel) == channels.end()) {
    return fail(Error::unavailable("channel: " + std::string(channel) + " is not configured on this server"));
  }
  auto contact = store_.responses().contact_for(id);
  if (!contact) return fail(storage_error("could not read the contact details", contact.error()));
  if (!*contact) return fail(Error::conflict("case " + std::to_string(id) + ": the contact details are no longer kept"));
  if ((channel == "sms" && (*contact)->phone.empty()) || (channel == "email" && (*contact)->email.empty())) {
    return fail(Error::invalid("channel: the customer gave no " +
                               std::string(channel == "sms" ? "phone number" : "e-mail address")));
  }
  if (auto st = audit(who, "case.reply", "case=" + std::to_string(id) + " channel=" + std::string(channel), 1); !st) {
    return fail(st.error());
  }
  auto sent = messenger_->send(id, **contact, channel, text, c->language);
  if (!sent) return fail(sent.error());
  // The message is out: record it whatever a colleague did meanwhile. An open case
  // becomes answered; a case closed or marked muistutus meanwhile keeps its status.
  storage::CaseChange ch;
  ch.case_id = id;
  ch.at = clock_.now();
  ch.events.push_back(event(who, "reply", text));
  CaseStatus now_status = c->status;
  for (int attempt = 1;; ++attempt) {
    ch.expected = now_status;
    ch.to = is_open(now_status) ? std::optional<CaseStatus>(CaseStatus::answered) : std::nullopt;
    auto done = store_.cases().update(ch);
    if (done) break;
    if (done.error().kind != ErrorKind::conflict || attempt == 3) {
      return fail(storage_error("the reply was sent but the case could not be updated", done.error()));
    }
    auto again = store_.cases().get(id);
    if (!again) return fail(storage_error("the reply was sent but the case could not be read", again.error()));
    now_status = again->status;
  }
  return *sent;
}

Result<CaseDetail> CaseService::muistutus(const domain::Principal& who, std::int64_t id, bool notify) const {
  auto c = handled_case(who, id, "case.muistutus");
  if (!c) return fail(c.error());
  if (!domain::case_transition_allowed(c->status, CaseStatus::muistutus)) {
    return fail(Error::conflict("case " + std::to_string(id) + " is " +
                                std::string(domain::case_status_name(c->status)) + "; it cannot be marked muistutus"));
  }
  // Everything the notification needs is checked before anything changes.
  std::string text, channel;
  std::optional<domain::ContactRequest> contact;
  if (notify && c->has_contact) {
    text = complaint_instructions(model_, c->language);
    if (text.empty()) {
      return fail(Error::conflict("the model has no complaint instructions (county complaints url or phone) to send"));
    }
    if (messenger_ == nullptr) return fail(Error::unavailable("messages to customers are not configured on this server"));
    auto kept = store_.responses().contact_for(id);
    if (!kept) return fail(storage_error("could not read the contact details", kept.error()));
    if (!*kept) return fail(Error::conflict("case " + std::to_string(id) + ": the contact details are no longer kept"));
    contact = std::move(**kept);
    const auto channels = messenger_->channels();
    auto has = [&](const char* ch) { return std::find(channels.begin(), channels.end(), ch) != channels.end(); };
    if (!contact->phone.empty() && has("sms")) channel = "sms";
    else if (!contact->email.empty() && has("email")) channel = "email";
    if (channel.empty()) {
      return fail(Error::unavailable("no channel configured on this server reaches the customer's contact"));
    }
  }
  // The status first (409 when a colleague changed the case meanwhile, and nothing
  // is sent), then the message: the customer never gets it twice.
  storage::CaseChange ch;
  ch.case_id = id;
  ch.expected = c->status;
  ch.to = CaseStatus::muistutus;
  ch.at = clock_.now();
  ch.events.push_back(event(who, "muistutus", "marked as a formal complaint"));
  if (auto st = audit(who, "case.status", "case=" + std::to_string(id) + " from=" +
                                              std::string(domain::case_status_name(c->status)) + " to=muistutus",
                      1);
      !st) {
    return fail(st.error());
  }
  auto done = store_.cases().update(ch);
  if (!done) return fail(storage_error("could not mark the case", done.error()));
  std::optional<CaseNotification> notice;
  if (contact) {
    notice = CaseNotification{channel, false, ""};
    if (auto st = audit(who, "case.reply", "case=" + std::to_string(id) + " channel=" + channel + " muistutus", 1);
        !st) {
      notice->error = st.error().message;
    } else if (auto sent = messenger_->send(id, *contact, channel, text, c->language); !sent) {
      notice->error = sent.error().message;
    } else {
      notice->sent = true;
    }
    storage::CaseChange log;
    log.case_id = id;
    log.at = clock_.now();
    log.events.push_back(event(who, "muistutus",
                               notice->sent ? "complaint instructions sent by " + channel + ": " + text
                                            : "complaint instructions could not be sent by " + channel + ": " +
                                                  notice->error));
    auto logged = store_.cases().update(log);
    if (!logged) {
      return fail(storage_error(std::string("the case was marked muistutus and the instructions ") +
                                    (notice->sent ? "were sent" : "could not be sent") +
                                    ", but the history could not be updated",
                                logged.error()));
    }
    done = std::move(logged);
  }
  auto d = detail(who, std::move(*done), false);
  if (d) d->notification = std::move(notice);
  return d;
}

Result<std::vector<storage::UnitOverdue>> CaseService::overdue(const domain::Principal& who) const {
  const StaffRead read(model_, store_, who, clock_.now(), "cases.overdue", "unit=" + who.scope_unit);
  if (auto st = read.check_reader("cases"); !st) return fail(st.error());
  auto units = store_.cases().overdue(model_.subtree(who.scope_unit), clock_.now());
  if (!units) return fail(storage_error("could not read cases", units.error()));
  return std::move(*units);
}

}  // namespace kaiku::service
