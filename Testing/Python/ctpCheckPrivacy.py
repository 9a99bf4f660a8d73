#!/usr/bin/python3
"""No patient-identifying data in any output of any subcommand, unless --keep-phi asks for it.

Usage: ctpCheckPrivacy.py CTPREP WORK_DIR
A phantom series carries a known PatientName, PatientID, PatientBirthDate, InstitutionName and
AccessionNumber (its facts.json lists them). Every subcommand that reads it (inspect in all its forms,
convert, run with every output format, render, batch) runs, and every byte it prints and every file it
writes (gzip decompressed, also inside .nrrd) is searched for those values. The one exception asked
for by name, lungmask.seg.dcm (--dicom-seg), must carry the patient and study values and not the
institution. With --keep-phi they must appear (so the search can fail). Exit 0 pass, 1 fail.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import zlib


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    phantom = os.path.join(work, "phantom")
    subprocess.run([ctprep, "phantom", phantom, "--matrix", "64", "--slices", "16", "--slice-spacing", "10",
                    "--verbosity", "error"], check=True)
    facts = json.load(open(os.path.join(phantom, "truth", "facts.json")))
    identifiers = [v.encode() for v in facts["synthetic_identifiers"].values() if v]
    dicom = os.path.join(phantom, "dicom")
    a_file = os.path.join(dicom, "slice_0001.dcm")
    cohort = os.path.join(work, "cohort")
    os.makedirs(cohort)
    shutil.copytree(dicom, os.path.join(cohort, "patient1"))
    out = os.path.join(work, "out")
    commands = {
        "inspect-folder": ["inspect", dicom],
        "inspect-folder-json": ["inspect", dicom, "--json", "--group", "Patient"],
        "inspect-file": ["inspect", a_file],
        "inspect-file-json": ["inspect", a_file, "--json"],
        "inspect-tag": ["inspect", a_file, "--tag", "0010,0010"],
        "inspect-keyword": ["inspect", a_file, "--tag", "InstitutionName"],
        "inspect-png": ["inspect", dicom, "--png", os.path.join(out, "inspect", "slice.png")],
        "convert-nii": ["convert", dicom, "-o", os.path.join(out, "convert", "hu.nii.gz")],
        "convert-nrrd": ["convert", dicom, "-o", os.path.join(out, "convert", "hu.nrrd")],
        "run": ["run", dicom, "-o", os.path.join(out, "run"), "--format", "nrrd,nii,nii.gz", "--spacing", "3",
                "--checksums"],
        "render": ["render", os.path.join(out, "run")],
        "run-dicom-seg": ["run", dicom, "-o", os.path.join(out, "run-dicom-seg"), "--spacing", "3", "--dicom-seg"],
        "batch": ["batch", cohort, "-o", os.path.join(out, "batch"), "--spacing", "3", "--compute-mean"],
    }
    leaks = []
    for name, args in commands.items():
        os.makedirs(os.path.join(out, name.split("-")[0]), exist_ok=True)
        result = subprocess.run([ctprep, *args], capture_output=True)
        if result.returncode != 0 and not (name == "inspect-keyword" and result.returncode == 4):
            leaks.append(f"{name}: exit {result.returncode}: {result.stderr.decode(errors='replace').strip()}")
        for stream, data in (("stdout", result.stdout), ("stderr", result.stderr)):
            for identifier in identifiers:
                if identifier in data:
                    leaks.append(f"{name}: {identifier.decode()} on {stream}")
    files, seg_dcm = 0, b""
    for folder, _, names in os.walk(out):
        for file in names:
            path = os.path.join(folder, file)
            data = open(path, "rb").read()
            if path.endswith(".gz"):
                data = gzip.decompress(data)
            if path.endswith(".nrrd") and b"\nencoding: gzip\n" in data[:4096]:
                end = data.index(b"\n\n") + 2
                data = data[:end] + zlib.decompress(data[end:], 16 + zlib.MAX_WBITS)
            files += 1
            if file == "lungmask.seg.dcm":
                seg_dcm = data  # belongs to the source patient and study by definition: checked below
                continue
            for identifier in identifiers:
                if identifier in data:
                    leaks.append(f"{identifier.decode()} in {os.path.relpath(path, out)}")
    # The DICOM Segmentation carries the source's patient and study, and nothing of its institution.
    carried = {key: value.encode() in seg_dcm for key, value in facts["synthetic_identifiers"].items() if value}
    if carried != {key: key != "institution_name" for key in carried}:
        leaks.append(f"lungmask.seg.dcm: source identifiers carried {carried}; expected all but the institution")
    # With --keep-phi the values must be there: the search works.
    shown = subprocess.run([ctprep, "inspect", a_file, "--keep-phi"], capture_output=True).stdout
    kept = os.path.join(out, "kept")
    subprocess.run([ctprep, "convert", dicom, "-o", os.path.join(kept, "hu.nrrd"), "--keep-phi", "--verbosity", "error"],
                   check=True)
    if facts["synthetic_identifiers"]["patient_name"].encode() not in shown:
        leaks.append("inspect --keep-phi does not show the patient name: the search cannot be trusted")
    if facts["synthetic_identifiers"]["patient_id"].encode() not in open(os.path.join(kept, "hu.nrrd"), "rb").read():
        leaks.append("convert --keep-phi does not keep the patient ID: the search cannot be trusted")
    for leak in leaks:
        print("FAIL:", leak)
    print(f"{len(commands)} commands, {files} files searched for {len(identifiers)} identifiers: {len(leaks)} problems")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
