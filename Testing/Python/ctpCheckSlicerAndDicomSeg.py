#!/usr/bin/python3
"""The run opened in 3D Slicer (lungmask.seg.nrrd, scene.mrml) and sent to PACS (lungmask.seg.dcm).

Usage: ctpCheckSlicerAndDicomSeg.py CTPREP WORK_DIR [SHARED_DATA_DIR]

For `ctprep run --dicom-seg` on the phantom (head-first, with its nodules as annotations), on a phantom with a 44 mm hilar mass and a
15-degree gantry tilt (labels 4 on slices that are not the output grid's), and on A0001 when the shared
data is there:
1. lungmask.seg.nrrd read as Slicer's vtkMRMLSegmentationStorageNode reads it: `space`
   left-posterior-superior, 3D (one layer), segments SegmentN_ID from 0 without gaps, each with
   Layer 0, a LabelValue present in the voxels, an Extent equal to the bounding box of that label's
   voxels, a Color of three numbers in 0..1, a seven-part TerminologyEntry; the voxels equal
   lungmask.nrrd's and every label in them has a segment.
2. scene.mrml is well-formed XML with the root MRML; every element is a node type Slicer defines
   (the table below, each class's GetNodeTagName()); every fileName exists relative to the scene,
   also after the folder is moved; references point at nodes of the scene; the model storage says
   LPS.
3. lungmask.seg.dcm: dciodvfy reports no error; pydicom reads it; each frame's referenced source
   slice (Derivation Image Sequence) is a slice of the source series and its Plane Position is that
   slice's; the frames, placed by their slices, equal lungmask.nrrd sampled at every source pixel
   (nearest voxel), and slices without a frame hold none of that segment; the Referenced Series
   Sequence names the source series with all its instances; the patient and study are the source's.
4. --dicom-seg with a volume file is refused (exit 1, usage, one line, nothing written).
Exit 0 pass, 1 fail, 77 skip (numpy or pydicom missing).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    import pydicom
    from ctpTestUtilities import FAILURES, check, read_nrrd
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

A0001 = ("lung-pet-ct-dx", "Lung_Dx-A0001", "04-04-2007-NA-Chest-07990", "2.000000-5mm-40805")

# Slicer's MRML node classes by XML tag (GetNodeTagName() in Slicer/Slicer: Libs/MRML/Core/
# vtkMRMLScalarVolumeNode, vtkMRMLVolumeArchetypeStorageNode, vtkMRMLScalarVolumeDisplayNode,
# vtkMRMLSegmentationNode, vtkMRMLSegmentationStorageNode, vtkMRMLSegmentationDisplayNode,
# vtkMRMLModelNode, vtkMRMLModelStorageNode, vtkMRMLModelDisplayNode; Modules/Loadable/Markups/MRML/
# vtkMRMLMarkupsFiducialNode, vtkMRMLMarkupsJsonStorageNode, vtkMRMLMarkupsFiducialDisplayNode).
SLICER_NODES = {
    "Volume": "vtkMRMLScalarVolumeNode", "VolumeArchetypeStorage": "vtkMRMLVolumeArchetypeStorageNode",
    "VolumeDisplay": "vtkMRMLScalarVolumeDisplayNode", "Segmentation": "vtkMRMLSegmentationNode",
    "SegmentationStorage": "vtkMRMLSegmentationStorageNode", "SegmentationDisplay": "vtkMRMLSegmentationDisplayNode",
    "Model": "vtkMRMLModelNode", "ModelStorage": "vtkMRMLModelStorageNode", "ModelDisplay": "vtkMRMLModelDisplayNode",
    "MarkupsFiducial": "vtkMRMLMarkupsFiducialNode", "MarkupsJsonStorage": "vtkMRMLMarkupsJsonStorageNode",
    "MarkupsFiducialDisplay": "vtkMRMLMarkupsFiducialDisplayNode",
}
LABEL_OF_SEGMENT = {"Right lung": 1, "Left lung": 2, "Airways": 3, "Right lung lesion": 4, "Left lung lesion": 5,
                    "Pleural effusion": 6}


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


def check_segmentation_nrrd(folder, name):
    labels, header, origin, axes = read_nrrd(os.path.join(folder, "lungmask.seg.nrrd"))
    mask = read_nrrd(os.path.join(folder, "lungmask.nrrd"))[0]
    check(header.get("space") == "left-posterior-superior", f"{name}: seg.nrrd space {header.get('space')}")
    check(header.get("dimension") == "3" and header.get("kinds") == "domain domain domain",
          f"{name}: seg.nrrd is one 3D layer ({header.get('dimension')}, {header.get('kinds')})")
    check(np.array_equal(labels, mask), f"{name}: seg.nrrd voxels equal lungmask.nrrd's")
    segments = []
    while f"Segment{len(segments)}_ID" in header:
        segments.append({key: header.get(f"Segment{len(segments)}_{key}")
                         for key in ("ID", "Name", "Color", "LabelValue", "Layer", "Extent", "Tags")})
    check(not any(k.startswith(f"Segment{len(segments)}_") or k.startswith(f"Segment{len(segments) + 1}_")
                  for k in header), f"{name}: segment keys contiguous from 0")
    check(header.get("Segmentation_MasterRepresentation") == "Binary labelmap", f"{name}: master representation")
    present = sorted(int(v) for v in np.unique(labels) if v)
    check(sorted(int(s["LabelValue"]) for s in segments) == present,
          f"{name}: one segment per label present {present}: {[s['LabelValue'] for s in segments]}")
    for s in segments:
        label = int(s["LabelValue"])
        check(s["Layer"] == "0", f"{name}: {s['ID']} Layer 0")
        k, j, i = np.nonzero(labels == label)
        box = [i.min(), i.max(), j.min(), j.max(), k.min(), k.max()] if len(i) else None
        check(box is not None and [int(v) for v in s["Extent"].split()] == [int(v) for v in box],
              f"{name}: {s['ID']} extent {s['Extent']} is its voxels' box {box}")
        color = [float(v) for v in s["Color"].split()]
        check(len(color) == 3 and all(0 <= c <= 1 for c in color), f"{name}: {s['ID']} colour {s['Color']}")
        entry = [t for t in s["Tags"].split("|") if t.startswith("TerminologyEntry:")]
        check(len(entry) == 1 and len(entry[0].split("~")) == 7, f"{name}: {s['ID']} terminology entry {s['Tags']}")
        check(LABEL_OF_SEGMENT.get(s["Name"]) == label, f"{name}: segment {s['Name']} has label {label}")
    print(f"{name}: lungmask.seg.nrrd holds {len(segments)} segments: "
          + ", ".join(f"{s['Name']} ({s['LabelValue']})" for s in segments))
    return present


def check_scene(folder, name):
    path = os.path.join(folder, "scene.mrml")
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        check(False, f"{name}: scene.mrml is not well-formed XML: {error}")
        return
    check(root.tag == "MRML", f"{name}: scene root {root.tag}")
    ids = {node.get("id") for node in root}
    for node in root:
        check(node.tag in SLICER_NODES, f"{name}: scene node {node.tag} is a Slicer node type")
        check(node.get("id", "").startswith(SLICER_NODES.get(node.tag, "?")),
              f"{name}: {node.tag} id {node.get('id')} names its class")
        if "fileName" in node.attrib:
            target = os.path.join(folder, node.get("fileName").replace("%20", " "))
            check(not os.path.isabs(node.get("fileName")) and os.path.isfile(target),
                  f"{name}: {node.tag} file {node.get('fileName')} exists relative to the scene")
        for reference in filter(None, node.get("references", "").split(";")):
            role, target = reference.split(":", 1)
            check(target in ids, f"{name}: {node.tag} {role} reference {target} is a node of the scene")
        if node.tag == "ModelStorage":
            check(node.get("coordinateSystem") == "LPS", f"{name}: model storage in LPS")
    files = sorted(n.get("fileName") for n in root if "fileName" in n.attrib)
    print(f"{name}: scene.mrml references {files}")
    return files


def source_slices(folder, series_uid):
    """The slices of series `series_uid` below `folder`, by SOP Instance UID."""
    slices = {}
    for path in glob.glob(os.path.join(folder, "**", "*"), recursive=True):
        if os.path.isfile(path):
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            except Exception:  # noqa: BLE001 -- not DICOM
                continue
            if "ImagePositionPatient" in ds and ds.get("SeriesInstanceUID") == series_uid:
                slices[ds.SOPInstanceUID] = ds
    return slices


def expected_labels(ds, mask, origin, axes):
    """lungmask sampled at every pixel of source slice `ds` (nearest voxel, rounded half up)."""
    row, column = np.array(ds.ImageOrientationPatient[:3], float), np.array(ds.ImageOrientationPatient[3:], float)
    dy, dx = (float(v) for v in ds.PixelSpacing)
    j, i = np.meshgrid(np.arange(ds.Rows), np.arange(ds.Columns), indexing="ij")
    points = (np.array(ds.ImagePositionPatient, float) + i[..., None] * dx * row + j[..., None] * dy * column)
    index = np.floor(np.linalg.solve(axes.T, (points - origin).reshape(-1, 3).T).T + 0.5).astype(int)
    inside = np.all((index >= 0) & (index < np.array(mask.shape[::-1])), axis=1)
    labels = np.zeros(len(index), np.uint8)
    labels[inside] = mask[index[inside, 2], index[inside, 1], index[inside, 0]]
    return labels.reshape(ds.Rows, ds.Columns)


def check_dicom_seg(folder, source, name):
    path = os.path.join(folder, "lungmask.seg.dcm")
    verify = run("dciodvfy", path)
    errors = [line for line in (verify.stdout + verify.stderr).splitlines() if line.startswith("Error")]
    check(not errors, f"{name}: dciodvfy errors: {errors}")
    seg = pydicom.dcmread(path)
    referenced = seg.ReferencedSeriesSequence
    slices = source_slices(source, referenced[0].SeriesInstanceUID)
    first = next(iter(slices.values()))
    check(seg.Modality == "SEG" and seg.SegmentationType == "BINARY", f"{name}: a binary SEG")
    for key in ("PatientID", "PatientName", "StudyInstanceUID", "FrameOfReferenceUID"):
        check(str(seg.get(key)) == str(first.get(key)), f"{name}: {key} is the source's")
    sidecar = json.load(open(os.path.join(folder, "ctprep.json")))
    check(len(referenced) == 1 and referenced[0].SeriesInstanceUID == sidecar["source"]["series_instance_uid"],
          f"{name}: Referenced Series Sequence names the source series (the one ctprep.json names)")
    check({r.ReferencedSOPInstanceUID for r in referenced[0].ReferencedInstanceSequence} == set(slices),
          f"{name}: Referenced Series Sequence lists every source slice")
    mask, _, origin, axes = read_nrrd(os.path.join(folder, "lungmask.nrrd"))
    expected = {uid: expected_labels(ds, mask, origin, axes) for uid, ds in slices.items()}
    label_of = {s.SegmentNumber: LABEL_OF_SEGMENT.get(s.SegmentLabel) for s in seg.SegmentSequence}
    frames = seg.pixel_array.reshape(-1, seg.Rows, seg.Columns)
    covered, wrong, pixels = set(), 0, 0
    for frame, groups in zip(frames, seg.PerFrameFunctionalGroupsSequence):
        number = groups.SegmentIdentificationSequence[0].ReferencedSegmentNumber
        uid = groups.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        check(uid in slices, f"{name}: frame references a source slice ({uid})")
        if uid not in slices:
            continue
        position = np.array(groups.PlanePositionSequence[0].ImagePositionPatient, float)
        check(np.allclose(position, np.array(slices[uid].ImagePositionPatient, float), atol=1e-4),
              f"{name}: frame position is its slice's")
        truth = expected[uid] == label_of[number]
        wrong += int((truth != (frame > 0)).sum())
        pixels += int(truth.sum())
        covered.add((number, uid))
    for number, label in label_of.items():
        for uid, labels in expected.items():
            if (number, uid) not in covered:
                wrong += int((labels == label).sum())
    check(wrong == 0, f"{name}: {wrong} pixel(s) of the frames differ from lungmask.nrrd on the source slices")
    present = sorted(int(v) for v in np.unique(np.concatenate([e.ravel() for e in expected.values()])) if v)
    check(sorted(label_of.values()) == present, f"{name}: a segment for each label on the source slices {present}")
    print(f"{name}: lungmask.seg.dcm: {len(seg.SegmentSequence)} segments, {len(frames)} frames, {pixels} pixels "
          f"set, {wrong} differ from the mask on the source grid; dciodvfy: {len(errors)} errors")


def check_case(ctprep, source, out, name, *options):
    result = run(ctprep, "run", source, "-o", out, "--dicom-seg", "--spacing", "1", *options)
    check(result.returncode == 0, f"{name}: exit {result.returncode}: {result.stderr.strip()}")
    if result.returncode:
        return
    check_segmentation_nrrd(out, name)
    check_scene(out, name)
    moved = out + "-moved"
    shutil.rmtree(moved, ignore_errors=True)
    shutil.move(out, moved)
    files = check_scene(moved, name + " (moved)")
    check_dicom_seg(moved, source, name)
    return files


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else ""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if shutil.which("dciodvfy") is None:
        print("SKIPPED: dciodvfy (dicom3tools) is not installed")
        sys.exit(77)
    phantom = os.path.join(work, "phantom")
    check(run(ctprep, "phantom", phantom, "--matrix", "192", "--slices", "64").returncode == 0, "phantom")
    facts = json.load(open(os.path.join(phantom, "truth", "facts.json")))
    annotations = os.path.join(work, "annotations.csv")
    with open(annotations, "w") as f:
        f.write("seriesuid,coordX,coordY,coordZ,diameter_mm\n")
        for nodule in facts["nodules"]:
            f.write(f"{facts['series_instance_uid']},{','.join(str(v) for v in nodule['center_lps_mm'])},"
                    f"{2 * nodule['radius_mm']}\n")
    files = check_case(ctprep, os.path.join(phantom, "dicom"), os.path.join(work, "phantom-run"), "phantom",
                       "--annotations", annotations)
    check(files is not None and "nodules.mrk.json" in files, "phantom: the scene holds the nodules' markups")
    tilted = os.path.join(work, "tilted")
    result = run(ctprep, "phantom", tilted, "--matrix", "192", "--slices", "64", "--quirk", "mass-hilar",
                 "--quirk", "gantry-tilt")
    check(result.returncode == 0, f"tilted phantom: {result.stderr.strip()}")
    check_case(ctprep, os.path.join(tilted, "dicom"), os.path.join(work, "tilted-run"), "tilted mass phantom")

    mhd = os.path.join(work, "phantom.mhd")
    check(run(ctprep, "convert", os.path.join(phantom, "dicom"), "-o", mhd).returncode == 0, "convert to .mhd")
    refused = run(ctprep, "run", mhd, "-o", os.path.join(work, "volume-run"), "--dicom-seg")
    check(refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
          and "--dicom-seg" in refused.stderr and "phantom.mhd" in refused.stderr,
          f"volume file with --dicom-seg: exit {refused.returncode}: {refused.stderr.strip()}")
    check(not os.path.exists(os.path.join(work, "volume-run")), "volume file with --dicom-seg: nothing written")

    series = os.path.join(shared, *A0001) if shared else ""
    if series and os.path.isdir(series):
        check_case(ctprep, series, os.path.join(work, "a0001-run"), "A0001")
    else:
        print("A0001: skipped (no shared data)")
    for failure in FAILURES:
        print("FAIL:", failure)
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
