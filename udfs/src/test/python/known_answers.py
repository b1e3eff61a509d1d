#!/usr/bin/env python3
"""Independent known answers for the adrank.udfs rank/vpc tests.

Nothing here calls the Java code. Quantiles are solved with mpmath at 50 significant digits
from its own regularized incomplete beta / gamma functions (mp.betainc, mp.gammainc), and
cross-checked against SciPy (scipy.stats, Boost-based). Posterior parameters are exact
rational arithmetic (fractions.Fraction). Run: python3 known_answers.py
Versions used for the numbers in the tests: Python 3.11, mpmath 1.3.0, SciPy 1.17.1.
"""
from fractions import Fraction as F

import mpmath as mp
from scipy import stats

mp.mp.dps = 50


def reg_inc_beta(a, b, x):
    """I_x(a, b) by DLMF 8.17.8: x^a (1-x)^b / (a B(a,b)) * 2F1(a+b, 1; a+1; x), a series of
    positive terms (mp.betainc's own series cancels badly for b ~ 1e5), with the symmetry
    I_x(a, b) = 1 - I_{1-x}(b, a) above the mean so the series converges quickly."""
    if x > a / (a + b):
        return 1 - reg_inc_beta(b, a, 1 - x)
    return (x ** a * (1 - x) ** b / (a * mp.beta(a, b))
            * mp.hyp2f1(a + b, 1, a + 1, x, maxterms=10 ** 7))


def beta_q(a, b, p):
    """p-quantile of Beta(a, b): root of I_x(a, b) = p."""
    a, b, p = mp.mpf(a), mp.mpf(b), mp.mpf(p)
    f = lambda x: reg_inc_beta(a, b, x) - p
    x0 = mp.mpf(stats.beta.ppf(float(p), float(a), float(b)))  # starting point only
    root = mp.findroot(f, x0, tol=mp.mpf(10) ** -45)
    if a + b < 2000:  # where mpmath's own betainc converges, it must agree
        assert abs(mp.betainc(a, b, 0, root, regularized=True) - p) < mp.mpf(10) ** -40
    return root


def gamma_q(a, p):
    """p-quantile of Gamma(a, scale 1): root of P(a, x) = p."""
    a, p = mp.mpf(a), mp.mpf(p)
    f = lambda x: mp.gammainc(a, 0, x, regularized=True) - p
    x0 = mp.mpf(stats.gamma.ppf(float(p), float(a)))  # starting point only
    return mp.findroot(f, x0, tol=mp.mpf(10) ** -45)


def show(label, value, scipy_value=None):
    s = mp.nstr(value, 20)
    if scipy_value is not None:
        rel = abs(float(value) - scipy_value) / abs(float(value))
        print(f"{label} = {s}   (scipy {scipy_value!r}, rel diff {rel:.1e})")
    else:
        print(f"{label} = {s}")


print("# Beta quantiles")
for a, b, p in [(2, 5, 0.05), (2, 5, 0.5), (2, 5, 0.95),
                (10.5, 990.25, 0.05), (10.5, 990.25, 0.95),
                (0.7, 120, 0.05), (0.7, 120, 0.95),
                (1500.5, 98000.25, 0.05), (1500.5, 98000.25, 0.95),
                (0.5, 0.5, 0.05)]:
    show(f"beta_q({a}, {b}, {p})", beta_q(a, b, p), stats.beta.ppf(p, a, b))
print("# closed forms: Beta(0.5,0.5) q = sin(pi p/2)^2 ->", mp.nstr(mp.sin(mp.pi * 0.05 / 2) ** 2, 20))

print("# Beta posterior: prior Beta(2.5, 120), days (conv, clicks) = (3,100), (0,40), (5,120)")
for lam in (F(9, 10), F(1)):
    a, b = F(5, 2), F(120)
    for conv, clicks in [(3, 100), (0, 40), (5, 120)]:
        a, b = lam * a + conv, lam * b + (clicks - conv)
    print(f"lambda={lam}: alpha = {a} = {float(a)!r}, beta = {b} = {float(b)!r}")
    show("  mean", mp.mpf(a.numerator) / a.denominator / (mp.mpf(a.numerator) / a.denominator + mp.mpf(b.numerator) / b.denominator))
    show("  q05", beta_q(mp.mpf(a.numerator) / a.denominator, mp.mpf(b.numerator) / b.denominator, 0.05),
         stats.beta.ppf(0.05, float(a), float(b)))
    show("  q95", beta_q(mp.mpf(a.numerator) / a.denominator, mp.mpf(b.numerator) / b.denominator, 0.95),
         stats.beta.ppf(0.95, float(a), float(b)))

