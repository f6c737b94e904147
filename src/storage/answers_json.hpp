// The JSON form of a response's answers, as stored and as served by the API:
// {"<question key>": number | "cant_say" | "<text or option key>" | ["<option key>", ...]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/response.hpp"

namespace kaiku::storage {

// Encodes answers as a JSON object in their order: `number` -> number,
// `cant_say` -> "cant_say", non-empty `choices` -> array of strings, else `text`.
std::string answers_to_json(const std::vector<domain::Answer>& answers);

// Decodes answers_to_json's output. A string decodes to `text` except the exact
// string "cant_say" (-> cant_say); an array decodes to `choices` (so a single
// choice round-trips as a one-element array). invalid_input on anything else,
// naming the key.
Result<std::vector<domain::Answer>> answers_from_json(std::string_view json);

// True when `a` is stored as a JSON text that reads back as text: no number, not
// cant_say, no choices, `text` non-empty and not exactly "cant_say" (which is stored
// like, and reads back as, cant_say). These answers carry free text: they are
// analysed, redacted and sealed whatever their question's type (service::CommentProcessor),
// and a response with one of them lacking an insight needs analysis (storage).
bool carries_free_text(const domain::Answer& a) noexcept;

}  // namespace kaiku::storage
