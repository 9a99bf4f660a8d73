"""Helpers shared by CTPrep's Python tests (Debian's numpy only)."""
import numpy as np

_TYPES = {"short": "<i2", "signed short": "<i2", "int16": "<i2", "unsigned char": "u1", "uchar": "u1", "uint8": "u1"}


def read_nrrd(path):
    """Reads the raw (uncompressed) NRRD files CTPrep writes.

    Returns (array in z, y, x order, header dict, origin (3,), space directions (3, 3) whose rows are the
    i, j, k axes scaled by the spacing)."""
    with open(path, "rb") as f:
        data = f.read()
    end = data.index(b"\n\n")
    header = {}
    for line in data[:end].decode().splitlines()[1:]:
        if line.startswith("#") or ":" not in line:
            continue
        key, value = line.split(":", 1)
        header[key.strip()] = value.strip().lstrip("=").strip()
    if header.get("encoding") != "raw":
        raise ValueError(f"{path}: encoding {header.get('encoding')}, expected raw")
    sizes = [int(v) for v in header["sizes"].split()]
    array = np.frombuffer(data[end + 2:], dtype=np.dtype(_TYPES[header["type"]]), count=int(np.prod(sizes)))
    origin = np.array([float(v) for v in header["space origin"].strip("()").split(",")])
    directions = np.array([[float(v) for v in d.strip("()").split(",")] for d in header["space directions"].split(") (")])
    return array.reshape(sizes[::-1]), header, origin, directions


FAILURES = []


def check(condition, message):
    """Records (and prints) a failed expectation; a test script exits 1 when FAILURES is not empty."""
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)
