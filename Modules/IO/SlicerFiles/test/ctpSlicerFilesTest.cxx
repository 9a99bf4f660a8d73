#include "ctpMrmlSceneWriter.h"
#include "ctpSegmentationNrrdWriter.h"

#include "itkImageFileReader.h"
#include "itkMetaDataObject.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
ctp::SegmentDescription
Described(ctp::MaskPixelType label, const std::string & id)
{
  ctp::SegmentDescription s;
  s.Label = label;
  s.Id = id;
  s.Name = id + " name";
  s.Category = { "123037004", "SCT", "Anatomical Structure" };
  s.Type = { "39607008", "SCT", "Lung" };
  s.Color = { 0.25, 0.5, 1.0 };
  return s;
}

std::string
Key(const itk::MetaDataDictionary & header, const std::string & key)
{
  std::string value;
  if (!itk::ExposeMetaData<std::string>(header, key, value))
  {
    return "<missing>";
  }
  return value;
}
} // namespace

TEST(SegmentationNrrd, SegmentsOfThePresentLabelsContiguousWithTheirExtents)
{
  // 6 x 5 x 4 voxels: label 2 at (1..3, 2, 0..1), label 5 at the single voxel (5, 4, 3); label 3 absent.
  auto                         labels = ctp::MaskImageType::New();
  ctp::MaskImageType::SizeType size{ { 6, 5, 4 } };
  labels->SetRegions(size);
  labels->Allocate(true);
  for (long k = 0; k <= 1; ++k)
  {
    for (long i = 1; i <= 3; ++i)
    {
      labels->SetPixel({ { i, 2, k } }, 2);
    }
  }
  labels->SetPixel({ { 5, 4, 3 } }, 5);
  const fs::path path = fs::path(testing::TempDir()) / ("ctp-labels-" + std::to_string(::getpid()) + ".seg.nrrd");
  const auto     written = ctp::WriteSegmentationNrrd(
    labels, { Described(3, "absent"), Described(2, "two"), Described(5, "five") }, path.string());
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0].Voxels, 6u);
  EXPECT_EQ(written[1].Voxels, 1u);

  auto reader = itk::ImageFileReader<ctp::MaskImageType>::New();
  reader->SetFileName(path.string());
  reader->Update();
  const auto & header = reader->GetOutput()->GetMetaDataDictionary();
  EXPECT_EQ(Key(header, "Segment0_ID"), "two");
  EXPECT_EQ(Key(header, "Segment0_LabelValue"), "2");
  EXPECT_EQ(Key(header, "Segment0_Extent"), "1 3 2 2 0 1");
  EXPECT_EQ(Key(header, "Segment0_Layer"), "0");
  EXPECT_EQ(Key(header, "Segment0_Color"), "0.25 0.5 1");
  EXPECT_EQ(Key(header, "Segment1_ID"), "five");
  EXPECT_EQ(Key(header, "Segment1_Extent"), "5 5 4 4 3 3");
  EXPECT_EQ(Key(header, "Segment2_ID"), "<missing>");
  EXPECT_EQ(Key(header, "Segmentation_MasterRepresentation"), "Binary labelmap");
  EXPECT_EQ(Key(header, "Segment0_Tags"),
            "TerminologyEntry:Segmentation category and type - 3D Slicer General Anatomy list~SCT^123037004^Anatomical "
            "Structure~SCT^39607008^Lung~^^~Anatomic codes - DICOM master list~^^~^^|");

  std::ifstream     in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("space: left-posterior-superior"), std::string::npos);
  EXPECT_NE(text.str().find("encoding: gzip"), std::string::npos);
}

TEST(MrmlScene, NodesReferenceTheirStorageAndDisplay)
{
  ctp::SlicerScene scene;
  scene.Volume.File = "hu.nrrd";
  scene.Volume.Name = "hu";
  scene.Segmentation = { "lungmask.seg.nrrd", "lungmask" };
  ctp::SceneModel model;
  model.File = "my bone.stl";
  model.Name = "bone & more";
  scene.Models.push_back(model);
  const std::string xml = ctp::MrmlSceneText(scene);
  EXPECT_NE(xml.find("<Volume id=\"vtkMRMLScalarVolumeNode1\" name=\"hu\" references=\"display:"
                     "vtkMRMLScalarVolumeDisplayNode1;storage:vtkMRMLVolumeArchetypeStorageNode1;\">"),
            std::string::npos)
    << xml;
  EXPECT_NE(xml.find("referenceImageGeometryRef:vtkMRMLScalarVolumeNode1;"), std::string::npos);
  EXPECT_NE(xml.find("fileName=\"my%20bone.stl\" coordinateSystem=\"LPS\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"bone &amp; more\""), std::string::npos);
  EXPECT_NE(xml.find("autoWindowLevel=\"0\""), std::string::npos);
  EXPECT_EQ(xml.find("Markups"), std::string::npos);
}
