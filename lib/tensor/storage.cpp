// storage.cpp — aligned blocks and the cache of freed blocks; see storage.hpp.
#include "tensor/storage.hpp"

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <vector>

namespace scratch {
namespace {

constexpr std::size_t kAlignment = 64;                   // one cache line, one AVX-512 register
constexpr std::size_t kMaxCachedBlock = 32u << 20;       // larger blocks go straight back to the OS
constexpr std::size_t kMaxCachedBytes = 128u << 20;      // the cache never holds more than this

std::size_t padded_bytes(std::size_t count) {
  const std::size_t bytes = count * sizeof(Scalar);
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

// The cache: padded block size → free blocks of exactly that size. A mutex guards it because a
// tensor may die on any thread; the critical sections are a few instructions long.
struct Cache {
  std::mutex mutex;
  std::map<std::size_t, std::vector<void*>> free_blocks;
  StorageStats stats;
};

Cache& cache() {
  static Cache* instance = new Cache;  // never destroyed: tensors in static objects may outlive it
  return *instance;
}

void* acquire(std::size_t bytes) {
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.stats.live_bytes += bytes;
    if (c.stats.live_bytes > c.stats.peak_live_bytes) c.stats.peak_live_bytes = c.stats.live_bytes;
    auto it = c.free_blocks.find(bytes);
    if (it != c.free_blocks.end() && !it->second.empty()) {
      void* block = it->second.back();
      it->second.pop_back();
      c.stats.cached_bytes -= bytes;
      ++c.stats.reused_allocations;
      return block;
    }
    ++c.stats.fresh_allocations;
  }
  void* block = std::aligned_alloc(kAlignment, bytes);
  if (block == nullptr) {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.stats.live_bytes -= bytes;
    throw std::bad_alloc();
  }
  return block;
}

void give_back(void* block, std::size_t bytes) {
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.stats.live_bytes -= bytes;
    if (bytes <= kMaxCachedBlock && c.stats.cached_bytes + bytes <= kMaxCachedBytes) {
      c.free_blocks[bytes].push_back(block);
      c.stats.cached_bytes += bytes;
      return;
    }
  }
  std::free(block);
}

}  // namespace

Storage::Storage(std::size_t count) : size_(count) {
  if (count > 0) data_ = static_cast<Scalar*>(acquire(padded_bytes(count)));
}

Storage::~Storage() { release(); }

Storage::Storage(Storage&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

Storage& Storage::operator=(Storage&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void Storage::release() {
  if (data_ != nullptr) give_back(data_, padded_bytes(size_));
  data_ = nullptr;
  size_ = 0;
}

StorageStats storage_stats() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.stats;
}

void storage_trim() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto& [bytes, blocks] : c.free_blocks) {
    for (void* block : blocks) std::free(block);
    c.stats.cached_bytes -= bytes * blocks.size();
    blocks.clear();
  }
}

}  // namespace scratch
