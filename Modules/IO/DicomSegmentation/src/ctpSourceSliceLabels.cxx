#include "ctpSourceSliceLabels.h"

#include <cmath>

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
  const auto region = mask->GetLargestPossibleRegion();
  const auto size = region.GetSize();
  const auto low = region.GetIndex();
  const auto buffer = mask->GetBufferPointer();
  for (unsigned int j = 0; j < slice.Rows; ++j)
  {
    for (unsigned int i = 0; i < slice.Columns; ++i)
    {
      long offset = 0;
      long stride = 1;
      bool inside = true;
      for (unsigned int k = 0; k < 3 && inside; ++k)
      {
        const double x = start[k] + i * alongRow[k] + j * alongColumn[k];
        const long   n = static_cast<long>(std::floor(x + 0.5)) - low[k];
        inside = n >= 0 && n < static_cast<long>(size[k]);
        offset += n * stride;
        stride *= static_cast<long>(size[k]);
      }
      if (inside)
      {
        labels[static_cast<size_t>(j) * slice.Columns + i] = buffer[offset];
      }
    }
  }
  return labels;
}

} // namespace ctp
