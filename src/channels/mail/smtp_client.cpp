// SmtpClient (libcurl) and the pure message building of smtp_client.hpp.
#include "channels/mail/smtp_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace kaiku::channels::mail {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Splits UTF-8 into code points (as byte strings); malformed bytes become U+FFFD.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 2 && c < 0xC2) ok = false;  // overlong
    if (!ok) {
      out.emplace_back("\xEF\xBF\xBD");
      ++i;
      continue;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool printable_ascii(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// A plausible addr-spec: local@domain, no white space, control characters or specials.
bool plausible_address(std::string_view a) {
  if (a.size() < 3 || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char ch : a) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || std::strchr("<>()[],;:\"\\", ch) != nullptr) return false;
  }
  return true;
}

// The From header value for `m`.
std::string mailbox_header(const MailboxSpec& m) {
  if (m.display.empty()) return m.address;
  std::string name;
  if (!printable_ascii(m.display)) {
    name = encode_header_text(m.display);
  } else if (m.display.find_first_of("()<>[]:;@\\,.\"") != std::string::npos) {
    name = "\"";
    for (char c : m.display) {
      if (c == '"' || c == '\\') name += '\\';
      name += c;
    }
    name += '"';
  } else {
    name = m.display;
  }
  return name + " <" + m.address + ">";
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

Result<MailboxSpec> parse_mailbox(std::string_view text) {
  if (has_crlf(text)) return fail(Error::invalid("mailbox: must not contain line breaks"));
  MailboxSpec out;
  const auto lt = text.find('<');
  const auto gt = text.find('>');
  if (lt == std::string_view::npos && gt == std::string_view::npos) {
    out.address = trim(text);
  } else {
    if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt || text.find('<', lt + 1) != std::string_view::npos ||
        trim(text.substr(gt + 1)) != "") {
      return fail(Error::invalid("mailbox: expected \"Name <address>\" or \"address\""));
    }
    out.display = trim(text.substr(0, lt));
    if (out.display.size() >= 2 && out.display.front() == '"' && out.display.back() == '"') {
      out.display = out.display.substr(1, out.display.size() - 2);
    }
    out.address = trim(text.substr(lt + 1, gt - lt - 1));
  }
  if (!plausible_address(out.address)) return fail(Error::invalid("mailbox: '" + out.address + "' is not an e-mail address"));
  return out;
}

std::string encode_header_text(std::string_view utf8) {
  if (printable_ascii(utf8)) return std::string(utf8);
  // Control characters (a header is one line) become spaces first.
  std::string clean;
  for (const std::string& cp : code_points(utf8)) {
    if (cp.size() == 1 && (static_cast<unsigned char>(cp[0]) < 0x20 || cp[0] == 0x7F)) {
      clean += ' ';
    } else {
      clean += cp;
    }
  }
  // "=?UTF-8?B?" + base64 + "?=" <= 75 characters: at most 60 base64 characters,
  // i.e. 45 bytes of text per word, cut only between code points.
  constexpr std::size_t kMaxBytes = 45;
  std::string out;
  std::string chunk;
  auto flush = [&] {
    if (chunk.empty()) return;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(chunk) + "?=";
    chunk.clear();
  };
  for (const std::string& cp : code_points(clean)) {
    if (chunk.size() + cp.size() > kMaxBytes) flush();
    chunk += cp;
  }
  flush();
  return out;
}

std::string quoted_printable(std::string_view utf8) {
  static const char* hex = "0123456789ABCDEF";
  // Split into lines on CRLF, LF or CR.
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if (utf8[i] == '\n' || utf8[i] == '\r') {
      lines.push_back(utf8.substr(start, i - start));
      if (utf8[i] == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  const bool ends_with_break = start == utf8.size() && !utf8.empty();
  if (!ends_with_break) lines.push_back(utf8.substr(start));
  std::string out;
  for (std::size_t li = 0; li < lines.size(); ++li) {
    std::string_view line = lines[li];
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', hex[c >> 4], hex[c & 15]};
      }
      // Keep room for the soft break '=' (76 characters in all).
      if (col + piece.size() > 75) {
        out += "=\r\n";
        col = 0;
      }
      out += piece;
      col += piece.size();
    }
    out += "\r\n";
  }
  return out;
}

