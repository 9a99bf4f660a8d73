"""Helpers shared by CTPrep's Python tests (Debian's numpy only)."""
import zlib

import numpy as np

_TYPES = {"short": "<i2", "signed short": "<i2", "int16": "<i2", "unsigned char": "u1", "uchar": "u1", "uint8": "u1"}


def read_nrrd(path):
    """Reads the NRRD files CTPrep writes (raw or gzip encoding).

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
    body = data[end + 2:]
    if header.get("encoding") == "gzip":
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    elif header.get("encoding") != "raw":
        raise ValueError(f"{path}: encoding {header.get('encoding')}, expected raw or gzip")
    sizes = [int(v) for v in header["sizes"].split()]
    array = np.frombuffer(body, dtype=np.dtype(_TYPES[header["type"]]), count=int(np.prod(sizes)))
    origin = np.array([float(v) for v in header["space origin"].strip("()").split(",")])
    directions = np.array([[float(v) for v in d.strip("()").split(",")] for d in header["space directions"].split(") (")])
    return array.reshape(sizes[::-1]), header, origin, directions


def read_png_rgb(path):
    """Reads an 8-bit RGB, non-interlaced PNG (what VTK's and CTPrep's writers make) as a (rows, columns, 3)
    uint8 array."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError(f"{path}: not a PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if (data[24], data[25], data[28]) != (8, 2, 0):
        raise ValueError(f"{path}: not 8-bit RGB non-interlaced")
    idat, at = b"", 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        if data[at + 4:at + 8] == b"IDAT":
            idat += data[at + 8:at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    image = bytearray(3 * width * height)
    previous = bytes(3 * width)
    for y in range(height):
        kind, line = raw[y * stride], raw[y * stride + 1:(y + 1) * stride]
        out = bytearray(line)
        for x in range(3 * width):  # plain Python ints: numpy's per-element access is ten times slower
            a = out[x - 3] if x >= 3 else 0
            b = previous[x]
            if kind == 1:
                out[x] = (out[x] + a) & 255
            elif kind == 2:
                out[x] = (out[x] + b) & 255
            elif kind == 3:
                out[x] = (out[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                c = previous[x - 3] if x >= 3 else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                out[x] = (out[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        image[3 * width * y:3 * width * (y + 1)] = out
        previous = out
    return np.frombuffer(bytes(image), np.uint8).reshape(height, width, 3)


FAILURES = []


def check(condition, message):
    """Records (and prints) a failed expectation; a test script exits 1 when FAILURES is not empty."""
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)
