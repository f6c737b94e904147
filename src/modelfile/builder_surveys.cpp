// Questions (the shared library and each survey's own) and surveys.
#include <algorithm>

#include "modelfile/builder.hpp"

namespace kaiku::modelfile::detail {

using domain::QuestionType;

namespace {

bool is_choice(QuestionType t) {
  return t == QuestionType::single_choice || t == QuestionType::multi_choice;
}

std::string type_list() {
  return "nps, agreement, smiley3, smiley5, single_choice, multi_choice, open_text, "
         "contact_request";
}

}  // namespace

void Builder::note_question_type(const domain::Question& q, const Loc& at, const std::string& owner) {
  auto [it, inserted] = key_types_.emplace(q.key, KeyType{q.type, at, owner});
  if (!inserted && it->second.type != q.type) {
    sink_.error(at, owner + ": question '" + q.key + "' is of type " +
                        std::string(domain::question_type_name(q.type)) + " here but " +
                        std::string(domain::question_type_name(it->second.type)) + " at " +
                        where(it->second.loc) +
                        "; one key must always mean the same kind of answer (use a new key)");
  }
}

std::optional<domain::Question> Builder::read_question(const std::string& file, const YAML::Node& node,
                                                       const std::string& owner) {
  const std::string what = owner + ": question" + quoted_field(node, "key");
  Fields f(sink_, file, node, what,
           {"key", "type", "text", "help", "required", "options", "low_label", "high_label", "consent",
            "max_length"});
  if (!f.ok()) return std::nullopt;
  domain::Question q;
  bool ok = true;
  f.require("key");
  if (auto key = read_id(sink_, f, "key"))
    q.key = *key;
  else
    ok = false;
  f.require("type");
  if (auto t = f.get("type")) {
    auto name = scalar(sink_, file, *t, what + ": type");
    auto type = name ? domain::parse_question_type(*name) : std::nullopt;
    if (type) {
      q.type = *type;
    } else {
      if (name)
        sink_.error(loc_of(file, *t),
                    what + ": unknown question type '" + *name + "'; use one of " + type_list());
      ok = false;
    }
  } else {
    ok = false;
  }
  f.require("text");
  q.text = read_text(sink_, f, "text", enabled_);
  q.help = read_text(sink_, f, "help", enabled_);
  q.low_label = read_text(sink_, f, "low_label", enabled_);
  q.high_label = read_text(sink_, f, "high_label", enabled_);
  q.consent = read_text(sink_, f, "consent", enabled_);
  if (auto r = read_bool(sink_, f, "required")) q.required = *r;
  if (auto ml = read_int(sink_, f, "max_length")) {
    if (*ml < 1 || *ml > 20000) {
      sink_.error(loc_of(file, *f.get("max_length")), what + ": max_length must be between 1 and 20000");
    } else {
      q.max_length = static_cast<int>(*ml);
    }
  }
  if (auto opts = read_list(sink_, f, "options")) {
    for (auto& [key, label] : read_keyed_texts(file, *opts, what + ": option", "key", "label", enabled_,
                                               "option key"))
      q.options.push_back({key, std::move(label)});
  }
  if (!ok) return std::nullopt;
  if (is_choice(q.type) && q.options.empty() && !f.get("options")) {
    sink_.error(f.loc(), what + ": a " + std::string(domain::question_type_name(q.type)) +
                             " question needs 'options'");
  } else if (is_choice(q.type) && q.options.empty()) {
    sink_.error(loc_of(file, *f.get("options")), what + ": 'options' must not be empty");
  } else if (!is_choice(q.type) && f.get("options")) {
    sink_.error(loc_of(file, *f.get("options")),
                what + ": 'options' is only for single_choice and multi_choice questions");
  }
  if (q.type == QuestionType::contact_request && !f.get("consent")) {
    sink_.error(f.loc(), what + ": a contact_request question needs a 'consent' text");
  } else if (q.type != QuestionType::contact_request && f.get("consent")) {
    sink_.error(loc_of(file, *f.get("consent")), what + ": 'consent' is only for contact_request questions");
  }
  note_question_type(q, f.loc(), owner);
  return q;
}

void Builder::read_library() {
  for (const Section& s : questions_) {
    for (const YAML::Node& n : s.node) {
      auto q = read_question(s.file, n, "questions");
      if (!q) continue;
      auto [it, inserted] = library_.emplace(q->key, LibraryQuestion{*q, loc_of(s.file, n)});
      if (!inserted) {
        sink_.error(loc_of(s.file, n), "questions: duplicate question key '" + q->key +
                                           "' (first defined at " + where(it->second.loc) + ")");
      }
    }
  }
}

void Builder::read_surveys(domain::Model& m) {
  std::map<std::string, Loc> ids;
  for (const Section& s : surveys_) {
    for (const YAML::Node& n : s.node) {
      const std::string what = "survey" + quoted_field(n, "id");
      Fields f(sink_, s.file, n, what,
               {"id", "title", "intro", "audience", "allow_on_behalf", "kiosk_question", "kiosk_followup",
                "questions"});
      if (!f.ok()) continue;
      domain::Survey sv;
      f.require("id");
      auto id = read_id(sink_, f, "id");
      f.require("title");
      sv.title = read_text(sink_, f, "title", enabled_);
      sv.intro = read_text(sink_, f, "intro", enabled_);
      if (auto a = read_string(sink_, f, "audience")) {
        if (*a == "general")
          sv.audience = domain::Audience::general;
        else if (*a == "child")
          sv.audience = domain::Audience::child;
        else if (*a == "relative")
          sv.audience = domain::Audience::relative;
        else
          sink_.error(loc_of(s.file, *f.get("audience")),
                      what + ": unknown audience '" + *a + "'; use general, child or relative");
      }
      sv.allow_on_behalf = sv.audience == domain::Audience::general;
      if (auto b = read_bool(sink_, f, "allow_on_behalf")) sv.allow_on_behalf = *b;
      std::map<std::string, Loc> keys;
      f.require("questions");
      if (auto qs = read_list(sink_, f, "questions")) {
        if (qs->size() == 0) sink_.error(loc_of(s.file, *qs), what + ": 'questions' is empty");
        for (const YAML::Node& qn : *qs) {
          std::optional<domain::Question> q;
          bool uses = false;
          if (qn.IsMap()) {
            for (auto it = qn.begin(); it != qn.end(); ++it) {
              if (it->first.IsScalar() && it->first.Scalar() == "use") uses = true;
            }
          }
          if (uses) {
            Fields uf(sink_, s.file, qn, what + ": question" + quoted_field(qn, "use"), {"use", "required"});
            auto key = read_id(sink_, uf, "use");
            if (!key) continue;
            auto lib = library_.find(*key);
            if (lib == library_.end()) {
              consequential(loc_of(s.file, *uf.get("use")),
                          what + ": unknown library question '" + *key +
                              "' (define it under the top-level 'questions:')" +
                              did_you_mean(*key, library_));
              continue;
            }
            q = lib->second.question;
            if (auto r = read_bool(sink_, uf, "required")) q->required = *r;
          } else {
            q = read_question(s.file, qn, what);
          }
          if (!q) continue;
          if (!claim(keys, q->key, loc_of(s.file, qn), "question key")) continue;
          sv.questions.push_back(std::move(*q));
        }
      }
      if (auto kq = read_id(sink_, f, "kiosk_question")) {
        const domain::Question* q = nullptr;
        for (const auto& x : sv.questions)
          if (x.key == *kq) q = &x;
        Loc at = loc_of(s.file, *f.get("kiosk_question"));
        if (!q) {
          sink_.error(at, what + ": kiosk_question '" + *kq + "' is not a question of this survey");
        } else if (q->type != QuestionType::smiley3 && q->type != QuestionType::smiley5) {
          sink_.error(at, what + ": kiosk_question '" + *kq +
                              "' must be a smiley3 or smiley5 "
                              "question, not " +
                              std::string(domain::question_type_name(q->type)));
        } else {
          sv.kiosk_question = *kq;
        }
      }
      if (auto kf = read_id(sink_, f, "kiosk_followup")) {
        const domain::Question* q = nullptr;
        for (const auto& x : sv.questions)
          if (x.key == *kf) q = &x;
        Loc at = loc_of(s.file, *f.get("kiosk_followup"));
        if (!q) {
          sink_.error(at, what + ": kiosk_followup '" + *kf + "' is not a question of this survey");
        } else if (q->type != QuestionType::single_choice) {
          sink_.error(at, what + ": kiosk_followup '" + *kf +
                              "' must be a single_choice "
                              "question, not " +
                              std::string(domain::question_type_name(q->type)));
        } else if (!f.get("kiosk_question")) {
          sink_.error(at, what + ": kiosk_followup needs a kiosk_question");
        } else {
          sv.kiosk_followup = *kf;
        }
      }
      if (id && claim(ids, *id, f.loc(), "survey id")) {
        sv.id = *id;
        m.surveys.push_back(std::move(sv));
      }
    }
  }
}

}  // namespace kaiku::modelfile::detail
