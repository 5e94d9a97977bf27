// The Op interface: one class per operation, forward and backward on whole matrices.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

/// The concrete values of an op's inputs, in order.
class Inputs {
 public:
  Inputs(const Matrix* const* values, std::size_t count) : values_(values), count_(count) {}
  const Matrix& operator[](std::size_t i) const { return *values_[i]; }
  std::size_t size() const { return count_; }

 private:
  const Matrix* const* values_;
  std::size_t count_;
};

/// Gradient accumulators of an op's inputs; `din[i] == nullptr` when nobody needs input i's.
using Grads = std::span<Matrix* const>;
/// Input shapes given to Op::shape (static shapes may hold Dynamic; run-time ones never do).
using Shapes = std::span<const Shape>;
/// Note [Forward tangents]: the inputs' tangents along Q directions, each Q × size (column e for
/// element e, column-major), or nullptr where an input's tangent is zero.
using Tangents = std::span<const Matrix* const>;

/// Note [Scalar tapes]: how a tape (detail::ScalarTape) runs an op one element at a time.
struct ScalarRule {
  enum class Kind {
    /// Output element (i, j) is f of the element (i, j) of each input, broadcast as the
    /// arithmetic ops broadcast; Op::scalar_apply gives f and its partial derivatives.
    elementwise,
    /// The op only moves elements: output element e (column-major) is a copy of element
    /// `sources[e].element` (column-major) of input `sources[e].input`.
    moves,
  };
  struct Source {
    int input;
    Index element;
  };
  /// Elementwise arithmetic that a tape runs inline, without a virtual call of
  /// Op::scalar_apply per element (a few operations each, where a call costs as much).
  enum class Builtin { none, add, sub, mul, div, neg };
  Kind kind = Kind::elementwise;
  std::vector<Source> sources;
  Builtin builtin = Builtin::none;
};

/// What a running Program lends an op besides its inputs: the session's random engine and a
/// scratch area owned by this node, kept between forward and backward and across runs.
struct OpContext {
  Rng& rng;
  std::vector<Matrix>& scratch;
  /// In backward, Note [Assigned gradients]: fresh[i] (when not null) means that din[i] holds no
  /// value yet, not even zeros, and the op must assign input i's gradient instead of adding it.
  const unsigned char* fresh = nullptr;
  bool assigns(std::size_t i) const { return fresh != nullptr && fresh[i] != 0; }
};

/// One operation of the graph. Ops hold only their static parameters (an axis, a column); every
/// value lives in the Program that runs them, so one op may serve many programs.
///
/// Note [Accumulating backward]: `backward` adds (`+=`) the gradient of each input into `din[i]`
/// rather than assigning it, because an input used twice (x * x) receives two contributions in
/// the same buffer. The Program zeroes the buffers before the reverse sweep, except where Note
/// [Assigned gradients] lets the first contribution assign.
///
/// Note [Assigned gradients]: zeroing a buffer that the first contribution then overwrites
/// entirely is a wasted pass over memory (for the MDN, 5% of the step). An op whose backward
/// writes every entry of din[i] may say so through assigns_gradient(in, i); when it is the first
/// to reach that buffer (and no other of its inputs shares it), the Program leaves it unzeroed
/// and sets OpContext::fresh[i], and the op assigns.
class Op {
 public:
  Op() = default;
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;
  virtual ~Op() = default;

  /// Short name used in every error message ("mul", "matmul").
  virtual std::string_view name() const = 0;
  /// Output shape from input shapes; throws ed::invalid_argument naming the op and the shapes.
  virtual Shape shape(Shapes in) const = 0;
  /// Writes the value into `out`, which the Program has already sized to `shape(...)`.
  virtual void forward(Inputs in, Matrix& out, OpContext& ctx) const = 0;
  /// Accumulates d(loss)/d(input i) into `*din[i]` for every non-null `din[i]` (assigns it where
  /// ctx.assigns(i)).
  /// The default throws, naming the op: an op without a gradient rule.
  virtual void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                        OpContext& ctx) const;
  /// Note [Forward tangents]: writes the output's tangent (Q × size) from the inputs' (at least
  /// one not null), after forward(); returns false, the default, for an op without a
  /// forward-mode rule.
  virtual bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const {
    (void)in;
    (void)out;
    (void)tin;
    (void)tout;
    return false;
  }
  /// Note [Scalar tapes]: the op's rule for inputs of these (known) shapes, or nothing, the
  /// default, for an op a tape cannot run.
  virtual std::optional<ScalarRule> scalar_rule(Shapes in) const {
    (void)in;
    return std::nullopt;
  }
  /// For ScalarRule::Kind::elementwise: f at one element of each input (`args`, one per input),
  /// with ∂f/∂args[k] written into partials[k].
  virtual double scalar_apply(const double* args, double* partials) const;
  /// Whether backward can assign (not add) input i's whole gradient, for inputs of these
  /// values (Note [Assigned gradients]). The default, false, is always safe.
  virtual bool assigns_gradient(Inputs in, std::size_t i) const {
    (void)in;
    (void)i;
    return false;
  }
  /// Ops that draw random numbers return true; the Program never caches their values.
  virtual bool is_random() const { return false; }
  /// True for stop_gradient: the Program sends no gradient to the inputs at all (so nothing
  /// behind it is asked for one, not even a discrete draw, which would refuse).
  virtual bool blocks_gradient() const { return false; }
  /// Typed queries that let graph builders recognise patterns without comparing op names.
  /// When the output is exp(input k), returns k, so log(output) is input k exactly (a Normal
  /// whose scale is exp(u) uses u as its log scale).
  virtual std::optional<std::size_t> exp_of_input() const { return std::nullopt; }
  /// True when the output is the sum of all elements of the only input (ed::sum(x)), so that
  /// a total of such sums can add up the elements directly (detail::weighted_total).
  virtual bool sums_all_elements() const { return false; }
  /// For elementwise bijections of their only input (exp, softplus, a check): the input that
  /// gives output `out`, so an algorithm can write a value through a parameterisation.
  virtual std::optional<Matrix> inverse(const Matrix& out) const {
    (void)out;
    return std::nullopt;
  }

  /// Note [Row sharding]: true when row i of the output depends only on row i of each input
  /// marked in `sharded` (and on the other inputs whole), so that the op computes the same rows
  /// when it runs on a block of the sharded inputs' rows. Inference uses this to split a batch
  /// over threads. The default, false, is always safe.
  virtual bool is_row_local(Shapes in, std::span<const bool> sharded) const;

 protected:
  /// For elementwise and row-wise ops: row-local when every unsharded input has a single row
  /// (it broadcasts over all rows alike).
  static bool unsharded_inputs_broadcast(Shapes in, std::span<const bool> sharded);
};

}  // namespace ed
