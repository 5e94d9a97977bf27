#!/usr/bin/python3
"""Imports posteriordb posteriors (data and reference-draw summaries) into data/posteriordb/.

Usage: scripts/data/import_posteriordb.py POSTERIORDB_CHECKOUT NAME...

For each posterior NAME (e.g. hmm_example-hmm_example) it writes data/posteriordb/NAME/ with
  data.json      the data set as posteriordb stores it,
  reference.csv  param,mean,sd,q05,q50,q95,mcse_mean over the pooled reference draws, mcse_mean
                 being sd / sqrt(bulk ESS) (rank-normalised split chains, Vehtari et al. 2021),
  info.json      where it came from: the posteriordb commit, the chains and draws, keywords,
in the same form as ../shared/posteriordb. posteriordb: Magnusson, Bürkner, Vehtari et al.,
github.com/stan-dev/posteriordb, BSD 3-Clause, copyright the Stan Developers.
Needs only NumPy (and git, to read the checkout's files at HEAD).
"""
import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
from statistics import NormalDist


def git_show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], check=True,
                          capture_output=True).stdout


def unzip_json(blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return json.loads(z.read(z.namelist()[0]))


def autocovariance(x):
    n = len(x)
    f = np.fft.fft(x - x.mean(), 2 * n)
    return np.fft.ifft(f * np.conj(f)).real[:n] / n


def ess(chains):
    """ESS of draws (chains × iterations) by Geyer's initial monotone sequence, as Stan's."""
    m, n = chains.shape
    acov = np.array([autocovariance(c) for c in chains])
    chain_var = acov[:, 0] * n / (n - 1)
    w = chain_var.mean()
    b_over_n = chains.mean(axis=1).var(ddof=1) if m > 1 else 0.0
    var_plus = w * (n - 1) / n + b_over_n
    rho = 1.0 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total, t, previous = 0.0, 0, np.inf
    while t + 1 < n:
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        pair = min(pair, previous)  # monotone
        total += pair
        previous = pair
        t += 2
    tau = -1.0 + 2.0 * total
    return m * n / max(tau, 1.0 / np.log10(m * n))


def bulk_ess(chains):
    """Rank-normalised split-chain ESS."""
    m, n = chains.shape
    half = n // 2
    split = np.vstack([chains[:, :half], chains[:, n - half:]])
    ranks = split.ravel().argsort().argsort().reshape(split.shape) + 1
    z = np.vectorize(NormalDist().inv_cdf)((ranks - 3.0 / 8.0) / (split.size + 0.25))
    return ess(z)


def main():
    repo, names = sys.argv[1], sys.argv[2:]
    commit = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    root = os.path.join(os.path.dirname(__file__), "..", "..", "data", "posteriordb")
    for name in names:
        posterior = json.loads(git_show(repo, f"posterior_database/posteriors/{name}.json"))
        data = unzip_json(git_show(repo, f"posterior_database/data/data/{posterior['data_name']}.json.zip"))
        draws = unzip_json(git_show(
            repo, f"posterior_database/reference_posteriors/draws/draws/{name}.json.zip"))
        out = os.path.join(root, name)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "data.json"), "w") as f:
            json.dump(data, f, indent=1)
        rows = ["param,mean,sd,q05,q50,q95,mcse_mean"]
        for param in draws[0].keys():
            chains = np.array([chain[param] for chain in draws], dtype=float)
            pooled = chains.ravel()
            sd = pooled.std(ddof=1)
            q05, q50, q95 = np.quantile(pooled, [0.05, 0.5, 0.95])
            mcse = sd / np.sqrt(bulk_ess(chains))
            rows.append(f"{param},{pooled.mean():.8g},{sd:.8g},{q05:.8g},{q50:.8g},{q95:.8g},"
                        f"{mcse:.6g}")
        with open(os.path.join(out, "reference.csv"), "w") as f:
            f.write("\n".join(rows) + "\n")
        info = {"source": "github.com/stan-dev/posteriordb", "commit": commit,
                "licence": "BSD 3-Clause, copyright Stan Developers",
                "chains": len(draws), "draws_per_chain": len(draws[0][next(iter(draws[0]))]),
                "keywords": posterior.get("keywords"), "model": posterior["model_name"],
                "data": posterior["data_name"]}
        with open(os.path.join(out, "info.json"), "w") as f:
            json.dump(info, f, indent=1)
        print(f"{name}: {len(rows) - 1} parameters")


if __name__ == "__main__":
    main()
