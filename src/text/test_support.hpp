// Shared fixtures of the text layer's unit tests (included by *_test.cpp only).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "text/tokens.hpp"
#include "text/voikko.hpp"

namespace kaiku::text::testing {

// One Finnish Voikko for the whole test binary; a test fails (not crashes) when the
// dictionary (voikko-fi) is missing.
inline const Voikko* shared_voikko() {
  static std::unique_ptr<Voikko> v = [] {
    std::string err;
    auto p = Voikko::open(&err);
    EXPECT_NE(p, nullptr) << err;
    return p;
  }();
  return v.get();
}

// A hand-built token: surface (also its lower form), keys (default: the surface),
// boundary and the Finnish negation-verb / conditional flags.
inline Token hand_token(std::string surface, std::vector<std::string> keys = {}, Boundary b = Boundary::none,
                        bool negation = false, bool conditional = false) {
  Token t;
  t.surface = surface;
  t.lower = surface;
  t.keys = keys.empty() ? std::vector<std::string>{surface} : std::move(keys);
  t.boundary = b;
  t.negation_verb = negation;
  t.conditional = conditional;
  return t;
}

}  // namespace kaiku::text::testing
