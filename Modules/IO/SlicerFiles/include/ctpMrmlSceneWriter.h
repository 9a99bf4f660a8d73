#ifndef ctpMrmlSceneWriter_h
#define ctpMrmlSceneWriter_h

#include <array>
#include <string>
#include <vector>

namespace ctp
{
/** A file of a 3D Slicer scene, by its path relative to the scene file, with the name Slicer shows. */
struct SceneFile
{
  std::string File; ///< relative to the scene's folder: "hu.nrrd"
  std::string Name; ///< the node's name in Slicer: "hu"
};

/** A scalar volume with its window. */
struct SceneVolume : SceneFile
{
  double Window{ 1500.0 };
  double Level{ -600.0 };
};

/** A surface model (STL, VTK, PLY) in LPS millimetres, with its colour (0..1) and opacity. */
struct SceneModel : SceneFile
{
  std::array<double, 3> Color{ { 1.0, 1.0, 1.0 } };
  double                Opacity{ 1.0 };
};

/** What a scene holds; an empty File leaves that node out. */
struct SlicerScene
{
  SceneVolume             Volume;
  SceneFile               Segmentation; ///< a .seg.nrrd over the volume (its reference geometry)
  std::vector<SceneModel> Models;
  SceneFile               Markups; ///< a .mrk.json point list
};

/** \brief The scene as 3D Slicer's MRML XML: `<MRML>` holding one element per node.
 *
 * Every data node comes with its storage node (the file, resolved by Slicer against the scene file's
 * folder, so a moved folder still opens) and its display node, linked by the `references` attribute
 * ("display:ID;storage:ID;"), the form vtkMRMLNode::ParseReferencesAttribute reads. Element names are
 * the nodes' XML tags (GetNodeTagName() of each class in Slicer/Slicer):
 *
 * | element | class | where Slicer defines it |
 * |---|---|---|
 * | Volume, VolumeArchetypeStorage, VolumeDisplay | vtkMRMLScalarVolumeNode, vtkMRMLVolumeArchetypeStorageNode,
 * vtkMRMLScalarVolumeDisplayNode | Libs/MRML/Core | | Segmentation, SegmentationStorage, SegmentationDisplay |
 * vtkMRMLSegmentationNode, vtkMRMLSegmentationStorageNode, vtkMRMLSegmentationDisplayNode | Libs/MRML/Core | | Model,
 * ModelStorage, ModelDisplay | vtkMRMLModelNode, vtkMRMLModelStorageNode, vtkMRMLModelDisplayNode | Libs/MRML/Core | |
 * MarkupsFiducial, MarkupsJsonStorage, MarkupsFiducialDisplay | vtkMRMLMarkupsFiducialNode,
 * vtkMRMLMarkupsJsonStorageNode, vtkMRMLMarkupsFiducialDisplayNode | Modules/Loadable/Markups/MRML |
 *
 * What Slicer's readers would otherwise get wrong is spelled out: `autoWindowLevel="0"` (else the
 * window is recomputed from the data), `coordinateSystem="LPS"` on model storage (a scene without it
 * is read as RAS, the legacy default), booleans as "true"/"false" (vtkMRMLReadXMLBooleanMacro takes
 * anything else as false), the segmentation's `referenceImageGeometryRef` to the volume, and file
 * names URL-encoded as vtkMRMLNode::URLDecodeString expects. */
std::string
MrmlSceneText(const SlicerScene & scene);

/** Writes MrmlSceneText(scene) to `path` atomically; throws ctp::Error(OutputNotWritable). */
void
WriteMrmlScene(const SlicerScene & scene, const std::string & path);

} // namespace ctp

#endif
