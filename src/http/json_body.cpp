#include "http/json_body.hpp"

#include <boost/json.hpp>
#include <set>
#include <vector>

namespace kaiku::http {

namespace json = boost::json;

namespace {

const char* kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number with a fraction";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

Error type_error(const std::string& path, const char* expected, const json::value& got) {
  return Error::invalid(path + ": expected " + expected + ", got " + kind_name(got));
}

// The decoded text of the JSON string starting at body[i] (a '"'); `i` ends past
// its closing quote. `body` is known to be valid JSON.
std::string read_string(std::string_view body, std::size_t& i) {
  std::size_t start = i++;
  while (i < body.size() && body[i] != '"') i += body[i] == '\\' ? 2 : 1;
  ++i;
  std::string_view raw = body.substr(start, i - start);
  if (raw.find('\\') == std::string_view::npos) return std::string(raw.substr(1, raw.size() - 2));
  boost::system::error_code ec;
  json::value v = json::parse(raw, ec);
  return !ec && v.is_string() ? std::string(v.as_string()) : std::string(raw);
}

// The path ("a.b") of the first member name that repeats within one object of
// the valid JSON document `body`; "" when none does. (Boost.JSON keeps one of the
// two silently, so the check runs on the text.)
std::string first_duplicate_key(std::string_view body) {
  struct Level {
    bool object;
    std::set<std::string> keys;
    std::string path;
    std::string pending;  // the last key read, for nested paths
  };
  std::vector<Level> stack;
  bool expect_key = false;
  for (std::size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '"') {
      std::string text = read_string(body, i);
      if (expect_key && !stack.empty() && stack.back().object) {
        Level& top = stack.back();
        std::string path = top.path.empty() ? text : top.path + "." + text;
        if (!top.keys.insert(text).second) return path;
        top.pending = path;
        expect_key = false;
      }
      continue;
    }
    if (c == '{' || c == '[') {
      std::string path =
          stack.empty() ? "" : (stack.back().object ? stack.back().pending : stack.back().path);
      stack.push_back(Level{c == '{', {}, path, ""});
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      expect_key = false;
    } else if (c == ',') {
      expect_key = !stack.empty() && stack.back().object;
    }
    ++i;
  }
  return "";
}

Result<json::value> parse_document(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 32;
  json::stream_parser p({}, opt);
  boost::system::error_code ec;
  std::size_t n = p.write(body.data(), body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    return fail(
        Error::invalid("invalid JSON at byte " + std::to_string(ec ? n : body.size()) + ": " + ec.message()));
  }
  if (std::string dup = first_duplicate_key(body); !dup.empty()) {
    return fail(Error::invalid(dup + ": duplicate member name; each field may appear only once"));
  }
  return p.release();
}

// Reads the members of one object, checking that no unknown field is present.
class Fields {
 public:
  Fields(const json::object& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

  std::string path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }

  // The member `key`, or nullptr when absent; remembers `key` as known.
  const json::value* get(std::string_view key) {
    known_.insert(std::string(key));
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &it->value();
  }

  Status string(std::string_view key, bool required, std::string& out) {
    const json::value* v = get(key);
    if (v == nullptr) {
      if (required) return fail(Error::invalid(path(key) + ": required field is missing"));
      return {};
    }
    if (!v->is_string()) return fail(type_error(path(key), "a string", *v));
    out = std::string(v->as_string());
    return {};
  }

  Status no_unknown() const {
    for (const auto& m : obj_) {
      std::string k(m.key());
      if (!known_.count(k)) return fail(Error::invalid(path(k) + ": unknown field"));
    }
    return {};
  }

 private:
  const json::object& obj_;
  std::string prefix_;
  std::set<std::string> known_;
};

#define KAIKU_TRY(expr)                             \
  do {                                              \
    auto kaiku_st_ = (expr);                        \
    if (!kaiku_st_) return fail(kaiku_st_.error()); \
  } while (0)

Status parse_answers(const json::value& v, domain::RawAnswers& out) {
  if (!v.is_object()) return fail(type_error("answers", "an object", v));
  for (const auto& m : v.as_object()) {
    std::string key(m.key());
    std::string path = "answers." + key;
    if (key.rfind("contact.", 0) == 0) {
      return fail(Error::invalid(path + ": unknown field (contact details go in the \"contact\" object)"));
    }
    const json::value& a = m.value();
    std::vector<std::string> values;
    if (a.is_int64()) {
      values.push_back(std::to_string(a.as_int64()));
    } else if (a.is_uint64()) {
      values.push_back(std::to_string(a.as_uint64()));
    } else if (a.is_string()) {
      values.emplace_back(a.as_string());
    } else if (a.is_array()) {
      std::size_t i = 0;
      for (const auto& e : a.as_array()) {
        if (!e.is_string()) {
          return fail(type_error(path + "[" + std::to_string(i) + "]", "a string", e));
        }
        values.emplace_back(e.as_string());
        ++i;
      }
    } else {
      return fail(type_error(path, "an integer, a string or an array of strings", a));
    }
    out[key] = std::move(values);
  }
  return {};
}

Status parse_contact(const json::value& v, ApiContact& out) {
  if (!v.is_object()) return fail(type_error("contact", "an object", v));
  Fields f(v.as_object(), "contact");
  KAIKU_TRY(f.string("name", false, out.name));
  KAIKU_TRY(f.string("phone", false, out.phone));
  KAIKU_TRY(f.string("email", false, out.email));
  if (const json::value* c = f.get("consent")) {
    if (!c->is_bool()) return fail(type_error("contact.consent", "a boolean", *c));
    out.consent = c->as_bool();
  }
  return f.no_unknown();
}

template <class T, class Parse>
Status parse_enum(Fields& f, std::string_view key, bool required, T& out, Parse parse, const char* what) {
  std::string text;
  bool present = f.get(key) != nullptr;
  KAIKU_TRY(f.string(key, required, text));
  if (!present) return {};
  auto v = parse(text);
  if (!v) return fail(Error::invalid(f.path(key) + ": unknown " + what + " '" + text + "'"));
  out = *v;
  return {};
}

}  // namespace

