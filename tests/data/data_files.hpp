// data_files.hpp — what the data tests share: a temporary folder that removes itself, and writing
// arbitrary bytes (valid IDX or deliberately broken) raw or gzip-compressed.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace scratch::test {

// Writes bytes as they are, or gzip-compressed with zlib.
inline void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes, Compression compression) {
  if (compression == Compression::kNone) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    BOOST_REQUIRE(out.good());
    return;
  }
  gzFile gz = gzopen(path.c_str(), "wb");
  BOOST_REQUIRE(gz != nullptr);
  if (!bytes.empty()) BOOST_REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) > 0);
  BOOST_REQUIRE(gzclose(gz) == Z_OK);
}

// An IDX header: 00 00 08 <ndim>, then each dim as a big-endian u32.
inline std::vector<std::uint8_t> idx_header(const std::vector<std::uint32_t>& dims, std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> h = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) h.push_back(static_cast<std::uint8_t>(d >> shift));
  return h;
}

// a followed by b.
inline std::vector<std::uint8_t> join_bytes(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Runs f, which must throw E; returns the message (and fails the test case otherwise).
template <class E, class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    BOOST_ERROR("threw the wrong exception type: " << e.what());
    return "";
  }
  BOOST_ERROR("expected an exception, none was thrown");
  return "";
}

// Checks that an error message mentions `part`, and shows the whole message when it does not.
inline void expect_mentions(const std::string& message, const std::string& part) {
  BOOST_TEST(message.find(part) != std::string::npos,
             "the message\n  " << message << "\ndoes not mention '" << part << "'");
}

}  // namespace scratch::test
