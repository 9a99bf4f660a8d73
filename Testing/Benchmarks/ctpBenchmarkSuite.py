#!/usr/bin/python3
"""CTPrep's benchmark suite (not a test): everything measured in one run on this machine.

  /usr/bin/python3 Testing/Benchmarks/ctpBenchmarkSuite.py [--repeats 3] [--sizes 100,200,300,400,500]
      [--skip-recipe] [--skip-stages] [--skip-batch] [--markdown OUT.md]
  /usr/bin/python3 Testing/Benchmarks/ctpBenchmarkSuite.py --callgrind 'LungMask/100/'
  /usr/bin/python3 Testing/Benchmarks/ctpBenchmarkSuite.py --against OTHER/bin/ctprep [--repeats 7]
  /usr/bin/python3 Testing/Benchmarks/ctpBenchmarkSuite.py --slicer-and-pacs [--repeats 7]

1. Real series (Lung-PET-CT-Dx A0001, 64 x 512 x 512, from ../shared/data): `ctprep run` end to end
   (all steps with both surfaces; with and without render.png) against the classic recipe
   ../shared/reference/seed_pipeline.py (all its steps, meshes included), per stage and in total;
   `ctprep convert -o hu.nii` against `dcm2niix -z n` (load + HU + uncompressed NIfTI), page cache
   warm, and cold when /proc/sys/vm/drop_caches is writable (root). Every output goes to a fresh folder.
2. Phantoms 512 x 512 x N (0.703 mm pixels and slices, N = 100..500): `ctprep run` seconds and peak
   memory against the bytes of the input volume plus the outputs.
3. Per-stage micro-benchmarks (build/bin/ctpStageBenchmarks, Google Benchmark) at the same sizes.
4. Batch throughput with -j 1 and -j 2 (ctpBenchmarkBatch.sh).
Peak memory is the maximum resident set size from /usr/bin/time. Medians of --repeats runs.
With --callgrind FILTER: instruction count (valgrind --tool=callgrind) of one iteration of the
matching stage benchmark, for changes too small to see in seconds.
With --against OTHER_CTPREP: the stages of `ctprep run` on A0001 (no render) by this build and another
(an earlier commit built in a folder of its own), run in turn, --repeats times each: medians per stage,
the process's CPU seconds, and this build's over the other's.
With --slicer-and-pacs: `ctprep run` on A0001 (no render) with --no-slicer, by default (lungmask.seg.nrrd
and scene.mrml) and with --dicom-seg, in turn: wall, CPU, peak memory and the stages' own laps.
Needs: a built tree (build/ or $CTP_BUILD_DIR), dcm2niix, python3-pydicom/-scipy/-skimage (recipe),
valgrind (only for --callgrind).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("CTP_BUILD_DIR", os.path.join(ROOT, "build"))
CTPREP = os.environ.get("CTPREP", os.path.join(BUILD, "bin", "ctprep"))
STAGES = os.path.join(BUILD, "bin", "ctpStageBenchmarks")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
RECIPE = os.path.join(SHARED, "reference", "seed_pipeline.py")
A0001 = os.path.join(SHARED, "data", "lung-pet-ct-dx", "Lung_Dx-A0001", "04-04-2007-NA-Chest-07990",
                     "2.000000-5mm-40805")
PIXEL_MM = 360.0 / 512.0

LINES = []


def say(text=""):
    print(text, flush=True)
    LINES.append(text)


def timed(command, out_dir=None):
    """Runs command once; returns (wall seconds, peak RSS MiB) of that process alone (wait4's rusage).
    out_dir is removed before it runs."""
    if out_dir:
        shutil.rmtree(out_dir, ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("failed (%d): %s\n%s" % (code, " ".join(command), error[-2000:]))
    return seconds, usage.ru_maxrss / 1024.0


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def median(values):
    return statistics.median(values)


def real_series(work, repeats, skip_recipe):
    if not os.path.isdir(A0001):
        say("Real series not found (%s): section skipped." % A0001)
        return
    slices = len([f for f in os.listdir(A0001) if f.endswith(".dcm")])
    say("## 1. Lung-PET-CT-Dx A0001 series 2 (%d slices, 512 x 512, 5 mm), %d runs each, medians" % (slices, repeats))
    say()
    out = os.path.join(work, "out")
    runs = {"ctprep run (all steps, both surfaces, no render)": ["--no-render"],
            "ctprep run (all steps, both surfaces, render.png)": []}
    results = {}
    stage_seconds = {}
    timed([CTPREP, "run", A0001, "-o", out, "--verbosity", "error", "--no-render"], out)  # warm-up
    recipe_times, recipe_rss, recipe_stages = [], 0.0, []
    for _ in range(repeats):
        for name, extra in runs.items():
            s, m = timed([CTPREP, "run", A0001, "-o", out, "--verbosity", "error"] + extra, out)
            results.setdefault(name, []).append((s, m))
            if "no render" in name:
                sidecar = json.load(open(os.path.join(out, "ctprep.json")))
                for k, v in sidecar["seconds"].items():
                    stage_seconds.setdefault(k, []).append(v)
                voxels_out = sidecar["input_npy"]["voxels"]
                shutil.rmtree(out, ignore_errors=True)
        if not skip_recipe:
            s, m = timed(["/usr/bin/python3", RECIPE, A0001, out], None)
            recipe_stages.append(json.load(open(os.path.join(out, "timings.json")))["timings"])
            shutil.rmtree(out, ignore_errors=True)
            recipe_times.append(s)
            recipe_rss = max(recipe_rss, m)
    recipe = median(recipe_times) if recipe_times else None
    say("| pipeline | wall s | slices/s | output voxels/s | peak MiB | recipe / this |")
    say("|---|---|---|---|---|---|")
    for name, values in results.items():
        s = median([v[0] for v in values])
        m = max(v[1] for v in values)
        ratio = "%.1fx" % (recipe / s) if recipe else "-"
        say("| %s | %.2f | %.0f | %.1fM | %.0f | %s |" % (name, s, slices / s, voxels_out / s / 1e6, m, ratio))
    if recipe:
        say("| classic recipe, seed_pipeline.py (all steps, meshes) | %.2f | %.1f | %.2fM | %.0f | 1.0x |"
            % (recipe, slices / recipe, voxels_out / recipe / 1e6, recipe_rss))
    say()
    say("Per stage (seconds inside the process; ctprep overlaps writing with the later stages):")
    say()
    say("| stage | ctprep | recipe | recipe / ctprep |")
    say("|---|---|---|---|")
    r = {k: median([t[k] for t in recipe_stages]) for k in recipe_stages[0]} if recipe_stages else {}
    c = {k: median(v) for k, v in stage_seconds.items()}
    rows = [("read + HU", c.get("read"), (r.get("load", 0) + r.get("hu", 0)) if r else None),
            ("resample to 1 mm", c.get("resample"), r.get("resample")),
            ("lung mask(s)", c.get("lung_mask"), (r.get("lungmask", 0) + r.get("lungmask_filled", 0)) if r else None),
            ("surfaces (bone + lungs, STL)", c.get("surfaces"),
             (r.get("mesh_bone", 0) + r.get("mesh_lungs", 0)) if r else None),
            ("pictures, statistics", c.get("pictures"), None),
            ("normalize + zero-center + writes still running",
             (c.get("render", 0) or 0) + c.get("lungmask", 0) + c.get("waiting_for_writes", 0),
             r.get("normalize_center")),
            ("total in process", c.get("total"), r.get("total"))]
    for name, ours, theirs in rows:
        ratio = "%.1fx" % (theirs / ours) if ours and theirs else "-"
        say("| %s | %s | %s | %s |" % (name, "%.3f" % ours if ours is not None else "-",
                                        "%.3f" % theirs if theirs is not None else "-", ratio))
    say()

    # Load + HU + uncompressed NIfTI against dcm2niix, fresh output folders each time.
    if shutil.which("dcm2niix"):
        def one(command):
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            return timed(command, None)

        c_cmd = [CTPREP, "convert", A0001, "-o", os.path.join(out, "hu.nii"), "--verbosity", "error"]
        d_cmd = ["dcm2niix", "-z", "n", "-b", "n", "-o", out, "-f", "hu", A0001]
        for _ in range(2):
            one(c_cmd)
            one(d_cmd)
        warm_c, warm_d = [], []
        for _ in range(max(7, 3 * repeats)):
            warm_c.append(one(c_cmd))
            warm_d.append(one(d_cmd))
        cold_c, cold_d = [], []
        # Cold data, warm programs (a cohort's files are read once; the tools' libraries stay cached).
        if drop_caches():
            for _ in range(3):
                drop_caches()
                timed([CTPREP, "--version"])
                cold_c.append(one(c_cmd))
                drop_caches()
                subprocess.run(["dcm2niix"], stdout=subprocess.DEVNULL)
                cold_d.append(one(d_cmd))
        say("Load + HU + uncompressed NIfTI (%d runs with the series in the page cache%s):"
            % (len(warm_c), "; 3 with the series' files dropped from it, programs cached" if cold_c else ""))
        say()
        say("| tool | cached s | cold files s | slices/s (cached) | peak MiB |")
        say("|---|---|---|---|---|")
        for name, warm, cold in (("ctprep convert -o hu.nii", warm_c, cold_c), ("dcm2niix -z n", warm_d, cold_d)):
            s = median([v[0] for v in warm])
            say("| %s | %.3f | %s | %.0f | %.0f |" % (name, s, "%.3f" % median([v[0] for v in cold]) if cold else "-",
                                                      slices / s, max(v[1] for v in warm)))
        ratio_warm = median([v[0] for v in warm_c]) / median([v[0] for v in warm_d])
        text = "ctprep / dcm2niix time: %.2f cached" % ratio_warm
        if cold_c:
            text += ", %.2f cold files" % (median([v[0] for v in cold_c]) / median([v[0] for v in cold_d]))
        say()
        say(text + " (target <= 1.0)")
        say()
    shutil.rmtree(out, ignore_errors=True)


def phantoms(work, sizes, repeats):
    say("## 2. Phantoms 512 x 512 x N, 0.703 mm pixels and slices: `ctprep run` (all steps, no render)")
    say()
    say("| slices | input MiB | outputs MiB | wall s | s per 100 slices | peak MiB | peak / (input + outputs) |")
    say("|---|---|---|---|---|---|---|")
    for n in sizes:
        phantom = os.path.join(work, "phantom-%d" % n)
        subprocess.run([CTPREP, "phantom", phantom, "--matrix", "512", "--slices", str(n), "--slice-spacing",
                        "%.6f" % PIXEL_MM, "--verbosity", "error"], check=True)
        out = os.path.join(work, "out-%d" % n)
        values = [timed([CTPREP, "run", os.path.join(phantom, "dicom"), "-o", out, "--no-render", "--verbosity",
                         "error"], out) for _ in range(repeats)]
        input_bytes = 512 * 512 * n * 2
        output_bytes = dir_bytes(out)
        s = median([v[0] for v in values])
        m = max(v[1] for v in values)
        say("| %d | %.0f | %.0f | %.2f | %.3f | %.0f | %.2f |" % (
            n, input_bytes / 2**20, output_bytes / 2**20, s, s * 100 / n, m, m * 2**20 / (input_bytes + output_bytes)))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(phantom, ignore_errors=True)
    say()


def stages(sizes):
    if not os.path.exists(STAGES):
        say("ctpStageBenchmarks not built (needs libbenchmark-dev): section skipped.")
        return
    say("## 3. Stage micro-benchmarks (ctpStageBenchmarks, Google Benchmark), ms per run, wall clock")
    say()
    result = subprocess.run([STAGES, "--benchmark_format=json",
                             "--benchmark_filter=/(%s)/" % "|".join(str(n) for n in sizes)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    table = {}
    for b in json.loads(result.stdout)["benchmarks"]:
        stage, n = b["name"].split("/")[:2]
        table.setdefault(stage, {})[int(n)] = b["real_time"]
    say("| stage | " + " | ".join("%d slices" % n for n in sizes) + " | ms per 100 slices (first / last) |")
    say("|---|" + "---|" * len(sizes) + "---|")
    for stage, row in table.items():
        first, last = sizes[0], sizes[-1]
        say("| %s | %s | %.0f / %.0f |" % (stage, " | ".join("%.0f" % row[n] for n in sizes),
                                          row[first] * 100 / first, row[last] * 100 / last))
    say()


def batch():
    say("## 4. Batch throughput, 8 phantoms 256 x 256 x 100 (ctpBenchmarkBatch.sh)")
    say()
    script = os.path.join(ROOT, "Testing", "Benchmarks", "ctpBenchmarkBatch.sh")
    result = subprocess.run(["bash", script], stdout=subprocess.PIPE, text=True, check=True,
                            env=dict(os.environ, CTPREP=CTPREP))
    for line in result.stdout.rstrip().split("\n"):
        say(line)
    say()


def against(other, repeats):
    """This build's stages on A0001 against another build's, run in turn."""
    if not os.path.isdir(A0001):
        sys.exit("Real series not found: %s" % A0001)
    builds = {"this build": CTPREP, "other build": other}
    seconds = {name: {} for name in builds}
    cpu = {name: [] for name in builds}
    with tempfile.TemporaryDirectory(prefix="ctp-against-") as work:
        out = os.path.join(work, "out")
        for binary in builds.values():
            timed([binary, "run", A0001, "-o", out, "--verbosity", "error", "--no-render"], out)  # warm-up
        for _ in range(repeats):
            for name, binary in builds.items():
                shutil.rmtree(out, ignore_errors=True)
                start = os.times()
                subprocess.run([binary, "run", A0001, "-o", out, "--verbosity", "error", "--no-render"], check=True)
                end = os.times()
                cpu[name].append(end.children_user + end.children_system - start.children_user - start.children_system)
                for stage, value in json.load(open(os.path.join(out, "ctprep.json")))["seconds"].items():
                    seconds[name].setdefault(stage, []).append(value)
    say("## `ctprep run` on A0001 (no render): %s against %s, %d runs each in turn, medians" % (CTPREP, other, repeats))
    say()
    say("| stage | this build s | other build s | this / other |")
    say("|---|---|---|---|")
    for stage in seconds["other build"]:
        ours = median(seconds["this build"].get(stage, [0.0]))
        theirs = median(seconds["other build"][stage])
        say("| %s | %.3f | %.3f | %s |" % (stage, ours, theirs, "%.2fx" % (ours / theirs) if theirs > 0 else "-"))
    ours, theirs = median(cpu["this build"]), median(cpu["other build"])
    say("| CPU seconds of the process | %.2f | %.2f | %.2fx |" % (ours, theirs, ours / theirs))
    say()


def slicer_and_pacs(repeats):
    """What the 3D Slicer files (default) and --dicom-seg add to `ctprep run` on A0001 (no render):
    --no-slicer (neither), the default, and the default with --dicom-seg, run in turn."""
    if not os.path.isdir(A0001):
        sys.exit("Real series not found: %s" % A0001)
    variants = {"--no-slicer": ["--no-slicer"], "default (seg.nrrd, scene)": [], "--dicom-seg": ["--dicom-seg"]}
    wall, cpu, rss, laps = ({name: [] for name in variants} for _ in range(4))
    with tempfile.TemporaryDirectory(prefix="ctp-slicer-") as work:
        out = os.path.join(work, "out")
        base = [CTPREP, "run", A0001, "-o", out, "--verbosity", "error", "--no-render"]
        timed(base + ["--dicom-seg"], out)  # warm-up: page cache, DCMTK's dictionary
        for _ in range(repeats):
            for name, extra in variants.items():
                shutil.rmtree(out, ignore_errors=True)
                start = os.times()
                seconds, peak = timed(base + extra)
                end = os.times()
                wall[name].append(seconds)
                rss[name].append(peak)
                cpu[name].append(end.children_user + end.children_system - start.children_user - start.children_system)
                recorded = json.load(open(os.path.join(out, "ctprep.json")))["seconds"]
                laps[name].append(sum(recorded.get(k, 0.0) for k in ("dicom_seg", "scene")))
    say("## 3D Slicer files and --dicom-seg on A0001 (no render), %d runs each in turn, medians" % repeats)
    say()
    say("| run | wall s | CPU s | peak RSS MiB | dicom_seg + scene laps s (seg.nrrd is written beside the render) | wall / --no-slicer |")
    say("|---|---|---|---|---|---|")
    reference = median(wall["--no-slicer"])
    for name in variants:
        say("| %s | %.3f | %.2f | %.0f | %.3f | %.3fx |" % (name, median(wall[name]), median(cpu[name]),
                                                            median(rss[name]), median(laps[name]),
                                                            median(wall[name]) / reference))
    say()


def callgrind(pattern):
    if not shutil.which("valgrind"):
        sys.exit("valgrind not found: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, STAGES,
                        "--benchmark_filter=" + pattern, "--benchmark_min_time=0.000001"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        total = subprocess.run(["callgrind_annotate", out], stdout=subprocess.PIPE, text=True).stdout
        match = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", total)
        print("instructions (Ir), whole process incl. phantom set-up, %s: %s" % (pattern, match.group(1) if match else "?"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100,200,300,400,500")
    parser.add_argument("--skip-recipe", action="store_true")
    parser.add_argument("--skip-stages", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--callgrind", metavar="FILTER", help="instruction count of one stage benchmark")
    parser.add_argument("--against", metavar="OTHER_CTPREP", help="A0001's stages against another build's ctprep")
    parser.add_argument("--slicer-and-pacs", action="store_true",
                        help="only what the Slicer files and --dicom-seg add to a run on A0001")
    args = parser.parse_args()
    if not os.access(CTPREP, os.X_OK):
        sys.exit("ctprep not built: %s" % CTPREP)
    if args.callgrind:
        callgrind(args.callgrind)
        return
    if args.against or args.slicer_and_pacs:
        if args.against:
            against(args.against, args.repeats)
        else:
            slicer_and_pacs(args.repeats)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write("\n".join(LINES) + "\n")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu)
    say("# CTPrep benchmark suite")
    say()
    say("%s; %d cores; %s; ctprep %s" % (model.group(1) if model else "cpu ?", os.cpu_count(),
                                         subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], stdout=subprocess.PIPE,
                                                        text=True).stdout.strip(),
                                         subprocess.run([CTPREP, "--version"], stdout=subprocess.PIPE,
                                                        text=True).stdout.strip()))
    say()
    with tempfile.TemporaryDirectory(prefix="ctp-bench-") as work:
        real_series(work, args.repeats, args.skip_recipe or not os.path.exists(RECIPE))
        phantoms(work, sizes, args.repeats)
    if not args.skip_stages:
        stages(sizes)
    if not args.skip_batch:
        batch()
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(LINES) + "\n")


if __name__ == "__main__":
    main()
