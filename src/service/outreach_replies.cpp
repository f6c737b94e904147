// OutreachService: replies (MO) from phones -- the reply-mode dialogue (score,
// re-prompt, follow-up comment, thanks), late replies and opt-outs.
#include <cctype>
#include <cstdio>
#include <mutex>
#include <utility>

#include "domain/sms_reply.hpp"
#include "domain/sms_text.hpp"
#include "service/comment_processor.hpp"
#include "service/outreach_internal.hpp"

namespace kaiku::service {

namespace {

using storage::Dialogue;
using storage::DialogueState;
using storage::OutboxKind;

// The submission key of a response stored from dialogue `id` at `step`; the same
// for a redelivered reply, so it is stored once.
std::string reply_key(std::int64_t id, const char* step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "sms-d%012lld-%s", static_cast<long long>(id), step);
  return buf;
}

// At most `max_chars` code points of valid UTF-8 `s`.
std::string truncate_utf8(const std::string& s, int max_chars) {
  if (max_chars <= 0) return s;
  int chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (chars == max_chars) return s.substr(0, i);
      ++chars;
    }
  }
  return s;
}

// The language of an opt-out from a number we have no dialogue with, from its word.
domain::Language opt_out_language(const std::string& text) {
  std::string up;
  for (char c : text) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up.find("SLUTA") != std::string::npos || up.find("STOPP") != std::string::npos) return domain::Language::sv;
  if (up.find("STOP") != std::string::npos || up.find("UNSUBSCRIBE") != std::string::npos) return domain::Language::en;
  return domain::Language::fi;
}

// The keys of the questions a dialogue fills: the NPS question and the follow-up.
struct DialogueQuestions {
  const domain::Survey* survey = nullptr;
  std::string nps_key;
  const domain::Question* followup = nullptr;
};

DialogueQuestions questions_of(const domain::Model& model, const domain::Touchpoint& tp) {
  DialogueQuestions q;
  q.survey = model.survey(tp.survey);
  if (q.survey == nullptr) return q;
  for (const auto& question : q.survey->questions) {
    if (question.type == domain::QuestionType::nps && q.nps_key.empty()) q.nps_key = question.key;
  }
  q.followup = followup_question(model, tp);
  return q;
}

// Everything a reply needs, for one reply (the service's private parts by reference).
class ReplyHandler {
 public:
  ReplyHandler(const domain::Model& model, storage::Store& store, const security::Sealer& sealer, Clock& clock,
               Random& random, StoreObserver* observer, const CommentProcessor* comments, std::string mo_id)
      : model_(model),
        store_(store),
        sealer_(sealer),
        random_(random),
        observer_(observer),
        comments_(comments),
        now_(clock.now()),
        mo_id_(std::move(mo_id)) {}

  Status handle(const std::string& e164, const std::string& text) {
    storage::OutreachRepository& repo = store_.outreach();
    const std::string key = sealer_.keyed_hash("number", e164);
    auto found = repo.dialogue_for_number(key);
    if (!found) return fail(unavailable("could not read the dialogue", found.error()));
    if (!*found) {
      // No dialogue (link mode, or long purged): only an opt-out means something.
      domain::SmsReply reply = domain::parse_sms_reply(text, false);
      if (reply.kind != domain::SmsReply::Kind::opt_out) return {};
      return opt_out(key, e164, opt_out_language(text), nullptr);
    }
    Dialogue d = **found;
    if (!mo_id_.empty() && d.last_mo_id == mo_id_) return {};  // the gateway delivered this reply again
    const bool late = now_ >= d.expires_at || d.state == DialogueState::expired;
    domain::SmsReply reply = domain::parse_sms_reply(text, d.state == DialogueState::awaiting_score);
    if (reply.kind == domain::SmsReply::Kind::opt_out) return opt_out(key, e164, d.language, &d);
    if (reply.kind == domain::SmsReply::Kind::empty) return {};
    if (d.state != DialogueState::awaiting_score && d.state != DialogueState::awaiting_comment) return {};
    const domain::Touchpoint* tp = model_.touchpoint(d.touchpoint);
    if (tp == nullptr) return {};  // the touchpoint left the model: nothing to store it under
    const DialogueQuestions q = questions_of(model_, *tp);
    if (q.survey == nullptr) return {};
    if (d.state == DialogueState::awaiting_score) return on_score_step(d, *tp, q, reply, late);
    return on_comment_step(d, q, text, reply, late);
  }

 private:
  static Error unavailable(const std::string& what, const Error& e) {
    return Error::unavailable(what + ": " + e.message);
  }

  domain::Response base_response(const Dialogue& d, const DialogueQuestions& q, bool late) const {
    domain::Response r;
    r.model_version = model_.version;
    r.touchpoint = d.touchpoint;
    r.unit = d.unit;
    r.survey = q.survey->id;
    r.channel = domain::Channel::sms;
    r.language = d.language;
    r.respondent = domain::Respondent::self;
    r.age_group = d.age_group;
    r.answered_at = now_;
    r.late = late;
    return r;
  }

