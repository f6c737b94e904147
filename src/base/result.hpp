// Result<T, E>: the one error model of Kaiku, shaped like std::expected (C++23),
// which g++ 12 does not ship in C++20 mode. Exceptions are caught only at the
// boundaries (listeners, CLI entry points) and turned into a Result there.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace kaiku {

// What went wrong, in words a person can act on, with a machine-readable kind.
enum class ErrorKind {
  invalid_input,   // the caller sent something malformed or out of range
  not_found,       // the thing asked for does not exist
  conflict,        // the request clashes with current state (e.g. a used invitation)
  unauthorized,    // no or wrong credentials
  forbidden,       // credentials fine, but outside the caller's scope
  rate_limited,    // too many requests from one client
  too_large,       // a body or a field exceeds its limit
  unavailable,     // a dependency (disk, database) failed; retrying may help
  internal,        // a bug: an invariant did not hold
};

// Returns the stable lower-case name of an error kind ("invalid_input", ...).
const char* to_string(ErrorKind kind) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // what and where, e.g. "answers.nps: expected an integer 0-10"

  static Error invalid(std::string m) { return {ErrorKind::invalid_input, std::move(m)}; }
  static Error not_found(std::string m) { return {ErrorKind::not_found, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorKind::conflict, std::move(m)}; }
  static Error unauthorized(std::string m) { return {ErrorKind::unauthorized, std::move(m)}; }
  static Error forbidden(std::string m) { return {ErrorKind::forbidden, std::move(m)}; }
  static Error unavailable(std::string m) { return {ErrorKind::unavailable, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorKind::internal, std::move(m)}; }
};

// Wraps an error value so that Result's constructors can tell it from a value.
template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}
// Shorthand: `return fail(Error::invalid("..."));`
inline Unexpected<Error> fail(Error e) { return {std::move(e)}; }

// Holds either a T or an E. Accessing the wrong alternative is a bug (asserts).
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <class G>
  Result(Unexpected<G> u) : v_(std::in_place_index<1>, E(std::move(u.error))) {}  // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { assert(!has_value()); return std::get<1>(v_); }
  const E& error() const& { assert(!has_value()); return std::get<1>(v_); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> v_;
};

// Result<void>: success carries nothing.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <class G>
  Result(Unexpected<G> u) : err_(E(std::move(u.error))), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { assert(ok_); }
  const E& error() const& { assert(!ok_); return err_; }

 private:
  E err_{};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace kaiku
