// Tensor handles, leaf nodes and the generic op builder.
#include "edpp/core/tensor.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace detail {
std::string describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::constant:
      return "constant " + to_string(node.shape);
    case NodeKind::placeholder:
      return "placeholder '" + node.name + "'";
    case NodeKind::variable:
      return "variable '" + node.name + "'";
    case NodeKind::op:
      break;
  }
  return node.name.empty() ? std::string(node.op->name())
                           : std::string(node.op->name()) + " '" + node.name + "'";
}
Node::~Node() {
  // Take over every input this node holds the last reference to, and empty their input lists
  // here, so each destructor below finds nothing left to release recursively.
  std::vector<std::shared_ptr<Node>> pending = std::move(inputs);
  while (!pending.empty()) {
    std::shared_ptr<Node> node = std::move(pending.back());
    pending.pop_back();
    if (node && node.use_count() == 1) {
      for (auto& input : node->inputs) pending.push_back(std::move(input));
      node->inputs.clear();
    }
  }
}

}  // namespace detail

namespace {
using detail::Node;
using detail::NodeKind;

const Node& checked(const std::shared_ptr<Node>& node) {
  if (!node) throw ed::invalid_argument("Tensor: the handle is empty (default-constructed)");
  return *node;
}
}  // namespace

Tensor::Tensor(double value) : Tensor(Matrix::Constant(1, 1, value)) {}

Tensor::Tensor(const Matrix& value) : Tensor(constant(value)) {}

Shape Tensor::shape() const { return checked(node_).shape; }
const std::string& Tensor::name() const { return checked(node_).name; }
bool Tensor::is_placeholder() const { return checked(node_).kind == NodeKind::placeholder; }
bool Tensor::is_variable() const { return checked(node_).kind == NodeKind::variable; }
bool Tensor::is_constant() const { return checked(node_).kind == NodeKind::constant; }

const Matrix& Tensor::value() const {
  const Node& node = checked(node_);
  if (node.kind != NodeKind::variable && node.kind != NodeKind::constant) {
    throw ed::invalid_argument("Tensor::value: " + detail::describe(node) +
                               " has no stored value; evaluate it with ed::eval or a Session");
  }
  return node.value;
}

void Tensor::assign(const Matrix& value) const {
  const Node& node = checked(node_);
  if (node.kind != NodeKind::variable) {
    throw ed::invalid_argument("Tensor::assign: " + detail::describe(node) + " is not a variable");
  }
  if (shape_of(value) != node.shape) {
    throw ed::invalid_argument("Tensor::assign: " + detail::describe(node) + " has shape " +
                               to_string(node.shape) + " but the new value has shape " +
                               to_string(shape_of(value)));
  }
  node_->value = value;
}

Tensor named(const Tensor& t, std::string name) {
  checked(t.node());
  t.node()->name = std::move(name);
  return t;
}

Tensor constant(const Matrix& value) {
  auto node = std::make_shared<Node>(NodeKind::constant, shape_of(value), "");
  node->value = value;
  return Tensor(std::move(node));
}

Tensor placeholder(Shape shape, std::string name) {
  if ((shape.rows < 0 && shape.rows != Dynamic) || (shape.cols < 0 && shape.cols != Dynamic)) {
    throw ed::invalid_argument("placeholder '" + name + "': invalid shape " + to_string(shape));
  }
  if (name.empty()) name = "placeholder";
  return Tensor(std::make_shared<Node>(NodeKind::placeholder, shape, std::move(name)));
}

Tensor variable(const Matrix& init, std::string name) {
  if (name.empty()) name = "variable";
  auto node = std::make_shared<Node>(NodeKind::variable, shape_of(init), std::move(name));
  node->value = init;
  return Tensor(std::move(node));
}

Matrix& detail::mutable_value(const Tensor& t) {
  if (!t.is_variable()) {
    throw ed::invalid_argument("mutable_value: " + detail::describe(*t.node()) +
                               " is not a variable");
  }
  return t.node()->value;
}

Tensor make_op(std::shared_ptr<const Op> op, std::vector<Tensor> inputs) {
  std::vector<Shape> shapes;
  shapes.reserve(inputs.size());
  for (const Tensor& input : inputs) {
    if (!input) {
      throw ed::invalid_argument(std::string(op->name()) + ": an input Tensor is empty");
    }
    shapes.push_back(input.shape());
  }
  const Shape shape = op->shape(shapes);
  auto node = std::make_shared<Node>(NodeKind::op, shape, "");
  node->op = std::move(op);
  node->inputs.reserve(inputs.size());
  for (Tensor& input : inputs) node->inputs.push_back(input.node());
  return Tensor(std::move(node));
}

bool Op::is_row_local(Shapes, std::span<const bool>) const { return false; }

bool Op::unsharded_inputs_broadcast(Shapes in, std::span<const bool> sharded) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!sharded[i] && in[i].rows != 1) return false;
  }
  return true;
}

void Op::backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const {
  throw ed::invalid_argument(std::string(name()) + ": this op has no gradient");
}

double Op::scalar_apply(const double*, double*) const {
  throw ed::invalid_argument(std::string(name()) + ": this op has no elementwise scalar rule");
}

}  // namespace ed
