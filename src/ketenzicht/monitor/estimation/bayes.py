"""The two Bayesian methods behind one call, with their results put into words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bayes_dga import bma, describe, graph_terms
from .data import CaptureTable, EstimationInputError
from .lcmcr import effective_size, lcmcr
from .result import Interval

__all__ = ["BayesOutcome", "bayes_estimate"]

_BMA_OPTIONS = {"delta"}
_LCMCR_OPTIONS = {"classes", "a_alpha", "b_alpha", "burnin", "samples", "thinning"}
_MIN_ESS = 100


@dataclass(frozen=True, slots=True)
class BayesOutcome:
    """Posterior median, credible interval, model words and settings."""

    estimate: float
    interval: Interval
    model: tuple[str, ...]
    reason: str
    warnings: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def bayes_estimate(
    table: CaptureTable, method: str, *, level: float, seed: int, options: dict[str, Any]
) -> BayesOutcome:
    """Run ``bma`` or ``lcmcr`` and summarise the posterior of the population size."""
    allowed = _BMA_OPTIONS if method == "bma" else _LCMCR_OPTIONS
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise EstimationInputError(
            f"unknown {method} settings {unknown}; allowed {sorted(allowed)}"
        )
    tail = (1.0 - level) / 2.0
    if method == "bma":
        post = bma(table, delta=options.get("delta"))
        best = int(np.argmax(post.graph_prob))
        interval = Interval(
            post.quantile(tail),
            post.quantile(1 - tail),
            level,
            "posterior credible interval (equal tails)",
        )
        top = [
            {
                "model": list(graph_terms(post.graphs[i], table.lists)),
                "probability": float(post.graph_prob[i]),
            }
            for i in np.argsort(-post.graph_prob)[:5]
        ]
        warnings = []
        if post.mass[post.grid > 0.9 * post.grid.max()].sum() > 1e-4:
            warnings.append(
                "the posterior of the population has a heavy upper tail; it was cut "
                f"at {post.observed + post.grid.max():.0f}"
            )
        return BayesOutcome(
            post.quantile(0.5),
            interval,
            graph_terms(post.graphs[best], table.lists),
            describe(post, table.lists, level),
            warnings,
            {"delta": post.delta, "prior_N": "1/N", "graph_prior": "uniform"},
            {"posterior_mean": post.mean, "top_graphs": top},
        )
    post_l = lcmcr(table, seed=seed, **options)
    ess = effective_size(post_l.n_draws)
    interval = Interval(
        post_l.quantile(tail),
        post_l.quantile(1 - tail),
        level,
        "posterior credible interval (equal tails)",
    )
    settings = post_l.settings
    reason = (
        "Latent-class model with a Dirichlet-process prior on the classes (Manrique-Vallier "
        f"2016, as R LCMCR): at most {settings['classes']} classes, lists independent within "
        f"a class, concentration alpha ~ Gamma({settings['a_alpha']}, {settings['b_alpha']}), "
        "Beta(1, 1) capture probabilities, prior on the population proportional to 1/N. "
        f"Gibbs sampler: {settings['burnin']} sweeps burn-in, {settings['samples']} draws "
        f"every {settings['thinning']} sweeps; effective sample size of N {ess:.0f}; on average "
        f"{np.mean(post_l.occupied):.1f} classes occupied. The estimate is the posterior median."
    )
    warnings = []
    if ess < _MIN_ESS:
        warnings.append(
            f"the sampler mixes slowly (effective sample size {ess:.0f} of "
            f"{settings['samples']} draws); run it longer before relying on the "
            "interval"
        )
    return BayesOutcome(
        post_l.quantile(0.5),
        interval,
        (),
        reason,
        warnings,
        dict(settings),
        {
            "posterior_mean": float(np.mean(post_l.n_draws)),
            "effective_size": ess,
            "alpha_mean": float(np.mean(post_l.alpha)),
        },
    )
