// Program::Slot, a compiled node: internal to the Program and the tapes compiled from it.
#pragma once

#include <memory>
#include <vector>

#include "edpp/core/node.hpp"
#include "edpp/core/program.hpp"

namespace ed {

struct Program::Slot {
  std::shared_ptr<detail::Node> node;
  std::vector<int> inputs;                  // slot indices, after substitution
  std::vector<const Matrix*> input_values;  // set once; inputs that are placeholders per feed
  std::vector<Matrix*> input_grads;         // nullptr where the input needs no gradient
  const Matrix* value = nullptr;            // node value, feed, or &buffer
  Matrix buffer;                            // op outputs
  Matrix grad;                              // when needs_grad
  std::vector<Matrix> scratch;              // the op's own temporaries (Note [Buffer reuse])
  // Note [Assigned gradients], per input: whether backward may assign it (never when another
  // input of the op is the same node), and whether this sweep's call does.
  std::vector<unsigned char> may_assign, fresh;
  Shape shape;             // concrete shape of the last run
  bool reachable = false;  // reached from the outputs (else only a wrt root)
  bool needs_grad = false;
  bool grad_ready = false;  // grad holds this sweep's (partial) sum
  // Note [Static nodes]: a constant, or an op that draws nothing and reads only static nodes,
  // has the same value on every run (constants cannot be assigned); it is computed on the first
  // run after shapes are resolved and kept.
  bool is_static = false;
  bool static_done = false;  // its buffer holds its value
  // Note [Forward tangents]: the tangent after forward_tangents() (a seed's, or `tangent`), or
  // nullptr where it is zero; the inputs' tangents as the op receives them.
  const Matrix* tangent_of = nullptr;
  Matrix tangent;
  std::vector<const Matrix*> input_tangents;
};

}  // namespace ed
