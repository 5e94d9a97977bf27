// Basic value types shared by every layer: Matrix, Index, Shape and Dynamic.
#pragma once

// With -march=native (EDPP_NATIVE) on an AVX-512 machine, GCC 12 warns -W[maybe-]uninitialized
// about its own intrinsics headers (avx512fintrin.h's _mm512_undefined_*, GCC bug 105593) once
// for every vectorised Eigen expression: ~1,100 lines that bury real warnings. The pragma
// covers the text of the headers Eigen includes here, not ours (a middle-end warning is
// classified by the location it points at).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <Eigen/Core>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <cstdint>
#include <string>

namespace ed {

/// Every value in edpp: a dense, column-major matrix of doubles. A vector is n×1, a scalar 1×1.
using Matrix = Eigen::MatrixXd;
/// Row and column counts and indices.
using Index = Eigen::Index;

/// A dimension known only when data is fed (the batch size of a placeholder).
inline constexpr Index Dynamic = -1;

/// The static shape of a graph node: rows × cols, either of which may be `Dynamic`.
struct Shape {
  Index rows = 1;
  Index cols = 1;

  friend bool operator==(const Shape&, const Shape&) = default;
  /// True when neither dimension is `Dynamic`.
  bool is_known() const { return rows != Dynamic && cols != Dynamic; }
  /// True when a matrix of `rows` × `cols` fits: each dimension equal or `Dynamic`.
  bool admits(Index r, Index c) const {
    return (rows == Dynamic || rows == r) && (cols == Dynamic || cols == c);
  }
};

/// "[3, 2]"; a Dynamic dimension prints as "?".
std::string to_string(const Shape& shape);
/// The shape of a concrete matrix.
inline Shape shape_of(const Matrix& m) { return {m.rows(), m.cols()}; }

class Tensor;
class Op;
class Distribution;
class Program;
class Session;
class Rng;

}  // namespace ed