Result<ApiSubmission> parse_api_submission(std::string_view body) {
  auto doc = parse_document(body);
  if (!doc) return fail(doc.error());
  if (!doc->is_object()) return fail(type_error("(body)", "an object", *doc));
  ApiSubmission s;
  Fields f(doc->as_object(), "");
  KAIKU_TRY(f.string("touchpoint", true, s.touchpoint));
  KAIKU_TRY(f.string("unit", false, s.unit));
  KAIKU_TRY(parse_enum(f, "variant", false, s.variant, service::parse_variant, "variant"));
  KAIKU_TRY(parse_enum(f, "channel", true, s.channel, domain::parse_channel, "channel"));
  KAIKU_TRY(parse_enum(f, "language", true, s.language, domain::parse_language, "language"));
  KAIKU_TRY(parse_enum(f, "respondent", false, s.respondent, domain::parse_respondent, "respondent"));
  KAIKU_TRY(parse_enum(f, "age_group", false, s.age_group, domain::parse_age_group, "age_group"));
  KAIKU_TRY(f.string("submission_key", true, s.submission_key));
  const json::value* answers = f.get("answers");
  if (answers == nullptr) return fail(Error::invalid("answers: required field is missing"));
  KAIKU_TRY(parse_answers(*answers, s.answers));
  if (const json::value* c = f.get("contact"); c != nullptr && !c->is_null()) {
    ApiContact contact;
    KAIKU_TRY(parse_contact(*c, contact));
    s.contact = contact;
  }
  KAIKU_TRY(f.no_unknown());
  return s;
}

Result<ApiInvitation> parse_api_invitation(std::string_view body) {
  auto doc = parse_document(body);
  if (!doc) return fail(doc.error());
  if (!doc->is_object()) return fail(type_error("(body)", "an object", *doc));
  ApiInvitation inv;
  Fields f(doc->as_object(), "");
  KAIKU_TRY(f.string("touchpoint", true, inv.touchpoint));
  KAIKU_TRY(f.string("unit", false, inv.unit));
  KAIKU_TRY(f.string("event_ref", false, inv.event_ref));
  KAIKU_TRY(parse_enum(f, "language", false, inv.language, domain::parse_language, "language"));
  KAIKU_TRY(parse_enum(f, "channel", false, inv.channel, domain::parse_channel, "channel"));
  KAIKU_TRY(parse_enum(f, "age_group", false, inv.age_group, domain::parse_age_group, "age_group"));
  if (const json::value* t = f.get("ttl_hours")) {
    if (!t->is_int64() && !t->is_uint64()) return fail(type_error("ttl_hours", "an integer", *t));
    std::int64_t h = t->is_int64()
                         ? t->as_int64()
                         : static_cast<std::int64_t>(std::min<std::uint64_t>(t->as_uint64(), 1u << 30));
    if (h < 1 || h > 2160)
      return fail(Error::invalid("ttl_hours: expected 1-2160, got " + std::to_string(h)));
    inv.ttl_hours = static_cast<int>(h);
  }
  KAIKU_TRY(f.no_unknown());
  return inv;
}

domain::RawAnswers raw_answers_of(const ApiSubmission& s) {
  domain::RawAnswers raw = s.answers;
  if (s.contact) {
    raw["contact.wanted"] = {"yes"};
    if (!s.contact->name.empty()) raw["contact.name"] = {s.contact->name};
    if (!s.contact->phone.empty()) raw["contact.phone"] = {s.contact->phone};
    if (!s.contact->email.empty()) raw["contact.email"] = {s.contact->email};
    if (s.contact->consent) raw["contact.consent"] = {"yes"};
  }
  return raw;
}

}  // namespace kaiku::http