  // A comment response supplementing `score_id` (0: a text answer without a score,
  // or the score stored in the same step: apply_reply links it).
  // `score`: the 0-10 score the customer gave in the dialogue (-1: none), for the
  // inbox case the comment opens (its score band).
  domain::Response comment_response(const Dialogue& d, const DialogueQuestions& q, const std::string& comment,
                                    std::int64_t score_id, const char* step, bool late, bool with_invitation,
                                    int score = -1) const {
    domain::Response r = base_response(d, q, late);
    r.submission_key = reply_key(d.id, step);
    domain::Answer a;
    a.key = q.followup->key;
    a.text = truncate_utf8(comment, q.followup->max_length);
    r.answers.push_back(std::move(a));
    r.supplements = score_id;
    if (with_invitation && !late) r.invitation = d.invitation_id;
    if (comments_ != nullptr && !comments_->process(model_, r)) {
      // Unreadable text (not UTF-8) was emptied by the processor: keep no answer.
      std::erase_if(r.answers, [](const domain::Answer& x) { return x.text.empty(); });
    }
    r.case_opening = domain::open_case(model_, r);
    if (r.case_opening && r.case_opening->nps_score < 0 && score >= 0) {
      r.case_opening->nps_score = score;
      r.case_opening->band = domain::score_band(score);
    }
    return r;
  }

  storage::OutboxMessage message(const Dialogue& d, OutboxKind kind, const std::string& text) {
    storage::OutboxMessage m = reply_message(sealer_, random_, now_, kind, text, d.contact_id, d.expires_at);
    m.dialogue_id = d.id;
    m.event_id = d.event_id;
    m.invitation_id = d.invitation_id;
    m.touchpoint = d.touchpoint;
    m.unit = d.unit;
    return m;
  }

  // A step from `d` as it was read, to `to` (re-prompt flag and score kept).
  storage::ReplyStep step_from(const Dialogue& d, DialogueState to) const {
    storage::ReplyStep s;
    s.dialogue_id = d.id;
    s.from_state = d.state;
    s.from_reprompted = d.reprompted;
    s.to_state = to;
    s.to_reprompted = d.reprompted;
    s.updated_at = now_;
    s.mo_id = mo_id_;
    return s;
  }

  // Applies `step` in one transaction; new responses are told to the observer.
  // A dialogue that moved on meanwhile (a duplicate reply) or was purged: ok,
  // nothing done. A conflict (a comment stored before) is returned as is.
  Status commit(const storage::ReplyStep& step) {
    auto out = store_.outreach().apply_reply(step);
    if (!out) {
      if (out.error().kind == ErrorKind::not_found) return {};
      if (out.error().kind == ErrorKind::conflict) return fail(out.error());
      return fail(unavailable("could not store the reply", out.error()));
    }
    if (observer_ != nullptr) {
      for (const auto& r : out->stored) observer_->response_stored(r);
    }
    return {};
  }

  Status on_score_step(const Dialogue& d, const domain::Touchpoint& tp, const DialogueQuestions& q,
                       const domain::SmsReply& reply, bool late) {
    if (reply.kind == domain::SmsReply::Kind::score && reply.score) {
      storage::ReplyStep s = step_from(d, DialogueState::done);
      domain::Response r = base_response(d, q, late);
      r.submission_key = reply_key(d.id, "score");
      if (!late) r.invitation = d.invitation_id;
      domain::Answer a;
      a.key = q.nps_key.empty() ? "nps" : q.nps_key;
      a.number = *reply.score;
      r.answers.push_back(std::move(a));
      s.score = std::move(r);
      if (!reply.comment.empty() && q.followup != nullptr) {
        // "9 hyvä palvelu": the comment came with the score; no follow-up needed.
        s.comment = comment_response(d, q, reply.comment, 0, "comment", late, false, *reply.score);
        if (!late) s.messages.push_back(message(d, OutboxKind::thanks, SmsTexts::thanks(d.language)));
        return commit(s);
      }
      if (late) return commit(s);
      if (q.followup == nullptr) {
        s.messages.push_back(message(d, OutboxKind::thanks, SmsTexts::thanks(d.language)));
        return commit(s);
      }
      s.to_state = DialogueState::awaiting_comment;
      s.messages.push_back(message(d, OutboxKind::followup, SmsTexts::followup(model_, tp, d.language)));
      return commit(s);
    }
    // Unreadable as a score.
    if (!late && !d.reprompted) {
      storage::ReplyStep s = step_from(d, DialogueState::awaiting_score);
      s.to_reprompted = true;
      s.messages.push_back(message(d, OutboxKind::reprompt, SmsTexts::reprompt(d.language)));
      return commit(s);
    }
    // After the one re-prompt (or too late to ask again): keep the words as the
    // answer to the open question, without a score.
    storage::ReplyStep s = step_from(d, DialogueState::done);
    if (q.followup != nullptr) s.comment = comment_response(d, q, reply.comment, 0, "text", late, true);
    if (!late) s.messages.push_back(message(d, OutboxKind::thanks, SmsTexts::thanks(d.language)));
    return commit(s);
  }

