/**
 * Confidence intervals for shares, for the whiskers on diagnosis charts.
 *
 * Wilson's score interval rather than the textbook normal (Wald) interval: the
 * findings are often shares of small groups or shares near 0 or 1 (an AU that
 * never fires for a class), where Wald collapses to a zero-width interval at 0/n
 * and n/n and can leave [0, 1]. Wilson stays inside [0, 1] and keeps a sensible
 * width there.
 */

export interface ShareInterval {
  /** Lower bound, in [0, 1]. */
  low: number;
  /** Upper bound, in [0, 1]. */
  high: number;
  /** The observed share successes / trials; NaN when there were no trials. */
  share: number;
}

/**
 * Wilson score interval for `successes` out of `trials` at the normal quantile
 * `z` (1.96 for 95 %). With no trials nothing is known: the interval is all of
 * [0, 1] and the share is NaN.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): ShareInterval {
  if (!Number.isFinite(trials) || trials < 0)
    throw new RangeError(`trials must be >= 0: ${trials}`);
  if (!Number.isFinite(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be within 0..${trials}: ${successes}`);
  }
  if (!Number.isFinite(z) || z <= 0) throw new RangeError(`z must be positive: ${z}`);
  if (trials === 0) return { low: 0, high: 1, share: Number.NaN };

  const share = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (share + z2 / (2 * trials)) / denominator;
  const half =
    (z / denominator) * Math.sqrt((share * (1 - share)) / trials + z2 / (4 * trials * trials));
  // At 0/n and n/n the bound is 0 or 1 exactly in theory; rounding can leave it a
  // hair outside, which would draw a whisker past the axis.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
    share,
  };
}
