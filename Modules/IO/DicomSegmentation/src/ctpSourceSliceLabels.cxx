#include "ctpSourceSliceLabels.h"


namespace ctp
{
std::vector<MaskPixelType>
LabelsOnSourceSlice(const MaskImageType * mask, const DicomFileInfo & slice)
{
  std::vector<MaskPixelType> labels(static_cast<size_t>(slice.Rows) * slice.Columns, 0);
  const auto &               o = slice.ImageOrientationPatient;
  const auto &               p = slice.ImagePositionPatient;
  const double               columnSpacing = slice.PixelSpacing[1]; // between columns: along the row direction
  const double               rowSpacing = slice.PixelSpacing[0];
  // The slice's pixel (i, j) in the mask's continuous index space is start + i * alongRow + j * alongColumn.
  itk::Point<double, 3> first;
  itk::Point<double, 3> nextColumn;
  itk::Point<double, 3> nextRow;
  for (unsigned int k = 0; k < 3; ++k)
  {
    first[k] = p[k];
    nextColumn[k] = p[k] + columnSpacing * o[k];
    nextRow[k] = p[k] + rowSpacing * o[3 + k];
  }
  using IndexPoint = itk::ContinuousIndex<double, 3>;
  const auto start = mask->TransformPhysicalPointToContinuousIndex<double, double>(first);
  const auto column = mask->TransformPhysicalPointToContinuousIndex<double, double>(nextColumn);
  const auto row = mask->TransformPhysicalPointToContinuousIndex<double, double>(nextRow);
  IndexPoint alongRow;
  IndexPoint alongColumn;
  for (unsigned int k = 0; k < 3; ++k)
  {
    alongRow[k] = column[k] - start[k];
    alongColumn[k] = row[k] - start[k];
  }
  const auto      region = mask->GetLargestPossibleRegion();
  const auto      low = region.GetIndex();
  const double    size[3] = { static_cast<double>(region.GetSize()[0]),
                              static_cast<double>(region.GetSize()[1]),
                              static_cast<double>(region.GetSize()[2]) };
  const size_t    strideY = region.GetSize()[0];
  const size_t    strideZ = strideY * region.GetSize()[1];
  const auto      buffer = mask->GetBufferPointer();
  MaskPixelType * out = labels.data();
  for (unsigned int j = 0; j < slice.Rows; ++j)
  {
    // Shifted by a half voxel and by the region's start: x + 0.5 - low >= 0 rounds down by truncation.
    double x[3];
    for (unsigned int k = 0; k < 3; ++k)
    {
      x[k] = start[k] + j * alongColumn[k] + 0.5 - low[k];
    }
    for (unsigned int i = 0; i < slice.Columns; ++i, ++out)
    {
      const double a = x[0] + i * alongRow[0];
      const double b = x[1] + i * alongRow[1];
      const double c = x[2] + i * alongRow[2];
      if (a >= 0.0 && a < size[0] && b >= 0.0 && b < size[1] && c >= 0.0 && c < size[2])
      {
        *out = buffer[static_cast<size_t>(a) + static_cast<size_t>(b) * strideY + static_cast<size_t>(c) * strideZ];
      }
    }
  }
  return labels;
}

} // namespace ctp