print("# Beta anchored update, lambda 9/10, same prior and days")
a0, b0 = F(5, 2), F(120)
a, b = a0, b0
for conv, clicks in [(3, 100), (0, 40), (5, 120)]:
    a, b = F(9, 10) * a + F(1, 10) * a0 + conv, F(9, 10) * b + F(1, 10) * b0 + (clicks - conv)
print(f"alpha = {a} = {float(a)!r}, beta = {b} = {float(b)!r}")

print("# Value posterior: parent 400 conversions worth 20_000_000_000 micros, strength 9")
shape, rate = F(10), 9 * F(20_000_000_000, 400)
print(f"prior shape = {shape}, rate = {rate}")
for conv, val in [(3, 150_000_000), (0, 0), (5, 400_000_000)]:
    shape, rate = F(9, 10) * shape + conv, F(9, 10) * rate + val
print(f"after lambda 9/10: shape = {shape} = {float(shape)!r}, rate = {rate} = {float(rate)!r}")
mshape = mp.mpf(shape.numerator) / shape.denominator
mrate = mp.mpf(rate.numerator) / rate.denominator
show("  mean rate/(shape-1)", mrate / (mshape - 1))
show("  q05 = rate / gamma_q(shape, 0.95)", mrate / gamma_q(mshape, 0.95),
     stats.invgamma.ppf(0.05, float(shape), scale=float(rate)))
show("  q95 = rate / gamma_q(shape, 0.05)", mrate / gamma_q(mshape, 0.05),
     stats.invgamma.ppf(0.95, float(shape), scale=float(rate)))

print("# VPC at level 0.9 from Beta(alpha, beta) of lambda=9/10 above and that value posterior")
a, b = F(5, 2), F(120)
for conv, clicks in [(3, 100), (0, 40), (5, 120)]:
    a, b = F(9, 10) * a + conv, F(9, 10) * b + (clicks - conv)
ma, mb = mp.mpf(a.numerator) / a.denominator, mp.mpf(b.numerator) / b.denominator
t = (1 - mp.sqrt(mp.mpf("0.9"))) / 2
show("  factor tail t = (1 - sqrt(0.9))/2", t)
show("  mean", ma / (ma + mb) * mrate / (mshape - 1))
show("  lo = beta_q(t) * rate / gamma_q(shape, 1 - t)", beta_q(ma, mb, t) * mrate / gamma_q(mshape, 1 - t))
show("  hi = beta_q(1 - t) * rate / gamma_q(shape, t)", beta_q(ma, mb, 1 - t) * mrate / gamma_q(mshape, t))

print("# Method of moments from counts (conv, clicks), binomial noise removed")
for keys in ([(0, 200), (2, 100), (30, 300), (1, 150), (20, 120), (5, 250)],  # diverse
             [(1, 50), (3, 80), (0, 20), (6, 120), (2, 40), (10, 150)]):     # homogeneous
    rates = [F(c, n) for c, n in keys]
    m = sum(rates) / len(rates)
    var = sum((r - m) ** 2 for r in rates) / (len(rates) - 1)
    h = sum(F(1, n) for _, n in keys) / len(keys)
    v = (var - m * (1 - m) * h) / (1 - h)
    print(f"{keys}: mean = {float(m)!r}, sample var = {float(var)!r}, h = {float(h)!r}, "
          f"between-key var = {float(v)!r}")
    if v > 0:
        s = m * (1 - m) / v - 1
        print(f"  strength = {float(s)!r}, alpha = {float(m * s)!r}, beta = {float((1 - m) * s)!r}")

