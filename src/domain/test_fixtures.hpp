// A small hand-built model shared by the domain unit tests.
#pragma once

#include "domain/model.hpp"

namespace kaiku::domain::testing {

// county -> {area_a -> {unit_a1, unit_a2}, area_b -> {unit_b1}}; one survey "core"
// with nps (required), agreement, smiley3, single and multi choice, open text and a
// contact request; one touchpoint "tp1" at unit_a1.
Model small_model();

}  // namespace kaiku::domain::testing
