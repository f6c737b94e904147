// The forgiving reader of SMS replies to a survey dialogue: a pure function from the
// reply's bytes to a score, an opt-out, a free text or nothing. Standard library only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kaiku::domain {

struct SmsReply {
  enum class Kind {
    score,    // a readable 0-10 answer (score set; comment = any text after it)
    opt_out,  // the whole message is a stop word: stop all survey SMS to this number
    text,     // anything else that is not blank (comment = the whole reply)
    empty,    // blank: nothing but white space and invisible characters
  };
  Kind kind = Kind::empty;
  std::optional<int> score;  // 0..10, only for Kind::score
  std::string comment;       // valid UTF-8, trimmed; bad bytes became U+FFFD, CR LF -> LF,
                             // other control characters removed
};

// Reads one SMS reply (UTF-8; any bytes accepted, never throws but std::bad_alloc).
//
// Opt-out wins in every state: when the whole message, trimmed, case-folded (ÄÖÅ
// included), with leading/trailing punctuation and emoji ignored and inner spaces
// collapsed, is one of LOPETA, LOPPU, "ÄLÄ LÄHETÄ" (also written "ALA LAHETA"), STOP,
// STOPP, SLUTA, AVSLUTA or UNSUBSCRIBE -> opt_out. "Lopeta nyt" or "stop it" are text.
//
// When `expecting_score` is false every non-blank reply is text.
//
// When `expecting_score` is true, the reply is a score when it starts (after white
// space, opening quotes/brackets, symbols and emoji: "👍 9" is 9) with
//   - an integer 0-10 in ASCII or full-width digits, leading zeros allowed ("09"), and
//     "1O"/"1o" read as 10 (the letter O for a zero, a common slip); or
//   - a number word 0-10 in Finnish (standard and colloquial: nolla, yksi/yks/ykkönen,
//     kaksi/kaks/kakkonen, kolme/kolmonen, neljä/nelonen, viisi/viis/vitonen,
//     kuusi/kuus/kutonen, seitsemän/seittemän/seiska, kahdeksan/kaheksan/kasi,
//     yhdeksän/yheksän/ysi, kymmenen/kymppi), Swedish (noll, ett, två, tre, fyra, fem,
//     sex, sju, åtta, nio, tio) or English (zero ... ten), in any case, with or
//     without ä/ö/å ("yhdeksan", "atta"); the Swedish "en" is NOT read as 1, because
//     the Finnish "en" ("I don't") starts many free texts;
// optionally followed by the scale ("/10", "/ 10", "out of 10", "out of ten", "of
// 10", "av 10", "av tio", "kymmenestä"), then by anything: that rest, trimmed of white
// space and punctuation, is the comment ("9 hyvä palvelu" -> 9, "hyvä palvelu";
// "10!" -> 10, ""; "9 👍" -> 9, "👍").
// Decided as unreadable (kind text, score empty; the caller re-prompts once):
//   out of range ("11", "100", "-1"), decimals ("9.5", "8,5": the scale has whole
//   numbers only and rounding would guess), ranges ("8-9"), another scale ("4/5"),
//   digits glued to letters ("9hyvä", "10km"), any other first word ("Annan 9").
SmsReply parse_sms_reply(std::string_view utf8, bool expecting_score);

}  // namespace kaiku::domain
