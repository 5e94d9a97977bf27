// The extension API (namespace ed::extend): what a user's own op, family, support, sampler or KL
// divergence is written against, with no change to the library. docs/design.md's "How to add"
// sections walk through each; tests/distributions/extend_test.cpp adds one of every kind from
// outside the library.
//  - an op: derive ed::Op (edpp/core/op.hpp: shape, forward, backward) and build nodes with
//    ed::make_op(op, inputs);
//  - a family: an ed::extend::Family (parameters, support, log density, sampler, moments as
//    graph expressions), made into a RandomVariable by ed::extend::make_distribution;
//  - a support: derive ed::extend::SupportSet (membership, message, bijector), wrapped in an
//    ed::Support;
//  - a sampler: an ed::extend::Sampler (one scalar draw and its derivative), drawn by
//    ed::extend::draw;
//  - a KL divergence: ed::extend::register_kl(q_family, p_family, rule), which ed::kl_divergence
//    and KLqp's analytic-KL estimator then use.
#pragma once

#include "edpp/core/op.hpp"
#include "edpp/core/tensor.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/kl.hpp"
#include "edpp/distributions/sampling.hpp"
#include "edpp/distributions/support.hpp"
#include "edpp/edpp.hpp"
