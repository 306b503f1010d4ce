// history.cpp — see history.hpp.
#include "train/history.hpp"

#include <limits>
#include <ostream>

#include "core/errors.hpp"

namespace scratch {

const HistoryPoint& History::back() const {
  if (points_.empty()) fail<ValueError>("History::back: the history is empty (nothing has been trained or logged yet)");
  return points_.back();
}

std::vector<double> History::iterations() const {
  std::vector<double> x;
  x.reserve(points_.size());
  for (const HistoryPoint& p : points_) x.push_back(static_cast<double>(p.iteration));
  return x;
}

std::vector<double> History::losses() const {
  std::vector<double> y;
  y.reserve(points_.size());
  for (const HistoryPoint& p : points_) y.push_back(static_cast<double>(p.loss));
  return y;
}

void History::write_csv(std::ostream& out) const {
  out.precision(std::numeric_limits<Scalar>::max_digits10);
  out << "iteration,epoch,epoch_iter,iters_per_epoch,iterations_averaged,loss\n";
  for (const HistoryPoint& p : points_)
    out << p.iteration << ',' << p.epoch << ',' << p.epoch_iter << ',' << p.iters_per_epoch << ','
        << p.iterations_averaged << ',' << p.loss << '\n';
}

void History::save_csv(const fs::path& path) const {
  write_file_atomically(path, [this](std::ostream& out) { write_csv(out); });
}

}  // namespace scratch
