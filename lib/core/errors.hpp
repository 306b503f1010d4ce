// errors.hpp — the exceptions ScratchNet throws, and helpers that build their messages.
//
// Every error names the operation, the offending shapes or values, the rule that was broken and,
// where there is one, a likely fix:
//   matmul: cannot multiply (2, 3) by (4, 5): inner dimensions 3 != 4
// The library never calls exit(); chapters catch `scratch::Error` at the top of main().
#pragma once

#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace scratch {

// Base class of everything the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Tensor shapes that do not fit the operation (wrong rank, mismatched dimensions, bad labels).
class ShapeError : public Error {
 public:
  using Error::Error;
};

// An argument with a bad value: a negative learning rate, batch size 0, an axis out of range.
class ValueError : public Error {
 public:
  using Error::Error;
};

// A file that cannot be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

// A file that opened fine but whose contents are not what they claim (bad magic, truncated, checksum).
class FormatError : public Error {
 public:
  using Error::Error;
};

// A NaN or infinity where a finite number was needed (a diverging loss, an exploding gradient).
class NumericalError : public Error {
 public:
  using Error::Error;
};

// "(2, 3)" — a shape the way NumPy prints it; "(5,)" for one dimension, "()" for a 0-d scalar.
std::string shape_string(const std::vector<std::size_t>& shape);

// Concatenates its arguments with operator<< into one string.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

// Throws E with the concatenated message; use as `fail<ShapeError>("relu: ", ...)`.
template <class E = ValueError, class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  throw E(concat(parts...));
}

}  // namespace scratch