  Status on_comment_step(const Dialogue& d, const DialogueQuestions& q, const std::string& text,
                         const domain::SmsReply& reply, bool late) {
    if (q.followup == nullptr) return commit(step_from(d, DialogueState::done));
    // The score message delivered again (the gateway retried the MO): not a comment.
    domain::SmsReply as_score = domain::parse_sms_reply(text, true);
    if (as_score.kind == domain::SmsReply::Kind::score && as_score.comment.empty() && d.response_id != 0) {
      auto first = store_.responses().get(d.response_id);
      if (first) {
        for (const auto& a : first->answers) {
          if (a.number && as_score.score && *a.number == *as_score.score) return {};
        }
      }
    }
    int score = -1;  // the score of the dialogue, for the case's score band
    if (d.response_id != 0) {
      if (auto first = store_.responses().get(d.response_id)) {
        for (const auto& a : first->answers) {
          if (a.number) score = *a.number;
        }
      }
    }
    storage::ReplyStep s = step_from(d, DialogueState::done);
    s.comment = comment_response(d, q, reply.comment, d.response_id, "comment", late, false, score);
    if (!late) s.messages.push_back(message(d, OutboxKind::thanks, SmsTexts::thanks(d.language)));
    Status st = commit(s);
    if (!st && st.error().kind == ErrorKind::conflict) {
      // A comment was stored already (this one differs): keep the first, and end.
      return commit(step_from(d, DialogueState::done));
    }
    return st;
  }

  Status opt_out(const std::string& key, const std::string& e164, domain::Language lang, Dialogue* d) {
    storage::OutreachRepository& repo = store_.outreach();
    auto already = repo.is_opted_out(key);
    if (!already) return fail(unavailable("could not read the opt-outs", already.error()));
    // The person too, when the dialogue knows who was asked: an opt-out by reply
    // also stops survey messages to the same person on another number.
    const std::string person_key = d != nullptr ? d->person_key : std::string();
    if (auto st = repo.add_opt_out(key, person_key, now_); !st) {
      return fail(unavailable("could not record the opt-out", st.error()));
    }
    // Every open dialogue of the number ends (newest first; bounded in case the
    // store does not take the change).
    for (int i = 0; i < 100; ++i) {
      auto open = repo.dialogue_for_number(key);
      if (!open) return fail(unavailable("could not read the dialogue", open.error()));
      if (!*open || ((*open)->state != DialogueState::awaiting_score &&
                     (*open)->state != DialogueState::awaiting_comment)) {
        break;
      }
      const Dialogue other = **open;
      storage::ReplyStep s = step_from(other, DialogueState::done);
      s.mo_id.clear();  // ending the other dialogues is not this reply's step in them
      if (auto st = commit(s); !st) return st;
      if (d != nullptr && other.id == d->id) d->state = DialogueState::done;
    }
    if (*already) return {};  // confirmed once; a repeated (or redelivered) stop word is not confirmed again
    std::int64_t contact_id = 0;
    if (d != nullptr) {
      if (auto c = repo.get_contact(d->contact_id)) contact_id = c->id;
    }
    if (contact_id == 0) {
      storage::ContactRecord c;
      c.number_key = key;
      c.sealed_number = sealer_.seal(e164);
      c.created_at = now_;
      c.expires_at = now_ + std::chrono::hours(24);
      auto id = repo.add_contact(c);
      if (!id) return fail(unavailable("could not store the contact", id.error()));
      contact_id = *id;
    }
    storage::OutboxMessage m = reply_message(sealer_, random_, now_, OutboxKind::opt_out_confirm,
                                             SmsTexts::opt_out_confirm(lang), contact_id,
                                             now_ + std::chrono::hours(24));
    if (d != nullptr) {
      m.dialogue_id = d->id;
      m.event_id = d->event_id;
      m.touchpoint = d->touchpoint;
      m.unit = d->unit;
    }
    auto id = repo.enqueue(m);
    if (!id) return fail(unavailable("could not queue the confirmation", id.error()));
    return {};
  }

  const domain::Model& model_;
  storage::Store& store_;
  const security::Sealer& sealer_;
  Random& random_;
  StoreObserver* observer_;
  const CommentProcessor* comments_;  // null: comments stored unanalysed
  TimePoint now_;
  std::string mo_id_;  // the gateway's id of this reply ("" when not given)
};

}  // namespace

Status OutreachService::Impl::handle_reply(OutreachService& s, const std::string& e164, const std::string& text,
                                           const std::string& mo_id) {
  ReplyHandler h(s.model_, s.store_, s.sealer_, s.clock_, s.random_, s.observer_, s.options_.comments, mo_id);
  return h.handle(e164, text);
}

Status OutreachService::on_reply(const std::string& from, const std::string& text, const std::string& message_id) {
  const std::string e164 = domain::normalise_msisdn(from);
  if (e164.empty()) return {};  // not a number we could have written to
  std::lock_guard<std::mutex> lock(reply_mutex_);
  return Impl::handle_reply(*this, e164, text, message_id);
}

}  // namespace kaiku::service
