// Digit images for the GAN and probabilistic-decoder examples: drawn from a small font, read from
// CSV, and tiled for gnuplot.
#include "examples/digits.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include "edpp/core/csv.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/rng.hpp"

namespace ed::examples {

namespace {
constexpr Index kSide = kDigitSide, kPixels = kDigitPixels;

// Digit glyphs, 5 wide and 7 tall ('#' ink).
const char* const kGlyphs[10][7] = {
    {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "},
    {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "},
    {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"},
    {"#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "},
    {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "},
    {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "},
    {"  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "},
    {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "},
    {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "},
    {" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "},
};

}  // namespace

// n digits, one per row of 64 intensities in [0, 1]: a glyph at a random shift, with a random
// stroke strength, a little blur and pixel noise, so that no two are alike.
Matrix make_digits(Index n, Rng& rng, Matrix* labels) {
  boost::random::uniform_01<double> u01;
  boost::random::uniform_int_distribution<int> digit(0, 9), shift(0, 2), shift_y(0, 1);
  boost::random::normal_distribution<double> noise(0.0, 0.05);
  Matrix out(n, kPixels);
  if (labels) labels->resize(n, 1);
  for (Index i = 0; i < n; ++i) {
    const int d = digit(rng.engine()), dx = shift(rng.engine()), dy = shift_y(rng.engine());
    if (labels) (*labels)(i, 0) = d;
    const double ink = 0.7 + 0.3 * u01(rng.engine()), blur = 0.25 * u01(rng.engine());
    Matrix image = Matrix::Zero(kSide, kSide);
    for (int r = 0; r < 7; ++r) {
      for (int c = 0; c < 5; ++c) {
        if (kGlyphs[d][r][c] != '#') continue;
        image(r + dy, c + dx + 1) += ink;
        // Blur: a share of the ink spreads to the four neighbours.
        for (const auto& [rr, cc] : {std::pair{r + dy - 1, c + dx + 1},
                                     {r + dy + 1, c + dx + 1},
                                     {r + dy, c + dx},
                                     {r + dy, c + dx + 2}}) {
          if (rr >= 0 && rr < kSide && cc >= 0 && cc < kSide) image(rr, cc) += blur * ink;
        }
      }
    }
    for (Index r = 0; r < kSide; ++r) {
      for (Index c = 0; c < kSide; ++c) {
        out(i, r * kSide + c) = std::clamp(image(r, c) + noise(rng.engine()), 0.0, 1.0);
      }
    }
  }
  return out;
}

// Digits from a CSV file: 64 columns of intensities in [0, 1] per row.
Matrix read_digits(const std::string& path) {
  const CsvTable table = read_csv(path);
  if (table.data.cols() != kPixels) {
    throw invalid_argument("digits file '" + path + "' has " + std::to_string(table.data.cols()) +
                           " columns; it needs " + std::to_string(kPixels) +
                           " (8 × 8 intensities in [0, 1])");
  }
  for (Index r = 0; r < table.data.rows(); ++r) {
    for (Index c = 0; c < kPixels; ++c) {
      const double v = table.data(r, c);
      if (!(v >= 0.0 && v <= 1.0)) {
        throw invalid_argument("digits file '" + path + "': data row " + std::to_string(r + 1) +
                               ", column " + std::to_string(c + 1) + " is " + std::to_string(v) +
                               ", but must be in [0, 1]");
      }
    }
  }
  return table.data;
}

// Tiles 8 × 8 images (rows of `images`) into a grid `columns` wide, for gnuplot's image plot.
Matrix digit_mosaic(const Matrix& images, Index columns) {
  const Index n = images.rows(), rows = (n + columns - 1) / columns;
  Matrix out = Matrix::Constant(rows * (kSide + 1), columns * (kSide + 1), 0.5);
  for (Index i = 0; i < n; ++i) {
    const Index top = (i / columns) * (kSide + 1), left = (i % columns) * (kSide + 1);
    for (Index r = 0; r < kSide; ++r) {
      for (Index c = 0; c < kSide; ++c) out(top + r, left + c) = images(i, r * kSide + c);
    }
  }
  return out;
}

}  // namespace ed::examples
