# Regenerates the .npy fixtures of NpyNumpyFixturesTest with real NumPy (1.24.2 made the committed ones).
# Element i of each float32 array is i*0.25-3; complex element i is (i*0.5) + (-i)j.
import numpy as np
from numpy.lib import format as fmt

def f32(*shape):
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64) * 0.25 - 3).astype(np.float32).reshape(shape)

def c64(*shape):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return (i * 0.5 - 1j * i).astype(np.complex64).reshape(shape)

np.save("f32_1d.npy", f32(7))
np.save("f32_2d.npy", f32(3, 5))
np.save("f32_3d.npy", f32(2, 3, 4))
np.save("f32_4d.npy", f32(2, 1, 2, 3))
np.save("f32_empty.npy", f32(0))
np.save("c64_1d.npy", c64(6))
np.save("c64_2d.npy", c64(2, 3))
for version in [(2, 0), (3, 0)]:
    with open("f32_2d_v%d.npy" % version[0], "wb") as f:
        fmt.write_array(f, f32(3, 5), version=version)
np.save("f64_1d.npy", np.arange(4, dtype=np.float64))
np.save("f32_fortran.npy", np.asfortranarray(f32(3, 5)))
np.save("f32_bigendian.npy", f32(4).astype(">f4"))
np.save("f32_scalar.npy", np.float32(1.5))
