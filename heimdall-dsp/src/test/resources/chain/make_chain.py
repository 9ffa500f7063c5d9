"""Stage-by-stage references for ReceiverChainTest, made by the NumPy/SciPy peer of the chain
(heimdall-bench/peers/receiver_chain.py, imported from there so there is one NumPy chain).

Writes a 1 s, 12.5 kHz complex64 FM recording (three audio tones, 2.5 kHz deviation, carrier
+812.5 Hz, 20 dB SNR) and, for it: the metrics' frequency offset, the demodulated audio
(numpy.angle of the shifted x[n]*conj(x[n-1]), scaled by fs/(2*pi*2500)), the audio after
scipy.signal.resample_poly(441, 250), its mel spectrogram (librosa's algorithm in NumPy) and the
quality score. Run from this directory: python3 make_chain.py (NumPy and SciPy).
"""
import json
import os
import sys

import numpy as np
from scipy import signal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../../../heimdall-bench/peers"))
import receiver_chain as peer  # noqa: E402

FS = peer.FS
n = 12_500
rng = np.random.default_rng(441)
t = np.arange(n) / FS
audio = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 1250 * t + 1)
         + 0.2 * np.sin(2 * np.pi * 2100 * t))
phase = np.cumsum(2 * np.pi * (812.5 + peer.DEVIATION_HZ * audio) / FS)
noise = 0.03 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
x = (0.3 * np.exp(1j * phase) + noise).astype(np.complex64)
np.save("fm_1s.npy", x)

offset, snr = peer.metrics(x)
shifted = x * np.exp(-2j * np.pi * offset / FS * np.arange(n)).astype(np.complex64)
demodulated = np.empty(n, dtype=np.float32)
demodulated[1:] = np.angle(shifted[1:] * np.conj(shifted[:-1])) * peer.GAIN
demodulated[0] = demodulated[1]
np.save("demodulated.npy", demodulated)
resampled = signal.resample_poly(demodulated, 441, 250).astype(np.float32)
np.save("resampled.npy", resampled)
mel = peer.melspectrogram(resampled).astype(np.float32)
np.save("mel.npy", mel)
with open("expected.json", "w") as f:
    json.dump({"frequency_offset_hz": float(offset), "snr_db": float(snr),
               "quality": float(peer.quality(mel)), "mel_shape": list(mel.shape)}, f, indent=1)
print(offset, snr, peer.quality(mel), mel.shape, resampled.shape)
