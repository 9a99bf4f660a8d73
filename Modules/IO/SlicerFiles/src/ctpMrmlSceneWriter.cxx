#include "ctpMrmlSceneWriter.h"
#include "ctpAtomicOutputFile.h"

#include <sstream>

namespace ctp
{
namespace
{
/** An attribute value: file names URL-encoded as Slicer decodes them (vtkMRMLNode::URLDecodeString:
 *  %25 %20 %27 %3E %3C %22), then XML-escaped. */
std::string
Attribute(const std::string & value, bool url = false)
{
  std::string out;
  for (const char c : value)
  {
    if (url && (c == '%' || c == ' ' || c == '\'' || c == '<' || c == '>' || c == '"'))
    {
      static const char * hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 15];
      out += hex[static_cast<unsigned char>(c) & 15];
      continue;
    }
    switch (c)
    {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string
Rgb(const std::array<double, 3> & c)
{
  std::ostringstream text;
  text << c[0] << " " << c[1] << " " << c[2];
  return text.str();
}

/** One data node with its storage and display nodes; `display` and `storage` hold their extra
 *  attributes, `references` extra roles ("role:ID;"). */
void
WriteNode(std::ostream & xml, const std::string & tag, const std::string & classStem, int n, const SceneFile & file,
          const std::string & displayTag, const std::string & displayClass, const std::string & display,
          const std::string & storageTag, const std::string & storage, const std::string & references = "")
{
  const std::string number = std::to_string(n);
  const std::string id = "vtkMRML" + classStem + "Node" + number;
  const std::string storageId = "vtkMRML" + storageTag + "Node" + number;
  const std::string displayId = "vtkMRML" + displayClass + "Node" + number;
  xml << " <" << storageTag << " id=\"" << storageId << "\" name=\"" << storageTag << number << "\" fileName=\""
      << Attribute(file.File, true) << "\"" << storage << "></" << storageTag << ">\n";
  xml << " <" << displayTag << " id=\"" << displayId << "\" name=\"" << displayTag << number << "\"" << display << "></"
      << displayTag << ">\n";
  xml << " <" << tag << " id=\"" << id << "\" name=\"" << Attribute(file.Name)
      << "\" references=\"display:" << displayId << ";storage:" << storageId << ";" << references << "\"></" << tag
      << ">\n";
}
} // namespace

std::string
MrmlSceneText(const SlicerScene & scene)
{
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml << "<MRML version=\"Slicer4.4.0\" userTags=\"\">\n";
  const std::string volumeId = "vtkMRMLScalarVolumeNode1";
  if (!scene.Volume.File.empty())
  {
    std::ostringstream display;
    display << " window=\"" << scene.Volume.Window << "\" level=\"" << scene.Volume.Level
            << "\" autoWindowLevel=\"0\" interpolate=\"1\" colorNodeID=\"vtkMRMLColorTableNodeGrey\""
               " visibility=\"true\"";
    WriteNode(xml,
              "Volume",
              "ScalarVolume",
              1,
              scene.Volume,
              "VolumeDisplay",
              "ScalarVolumeDisplay",
              display.str(),
              "VolumeArchetypeStorage",
              "");
  }
  if (!scene.Segmentation.File.empty())
  {
    WriteNode(xml,
              "Segmentation",
              "Segmentation",
              1,
              scene.Segmentation,
              "SegmentationDisplay",
              "SegmentationDisplay",
              " visibility=\"true\" opacity=\"1\"",
              "SegmentationStorage",
              "",
              scene.Volume.File.empty() ? "" : "referenceImageGeometryRef:" + volumeId + ";");
  }
  int n = 0;
  for (const auto & model : scene.Models)
  {
    std::ostringstream display;
    display << " color=\"" << Rgb(model.Color) << "\" opacity=\"" << model.Opacity
            << "\" visibility=\"true\" visibility2D=\"true\" scalarVisibility=\"false\"";
    WriteNode(xml,
              "Model",
              "Model",
              ++n,
              model,
              "ModelDisplay",
              "ModelDisplay",
              display.str(),
              "ModelStorage",
              " coordinateSystem=\"LPS\"");
  }
  if (!scene.Markups.File.empty())
  {
    WriteNode(xml,
              "MarkupsFiducial",
              "MarkupsFiducial",
              1,
              scene.Markups,
              "MarkupsFiducialDisplay",
              "MarkupsFiducialDisplay",
              " visibility=\"true\"",
              "MarkupsJsonStorage",
              "");
  }
  xml << "</MRML>\n";
  return xml.str();
}

void
WriteMrmlScene(const SlicerScene & scene, const std::string & path)
{
  WriteTextFileAtomically(path, MrmlSceneText(scene));
}

} // namespace ctp
