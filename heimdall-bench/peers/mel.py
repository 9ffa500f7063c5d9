#!/usr/bin/env python3
"""Peer of MelSpectrogramBench.single10s: librosa.feature.melspectrogram's algorithm in NumPy.

librosa is not a dependency here, so this is its default code path written out: float32 signal,
centred constant (zero) padding of n_fft/2, frames as a strided view, periodic Hann in float64
(scipy.signal.get_window), numpy.fft.rfft (pocketfft) of the framed matrix, stored as complex64,
power |X|^2, and the Slaney mel filterbank (librosa.filters.mel: Slaney scale and area
normalisation, float32) applied as a dense matrix product. The filterbank is built once, outside
the timing (librosa rebuilds it per call; leaving that out only favours the peer).

  python3 peers/mel.py            prints one JSON line:
                                  {"benchmark": "peer.mel", "avgt_ms": X, "runs": N}
  python3 peers/mel.py --check    compares with the librosa goldens in testdata/golden/ and exits
                                  non-zero if they differ beyond float32 noise

One thread (BLAS and FFT), like the JMH benchmark it is compared with.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.signal  # noqa: E402

SR = 22050
N_FFT = 2048
HOP = 512
N_MELS = 128
WARMUP = 10
RUNS = 100


def hz_to_mel(f):
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = f >= min_log_hz
    mels = np.where(log_t, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)
    return mels


def mel_to_hz(m):
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = m >= min_log_mel
    return np.where(log_t, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_basis(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0, fmax=None):
    """librosa.filters.mel(sr, n_fft, n_mels) with its defaults (Slaney scale and norm)."""
    fmax = sr / 2 if fmax is None else fmax
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    return weights


WINDOW = scipy.signal.get_window("hann", N_FFT, fftbins=True).reshape(-1, 1)  # float64


def melspectrogram(y, basis):
    """librosa.feature.melspectrogram(y=y, sr=SR) with the default parameters."""
    y = np.pad(y, (N_FFT // 2, N_FFT // 2), mode="constant")
    frames = np.lib.stride_tricks.sliding_window_view(y, N_FFT)[::HOP].T  # [n_fft, frames], a view
    stft = np.fft.rfft(WINDOW * frames, axis=0).astype(np.complex64)
    power = np.abs(stft) ** 2
    return basis @ power


def signal():
    """Two tones and noise, 10 s at 22,050 Hz, as the JMH benchmark's input."""
    t = np.arange(10 * SR) / SR
    rng = np.random.default_rng(1)
    return (
        0.5 * np.sin(2 * np.pi * 440 * t)
        + 0.2 * np.sin(2 * np.pi * 3000 * t)
        + 0.05 * rng.standard_normal(t.size)
    ).astype(np.float32)


def check():
    golden = pathlib.Path(__file__).resolve().parents[2] / "testdata" / "golden"
    basis = mel_basis()
    want_basis = np.fromfile(golden / "mel_basis_sr22050_nfft2048_nmels128.f32", np.float32)
    worst = float(np.max(np.abs(basis.ravel() - want_basis)) / np.max(want_basis))
    print(f"mel basis: max |diff| / max = {worst:.2e}")
    ok = worst < 1e-6
    for name in ("a_sines", "b_noise"):
        y = np.fromfile(golden / f"{name}_input.f32", np.float32)
        got = melspectrogram(y, basis)
        want = np.fromfile(golden / f"{name}_mel.f32", np.float32).reshape(got.shape)
        # float32 noise: relative to the spectrogram's maximum, and in dB above the 80 dB floor
        rel = float(np.max(np.abs(got - want)) / np.max(want))
        floor = np.max(want) * 1e-8
        db = float(np.max(np.abs(10 * np.log10(np.maximum(got, floor)) - 10 * np.log10(np.maximum(want, floor)))))
        print(f"{name}: shape {got.shape}, max |diff| / max = {rel:.2e}, max dB diff above -80 dB = {db:.2e}")
        ok = ok and got.shape == want.shape and rel < 1e-5 and db < 1e-3
    print("matches the librosa goldens" if ok else "DIFFERS from the librosa goldens")
    return 0 if ok else 1


def main():
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    basis = mel_basis()
    y = signal()
    for _ in range(WARMUP):
        melspectrogram(y, basis)
    start = time.perf_counter()
    for _ in range(RUNS):
        melspectrogram(y, basis)
    elapsed = time.perf_counter() - start
    print(json.dumps({"benchmark": "peer.mel", "avgt_ms": elapsed / RUNS * 1e3, "runs": RUNS}))


if __name__ == "__main__":
    main()
