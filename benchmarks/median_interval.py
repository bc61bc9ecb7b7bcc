"""A distribution-free confidence interval for the median of pair ratios, for the benchmark summaries.

For n independent values of a continuous distribution with median m, the order statistics
x(k) <= x(n+1-k) (sorted, 1-based) cover m with probability 1 - 2 * P(Bin(n, 1/2) <= k - 1), whatever
the distribution: the count of values below m is Bin(n, 1/2). `interval` returns the narrowest such
pair whose coverage is at least the level asked for; with too few values for that level (n <= 5 at
95%), the smallest and largest value and their coverage 1 - 2^(1-n), which the summary prints, so a
reader sees what the pairs can and cannot show.

`python3 benchmarks/median_interval.py` checks the coverage against a count over every ordering of
signs (n <= 16) and the intervals of a few samples.
"""
from math import comb


def coverage(n, k):
    """Probability that x(k) <= median <= x(n+1-k) for n values: 1 - 2 * P(Bin(n, 1/2) <= k - 1)."""
    return 1 - 2 * sum(comb(n, i) for i in range(k)) / 2 ** n


def interval(values, level=0.95):
    """(low, high, coverage) of the median of `values` at `level` (order statistics; see the module)."""
    x = sorted(values)
    n = len(x)
    if n == 0:
        raise ValueError("no values")
    k = 1
    while k + 1 <= (n + 1) // 2 and coverage(n, k + 1) >= level:
        k += 1
    return x[k - 1], x[n - k], coverage(n, k)


def describe(values, level=0.95):
    """The interval for a summary line: '95% interval [low, high] (coverage c)', or, with too few values
    for the level, their range and the smaller coverage it has."""
    low, high, c = interval(values, level)
    if c < level:
        return f"too few pairs for a {level:.0%} interval: range [{low:.3f}, {high:.3f}] covers the median with {c:.3f}"
    return f"{level:.0%} interval of the median [{low:.3f}, {high:.3f}] (order statistics, coverage {c:.3f})"


if __name__ == "__main__":
    from itertools import product
    for n in range(1, 17):
        for k in range(1, (n + 1) // 2 + 1):
            # values below the median: each of n values independently with probability 1/2; the interval
            # [x(k), x(n+1-k)] misses the median when fewer than k or more than n - k are below it
            hits = sum(1 for signs in product((0, 1), repeat=n) if k <= sum(signs) <= n - k)
            assert abs(hits / 2 ** n - coverage(n, k)) < 1e-12, (n, k)
    eight = [0.9, 0.8, 1.0, 0.7, 0.95, 0.85, 0.92, 0.88]
    assert interval(eight) == (0.7, 1.0, coverage(8, 1))          # 1 - 2/256; k = 2 covers 0.930 only
    assert interval(eight, 0.9) == (0.8, 0.95, coverage(8, 2))
    assert interval([3, 1, 2]) == (1, 3, 0.75)
    assert interval(list(range(1, 21)))[:2] == (6, 15)   # n = 20: k = 6, coverage 0.959
    assert describe(eight).startswith("95% interval of the median [0.700, 1.000]"), describe(eight)
    assert describe([3, 1, 2]).startswith("too few pairs for a 95% interval: range [1.000, 3.000]"), describe([3, 1, 2])
    print("median_interval: coverage and intervals check")
