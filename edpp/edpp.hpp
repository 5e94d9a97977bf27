// The one header users include: the public API of edpp (namespace ed). Library internals (the
// SIMD kernels, worker threads, sharded losses, the NUTS metric) are not part of it.
#pragma once

// The graph: tensors, ops, programs, sessions, files.
#include "core/checkpoint.hpp"
#include "core/copy.hpp"
#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/feed.hpp"
#include "core/fwd.hpp"
#include "core/layers.hpp"
#include "core/messages.hpp"
#include "core/minibatches.hpp"
#include "core/op.hpp"
#include "core/ops.hpp"
#include "core/program.hpp"
#include "core/rng.hpp"
#include "core/session.hpp"
#include "core/tensor.hpp"

// Random variables.
#include "distributions/distributions.hpp"

// Optimisers and parallelism.
#include "optim/lbfgs.hpp"
#include "optim/optimizers.hpp"
#include "parallel/process_group.hpp"
#include "parallel/shards.hpp"

// Inference: the base, Monte Carlo, variational.
#include "inference/inference.hpp"
#include "inference/mcmc/hmc.hpp"
#include "inference/mcmc/metropolis_hastings.hpp"
#include "inference/mcmc/monte_carlo.hpp"
#include "inference/mcmc/nuts.hpp"
#include "inference/mcmc/sgld.hpp"
#include "inference/progress.hpp"
#include "inference/variational/klqp.hpp"
#include "inference/variational/laplace.hpp"
#include "inference/variational/map.hpp"
#include "inference/variational/variational.hpp"

// Criticism.
#include "criticism/diagnostics.hpp"
#include "criticism/draws_csv.hpp"
#include "criticism/evaluate.hpp"
#include "criticism/model_comparison.hpp"
#include "criticism/ppc.hpp"
#include "criticism/sbc.hpp"
#include "criticism/summary.hpp"

// The gallery's model builders and data sets.
#include "models/classification.hpp"
#include "models/datasets.hpp"
#include "models/gmm.hpp"
#include "models/latent.hpp"
#include "models/mdn.hpp"
#include "models/posteriordb.hpp"
#include "models/regression.hpp"
#include "models/simulate.hpp"
