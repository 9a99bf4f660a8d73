#!/usr/bin/python3
"""`ctprep batch` on a cohort of phantoms, real series and broken cases.

Usage: ctpCheckBatch.py CTPREP WORK_DIR [SHARED_DATA_DIR]

1. A cohort: 20 chest phantoms, the shared real series when present (Lung-PET-CT-Dx A0001 series 2),
   and broken cases: an empty folder, a series with a truncated file, a non-CT (MR) series, a folder
   of text files. The batch completes: good cases ok, broken ones failed with their documented exit
   codes and reasons, exit code 7 (some failed); manifest.csv and manifest.json agree.
2. The same command again: nothing is redone (complete cases are "skipped"), exit code 7 again.
3. kill -9 of a batch mid-run, then the same command: it completes, no temporary file is left, every
   output is valid (a third run skips all good cases after checking their hashes), and the cases
   finished before the kill were not redone.
4. Shards 1/3, 2/3, 3/3 cover every case exactly once; --merge joins their manifests.
Exit 0 pass, 1 fail, 77 skip (pydicom missing).
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ctpTestUtilities import FAILURES, check  # noqa: E402

try:
    import pydicom
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

RUN_OPTIONS = ["--spacing", "3", "--no-render"]


def make_cohort(ctprep, root, shared):
    os.makedirs(root, exist_ok=True)
    for i in range(20):
        tmp = os.path.join(root, f".tmp-{i}")
        subprocess.run([ctprep, "phantom", tmp, "--matrix", "64", "--slices", "16", "--slice-spacing", "10",
                        "--seed", str(i + 1), "--verbosity", "error"], check=True)
        os.rename(os.path.join(tmp, "dicom"), os.path.join(root, f"phantom{i:02d}"))
        shutil.rmtree(tmp)
    expected = {f"phantom{i:02d}": ("ok", 0) for i in range(20)}
    real = {
        "real-A0001": ("lung-pet-ct-dx", "Lung_Dx-A0001", "04-04-2007-NA-Chest-07990", "2.000000-5mm-40805"),
        "real-A0002": ("lung-pet-ct-dx", "Lung_Dx-A0002"),  # a patient folder: study and two series below
        "real-GE-tilted-head": ("dcm_qa_ct", "In", "GE"),  # no lungs: ok with a warning
        "real-Philips-folder": ("dcm_qa_ct", "In", "Philips", "S21610"),  # scout, summary, two tilted series
    }
    for name, parts in real.items():
        path = os.path.join(shared, *parts)
        if os.path.isdir(path):
            os.symlink(path, os.path.join(root, name))
            expected[name] = ("ok", 0)
    os.makedirs(os.path.join(root, "broken-empty"))
    expected["broken-empty"] = ("failed", 2)
    os.makedirs(os.path.join(root, "broken-text"))
    for name in ("notes.txt", "report.txt"):
        with open(os.path.join(root, "broken-text", name), "w") as f:
            f.write("not DICOM\n")
    expected["broken-text"] = ("failed", 2)
    tmp = os.path.join(root, ".tmp-truncated")
    subprocess.run([ctprep, "phantom", tmp, "--matrix", "64", "--slices", "8", "--verbosity", "error"], check=True)
    os.rename(os.path.join(tmp, "dicom"), os.path.join(root, "broken-truncated"))
    shutil.rmtree(tmp)
    victim = os.path.join(root, "broken-truncated", "slice_0004.dcm")
    with open(victim, "r+b") as f:
        f.truncate(os.path.getsize(victim) - 1000)
    expected["broken-truncated"] = ("failed", 4)
    tmp = os.path.join(root, ".tmp-mr")
    subprocess.run([ctprep, "phantom", tmp, "--matrix", "64", "--slices", "8", "--verbosity", "error"], check=True)
    mr = os.path.join(root, "broken-mr")
    os.rename(os.path.join(tmp, "dicom"), mr)
    shutil.rmtree(tmp)
    for name in os.listdir(mr):
        ds = pydicom.dcmread(os.path.join(mr, name))
        ds.Modality = "MR"
        ds.save_as(os.path.join(mr, name))
    expected["broken-mr"] = ("failed", 3)
    return expected


def read_manifest(out, stem="manifest"):
    with open(os.path.join(out, stem + ".json")) as f:
        manifest = json.load(f)
    with open(os.path.join(out, stem + ".csv")) as f:
        rows = list(csv.DictReader(f))
    check([r["case"] for r in rows] == [c["case"] for c in manifest["cases"]], f"{stem}: csv and json differ")
    return {c["case"]: c for c in manifest["cases"]}, manifest


def temporary_files(out):
    return [os.path.join(d, f) for d, _, files in os.walk(out) for f in files if f.startswith(".ctp-tmp-")]


def batch(ctprep, cohort, out, *extra):
    return subprocess.run([ctprep, "batch", cohort, "-o", out, "-j", "2", "--verbosity", "warning", *extra,
                           *RUN_OPTIONS], stdin=subprocess.DEVNULL).returncode


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else ""
    shutil.rmtree(work, ignore_errors=True)
    cohort = os.path.join(work, "cohort")
    expected = make_cohort(ctprep, cohort, shared)
    out = os.path.join(work, "out")

    # 1. The whole cohort.
    code = batch(ctprep, cohort, out, "--compute-mean")
    check(code == 7, f"exit code {code}, expected 7 (some failed)")
    cases, manifest = read_manifest(out)
    check(set(cases) == set(expected), f"cases {sorted(cases)} != {sorted(expected)}")
    for name, (status, exit_code) in expected.items():
        c = cases.get(name, {})
        check(c.get("status") == status, f"{name}: status {c.get('status')}, expected {status} ({c.get('error')})")
        check(c.get("exit_code") == exit_code, f"{name}: exit code {c.get('exit_code')}, expected {exit_code}")
        if status == "failed":
            check(bool(c.get("error")), f"{name}: no error recorded")
        else:
            check(os.path.exists(os.path.join(out, name, "ctprep.json")), f"{name}: no ctprep.json")
            check(c["lung_volume_ml"] > 0 and c["slices"] > 0, f"{name}: lung volume or slices missing")
    check("truncated pixel data" in cases["broken-truncated"]["error"], "truncation not named")
    check("slice_0004.dcm" in cases["broken-truncated"]["error"], "truncated file not named")
    check("not CT" in cases["broken-mr"]["error"], f"MR reason: {cases['broken-mr']['error']}")
    mean = manifest.get("cohort_mean_normalized")
    check(mean is not None and 0.05 < mean < 0.6, f"cohort mean {mean}")
    check(not temporary_files(out), f"temporary files left: {temporary_files(out)}")

    # 2. Again: nothing redone.
    code = batch(ctprep, cohort, out)
    check(code == 7, f"rerun exit code {code}")
    again, _ = read_manifest(out)
    for name, (status, _) in expected.items():
        want = "skipped" if status == "ok" else "failed"
        check(again[name]["status"] == want, f"rerun {name}: {again[name]['status']}, expected {want}")

    # 3. kill -9 mid-run, then again.
    killed_out = os.path.join(work, "killed")
    process = subprocess.Popen([ctprep, "batch", cohort, "-o", killed_out, "-j", "2", "--verbosity", "off",
                                *RUN_OPTIONS], stdin=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        done = [d for d in os.listdir(killed_out) if os.path.exists(os.path.join(killed_out, d, "ctprep.json"))] \
            if os.path.isdir(killed_out) else []
        if len(done) >= 4:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.5)  # the case processes die with the batch
    finished_before = {d for d in os.listdir(killed_out) if os.path.exists(os.path.join(killed_out, d, "ctprep.json"))}
    check(len(finished_before) >= 4, f"only {len(finished_before)} cases finished before the kill")
    check(len(finished_before) < len(expected) - 4, "the batch finished before it could be killed")
    code = batch(ctprep, cohort, killed_out)
    check(code == 7, f"after kill: exit code {code}")
    resumed, _ = read_manifest(killed_out)
    for name in finished_before:
        check(resumed[name]["status"] == "skipped", f"{name} finished before the kill but was redone")
    for name, (status, _) in expected.items():
        if status == "ok":
            check(resumed[name]["status"] in ("ok", "skipped"), f"after kill {name}: {resumed[name]['status']}")
    check(not temporary_files(killed_out), f"temporary files left after kill and rerun: {temporary_files(killed_out)}")
    code = batch(ctprep, cohort, killed_out)
    third, _ = read_manifest(killed_out)
    check(all(third[n]["status"] == "skipped" for n, (s, _) in expected.items() if s == "ok"),
          "a third run found an output invalid")

    # 4. Shards, then merge.
    sharded = os.path.join(work, "sharded")
    for k in (1, 2, 3):
        batch(ctprep, cohort, sharded, "--shard", f"{k}/3")
    seen = []
    for k in (1, 2, 3):
        shard_cases, _ = read_manifest(sharded, f"manifest-shard-{k}-of-3")
        seen += list(shard_cases)
    check(sorted(seen) == sorted(expected), f"shards cover {sorted(seen)}")
    code = subprocess.run([ctprep, "batch", "--merge", "-o", sharded, "--verbosity", "warning"]).returncode
    check(code == 7, f"merge exit code {code}")
    merged, _ = read_manifest(sharded)
    check(sorted(merged) == sorted(expected), "merged manifest does not hold every case once")

    # 5. --cases and --max-memory: a case estimated above the limit fails with exit code 9, unstarted.
    listing = os.path.join(work, "cases.txt")
    with open(listing, "w") as f:
        f.write("# two cases\nphantom00\n" + os.path.join(cohort, "phantom01") + "\n")
    limited = os.path.join(work, "limited")
    code = subprocess.run([ctprep, "batch", "--cases", listing, "--input", cohort, "-o", limited, "--max-memory",
                           "0.01", "--verbosity", "off", *RUN_OPTIONS]).returncode
    check(code == 8, f"--max-memory: exit code {code}, expected 8 (none ok)")
    capped, _ = read_manifest(limited)
    check(sorted(capped) == ["phantom00", "phantom01"], f"--cases gave {sorted(capped)}")
    check(all(c["exit_code"] == 9 and "exceeds --max-memory" in c["error"] for c in capped.values()),
          f"--max-memory errors: {[c['error'] for c in capped.values()]}")
    check(not os.path.exists(os.path.join(limited, "phantom00", "ctprep.json")), "a case over the limit ran")

    print(f"{len(expected)} cases; kill after {len(finished_before)}; {len(FAILURES)} problems")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
