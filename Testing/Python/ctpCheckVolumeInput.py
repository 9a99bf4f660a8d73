#!/usr/bin/python3
"""Volume files in (MetaImage, NIfTI), the Hounsfield-unit guard, and a LUNA16-layout cohort.

Usage: ctpCheckVolumeInput.py CTPREP WORK_DIR [SHARED_DATA_DIR]

1. The phantom, converted by ctprep itself to .mhd (+ .raw) and to .nii.gz, through `ctprep run`:
   every output (hu, lungmask, input.npy, surfaces, pictures) byte-identical to the run from its DICOM
   (the content hashes ctprep.json lists), the same geometry; ctprep.json says which input it was.
2. The same volume stored without its rescale (HU + 1024 as unsigned 16-bit, written here with numpy):
   refused, exit 4, one line naming the file and what was seen; with --hu-offset -1024 the outputs of
   the DICOM run again.
3. A LUNA16-layout cohort (subset0/ and subset1/ holding <uid>.mhd beside <uid>.raw) through
   `ctprep batch`: one case per file, named by its uid, all ok, the manifest complete.
4. With the shared data and dcm2niix: A0001's .nii.gz written by dcm2niix (rows stored bottom-up, a
   float32 origin) gives hu.nrrd and lungmask.nrrd voxel-identical to the DICOM run, the geometry
   within 1e-4 mm.
Exit 0 pass, 1 fail, 77 skip (numpy missing).
"""
import csv
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    from ctpTestUtilities import FAILURES, check, read_nrrd
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

A0001 = ("lung-pet-ct-dx", "Lung_Dx-A0001", "04-04-2007-NA-Chest-07990", "2.000000-5mm-40805")


def run(ctprep, *args):
    return subprocess.run([ctprep, *args], capture_output=True, text=True)


def sidecar(folder):
    with open(os.path.join(folder, "ctprep.json")) as f:
        return json.load(f)


def hashes(folder):
    return {o["file"]: o.get("hash64") for o in sidecar(folder)["outputs"]}


def same_run(reference, folder, what):
    check(hashes(reference) == hashes(folder), f"{what}: every output byte-identical to the DICOM run's")
    check(sidecar(reference)["output_geometry"] == sidecar(folder)["output_geometry"], f"{what}: the same geometry")


def write_stored_without_rescale(mhd, raw, folder):
    """HU + 1024 as unsigned 16-bit, the way a volume saved without its rescale looks."""
    header = open(mhd).read()
    values = np.fromfile(raw, np.int16).astype(np.int32) + 1024
    np.clip(values, 0, 65535).astype(np.uint16).tofile(os.path.join(folder, "stored.raw"))
    header = header.replace("MET_SHORT", "MET_USHORT").replace("ElementDataFile = ph.raw", "ElementDataFile = stored.raw")
    with open(os.path.join(folder, "stored.mhd"), "w") as f:
        f.write(header)
    return os.path.join(folder, "stored.mhd")


def luna_cohort(ctprep, work, volumes):
    root = os.path.join(work, "luna16")
    for subset, uids in (("subset0", ["1.3.6.1.4.1.14519.5.2.1.6279.6001.100", "1.3.6.1.4.1.14519.5.2.1.6279.6001.101"]),
                         ("subset1", ["1.3.6.1.4.1.14519.5.2.1.6279.6001.200"])):
        os.makedirs(os.path.join(root, subset))
        for uid in uids:
            shutil.copy(os.path.join(volumes, "ph.raw"), os.path.join(root, subset, uid + ".raw"))
            header = open(os.path.join(volumes, "ph.mhd")).read().replace("ph.raw", uid + ".raw")
            with open(os.path.join(root, subset, uid + ".mhd"), "w") as f:
                f.write(header)
    out = os.path.join(work, "luna16-out")
    result = run(ctprep, "batch", root, "-o", out, "-j", "2", "--spacing", "3", "--no-render", "--verbosity", "warning")
    check(result.returncode == 0, f"LUNA16 cohort: exit {result.returncode}: {result.stderr.strip()}")
    with open(os.path.join(out, "manifest.csv")) as f:
        rows = list(csv.DictReader(f))
    check(sorted(r["case"] for r in rows) == ["1.3.6.1.4.1.14519.5.2.1.6279.6001.100",
                                                "1.3.6.1.4.1.14519.5.2.1.6279.6001.101",
                                                "1.3.6.1.4.1.14519.5.2.1.6279.6001.200"]
          and all(r["status"] == "ok" for r in rows), f"one ok case per .mhd, named by its uid: {rows}")