print("# Drift: today 30/1000, total 200/10000 -> expected 20, z = 10/sqrt(20)")
show("  z", mp.mpf(10) / mp.sqrt(20))
print("# Drift: today 0/500 vs total 60/1000 -> expected 30, z = -30/sqrt(30) = -sqrt(30)")
show("  z", -mp.sqrt(30))

print("# Efron-Morris 1975: hits in 45 at-bats (pscl::EfronMorris column r)")
hits = [18, 17, 16, 15, 14, 14, 13, 12, 11, 11, 10, 10, 10, 10, 10, 9, 8, 7]
y = [F(h, 45) for h in hits]
ybar = sum(y) / 18
S = sum((v - ybar) ** 2 for v in y)
c = 1 - 15 * ybar * (1 - ybar) / 45 / S
print(f"ybar = {float(ybar)!r}, c = 1 - (k-3) sigma^2 / S = {float(c)!r}")
k = F(45) * (1 - F(212, 1000)) / F(212, 1000)
print(f"k with weight 45/(45+k) = .212: {k} = {float(k)!r}")
print("rank for .400 (18 hits):", float((18 + k * F(265, 1000)) / (45 + k)))


# --- conversions per click as a Gamma-Poisson rate (RatePosteriorTest, VpcTest, EmpiricalBayesTest,
# DriftTest). Quantiles of Gamma(shape, rate) are gamma_q(shape, p) / rate.
def rate_model():
    print("Gamma(2, 1) q05, q95:", gamma_q(2, 0.05), gamma_q(2, 0.95))
    sh, rt = mp.mpf(3701) / 400, mp.mpf(6341) / 20 + mp.mpf(3701) / 400
    print("Gamma(9.2525, 326.3025) q05, q95:", gamma_q(sh, 0.05) / rt, gamma_q(sh, 0.95) / rt)
    vs, vr = mp.mpf('14.72'), mp.mpf(849550000)
    t = (1 - mp.sqrt(mp.mpf('0.9'))) / 2
    print("VPC mean:", sh / rt * vr / (vs - 1))
    print("VPC lo:", gamma_q(sh, t) / rt * vr / gamma_q(vs, 1 - t))
    print("VPC hi:", gamma_q(sh, 1 - t) / rt * vr / gamma_q(vs, t))
    for keys in ([(0, 10), (4, 10)], [(0, 4), (6, 2), (1, 4)],
                 [(0, 200), (2, 100), (30, 300), (1, 150), (20, 120), (5, 250)],
                 [(1, 50), (3, 80), (0, 20), (6, 120), (2, 40), (10, 150)]):
        r = [F(c, n) for c, n in keys]
        m = sum(r) / len(r)
        s2 = sum((x - m) ** 2 for x in r) / (len(r) - 1)
        h = sum(F(1, n) for _, n in keys) / len(keys)
        v = s2 - m * h  # Poisson noise m/n_i removed
        print(keys, "mean", float(m), "variance", float(s2), "h", float(h), "v", float(v),
              "rate m/v", float(m / v) if v > 0 else None, "shape m^2/v", float(m * m / v) if v > 0 else None)
    print("drift z (5 conv on 2 clicks vs 30/20):", (5 - 3) / mp.sqrt(3))


