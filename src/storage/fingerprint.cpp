#include "storage/fingerprint.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "domain/language.hpp"
#include "security/digest.hpp"

namespace kaiku::storage {
namespace {

// Appends `value` with a length prefix: "<bytes>:<value>;".
void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

}  // namespace

std::string response_fingerprint(const domain::Response& r) {
  std::string c = "kaiku-response-content-v1;";
  field(c, r.touchpoint);
  field(c, r.unit);
  field(c, r.survey);
  field(c, domain::channel_name(r.channel));
  field(c, domain::language_tag(r.language));
  field(c, domain::respondent_name(r.respondent));
  std::vector<const domain::Answer*> answers;
  for (const auto& a : r.answers) answers.push_back(&a);
  std::sort(answers.begin(), answers.end(),
            [](const domain::Answer* x, const domain::Answer* y) { return x->key < y->key; });
  field(c, std::to_string(answers.size()));
  for (const domain::Answer* a : answers) {
    field(c, a->key);
    if (a->number) {
      field(c, "n");
      field(c, std::to_string(*a->number));
    } else if (a->cant_say) {
      field(c, "cant_say");
    } else if (!a->choices.empty()) {
      std::vector<std::string> choices = a->choices;
      std::sort(choices.begin(), choices.end());
      field(c, "c");
      field(c, std::to_string(choices.size()));
      for (const auto& ch : choices) field(c, ch);
    } else {
      field(c, "t");
      field(c, a->text);
    }
  }
  field(c, r.contact ? "contact" : "no-contact");
  field(c, r.invitation);
  field(c, std::to_string(r.supplements));
  field(c, r.feedback_kind);
  // Since schema 3: the age group, only when known, so that the fingerprints of
  // rows stored before (which had no age group) stay valid.
  if (r.age_group != domain::AgeGroup::unknown) {
    field(c, "age_group");
    field(c, domain::age_group_name(r.age_group));
  }
  return security::sha256_hex(c);
}

}  // namespace kaiku::storage
