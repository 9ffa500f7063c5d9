"""Reference values for IqMetricsTest: signals at known SNRs and what the estimator must say.

Writes unit-power complex64 components (12.5 kHz, 32768 samples): white Gaussian noise, a tone
at +1234.5 Hz, narrow-band FM (carrier +800 Hz, 2.5 kHz peak-ish deviation of 300-3000 Hz
audio, constant envelope) and band-limited Gaussian noise (a signal whose envelope is not
constant, filling about half the band). IqMetricsTest builds each case as
x = complex64(a * signal + noise), computed in float64 per component exactly as below, and
compares with expected.json: the true SNR by construction and the outputs of the same estimator
written here in NumPy on top of scipy.signal.welch.

Run from this directory: python3 make_metrics.py (NumPy and SciPy).
"""
import json
import os
import sys

import numpy as np
from scipy import signal, stats

# the Welch degrees of freedom come from the NumPy/SciPy peer of the receiver chain
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../../../heimdall-bench/peers"))
from receiver_chain import welch_dof  # noqa: E402

FS = 12_500.0
N = 32_768
NPERSEG = 1024
QUANTILE = 0.05  # IqMetrics.NOISE_QUANTILE
AGREEMENT = 2.0  # IqMetrics.AGREEMENT_SIGMAS
ENVELOPE = 3.0  # IqMetrics.ENVELOPE_SIGMAS
DETECTION = 4.0  # IqMetrics.DETECTION_SIGMAS

rng = np.random.default_rng(12)
t = np.arange(N) / FS


def unit(z):
    z = z / np.sqrt(np.mean(np.abs(z) ** 2))
    return z.astype(np.complex64)


noise = unit(rng.standard_normal(N) + 1j * rng.standard_normal(N))
tone = unit(np.exp(2j * np.pi * 1234.5 * t + 0.7j))
b, a = signal.butter(4, [300, 3000], btype="band", fs=FS)
audio = signal.lfilter(b, a, rng.standard_normal(N))
audio /= 3 * np.std(audio)
fm = unit(np.exp(1j * (2 * np.pi * np.cumsum(2500 * audio) / FS + 2 * np.pi * 800 * t)))
b, a = signal.butter(6, 3000, fs=FS)
band = unit(signal.lfilter(b, a, rng.standard_normal(N) + 1j * rng.standard_normal(N)))
components = {"noise": noise, "tone": tone, "fm": fm, "bandnoise": band}
for name, z in components.items():
    np.save(name + ".npy", z)


def estimate(x):
    """The IqMetrics estimator, in float64 on the complex64 input."""
    f, p = signal.welch(x, fs=FS, nperseg=NPERSEG, window="hann", detrend=False,
                        return_onesided=False, scaling="density")
    segments = (len(x) - NPERSEG // 2) // (NPERSEG // 2)
    nu = welch_dof(segments)
    xq = stats.chi2.ppf(QUANTILE, nu) / nu
    noise_psd = np.percentile(p, 100 * QUANTILE) / xq * FS
    pdf = stats.chi2.pdf(xq * nu, nu) * nu
    sigma_psd = noise_psd * np.sqrt(QUANTILE * (1 - QUANTILE) / len(p)) / (xq * pdf)
    # the constant-envelope (M2M4) estimate and its standard error by the delta method
    m = np.abs(x.astype(np.complex128)) ** 2
    n = len(m)
    total = m.mean()
    m4 = (m * m).mean()
    d = 2 * total * total - m4
    noise_power, sigma = noise_psd, sigma_psd
    var_m, var_m2 = m.var(), (m * m).var()
    cov = np.mean(m**3) - total * m4
    # the envelope estimate counts only where 2P^2 - E|x|^4 (the squared signal power) is
    # significantly above 0: near 0 the square root turns small fluctuations into large ones
    sigma_d = np.sqrt(max(16 * total * total * var_m + var_m2 - 8 * total * cov, 0.0) / n)
    if d > ENVELOPE * sigma_d:
        noise_ce = total - np.sqrt(d)
        g1 = 1 - 2 * total / np.sqrt(d)
        g2 = 1 / (2 * np.sqrt(d))
        var_ce = (g1 * g1 * var_m + g2 * g2 * var_m2 + 2 * g1 * g2 * cov) / n
        sigma_ce = np.sqrt(max(var_ce, 0.0))
        gap = AGREEMENT * np.hypot(sigma_psd, sigma_ce)
        if noise_ce < noise_psd - gap:
            noise_power, sigma = noise_ce, sigma_ce
        elif noise_ce <= noise_psd + gap:
            w_psd, w_ce = 1 / sigma_psd**2, 1 / sigma_ce**2
            noise_power = (w_psd * noise_psd + w_ce * noise_ce) / (w_psd + w_ce)
            sigma = 1 / np.sqrt(w_psd + w_ce)
    sig = total - noise_power
    detected = bool(sig > DETECTION * sigma)
    # frequency offset: the largest PSD bin within +-fs/4, refined by a parabola through the
    # logarithms of it and its neighbours
    inside = np.abs(f) <= FS / 4
    k = int(np.flatnonzero(inside)[np.argmax(p[inside])])
    l, c, r = np.log(p[(k - 1) % NPERSEG]), np.log(p[k]), np.log(p[(k + 1) % NPERSEG])
    denom = l - 2 * c + r
    delta = 0.5 * (l - r) / denom if denom < 0 else 0.0
    offset = (f[k] + delta * FS / NPERSEG) if detected else 0.0
    return {
        "total_power": total,
        "noise_power": noise_power,
        "noise_psd_estimate": noise_psd,
        "noise_sigma": sigma,
        "signal_power": sig if detected else noise_power,
        "snr_db": 10 * np.log10(sig / noise_power) if detected else 0.0,
        "detected": detected,
        "frequency_offset_hz": offset,
        "dof": nu,
        "chi2_quantile": stats.chi2.ppf(QUANTILE, nu),
    }, p


cases = []
for kind in ["tone", "fm", "bandnoise"]:
    s = components[kind].astype(np.complex128)
    for snr in [-5.0, 0.0, 10.0, 20.0, 26.5, 40.0]:
        amplitude = 10 ** (snr / 20)
        nz = noise.astype(np.complex128)
        x = (amplitude * s.real + nz.real) + 1j * (amplitude * s.imag + nz.imag)
        x = x.astype(np.complex64)
        true_snr = 10 * np.log10(amplitude**2 * np.mean(np.abs(s) ** 2) / np.mean(np.abs(nz) ** 2))
        est, _ = estimate(x)
        cases.append({"signal": kind, "amplitude": amplitude, "true_snr_db": true_snr, **est})
est, psd = estimate(noise)
cases.append({"signal": "none", "amplitude": 0.0, "true_snr_db": None, **est})
np.save("welch_noise_psd.npy", psd.astype(np.float32))
with open("expected.json", "w") as f:
    json.dump({"sample_rate": FS, "quantile": QUANTILE, "cases": cases}, f, indent=1)
for c in cases:
    print(c["signal"], c["true_snr_db"], round(c["snr_db"], 3), c["detected"], round(c["frequency_offset_hz"], 2))

# the chi-square quantiles and densities the bias correction needs, for ChiSquare's test
table = []
for nu in [2.0, 5.5, 13.4, 119.5, 460.5, 2000.0]:
    for q in [0.02, 0.05, 0.5, 0.9]:
        x = stats.chi2.ppf(q, nu)
        table.append({"nu": nu, "q": q, "ppf": x, "pdf": stats.chi2.pdf(x, nu)})
with open("chi2.json", "w") as f:
    json.dump(table, f, indent=1)