# --- adrank.udfs.eval: backtest metrics (EvalCpmErrorsTest, EvalRateLogLossTest, EvalNdcgTest,
# EvalCoverageTest). Exact fractions where the metric is rational, mpmath (50 digits) for logs and
# square roots. Definitions: README "Evaluation metrics" and adrank/udfs/eval/package-info.java.
def evaluation():
    print("# eval: CpmErrors, keys (pred_cpm, imps, rev): weight = imps, realised cpm = rev/imps*1000")
    keys = [(2_000_000, 1000, 2_500_000), (1_000_000, 500, 250_000),
            (3_000_000, 0, 40_000),  # no impressions: out of MAE/RMSE, its revenue in calibration
            (4_000_000, 2500, 7_500_000)]
    w = sum(i for _, i, _ in keys)
    err = [(F(p) - F(r * 1000, i), i) for p, i, r in keys if i > 0]
    mae = sum(abs(e) * i for e, i in err) / w
    mse = sum(e * e * i for e, i in err) / w
    pred_rev = sum(F(p * i, 1000) for p, i, _ in keys)
    rev = sum(r for _, _, r in keys)
    print(f"  weight {w}, MAE {mae} = {float(mae)!r}, MSE {mse}")
    show("  RMSE", mp.sqrt(mse))
    print(f"  predicted revenue {pred_rev}, realised {rev}, calibration {pred_rev / rev} = {float(pred_rev / rev)!r}")

    def poisson_ne(keys, floor=mp.mpf("1e-6")):
        """keys (p, events, trials); loss per key n*p - y*ln(max(p, floor)) (Poisson process
        per trial, no ln y!); keys without trials leave the loss but count in calibration."""
        scored = [(mp.mpf(p), y, n) for p, y, n in keys if n > 0]
        loss = sum(n * p - (y * mp.log(max(p, floor)) if y else 0) for p, y, n in scored)
        Y, N = sum(y for _, y, _ in scored), sum(n for _, _, n in scored)
        pbar = mp.mpf(Y) / N
        bg = Y * (1 - mp.log(pbar))
        cal = sum(F(p) * n for p, _, n in keys) / sum(y for _, y, _ in keys)
        return loss / N, bg / N, loss / bg, pbar, cal

    def bernoulli_ne(keys):
        """He et al. 2014: mean per-impression log loss over the entropy of the background rate."""
        loss = sum(-y * mp.log(p) - (n - y) * mp.log(1 - p) for p, y, n in ((mp.mpf(p), y, n) for p, y, n in keys))
        Y, N = sum(y for _, y, _ in keys), sum(n for _, _, n in keys)
        pbar = mp.mpf(Y) / N
        return (loss / N) / (-pbar * mp.log(pbar) - (1 - pbar) * mp.log(1 - pbar))

    for label, keys in [
        ("CTR with lagged clicks (p, clicks, imps)",
         [("0.02", 3, 100), ("0.01", 0, 200), ("0.5", 3, 2), ("0", 1, 50), ("0.03", 2, 0)]),
        ("CVR with conversions > clicks (p, conv, clicks)",
         [("0.05", 4, 2), ("0.02", 1, 60), ("0.1", 0, 10), ("0.04", 3, 0)]),
        ("CTR without lags, ad-sized rates (p, clicks, imps)",
         [("0.012", 14, 1000), ("0.008", 5, 800), ("0.02", 9, 500), ("0.015", 30, 1500)])]:
        ll, bg, ne, pbar, cal = poisson_ne(keys)
        print(f"  {label}: {keys}")
        show("    mean log loss", ll)
        show("    background rate", pbar)
        show("    background log loss", bg)
        show("    NE", ne)
        print(f"    calibration {cal} = {float(cal)!r}")
    show("    Bernoulli NE (He et al.) of the last", bernoulli_ne(keys))

    def group_score(ads, k):
        """ads (pred_cpm, rev, imps); gain = realised CPM; ads without impressions are not judged;
        ties in the prediction share their mean gain (McSherry & Najork 2008)."""
        judged = sorted(((F(p), F(r * 1000, i)) for p, r, i in ads if i > 0), key=lambda a: -a[0])
        gains, j = [], 0
        while j < len(judged):
            block = [g for p, g in judged if p == judged[j][0]]
            gains += [sum(block) / len(block)] * len(block)
            j += len(block)
        ideal = sorted((g for _, g in judged), reverse=True)
        m = lambda f: mp.mpf(f.numerator) / f.denominator
        dcg = sum(m(g) / mp.log(i + 2, 2) for i, g in enumerate(gains[:k]))
        idcg = sum(m(g) / mp.log(i + 2, 2) for i, g in enumerate(ideal[:k]))
        return dcg / idcg, gains[0] / ideal[0], sum(i for _, _, i in ads)

    print("# eval: NDCG, gain = realised CPM, groups (pred_cpm, rev, imps)")
    g1 = [(3_000_000, 1_500_000, 1000), (2_500_000, 1_600_000, 400), (1_000_000, 0, 200),
          (500_000, 1_000_000, 500)]
    g2 = [(2_000_000, 100_000, 100), (2_000_000, 300_000, 100), (1_000_000, 600_000, 300),
          (1_000_000, 50_000, 0)]
    for k in (3, 4):
        (n1, t1, w1), (n2, t2, w2) = group_score(g1, k), group_score(g2, k)
        show(f"  k={k} group 1 NDCG", n1)
        show(f"  k={k} group 2 NDCG (tie at the top)", n2)
        show(f"  k={k} weighted mean NDCG", (w1 * n1 + w2 * n2) / (w1 + w2))
    print(f"  top vs best: group 1 {t1} = {float(t1)!r}, group 2 {t2} = {float(t2)!r}, "
          f"weighted {(w1 * t1 + w2 * t2) / (w1 + w2)} = {float((w1 * t1 + w2 * t2) / (w1 + w2))!r}")

    print("# eval: coverage 8 of 10 at nominal 0.9")
    show("  standard error sqrt(0.9*0.1/10)", mp.sqrt(mp.mpf("0.09") / 10))
    show("  z = (0.8 - 0.9) / se", (mp.mpf("0.8") - mp.mpf("0.9")) / mp.sqrt(mp.mpf("0.09") / 10))


