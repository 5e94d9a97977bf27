#!/usr/bin/env bash
# Installs rstan and what stan_side_by_side.R reads with, from Debian's archive (for the
# cross-checks only; edpp never depends on R). Debian's r-cran-bh is a virtual package without
# the `include` folder that rstan asks for: it is made to point at the system's Boost.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
edpp_apt apt-get install -y r-cran-rstan r-cran-posterior r-cran-jsonlite r-cran-bh
bh=/usr/lib/R/site-library/BH/include
if [ ! -e "$bh/boost" ]; then
  mkdir -p "$bh"
  ln -s /usr/include/boost "$bh/boost"
fi
Rscript -e 'library(rstan); cat("rstan", as.character(packageVersion("rstan")), "ready\n")'