def dcm2niix_a0001(ctprep, work, shared):
    series = os.path.join(shared, *A0001)
    if not (os.path.isdir(series) and shutil.which("dcm2niix")):
        print("A0001 through dcm2niix: skipped (no shared data or no dcm2niix)")
        return
    folder = os.path.join(work, "dcm2niix")
    os.makedirs(folder)
    subprocess.run(["dcm2niix", "-z", "y", "-f", "a1", "-o", folder, series], check=True, capture_output=True)
    for name, source in (("dicom", series), ("nifti", os.path.join(folder, "a1.nii.gz"))):
        result = run(ctprep, "run", source, "-o", os.path.join(folder, name), "--no-render", "--no-mesh",
                     "--verbosity", "error")
        check(result.returncode == 0, f"A0001 {name}: exit {result.returncode}: {result.stderr.strip()}")
    a, b = sidecar(os.path.join(folder, "dicom")), sidecar(os.path.join(folder, "nifti"))
    for key in ("size", "spacing", "origin", "direction"):
        gap = max(abs(x - y) for x, y in zip(a["output_geometry"][key], b["output_geometry"][key]))
        check(gap < 1e-4, f"A0001 dcm2niix: output {key} within 1e-4 of the DICOM run's ({gap})")
    for name in ("hu.nrrd", "lungmask.nrrd"):
        x = read_nrrd(os.path.join(folder, "dicom", name))[0]
        y = read_nrrd(os.path.join(folder, "nifti", name))[0]
        check(x.shape == y.shape and int((x != y).sum()) == 0, f"A0001 dcm2niix: {name} voxel-identical")


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else ""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    phantom = os.path.join(work, "phantom")
    subprocess.run([ctprep, "phantom", phantom, "--matrix", "128", "--slices", "40", "--slice-spacing", "5",
                    "--quirk", "mass-hilar", "--verbosity", "error"], check=True)
    dicom = os.path.join(phantom, "dicom")
    volumes = os.path.join(work, "volumes")
    os.makedirs(volumes)
    options = ["--checksums", "--no-render", "--verbosity", "error"]
    for name in ("ph.mhd", "ph.nii.gz"):
        result = run(ctprep, "convert", dicom, "-o", os.path.join(volumes, name), "--verbosity", "error")
        check(result.returncode == 0, f"convert to {name}: {result.stderr.strip()}")
    check(sorted(os.listdir(volumes)) == ["ph.mhd", "ph.nii.gz", "ph.raw"], f"convert wrote {os.listdir(volumes)}")
    check("ElementDataFile = ph.raw" in open(os.path.join(volumes, "ph.mhd")).read(), "ph.mhd names ph.raw")
    reference = os.path.join(work, "from-dicom")
    check(run(ctprep, "run", dicom, "-o", reference, *options).returncode == 0, "the DICOM run")
    for name, kind in (("ph.mhd", "MetaImage"), ("ph.nii.gz", "NIfTI")):
        out = os.path.join(work, "from-" + name)
        result = run(ctprep, "run", os.path.join(volumes, name), "-o", out, *options)
        check(result.returncode == 0, f"run {name}: exit {result.returncode}: {result.stderr.strip()}")
        same_run(reference, out, name)
        source = sidecar(out)["source"]
        check(source["kind"] == "volume" and source["format"] == kind and source["name"] == "ph",
              f"{name}: ctprep.json says which input it was: {source}")
    stored = write_stored_without_rescale(os.path.join(volumes, "ph.mhd"), os.path.join(volumes, "ph.raw"), volumes)
    result = run(ctprep, "run", stored, "-o", os.path.join(work, "refused"), *options)
    check(result.returncode == 4 and result.stderr.startswith(f"Error: {stored}: values ")
          and "--hu-offset -1024" in result.stderr and result.stderr.count("\n") == 1,
          f"HU + 1024 refused in one line naming the file: exit {result.returncode}: {result.stderr!r}")
    check(not os.path.exists(os.path.join(work, "refused", "ctprep.json")), "nothing written for a refused volume")
    out = os.path.join(work, "offset")
    result = run(ctprep, "run", stored, "-o", out, "--hu-offset", "-1024", *options)
    check(result.returncode == 0, f"--hu-offset -1024: exit {result.returncode}: {result.stderr.strip()}")
    if result.returncode == 0:
        check(hashes(reference)["hu.nrrd"] == hashes(out)["hu.nrrd"]
              and hashes(reference)["lungmask.nrrd"] == hashes(out)["lungmask.nrrd"],
              "--hu-offset -1024: hu.nrrd and lungmask.nrrd of the DICOM run")
    luna_cohort(ctprep, work, volumes)
    dcm2niix_a0001(ctprep, work, shared)
    print("FAILED: " + "; ".join(FAILURES) if FAILURES else "passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