# --- maximum-likelihood priors (GammaMixtureFitTest, RateHistogramTest, EmpiricalBayesTest): the
# negative-binomial marginal fitted by scipy.optimize over the full log pmf (scipy.stats.nbinom), not
# the profile likelihood the Java code uses; mpmath for the trigamma inverse of the value prior.
def vpc_priors():
    import numpy as np
    from scipy import optimize, special

    def nb_fit(y, n, w):
        y, n, w = (np.array(v, float) for v in (y, n, w))
        nll = lambda p: -np.sum(w * stats.nbinom.logpmf(y, np.exp(p[0]), np.exp(p[1]) / (np.exp(p[1]) + n)))
        r = optimize.minimize(nll, [0.0, 0.0], method="Nelder-Mead",
                              options=dict(xatol=1e-12, fatol=1e-14, maxiter=20000))
        a, b = np.exp(r.x)
        core = np.sum(w * (special.gammaln(a + y) - special.gammaln(a) + a * np.log(b) - (a + y) * np.log(b + n)))
        return a, b, core

    # Bliss & Fisher (1953), European red mites on 150 apple leaves; published ML k = 1.025, mean 1.1467
    a, b, core = nb_fit(range(9), [1] * 9, [70, 38, 17, 10, 9, 3, 2, 1, 0])
    print(f"# mites: shape k = {a!r}, rate = {b!r}, mean = {a / b!r}")
    # keys of a segment: (conversions, clicks, keys)
    data = [(0, 1, 40), (1, 1, 3), (0, 2, 10), (1, 2, 2), (0, 5, 6), (1, 5, 3), (2, 5, 1), (0, 20, 2), (3, 20, 2),
            (1, 20, 1), (8, 40, 1), (2, 100, 1), (15, 100, 1)]
    a, b, core = nb_fit(*zip(*data))
    print(f"# segment: shape {a!r}, rate {b!r}, mean {a / b!r}, core log-likelihood {core!r}")
    # value prior from log-moments: a = trigamma^-1(s2 (1 + 1/k)), b = exp(m + digamma(a))
    for k, m, s2 in [(4, mp.log(20_000_000), mp.mpf("0.5")), (10, mp.log(5_000_000), mp.mpf("0.04"))]:
        v = s2 * (1 + mp.mpf(1) / k)
        a = mp.findroot(lambda x: mp.polygamma(1, x) - v, 2)
        show(f"value prior k={k} s2={s2}: shape", a)
        show("  rate", mp.exp(m + mp.digamma(a)))
    # log-moments of three keys' mean values: 2 conv worth 30e6, 1 worth 10e6, 4 worth 100e6
    ls = [mp.log(mp.mpf(30_000_000) / 2), mp.log(mp.mpf(10_000_000)), mp.log(mp.mpf(100_000_000) / 4)]
    mean = sum(ls) / 3
    show("three keys: mean log value", mean)
    show("  sample variance", sum((x - mean) ** 2 for x in ls) / 2)


if __name__ == "__main__":
    rate_model()
    evaluation()
    vpc_priors()
