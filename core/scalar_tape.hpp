// A small program flattened to scalar instructions, with forward-mode tangents.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "edpp/core/fwd.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/tensor.hpp"

namespace ed {

class Program;

namespace detail {

/// Note [Scalar tapes]: an ODE's right-hand side runs hundreds of times per gradient on a state
/// of a few elements (Lotka–Volterra: 366 evaluations of f and its tangents per gradient), and
/// there the Program's per-op costs (a virtual call, a matrix resized and written, a tangent
/// matrix per node) are nearly all of the time: six multiplications and subtractions of 1 × 1
/// matrices and their tangents cost 0.25 µs. A ScalarTape is the same program as a list of
/// instructions on scalar registers: an elementwise op becomes one instruction per element (its
/// arithmetic inline for + − × ÷ and negation, else Op::scalar_apply), an op that only moves
/// elements (col, concat, reshape) becomes renamed registers and no instruction at all, and
/// static parts (Note [Static nodes]) are registers read once. Tangents along `lanes`
/// directions ride along, lanes contiguous per register, for the registers that depend on a
/// seeded input. Lotka–Volterra's f with its six tangent lanes runs in ~28 ns, and a NUTS
/// gradient of its posterior went from 85 to 23 µs.
///
/// A program compiles to a tape when every op on the way has a scalar rule (Op::scalar_rule),
/// every leaf is a constant or one of the inputs, nothing draws, and it has at most
/// max_elements elements; otherwise compile() returns nothing and the Program serves.
class ScalarTape {
 public:
  static constexpr Index max_elements = 4096;

  /// Output `output` of `program` (already run forward once, so shapes and constants are
  /// known) as a function of `inputs`, leaves of the program. seeded[i] says whether input i
  /// carries a tangent. @throws ed::invalid_argument when the program has not run.
  static std::optional<ScalarTape> compile(const Program& program, std::size_t output,
                                           const std::vector<Tensor>& inputs,
                                           const std::vector<bool>& seeded, Index lanes);

  /// values[i]: input i's elements (column-major). seeds[i]: for a seeded input, its tangent in
  /// Program::forward_tangents' layout (lanes × size, column-major: element e's lanes
  /// together), or null to keep the one of the last run (a seed that never changes is copied
  /// once); ignored for the others.
  void run(std::span<const double* const> values, std::span<const double* const> seeds);

  Index size() const { return static_cast<Index>(output_.size()); }
  Index lanes() const { return lanes_; }
  /// Output element e (column-major) after run().
  double value(Index e) const { return values_[static_cast<std::size_t>(output_[e])]; }
  /// Its `lanes` derivatives after run(), or nullptr where it does not depend on a seeded input.
  const double* tangent(Index e) const {
    const int slot = tangent_slot_[static_cast<std::size_t>(output_[e])];
    return slot < 0 ? nullptr : &tangents_[static_cast<std::size_t>(slot * lanes_)];
  }
  /// Instructions per run (elementwise op elements), for tests and notes.
  std::size_t instruction_count() const { return code_.size(); }

  struct Instruction;
  /// What one instruction does, chosen when the tape is compiled: its arithmetic (inline, or
  /// Op::scalar_apply), which of its arguments carry tangents, and the number of lanes when it
  /// is small enough to fix; one indirect call per instruction and no branches inside.
  using Kernel = void (*)(const Instruction& step, double* value, double* tangent, Index lanes);
  struct Instruction {
    Kernel kernel;
    const Op* op;
    int out, a, b;        // registers; b = a for one argument
    int t_out, t_a, t_b;  // tangent slots, < 0 where zero
  };

 private:
  struct InputRegisters {
    int first;  // its elements are registers first, first + 1, ...
    Index size;
    bool seeded;
  };

  ScalarTape() = default;

  std::vector<Instruction> code_;
  std::vector<InputRegisters> inputs_;
  std::vector<double> values_;     // one per register; constants set at compile time
  std::vector<int> tangent_slot_;  // per register
  std::vector<double> tangents_;   // lanes per tangent slot
  std::vector<int> output_;        // the output's registers, column-major
  Index lanes_ = 0;
};

}  // namespace detail
}  // namespace ed
