"""Writes the SigMF recordings SigMfTest reads, one per datatype, as a third-party writer would.

Each NAME.sigmf-data holds 1000 samples of a tone plus noise, quantised the way SigMF readers
scale integers (int16/32768, int8/128, cu8 (v-127.5)/128); NAME.expected.npy holds the complex64
samples a reader must return. Run from this directory: python3 make_sigmf.py (NumPy only).
"""
import json

import numpy as np

rng = np.random.default_rng(2026)
n = 1000
fs = 12_500.0
t = np.arange(n) / fs
x = 0.6 * np.exp(2j * np.pi * 1_250 * t) + 0.05 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
x[0] = 1 - 1j  # full scale: clips to the largest code
x[1] = -1 + 0.5j


def interleave(z):
    out = np.empty(2 * len(z))
    out[0::2] = z.real
    out[1::2] = z.imag
    return out


def deinterleave(v):
    return (v[0::2] + 1j * v[1::2]).astype(np.complex64)


v = interleave(x)
recordings = {
    "cf32_le": (v.astype("<f4"), lambda d: d.astype(np.float64)),
    "ci16_le": (np.clip(np.round(v * 32768), -32768, 32767).astype("<i2"), lambda d: d / 32768.0),
    "ci8": (np.clip(np.round(v * 128), -128, 127).astype("i1"), lambda d: d / 128.0),
    "cu8": (np.clip(np.round(v * 128 + 127.5), 0, 255).astype("u1"), lambda d: (d - 127.5) / 128.0),
}
for datatype, (raw, scale) in recordings.items():
    name = "tone_" + datatype
    raw.tofile(name + ".sigmf-data")
    np.save(name + ".expected.npy", deinterleave(scale(raw.astype(np.float64))))
    meta = {
        "global": {
            "core:datatype": datatype,
            "core:sample_rate": fs,
            "core:version": "1.2.0",
            "core:hw": "numpy generator",
            "core:author": "make_sigmf.py",
            "core:geolocation": {"type": "Point", "coordinates": [7.672, 45.044, 310.5]},
            "core:extensions": [{"name": "heimdall", "version": "1.0.0", "optional": True}],
            "heimdall:full_scale_dbm": -17.25,
        },
        "captures": [
            {
                "core:sample_start": 0,
                "core:frequency": 145_500_000.0,
                "core:datetime": "2026-03-14T15:09:26.535897932Z",
            }
        ],
        "annotations": [],
    }
    if datatype == "ci8":
        # the capture starts 1250 samples (0.1 s) into the file: sample 0 is 0.1 s earlier
        meta["captures"][0]["core:sample_start"] = 1250
    with open(name + ".sigmf-meta", "w") as f:
        json.dump(meta, f, indent=2)
