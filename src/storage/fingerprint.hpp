// The content fingerprint of a response: what makes two submissions with the
// same submission key "the same submission". Shared by every storage backend so
// that they agree on what a duplicate is.
#pragma once

#include <string>
#include <string_view>

#include "domain/response.hpp"

namespace kaiku::storage {

// The canonical content of `r`, hashed with SHA-256 (libsodium; hex, 64 characters).
// Covers: touchpoint, unit, survey, channel, language, respondent, the answers
// (sorted by question key; choices of a multiple choice sorted), whether a
// contact request is present, invitation, supplements and feedback_kind, and
// (since schema 3) the age group when it is not unknown: a response without an
// age group has the fingerprint it had before age groups existed.
// Deliberately NOT covered: the submission key itself, answered_at and
// model_version (a retry a moment later, or after a model reload, is the same
// submission), the id, and the contact details themselves (they expire).
// Each field is length-prefixed, so no two different contents share an encoding.
std::string response_fingerprint(const domain::Response& r);

}  // namespace kaiku::storage
