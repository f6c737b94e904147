// Free-text comments in the domain: what the analysis of an open answer found
// (language, themes, tone, whether it proposes a change), the county's theme
// taxonomy and its free-text settings, and the sealed original of a redacted answer.
// Standard library only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/language.hpp"

namespace kaiku::domain {

// The tone of a comment. mixed: clear praise and clear criticism in the same comment.
enum class Sentiment : std::uint8_t { positive, neutral, negative, mixed };
// "positive", "neutral", "negative", "mixed".
std::string_view sentiment_name(Sentiment s) noexcept;
// Parses sentiment_name's output exactly; nullopt otherwise.
std::optional<Sentiment> parse_sentiment(std::string_view name) noexcept;

// What the analysis of one open-text answer found. Stored with the response (never
// the original text), returned with it to staff, and counted by the reporting engine.
struct CommentInsight {
  std::string question_key;               // the open_text question answered
  std::string language;                   // "fi", "sv", "en" or "other" (detected)
  Sentiment sentiment = Sentiment::neutral;
  std::vector<std::string> themes;        // theme ids of the model's taxonomy, taxonomy order
  bool suggestion = false;                // proposes a change ("voisi", "borde", "should")
  std::vector<std::string> placeholders;  // kinds redacted, in text order, repeats kept:
                                          // "hetu", "puhelin", "email", "iban", "osoite", "nimi"
};

// One theme of the county's taxonomy (model file section `themes:`, see
// docs/model-format.md). A CX specialist extends it by editing the model.
struct Theme {
  std::string id;         // stable id, [a-z0-9_]+, e.g. "access_waiting"
  LocalizedText label;    // shown to staff: fi, sv, en
  // Match terms per comment language. A term is one word:
  //  - Finnish terms are lemmas (Voikko base forms, lower case): "jono" matches
  //    "jonossa", "jonot" and, as a compound part, "puhelinjonossa";
  //  - Swedish and English terms are words, matched on their Snowball stems
  //    ("väntetid" matches "väntetiden"; "waiting" matches "wait", "waited");
  //  - a trailing "*" matches any word (lemma/stem) starting with the rest
  //    ("jonot*" -> "jonottaa", "jonotus"); a leading "*" any word ending with it
  //    ("*kö" -> "telefonkön"); both are matched on lower-case lemmas/stems.
  //  - "a b" (two words separated by one space) matches the two words next to each
  //    other (each matched as above): "ottaa yhteys", "ring tillbaka".
  std::vector<std::string> fi, sv, en;
};

// The county's free-text settings (model file section `free_text:`).
struct FreeTextSettings {
  // Names right after a staff title ("hoitaja Virtaselle") are redacted too. When
  // false they are kept, so praise for a named nurse reaches the unit.
  bool redact_staff_names = true;
  // Days a sealed original is kept before it is deleted (1..3650).
  int original_retention_days = 90;
  // Role names (domain::role_name) that may read sealed originals; each read audited.
  std::vector<std::string> original_readers{"admin", "cx_specialist"};
};

// The original text of a redacted open answer, sealed (encrypted and authenticated)
// by the service layer before it reaches storage: opaque bytes here. Written with
// the response; never returned by listing or scanning responses.
struct SealedOriginal {
  std::string question_key;
  std::string sealed;  // security::Sealer output
  std::chrono::sys_time<std::chrono::milliseconds> expires_at{};
};

}  // namespace kaiku::domain
