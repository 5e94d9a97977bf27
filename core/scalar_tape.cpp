// ScalarTape: compiling a Program's slots to scalar instructions, and running them.
#include "edpp/core/scalar_tape.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/program_slot.hpp"

namespace ed::detail {

namespace {

using Builtin = ScalarRule::Builtin;
using Instruction = ScalarTape::Instruction;
using Kernel = ScalarTape::Kernel;

// Which of an instruction's arguments carry a tangent.
enum class Carries { none, a, b, both };

// The value at one element and its partial derivatives.
template <Builtin B>
double apply(const Instruction& step, double a, double b, double& da, double& db) {
  if constexpr (B == Builtin::add) {
    da = db = 1.0;
    return a + b;
  } else if constexpr (B == Builtin::sub) {
    da = 1.0, db = -1.0;
    return a - b;
  } else if constexpr (B == Builtin::mul) {
    da = b, db = a;
    return a * b;
  } else if constexpr (B == Builtin::div) {
    const double quotient = a / b;
    da = 1.0 / b, db = -quotient / b;
    return quotient;
  } else if constexpr (B == Builtin::neg) {
    da = -1.0, db = 0.0;
    return -a;
  } else {
    const double args[2] = {a, b};
    double partials[2] = {0.0, 0.0};
    const double result = step.op->scalar_apply(args, partials);
    da = partials[0], db = partials[1];
    return result;
  }
}

// Lanes > 0 fixes the lane count, so that Eigen writes the lanes as whole SIMD packets.
template <int Lanes, Builtin B, Carries C>
void kernel(const Instruction& step, double* value, double* tangent, Index lanes) {
  double da, db;
  value[step.out] = apply<B>(step, value[step.a], value[step.b], da, db);
  if constexpr (C != Carries::none) {
    using LaneArray = Eigen::Array<double, (Lanes > 0 ? Lanes : Eigen::Dynamic), 1>;
    const Index q = Lanes > 0 ? Lanes : lanes;
    // An instruction's output register is new: its tangent never overlaps its arguments'.
    Eigen::Map<LaneArray> out(tangent + step.t_out * q, q);
    if constexpr (C == Carries::both) {
      out = da * Eigen::Map<const LaneArray>(tangent + step.t_a * q, q) +
            db * Eigen::Map<const LaneArray>(tangent + step.t_b * q, q);
    } else if constexpr (C == Carries::a) {
      out = da * Eigen::Map<const LaneArray>(tangent + step.t_a * q, q);
    } else {
      out = db * Eigen::Map<const LaneArray>(tangent + step.t_b * q, q);
    }
  }
}

// Every kernel, indexed by (lanes, builtin, carries): lanes 1 to kFixedLanes fixed (up to 8
// cover an ODE of a few states and parameters), 0 for any other count.
constexpr int kFixedLanes = 8;
constexpr int kBuiltins = static_cast<int>(Builtin::neg) + 1;
constexpr int kCarries = static_cast<int>(Carries::both) + 1;

template <std::size_t... Cells>
constexpr auto kernel_table(std::index_sequence<Cells...>) {
  return std::array<Kernel, sizeof...(Cells)>{
      &kernel<static_cast<int>(Cells) / (kBuiltins * kCarries),
              static_cast<Builtin>(static_cast<int>(Cells) / kCarries % kBuiltins),
              static_cast<Carries>(static_cast<int>(Cells) % kCarries)>...};
}

Kernel select_kernel(Index lanes, Builtin b, Carries c) {
  static constexpr auto kernels =
      kernel_table(std::make_index_sequence<(kFixedLanes + 1) * kBuiltins * kCarries>());
  const Index fixed = lanes >= 1 && lanes <= kFixedLanes ? lanes : 0;
  return kernels[(fixed * kBuiltins + static_cast<int>(b)) * kCarries + static_cast<int>(c)];
}

}  // namespace

std::optional<ScalarTape> ScalarTape::compile(const Program& program, std::size_t output,
                                              const std::vector<Tensor>& inputs,
                                              const std::vector<bool>& seeded, Index lanes) {
  if (program.rng_ == nullptr) {
    throw ed::invalid_argument("ScalarTape: run the program forward first (for its constants)");
  }
  const auto& slots = program.slots_;
  ScalarTape tape;
  tape.lanes_ = lanes;
  int tangent_slots = 0;
  auto new_register = [&](double value, bool with_tangent) {
    tape.values_.push_back(value);
    tape.tangent_slot_.push_back(with_tangent ? tangent_slots++ : -1);
    return static_cast<int>(tape.values_.size() - 1);
  };
  // registers[s]: the registers of slot s's elements, column-major.
  std::vector<std::vector<int>> registers(slots.size());
  std::vector<bool> is_input(slots.size(), false);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const int s = program.slot_of(inputs[i].node().get());
    const Shape shape = s >= 0 ? slots[s].shape : inputs[i].shape();
    if (!shape.is_known()) return std::nullopt;
    const Index size = shape.rows * shape.cols;
    tape.inputs_.push_back({static_cast<int>(tape.values_.size()), size, seeded[i]});
    std::vector<int> own;
    for (Index e = 0; e < size; ++e) own.push_back(new_register(0.0, seeded[i]));
    if (s >= 0) {
      registers[s] = std::move(own);
      is_input[s] = true;
    }
  }
  std::vector<Shape> shapes;
  for (std::size_t s = 0; s < slots.size(); ++s) {
    const Program::Slot& slot = slots[s];
    if (!slot.reachable || is_input[s]) continue;
    if (tape.values_.size() > static_cast<std::size_t>(max_elements)) return std::nullopt;
    const Index size = slot.shape.rows * slot.shape.cols;
    std::vector<int>& own = registers[s];
    if (slot.is_static) {  // Note [Static nodes]: its value is the same on every run
      for (Index e = 0; e < size; ++e) own.push_back(new_register(slot.value->data()[e], false));
      continue;
    }
    if (slot.node->kind != NodeKind::op || slot.node->op->is_random()) return std::nullopt;
    const Op& op = *slot.node->op;
    shapes.clear();
    for (int k : slot.inputs) shapes.push_back(slots[k].shape);
    const std::optional<ScalarRule> rule = op.scalar_rule(shapes);
    if (!rule) return std::nullopt;
    if (rule->kind == ScalarRule::Kind::moves) {
      for (const ScalarRule::Source& source : rule->sources) {
        own.push_back(registers[slot.inputs[source.input]][source.element]);
      }
      continue;
    }
    if (slot.inputs.size() > 2) return std::nullopt;
    // Elementwise: output element (i, j) reads each input's element (i, j), broadcast.
    for (Index j = 0; j < slot.shape.cols; ++j) {
      for (Index i = 0; i < slot.shape.rows; ++i) {
        int args[2] = {-1, -1};
        for (std::size_t k = 0; k < slot.inputs.size(); ++k) {
          args[k] = registers[slot.inputs[k]][broadcast_index(shapes[k], i, j)];
        }
        const int t_a = tape.tangent_slot_[args[0]];
        const int t_b = args[1] < 0 ? -1 : tape.tangent_slot_[args[1]];
        const int out = new_register(0.0, t_a >= 0 || t_b >= 0);
        const Carries carries = t_a >= 0 ? (t_b >= 0 ? Carries::both : Carries::a)
                                         : (t_b >= 0 ? Carries::b : Carries::none);
        tape.code_.push_back({select_kernel(lanes, rule->builtin, carries), &op, out, args[0],
                              args[1] < 0 ? args[0] : args[1], tape.tangent_slot_[out], t_a, t_b});
        own.push_back(out);
      }
    }
  }
  tape.output_ = registers[program.outputs_.at(output)];
  tape.tangents_.assign(static_cast<std::size_t>(tangent_slots * lanes), 0.0);
  return tape;
}

void ScalarTape::run(std::span<const double* const> values, std::span<const double* const> seeds) {
  const Index q = lanes_;
  double* value = values_.data();
  double* tangent = tangents_.data();
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    const InputRegisters& in = inputs_[i];
    for (Index e = 0; e < in.size; ++e) value[in.first + e] = values[i][e];  // a few elements
    if (!in.seeded || seeds[i] == nullptr) continue;
    // An input's registers and their tangent slots are consecutive, so its seed is one copy
    // (Eigen's, not std::copy: a library memmove call costs as much as this copy).
    Eigen::Map<Eigen::ArrayXd>(tangent + tangent_slot_[in.first] * q, in.size * q) =
        Eigen::Map<const Eigen::ArrayXd>(seeds[i], in.size * q);
  }
  for (const Instruction& step : code_) step.kernel(step, value, tangent, q);
}

}  // namespace ed::detail
