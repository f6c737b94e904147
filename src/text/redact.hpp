// Rule-based redaction of personal data in free-text comments (Finnish, Swedish,
// English): identity codes, phone numbers, e-mail addresses, IBANs and street
// addresses are replaced by typed placeholders. Pure functions on UTF-8 bytes.
// Personal names are redacted with Voikko's morphology when a Voikko is given in the
// options (see docs/text.md, "Names").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/language.hpp"

namespace kaiku::text {

// What a finding is. The order is also the tie-break priority when two findings of
// the same length overlap (hetu first, name last).
enum class PiiKind { hetu, iban, email, phone, address, name };

class Voikko;

// Returns the placeholder name without brackets: "hetu", "iban", "email",
// "puhelin", "osoite", "nimi".
std::string_view placeholder_name(PiiKind kind) noexcept;

// Which kinds to look for. Everything is on by default.
struct RedactOptions {
  bool hetu = true;
  bool iban = true;
  bool email = true;
  bool phone = true;
  bool address = true;
  // When true, a hetu-shaped string (valid date and century sign) whose check character
  // is wrong is redacted too. Off by default: the issue asks for checksum validation,
  // so a wrong check character means "not an identity code" (e.g. a reference number).
  bool hetu_without_checksum = false;
  // When true, a postcode and town right after a street address ("Kauppakatu 5,
  // 00100 Helsinki") become part of the [osoite] finding.
  bool address_postcode = true;
  // Personal names ([nimi]). Finnish names need `voikko` (proper-noun classes etunimi /
  // sukunimi plus context, see docs/text.md); without it only a capitalised word right
  // after a title word ("sjuksköterskan Anna", "doctor Smith", "hoitaja Ahmed") is found.
  bool names = true;
  // When false, a name right after a staff title (hoitaja, lääkäri, läkaren, nurse, dr…)
  // and the name words joined to it are kept, so praise for a named nurse survives;
  // other names (customers, relatives, after rouva/herra/mr/mrs/ms) are still redacted.
  bool redact_staff_names = true;
  // Finnish morphology; not owned, may be null. Must outlive the redact() call.
  const Voikko* voikko = nullptr;
  // The comment's language (text::identify_language on the raw text), when known.
  // It enables the language's own name rules: in Finnish text a lone sentence-initial
  // word that Voikko reads only as a person's name ("Pekka oli ihana.") is a name; in
  // Swedish and English text a sentence-initial genitive/possessive of such a name
  // ("Jonnas", "Rose's") is. Kinship titles: Finnish ones (äiti, veli…) unless the
  // language is sv or en, Swedish/English ones (bror, wife…) unless it is fi. Unset (the
  // default): no sentence-start rule, every kinship list.
  std::optional<Language> language;
};

// One piece of personal data: its kind and its byte range [begin, end) in the input.
struct Finding {
  PiiKind kind = PiiKind::hetu;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The redacted text and what was replaced. When the input is not valid UTF-8,
// `valid_utf8` is false, `text` is empty (the unredacted bytes never leak through),
// `findings` is empty and `error` says at which byte the input went wrong.
struct Redacted {
  std::string text;
  std::vector<Finding> findings;  // sorted by begin, never overlapping
  bool valid_utf8 = true;
  std::string error;
};

// Finds personal data in `utf8` and replaces each finding by "[<placeholder_name>]".
// Findings never split a UTF-8 sequence. Overlapping candidates are resolved
// deterministically: the longest wins; on equal length, the kind earlier in PiiKind.
// Text around a finding is kept as is, so inflection suffixes stay:
// "040-1234567:ään" -> "[puhelin]:ään". Never throws.
Redacted redact(std::string_view utf8, const RedactOptions& options = {});

// True when `code` is a valid Finnish personal identity code (henkilötunnus):
// DDMMYY, a century sign (+ 1800s; - U V W X Y 1900s; A B C D E F 2000s), a 3-digit
// individual number 002-999 and the check character (the 9 digits mod 31 indexed
// into "0123456789ABCDEFHJKLMNPRSTUVWXY"); the date must exist. Letters may be
// lower-case. No surrounding spaces.
bool is_valid_hetu(std::string_view code) noexcept;

// True when `iban` (spaces allowed between characters, letters in either case) has a
// known country length (or 15-34 characters for countries not in the table) and
// passes the ISO 13616 mod-97 check.
bool is_valid_iban(std::string_view iban) noexcept;

}  // namespace kaiku::text
