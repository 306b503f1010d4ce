// history.hpp — the loss curve a Trainer records: one point per log line.
//
// Each point is the average of the mini-batch losses since the previous point (every iteration
// weighs the same, as in the book's `total_loss / loss_count`), stamped with where training was.
// It is written to CSV for plotting and for comparing runs:
//
//   iteration,epoch,epoch_iter,iters_per_epoch,iterations_averaged,loss
//   1,1,1,600,1,2.3021…
//   21,1,21,600,20,2.2876…
#pragma once

#include <cstddef>
#include <vector>

#include "core/paths.hpp"
#include "core/scalar.hpp"

namespace scratch {

struct HistoryPoint {
  std::size_t iteration = 0;            // updates since the trainer was created, 1-based
  int epoch = 0;                        // 1-based, counting across fit() calls
  std::size_t epoch_iter = 0;           // 1-based iteration within the epoch
  std::size_t iters_per_epoch = 0;      // the "/ 600" of the log line
  std::size_t iterations_averaged = 0;  // how many mini-batch losses `loss` averages
  Scalar loss = 0;
};

class History {
 public:
  void add(const HistoryPoint& point) { points_.push_back(point); }
  void clear() { points_.clear(); }

  const std::vector<HistoryPoint>& points() const { return points_; }
  std::size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  // The latest point; throws ValueError when the history is empty.
  const HistoryPoint& back() const;

  // The curve as two columns, ready for a plot: x = iteration, y = average loss.
  std::vector<double> iterations() const;
  std::vector<double> losses() const;

  // The CSV above; losses with enough digits to read back the exact Scalar.
  void write_csv(std::ostream& out) const;
  // Writes the CSV atomically (core/paths.hpp); throws IoError naming the path.
  void save_csv(const fs::path& path) const;

 private:
  std::vector<HistoryPoint> points_;
};

}  // namespace scratch
