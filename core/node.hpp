// The graph node behind a Tensor handle (internal: users see only Tensor).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed::detail {

enum class NodeKind { constant, placeholder, variable, op };

/// One vertex of the computation graph. Leaves (constant, placeholder, variable) have no op;
/// constants and variables own their value. Nodes are immutable once built, except a variable's
/// value, which optimizers update in place.
struct Node {
  Node(NodeKind kind, Shape shape, std::string name)
      : kind(kind), shape(shape), name(std::move(name)) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  /// Releases the inputs iteratively: a chain of 10⁶ nodes must not recurse 10⁶ destructors deep.
  ~Node();

  NodeKind kind;
  Shape shape;  ///< static shape; may hold Dynamic
  std::string name;
  std::shared_ptr<const Op> op;               ///< set for NodeKind::op
  std::vector<std::shared_ptr<Node>> inputs;  ///< set for NodeKind::op
  Matrix value;                               ///< constants and variables
  /// The family when this node is a random variable's own draw (its value, as opposed to an
  /// explicit `sample()`), set by RandomVariable: inference finds unbound random variables by it.
  std::string random_variable;
  /// The distribution of that random variable (the graph queries of distributions/graph.hpp
  /// walk from value to distribution by it). Not carried over by copy(): a copied draw belongs
  /// to no random variable the user made.
  std::shared_ptr<const Distribution> distribution;
};

/// "mul" or "placeholder 'X'" — how errors refer to a node.
std::string describe(const Node& node);

}  // namespace ed::detail
