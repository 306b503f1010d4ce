// test_panels.cpp — histogram and plot_panels: bins by hand, the CSV, a rendered PNG, the errors.
#include "plot/panels.hpp"
#include "plot_test_util.hpp"

using namespace scratch;
using namespace scratch::test;

BOOST_AUTO_TEST_SUITE(plot_panels_suite)

BOOST_AUTO_TEST_CASE(histogram_by_hand) {
  // 4 bins of [0, 1]: centres 0.125, 0.375, 0.625, 0.875. 0 and 0.2 → bin 0; 0.25 → bin 1 (its left
  // edge); 1 → the last bin; −0.1, 1.5 and NaN are outside and not counted.
  const Series s = histogram("a", {0, 0.2, 0.25, 1, -0.1, 1.5, NAN, 0.7}, 4, {0, 1});
  BOOST_TEST(s.name == "a");
  BOOST_TEST(s.x == (std::vector<double>{0.125, 0.375, 0.625, 0.875}), boost::test_tools::per_element());
  BOOST_TEST(s.y == (std::vector<double>{2, 1, 1, 1}), boost::test_tools::per_element());
  BOOST_TEST(contains(message_of<ValueError>([] { (void)histogram("a", {1}, 0, {0, 1}); }), "bins is 0"));
  BOOST_TEST(contains(message_of<ValueError>([] { (void)histogram("a", {1}, 3, {1, 1}); }), "lo < hi"));
}

BOOST_AUTO_TEST_CASE(panels_write_their_csv_and_check_their_input) {
  TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing-gnuplot").string());
  const std::vector<Panel> panels{{"one", {{"a", {0, 1}, {2, 3}}}}, {"two", {{"a", {}, {5}}, {"b", {}, {6}}}}};
  const PlotResult r = plot_panels(dir / "p.png", panels, 2, PlotOptions{});
  BOOST_TEST(!r.rendered);
  BOOST_TEST(read_text(dir / "p.csv") == "panel,series,x,y\none,a,0,2\none,a,1,3\ntwo,a,0,5\ntwo,b,0,6\n");
  BOOST_TEST(contains(read_text(dir / "p.gp"), "set multiplot layout 1,2"));
  BOOST_TEST(contains(message_of<ValueError>([&] { (void)plot_panels(dir / "q.png", {}, 2, PlotOptions{}); }),
                      "no panels"));
  BOOST_TEST(contains(message_of<ValueError>([&] { (void)plot_panels(dir / "q.png", panels, 0, PlotOptions{}); }),
                      "grid_cols is 0"));
  BOOST_TEST(contains(message_of<ShapeError>([&] {
                        (void)plot_panels(dir / "q.png", {{"bad", {{"s", {1, 2}, {1}}}}}, 1, PlotOptions{});
                      }),
                      "series 's' of panel 'bad' has 2 x values but 1 y values"));
}

BOOST_AUTO_TEST_CASE(panels_render_in_every_style, *boost::unit_test::precondition(gnuplot_present)) {
  TempDir dir;
  const std::vector<Panel> panels{{"one", {{"a", {0, 1, 2}, {2, 3, 1}}}}, {"two", {{"a", {0, 1, 2}, {1, 0, 2}}}}};
  for (const PanelStyle style : {PanelStyle::kLines, PanelStyle::kHistogram, PanelStyle::kPoints}) {
    const PlotResult r = plot_panels(dir / "p.png", panels, 1, PlotOptions{}, style);
    BOOST_TEST(r.rendered, r.message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
