// Graph queries on random variables (Edward's ed.get_ancestors, get_children, …): how the
// random variables of a model depend on each other, found by walking the computation graph.
#pragma once

#include <optional>
#include <vector>

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Note [Random-variable graph]: a random variable's value node remembers its distribution
/// (Node::distribution), so a walk up the computation graph sees where it meets a random
/// variable. The random-variable graph has an edge p → r when r's distribution depends on p's
/// value through tensors and ops only (no other random variable in between): p is a parent of
/// r. Children are found among every live random variable (random_variables()), as Edward
/// finds them among the graph's consumers. Each query takes a random variable or any tensor (a
/// tensor's parents are the random variables it depends on directly) and lists the random
/// variables in the order a depth-first walk of the inputs meets them, each once.

/// The random variables `x` depends on directly. For a random variable, those its
/// distribution's parameters reach without passing another random variable.
std::vector<RandomVariable> get_parents(const Tensor& x);
/// Every random variable `x` depends on: parents, their parents, and so on.
std::vector<RandomVariable> get_ancestors(const Tensor& x);
/// The random variables that have `x` as a parent (for a tensor: whose distributions reach it
/// without passing a random variable).
std::vector<RandomVariable> get_children(const Tensor& x);
/// Every random variable that depends on `x`: children, their children, and so on.
std::vector<RandomVariable> get_descendants(const Tensor& x);
/// The random variables that share a parent with the random variable `x`, `x` excluded.
std::vector<RandomVariable> get_siblings(const Tensor& x);
/// The trainable variables (ed::variable) `x` depends on, through random variables too (as
/// Edward's get_variables returns tf.Variables).
std::vector<Tensor> get_variables(const Tensor& x);
/// Every random variable alive in this process, in the order they were made (Edward's
/// ed.random_variables()).
std::vector<RandomVariable> random_variables();
/// Parents, children and the children's other parents: the Markov blanket of `x`.
std::vector<RandomVariable> get_blanket(const RandomVariable& x);

/// Whether `a` and `b` are conditionally independent given `condition` in the random-variable
/// graph: d-separation, decided in the moral graph of the ancestors of a, b and condition
/// (Lauritzen et al. 1990): they are independent when every path between them there passes a
/// conditioned variable.
bool is_independent(const std::vector<RandomVariable>& a, const std::vector<RandomVariable>& b,
                    const std::vector<RandomVariable>& condition = {});
bool is_independent(const RandomVariable& a, const RandomVariable& b,
                    const std::vector<RandomVariable>& condition = {});
bool is_independent(const RandomVariable& a, const std::vector<RandomVariable>& b,
                    const std::vector<RandomVariable>& condition = {});
bool is_independent(const std::vector<RandomVariable>& a, const RandomVariable& b,
                    const std::vector<RandomVariable>& condition = {});

namespace detail {
/// The random variable whose own draw is `value` (the value a RandomVariable made for itself),
/// or nothing for other tensors.
std::optional<RandomVariable> random_variable_of(const Tensor& value);
/// Records a random variable for random_variables() (RandomVariable's constructor calls it).
void register_random_variable(const Tensor& value);
/// Takes `rv` out of the random-variable graph (its draw forgets its distribution): for the
/// random variables inference makes for itself, such as complete conditionals, which depend on
/// the model's variables but are not part of the model.
void hide_from_graph(const RandomVariable& rv);
}  // namespace detail

}  // namespace ed
