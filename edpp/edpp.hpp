// The one header users include: the whole public API of edpp (namespace ed).
#pragma once

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/feed.hpp"
#include "core/fwd.hpp"
#include "core/layers.hpp"
#include "core/op.hpp"
#include "core/ops.hpp"
#include "core/program.hpp"
#include "core/rng.hpp"
#include "core/session.hpp"
#include "core/tensor.hpp"
