#!/usr/bin/env python3
"""NumPy/SciPy peer of ReceiverChainBench.recording10s: one 10 s, 12.5 kHz complex64 recording
through the same feature stage on one thread, timed the same way (average time per recording).

Stages: IQ metrics (scipy.signal.welch, Hann, 1024 per segment; the same noise-floor estimator
as heimdall-dsp's IqMetrics), shift to 0 Hz, FM demodulation by the angle of x[n]*conj(x[n-1]),
scipy.signal.resample_poly(441, 250) to 22,050 Hz, a NumPy implementation of
librosa.feature.melspectrogram's defaults (librosa is absent here; same algorithm: centred
frames with zero padding, periodic Hann, rfft, |X|^2, Slaney mel filterbank), and the voice-band
quality score from the mel spectrogram.

Prints one JSON line: {"benchmark":"peer.receiver_chain","avgt_ms":X,"runs":N}.
Usage: receiver_chain.py [--seconds S]   (default 10 s of timed runs after 3 s of warm-up)
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one thread, as the Java benchmark

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy import signal, stats  # noqa: E402

FS = 12_500.0
AUDIO_FS = 22_050
SAMPLES = 125_000
DEVIATION_HZ = 2_500.0
N_FFT, HOP, N_MELS = 2048, 512, 128


def recording(seed=1):
    """The benchmark's recording: FM of three audio tones, carrier +800 Hz, 20 dB SNR."""
    rng = np.random.default_rng(seed)
    t = np.arange(SAMPLES) / FS
    audio = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 1250 * t + 1)
             + 0.2 * np.sin(2 * np.pi * 2100 * t))
    phase = np.cumsum(2 * np.pi * (800 + DEVIATION_HZ * audio) / FS)
    noise = 0.03 * (rng.standard_normal(SAMPLES) + 1j * rng.standard_normal(SAMPLES))
    return (0.3 * np.exp(1j * phase) + noise).astype(np.complex64)


def welch_dof(segments, nperseg=1024, step=512):
    w = signal.get_window("hann", nperseg)
    energy = np.sum(w * w)
    s = 0.0
    for j in range(1, segments):
        if j * step >= nperseg:
            break
        rho = np.sum(w[: nperseg - j * step] * w[j * step:]) / energy
        s += (1 - j / segments) * rho * rho
    return 2 * segments / (1 + 2 * s)


def metrics(x, q=0.05):
    f, p = signal.welch(x, fs=FS, nperseg=1024, window="hann", detrend=False,
                        return_onesided=False)
    nu = welch_dof((len(x) - 512) // 512)
    xq = stats.chi2.ppf(q, nu) / nu
    noise_psd = np.percentile(p, 100 * q) / xq * FS
    sigma_psd = noise_psd * np.sqrt(q * (1 - q) / len(p)) / (xq * stats.chi2.pdf(xq * nu, nu) * nu)
    m = np.abs(x.astype(np.complex128)) ** 2
    total, m4 = m.mean(), (m * m).mean()
    var_m, var_m2 = m.var(), (m * m).var()
    cov = np.mean(m**3) - total * m4
    d = 2 * total * total - m4
    sigma_d = np.sqrt(max(16 * total * total * var_m + var_m2 - 8 * total * cov, 0.0) / len(m))
    noise, sigma = noise_psd, sigma_psd
    if d > 3 * sigma_d:
        root = np.sqrt(d)
        noise_ce = total - root
        g1, g2 = 1 - 2 * total / root, 1 / (2 * root)
        sigma_ce = np.sqrt(max((g1 * g1 * var_m + g2 * g2 * var_m2 + 2 * g1 * g2 * cov) / len(m), 0))
        gap = 2 * np.hypot(sigma_psd, sigma_ce)
        if noise_ce < noise_psd - gap:
            noise, sigma = noise_ce, sigma_ce
        elif noise_ce <= noise_psd + gap:
            wp, wc = 1 / sigma_psd**2, 1 / sigma_ce**2
            noise, sigma = (wp * noise_psd + wc * noise_ce) / (wp + wc), 1 / np.sqrt(wp + wc)
    inside = np.abs(f) <= FS / 4
    k = int(np.flatnonzero(inside)[np.argmax(p[inside])])
    l, c, r = np.log(p[(k - 1) % 1024]), np.log(p[k]), np.log(p[(k + 1) % 1024])
    den = l - 2 * c + r
    offset = f[k] + (0.5 * (l - r) / den if den < 0 else 0.0) * FS / 1024
    detected = total - noise > 4 * sigma
    return (offset if detected else 0.0), 10 * np.log10(max(total - noise, 1e-30) / noise)


def mel_filterbank(sr=AUDIO_FS, n_fft=N_FFT, n_mels=N_MELS):
    """librosa.filters.mel(sr, n_fft, n_mels) with its defaults (Slaney scale and norm)."""
    def hz_to_mel(f):
        f = np.asanyarray(f, dtype=np.float64)
        mel = f / (200.0 / 3)
        log_t = f >= 1000.0
        return np.where(log_t, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), mel)

    def mel_to_hz(m):
        m = np.asanyarray(m, dtype=np.float64)
        f = (200.0 / 3) * m
        log_t = m >= 15.0
        return np.where(log_t, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), f)

    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2), n_mels + 2))
    fdiff = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32), edges


MEL_BASIS, MEL_EDGES = mel_filterbank()
WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def melspectrogram(y):
    """librosa.feature.melspectrogram(y=y, sr=22050) without librosa: same algorithm."""
    padded = np.pad(y, N_FFT // 2, mode="constant")
    frames = 1 + (len(padded) - N_FFT) // HOP
    view = np.lib.stride_tricks.as_strided(
        padded, shape=(frames, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0]))
    spectrum = np.fft.rfft(view * WINDOW, axis=1)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    return MEL_BASIS @ power.T


CENTRES = MEL_EDGES[1:-1]
WIDTHS = (MEL_EDGES[2:] - MEL_EDGES[:-2]) / 2


def quality(mel, iq_rate=FS):
    """heimdall-dsp's SignalQuality: voice-band share of the band energy, rescaled."""
    energy = mel.sum(axis=1) * WIDTHS
    reference = (CENTRES >= 300) & (CENTRES < min(6000, 0.45 * iq_rate))
    voice = reference & (CENTRES < 3000)
    share = energy[voice].sum() / energy[reference].sum()
    return min(1.0, max(0.0, (share - 0.52) / (1 - 0.52)))


GAIN = FS / (2 * np.pi * DEVIATION_HZ)


def chain(x):
    offset, snr = metrics(x)
    n = np.arange(len(x))
    shifted = x * np.exp(-2j * np.pi * offset / FS * n).astype(np.complex64)
    audio = np.empty(len(x), dtype=np.float32)
    audio[1:] = np.angle(shifted[1:] * np.conj(shifted[:-1])) * GAIN
    audio[0] = audio[1]
    resampled = signal.resample_poly(audio, 441, 250).astype(np.float32)[: 10 * AUDIO_FS]
    mel = melspectrogram(resampled)
    return snr, quality(mel), mel.shape


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds")
    args = parser.parse_args()
    x = recording()
    snr, q, shape = chain(x)
    assert shape == (128, 431), shape
    end = time.perf_counter() + args.warmup
    while time.perf_counter() < end:
        chain(x)
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds or runs < 5:
        chain(x)
        runs += 1
    avgt = (time.perf_counter() - start) * 1000 / runs
    print(json.dumps({"benchmark": "peer.receiver_chain", "avgt_ms": round(avgt, 3), "runs": runs}))


if __name__ == "__main__":
    main()
