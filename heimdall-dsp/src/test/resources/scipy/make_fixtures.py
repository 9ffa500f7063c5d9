# Regenerates the SciPy reference vectors of ScipyReferenceTest (SciPy 1.10.1 / NumPy 1.24.2 made them;
# welch_psd.npy, now without detrending, was remade with SciPy 1.17.1 from the committed iq_input.npy).
import numpy as np
from scipy import signal

rng = np.random.default_rng(42)
n = 2000
t = np.arange(n) / 12500.0
x = (0.5 * np.sin(2 * np.pi * 1000 * t) + 0.2 * np.sin(2 * np.pi * 5600 * t)
     + 0.05 * rng.standard_normal(n)).astype(np.float32)
np.save("real_input.npy", x)
np.save("resample_441_250.npy", signal.resample_poly(x.astype(np.float64), 441, 250).astype(np.float32))
np.save("resample_1_8.npy", signal.resample_poly(x.astype(np.float64), 1, 8).astype(np.float32))
np.save("resample_3_2.npy", signal.resample_poly(x.astype(np.float64), 3, 2).astype(np.float32))
np.save("firwin_441_250_taps.npy", (signal.firwin(2 * 4410 + 1, 1.0 / 441, window=("kaiser", 5.0)) * 441).astype(np.float32))

fs = 48000.0
m = 5000
tt = np.arange(m) / fs
iq = (0.7 * np.exp(2j * np.pi * 3000 * tt) + 0.1 * np.exp(-2j * np.pi * 15000 * tt)
      + 0.02 * (rng.standard_normal(m) + 1j * rng.standard_normal(m))).astype(np.complex64)
np.save("iq_input.npy", iq)
f, p = signal.welch(iq.astype(np.complex128), fs=fs, nperseg=1024, scaling="density", window="hann",
                    detrend=False, return_onesided=False)
np.save("welch_psd.npy", p.astype(np.float32))
