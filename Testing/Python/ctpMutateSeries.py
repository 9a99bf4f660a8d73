#!/usr/bin/python3
"""Mutation test: whole series with damage in random slices must give a clear error or a result,
never a crash, a hang, an internal error or more than one error line.

Usage: ctpMutateSeries.py CTPREP WORK_DIR [ITERATIONS] [SEED]
Each iteration copies a small phantom series and damages 1-3 random slices: byte flips in the header
or the pixel data, truncation, deletion of a tag (pydicom), or a file replaced by garbage. Then
`ctprep inspect DIR --json` and `ctprep run DIR` run with a time limit. Allowed exit codes: those of
the table (0, 2, 3, 4, 5, 6, 9); not 10 (internal error), not a signal, not a time-out.
Exit 0 pass, 1 fail, 77 skip (pydicom missing).
"""
import os
import random
import shutil
import subprocess
import sys

try:
    import pydicom
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

ALLOWED = {0, 2, 3, 4, 5, 6, 9}
TAGS = ["PixelSpacing", "ImagePositionPatient", "ImageOrientationPatient", "Rows", "Columns", "BitsAllocated",
        "RescaleSlope", "RescaleIntercept", "SeriesInstanceUID", "SOPClassUID", "Modality", "PixelRepresentation",
        "SliceThickness", "InstanceNumber", "SamplesPerPixel", "PhotometricInterpretation"]


def mutate(path, rng):
    kind = rng.choice(["flip-header", "flip-pixels", "truncate", "delete-tag", "garbage", "bad-value"])
    data = bytearray(open(path, "rb").read())
    if kind == "flip-header":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(132, min(len(data), 1400))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == "flip-pixels":
        for _ in range(rng.randint(1, 64)):
            i = rng.randrange(len(data) // 2, len(data))
            data[i] ^= 0xFF
    elif kind == "truncate":
        data = data[: rng.randrange(0, len(data))]
    elif kind == "garbage":
        data = bytearray(rng.randbytes(rng.randrange(0, 4096)))
    else:
        ds = pydicom.dcmread(path)
        tag = rng.choice(TAGS)
        if kind == "delete-tag" and tag in ds:
            delattr(ds, tag)
        elif tag in ds:
            value = rng.choice(["", "0", "-1", "1e308", "abc", "1\\2\\3\\4\\5\\6\\7", "65535"])
            try:
                setattr(ds, tag, value)
            except Exception:
                pass
        try:
            ds.save_as(path)
        except Exception:
            pass
        return kind + ":" + tag
    open(path, "wb").write(bytes(data))
    return kind


def run(command, timeout=120):
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, b""
    return result.returncode, result.stderr


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20261126)
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run([ctprep, "phantom", os.path.join(work, "base"), "--matrix", "48", "--slices", "10",
                    "--slice-spacing", "12", "--verbosity", "error"], check=True)
    base = os.path.join(work, "base", "dicom")
    problems = []
    executions = crashes = hangs = 0
    codes = {}
    for it in range(iterations):
        case = os.path.join(work, "case")
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(base, case)
        files = sorted(os.listdir(case))
        what = [mutate(os.path.join(case, f), rng) for f in rng.sample(files, rng.randint(1, 3))]
        for command in (["inspect", case, "--json"],
                        ["run", case, "-o", os.path.join(work, "out"), "--spacing", "4", "--no-mesh"]):
            code, stderr = run([ctprep, *command])
            executions += 1
            codes[code] = codes.get(code, 0) + 1
            errors = [line for line in stderr.decode(errors="replace").splitlines() if line.startswith("Error:")]
            if code is None:
                hangs += 1
                problems.append(f"iteration {it} {command[0]} {what}: time-out")
            elif code < 0 or code >= 128:
                crashes += 1
                kept = os.path.join(work, f"crash-{it}")
                if not os.path.exists(kept):
                    shutil.copytree(case, kept)
                problems.append(f"iteration {it} {command[0]} {what}: crashed (exit {code})")
            elif code not in ALLOWED:
                problems.append(f"iteration {it} {command[0]} {what}: exit {code}: {errors}")
            elif code != 0 and len(errors) != 1:
                problems.append(f"iteration {it} {command[0]} {what}: {len(errors)} error lines")
    for p in problems:
        print("FAIL:", p)
    print(f"{iterations} mutated series, {executions} executions, exit codes {dict(sorted(codes.items(), key=str))}, "
          f"crashes {crashes}, hangs {hangs}, problems {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
