// Every distribution family, in one include.
#pragma once

#include "distributions/bijectors.hpp"
#include "distributions/bounded.hpp"
#include "distributions/categorical.hpp"
#include "distributions/copy.hpp"
#include "distributions/discrete.hpp"
#include "distributions/empirical.hpp"
#include "distributions/improper.hpp"
#include "distributions/location_scale.hpp"
#include "distributions/mixture.hpp"
#include "distributions/multivariate.hpp"
#include "distributions/normal.hpp"
#include "distributions/point_mass.hpp"
#include "distributions/positive.hpp"
#include "distributions/random_variable.hpp"
#include "distributions/support.hpp"
