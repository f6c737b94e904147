// Plain HTTP request and response values: what the pure Router consumes and
// produces. The server converts to and from Boost.Beast messages; unit tests build
// them directly.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kaiku::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ... (upper case)
  std::string target;  // request target as received: "/s/tp1?lang=fi"
  HeaderList headers;  // names lower case
  std::string body;
  std::string client_ip;  // peer address; used only for rate limiting, never logged

  // The first value of header `name` (lower case), or "" when absent.
  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;  // names as sent ("Content-Type")
  std::string body;
  // The route pattern that handled the request ("/s/{touchpoint}"), for the access
  // log; never contains ids, tokens or query strings.
  std::string route;

  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
  // Replaces (or adds) header `name`.
  void set_header(std::string name, std::string value);
};

// Builds a request (header names lower-cased, client 192.0.2.1) for tests and tools.
Request make_request(std::string method, std::string target, std::string body = "", HeaderList headers = {});

}  // namespace kaiku::http
