// ch05_optimizers_2d — six optimizers on the stretched bowl f(x, y) = x²/20 + y².
//
// The minimum is at (0, 0), but the bowl is 20 times steeper along y than along x, so the gradient
// (x/10, 2y) points mostly across the valley, not along it towards the minimum. Each optimizer
// starts at (−7, 2) and takes 30 steps on two scalar Params x and y whose gradients we set by hand;
// the figure draws their paths over the contour lines of f.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "scratch.hpp"

using namespace scratch;

namespace {

constexpr double kStartX = -7, kStartY = 2;
constexpr int kSteps = 30;
// The book's learning rates (its optimizer_compare_naive.py); RMSprop's 0.1 is ours (README).
constexpr double kLrSgd = 0.95, kLrMomentum = 0.1, kLrNesterov = 0.1, kLrAdaGrad = 1.5, kLrRmsprop = 0.1, kLrAdam = 0.3;

double f(double x, double y) { return x * x / 20 + y * y; }

struct Run {
  std::string label;
  std::unique_ptr<Optimizer> optimizer;
};

// 30 steps of `optimizer` from the start; the visited points, start first.
Trajectory descend(const std::string& label, Optimizer& optimizer) {
  const ParamPtr x = make_param("x", Tensor::scalar(Scalar(kStartX)));
  const ParamPtr y = make_param("y", Tensor::scalar(Scalar(kStartY)));
  Trajectory path{label, {kStartX}, {kStartY}};
  for (int step = 0; step < kSteps; ++step) {
    x->grad = Tensor::scalar(x->value.item() / 10);  // ∂f/∂x = x/10
    y->grad = Tensor::scalar(2 * y->value.item());   // ∂f/∂y = 2y
    optimizer.update({x, y});
    path.x.push_back(static_cast<double>(x->value.item()));
    path.y.push_back(static_cast<double>(y->value.item()));
  }
  return path;
}

// The angle between two directions, in degrees.
double angle_degrees(double ax, double ay, double bx, double by) {
  const double pi = std::acos(-1.0);
  return std::acos((ax * bx + ay * by) / (std::hypot(ax, ay) * std::hypot(bx, by))) * 180 / pi;
}

// How often y changed sign along the path: SGD's zig-zag, counted.
int y_sign_flips(const Trajectory& path) {
  int flips = 0;
  for (std::size_t i = 1; i < path.y.size(); ++i) flips += path.y[i] * path.y[i - 1] < 0 ? 1 : 0;
  return flips;
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "SGD, Momentum, Nesterov, AdaGrad, RMSprop and Adam on f(x, y) = x²/20 + y², from (-7, 2).");
  cli.common();  // --quick changes nothing here: 6 × 30 steps take microseconds
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the paths in the terminal");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch05_optimizers_2d", [&] {
    std::vector<Run> runs;
    runs.push_back({concat("SGD (lr ", kLrSgd, ")"), std::make_unique<SGD>(Scalar(kLrSgd))});
    runs.push_back({concat("Momentum (lr ", kLrMomentum, ")"), std::make_unique<Momentum>(Scalar(kLrMomentum))});
    runs.push_back({concat("Nesterov (lr ", kLrNesterov, ")"), std::make_unique<Nesterov>(Scalar(kLrNesterov))});
    runs.push_back({concat("AdaGrad (lr ", kLrAdaGrad, ")"), std::make_unique<AdaGrad>(Scalar(kLrAdaGrad))});
    runs.push_back({concat("RMSprop (lr ", kLrRmsprop, ")"), std::make_unique<RMSprop>(Scalar(kLrRmsprop))});
    runs.push_back({concat("Adam (lr ", kLrAdam, ")"), std::make_unique<Adam>(Scalar(kLrAdam))});

    std::printf("f(x, y) = x²/20 + y², minimum f(0, 0) = 0; start (%g, %g) where f = %.3f; %d steps each\n", kStartX,
                kStartY, f(kStartX, kStartY), kSteps);
    const double gx = kStartX / 10, gy = 2 * kStartY;  // the gradient at the start
    std::printf("the gradient there is (%.1f, %.1f): downhill, −gradient, is %.0f° off the way to the minimum\n\n", gx,
                gy, angle_degrees(-gx, -gy, -kStartX, -kStartY));
    std::printf("%-20s %10s %10s %12s %14s\n", "optimizer", "x_30", "y_30", "f(x_30, y_30)", "y sign flips");
    std::vector<Trajectory> paths;
    for (Run& run : runs) {
      paths.push_back(descend(run.label, *run.optimizer));
      const Trajectory& p = paths.back();
      std::printf("%-20s %10.4f %10.4f %12.5f %14d\n", run.label.c_str(), p.x.back(), p.y.back(),
                  f(p.x.back(), p.y.back()), y_sign_flips(p));
    }
    std::cout << "\nSGD:      y flips sign on every step (the zig-zag across the valley) while x creeps towards 0.\n"
                 "Momentum: the flips cancel in the velocity while the steps along x add up; it overshoots x = 0\n"
                 "          (Nesterov less: it corrects with the gradient one step earlier).\n"
                 "AdaGrad, RMSprop: each coordinate's step is divided by the size of its own gradients, so the\n"
                 "          steep y settles in a few steps without a flip and x gets steps of a useful size.\n"
                 "Adam:     momentum plus that per-coordinate scaling: a smooth curve, a small overshoot in y.\n";

    PlotOptions plot;
    plot.title = "ch05: 30 steps on f(x, y) = x²/20 + y², from (−7, 2)";
    plot.xlabel = "x";
    plot.ylabel = "y";
    plot.width = 1200;
    plot.height = 600;
    plot.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    ContourSpec spec;
    spec.x = {-10, 10};
    spec.y = {-5, 5};
    spec.minimum = std::pair{0.0, 0.0};
    const PlotResult result = plot_contour_trajectories(plots_dir() / "ch05_optimizers_2d.png", f, spec, paths, plot);
    std::cout << "\n" << result.message << "\n";
    return 0;
  });
}