std::string rfc5322_date(TimePoint t) {
  const std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

Result<std::string> build_message(const service::OutgoingMail& mail) {
  auto from = parse_mailbox(mail.from);
  if (!from) return fail(Error::invalid("from: " + from.error().message));
  if (has_crlf(mail.to) || !plausible_address(mail.to)) return fail(Error::invalid("to: not a single e-mail address"));
  const std::string& id = mail.message_id;
  if (id.size() < 5 || id.front() != '<' || id.back() != '>' || id.find('@') == std::string::npos ||
      !printable_ascii(id) || id.find(' ') != std::string::npos) {
    return fail(Error::invalid("message_id: must be \"<local@domain>\""));
  }
  std::string m;
  m += "Date: " + rfc5322_date(mail.date) + "\r\n";
  m += "From: " + mailbox_header(*from) + "\r\n";
  m += "To: " + mail.to + "\r\n";
  m += "Subject: " + encode_header_text(mail.subject) + "\r\n";
  m += "Message-ID: " + id + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  m += quoted_printable(mail.body);
  return m;
}

Status check_smtp_options(const SmtpOptions& o) {
  const bool smtp = o.url.rfind("smtp://", 0) == 0;
  const bool smtps = o.url.rfind("smtps://", 0) == 0;
  if (!smtp && !smtps) return fail(Error::invalid("--smtp-url must start with smtp:// or smtps://, got '" + o.url + "'"));
  const std::string rest = o.url.substr(smtp ? 7 : 8);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':') return fail(Error::invalid("--smtp-url: no host in '" + o.url + "'"));
  if (rest.find('@') != std::string::npos) {
    return fail(Error::invalid("--smtp-url: put the user in --smtp-user and the password in the environment "
                               "(--smtp-password-env), not in the URL"));
  }
  if (o.timeout.count() <= 0) return fail(Error::invalid("smtp timeout: must be positive"));
  return {};
}

bool loopback_relay(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.find('@') != std::string_view::npos) return false;
  std::string_view host;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
    return host == "::1";
  }
  host = rest.substr(0, rest.find(':'));
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost") return true;
  // An IPv4 literal in 127.0.0.0/8: four decimal parts 0..255, the first 127.
  int parts = 0;
  std::string_view ip = host;
  while (true) {
    const auto dot = ip.find('.');
    const std::string_view part = ip.substr(0, dot);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (parts == 0 && value != 127)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    ip = ip.substr(dot + 1);
  }
  return parts == 4;
}

namespace {

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t read_cb(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* u = static_cast<Upload*>(userdata);
  const std::size_t room = size * nitems;
  const std::size_t n = std::min(room, u->data->size() - u->pos);
  std::memcpy(buffer, u->data->data() + u->pos, n);
  u->pos += n;
  return n;
}

// Removes the receiver's address from a relay's answer (privacy: details are stored).
std::string scrub(std::string text, const std::string& address) {
  if (!address.empty()) {
    for (auto p = text.find(address); p != std::string::npos; p = text.find(address, p)) {
      text.replace(p, address.size(), "<receiver>");
    }
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

SmtpClient::SmtpClient(SmtpOptions options) : options_(std::move(options)) {}

service::MailOutcome SmtpClient::send(const service::OutgoingMail& mail) {
  using Kind = service::MailOutcome::Kind;
  auto message = build_message(mail);
  if (!message) return {Kind::rejected, "not sendable: " + message.error().message};
  auto from = parse_mailbox(mail.from);
  CURL* h = curl_easy_init();
  if (h == nullptr) return {Kind::unavailable, "libcurl could not start"};
  char errbuf[CURL_ERROR_SIZE] = {0};
  Upload up{&*message};
  const std::string mail_from = "<" + from->address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(h, CURLOPT_READDATA, &up);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(options_.timeout.count(), 10000)));
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  // Only a relay on this machine may be spoken to in clear text (mail to customers
  // must not cross the network unencrypted, credentials or not).
  const bool require_tls = !loopback_relay(options_.url);
  curl_easy_setopt(h, CURLOPT_USE_SSL, require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  const CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(h);
  const std::string what = errbuf[0] != 0 ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
  if (rc == CURLE_OK) return {Kind::accepted, "SMTP " + std::to_string(code) + " accepted"};
  const std::string detail = scrub("SMTP " + std::to_string(code) + ": " + what, mail.to);
  if (code >= 500 && code <= 599 && rc != CURLE_LOGIN_DENIED) return {Kind::rejected, detail};
  return {Kind::unavailable, detail};
}

}  // namespace kaiku::channels::mail
