// storage.hpp — the memory behind a Tensor.
//
// A Storage owns one 64-byte-aligned block of Scalars (aligned so vector loads never straddle a
// cache line). Blocks of freed tensors go back to a small cache keyed by size, and the next tensor
// of that size takes one from there instead of calling the allocator: a training loop that makes
// the same shapes every iteration stops allocating after its first iteration, while the code keeps
// the simple "every op returns a new Tensor" style. storage_stats() shows it.
#pragma once

#include <cstddef>

#include "core/scalar.hpp"

namespace scratch {

class Storage {
 public:
  Storage() = default;
  explicit Storage(std::size_t count);  // uninitialised contents
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  Storage(Storage&& other) noexcept;
  Storage& operator=(Storage&& other) noexcept;

  Scalar* data() { return data_; }
  const Scalar* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void release();
  Scalar* data_ = nullptr;
  std::size_t size_ = 0;
};

struct StorageStats {
  std::size_t fresh_allocations = 0;  // blocks obtained from the system allocator
  std::size_t reused_allocations = 0; // blocks taken from the cache
  std::size_t live_bytes = 0;         // bytes held by living tensors
  std::size_t peak_live_bytes = 0;    // the most live_bytes ever reached
  std::size_t cached_bytes = 0;       // bytes waiting in the cache
};

StorageStats storage_stats();

// Returns every cached block to the system allocator.
void storage_trim();

}  // namespace scratch
