#include "storage/answers_json.hpp"

#include <boost/json.hpp>
#include <limits>

namespace kaiku::storage {

std::string answers_to_json(const std::vector<domain::Answer>& answers) {
  boost::json::object obj;
  for (const auto& a : answers) {
    if (a.number) {
      obj[a.key] = *a.number;
    } else if (a.cant_say) {
      obj[a.key] = "cant_say";
    } else if (!a.choices.empty()) {
      boost::json::array arr;
      for (const auto& c : a.choices) arr.emplace_back(c);
      obj[a.key] = std::move(arr);
    } else {
      obj[a.key] = a.text;
    }
  }
  return boost::json::serialize(obj);
}

Result<std::vector<domain::Answer>> answers_from_json(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec) return fail(Error::invalid("answers: not JSON: " + ec.message()));
  if (!v.is_object()) return fail(Error::invalid("answers: expected a JSON object"));
  std::vector<domain::Answer> out;
  for (const auto& [key, val] : v.as_object()) {
    domain::Answer a;
    a.key = std::string(key);
    if (val.is_int64() || val.is_uint64()) {
      auto n = val.is_int64() ? val.as_int64() : static_cast<std::int64_t>(val.as_uint64());
      if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
        return fail(Error::invalid("answers." + a.key + ": number out of range"));
      }
      a.number = static_cast<int>(n);
    } else if (val.is_string()) {
      std::string s(val.as_string());
      if (s == "cant_say") {
        a.cant_say = true;
      } else {
        a.text = std::move(s);
      }
    } else if (val.is_array()) {
      for (const auto& c : val.as_array()) {
        if (!c.is_string()) return fail(Error::invalid("answers." + a.key + ": expected an array of strings"));
        a.choices.emplace_back(c.as_string());
      }
    } else {
      return fail(Error::invalid("answers." + a.key + ": expected a number, a string or an array of strings"));
    }
    out.push_back(std::move(a));
  }
  return out;
}

bool carries_free_text(const domain::Answer& a) noexcept {
  return !a.number && !a.cant_say && a.choices.empty() && !a.text.empty() && a.text != "cant_say";
}

}  // namespace kaiku::storage
