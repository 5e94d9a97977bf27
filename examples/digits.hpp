// Digit images for the GAN and probabilistic-decoder examples.
#pragma once

#include <string>

#include "edpp/core/fwd.hpp"

namespace ed::examples {

/// 8 × 8 images, a row of 64 intensities each (pixel (r, c) in column 8r + c).
constexpr Index kDigitSide = 8, kDigitPixels = kDigitSide * kDigitSide;

/// n digits drawn from a 5 × 7 font: each a random digit at a random shift, with a random stroke
/// strength, blur and pixel noise, intensities clamped to [0, 1]. `labels` (n × 1), when given,
/// receives each image's digit.
Matrix make_digits(Index n, Rng& rng, Matrix* labels = nullptr);

/// Digits from a CSV file of 64 intensities in [0, 1] per row (scripts/data/export_digits.py
/// writes scikit-learn's). @throws ed::invalid_argument naming the file, and the row and column
/// of a value outside [0, 1].
Matrix read_digits(const std::string& path);

/// Tiles the images (rows) into a grid `columns` wide with grey borders, for gnuplot's image
/// plot.
Matrix digit_mosaic(const Matrix& images, Index columns);

}  // namespace ed::examples
