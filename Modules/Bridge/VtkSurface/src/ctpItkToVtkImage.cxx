#include "ctpItkToVtkImage.h"

#include "itkVTKImageExport.h"

#include <vtkImageImport.h>

namespace ctp
{
template <typename TImage>
struct ItkToVtkImage<TImage>::Impl
{
  typename TImage::ConstPointer                 Image;
  typename itk::VTKImageExport<TImage>::Pointer Exporter;
  vtkSmartPointer<vtkImageImport>               Importer;
};

template <typename TImage>
ItkToVtkImage<TImage>::ItkToVtkImage(const TImage * image)
  : m_Impl(new Impl)
{
  m_Impl->Image = image;
  m_Impl->Exporter = itk::VTKImageExport<TImage>::New();
  m_Impl->Exporter->SetInput(image);
  auto & e = *m_Impl->Exporter;
  m_Impl->Importer = vtkSmartPointer<vtkImageImport>::New();
  auto & i = *m_Impl->Importer;
  i.SetUpdateInformationCallback(e.GetUpdateInformationCallback());
  i.SetPipelineModifiedCallback(e.GetPipelineModifiedCallback());
  i.SetWholeExtentCallback(e.GetWholeExtentCallback());
  i.SetSpacingCallback(e.GetSpacingCallback());
  i.SetOriginCallback(e.GetOriginCallback());
  i.SetDirectionCallback(e.GetDirectionCallback());
  i.SetScalarTypeCallback(e.GetScalarTypeCallback());
  i.SetNumberOfComponentsCallback(e.GetNumberOfComponentsCallback());
  i.SetPropagateUpdateExtentCallback(e.GetPropagateUpdateExtentCallback());
  i.SetUpdateDataCallback(e.GetUpdateDataCallback());
  i.SetDataExtentCallback(e.GetDataExtentCallback());
  i.SetBufferPointerCallback(e.GetBufferPointerCallback());
  i.SetCallbackUserData(e.GetCallbackUserData());
  i.Update();
}

template <typename TImage>
ItkToVtkImage<TImage>::~ItkToVtkImage()
{
  delete m_Impl;
}

template <typename TImage>
vtkImageData *
ItkToVtkImage<TImage>::GetOutput() const
{
  return m_Impl->Importer->GetOutput();
}

template <typename TImage>
std::array<double, 16>
IndexToPhysicalMatrix(const TImage * image)
{
  std::array<double, 16> m{};
  const auto &           d = image->GetDirection();
  for (unsigned int r = 0; r < 3; ++r)
  {
    for (unsigned int c = 0; c < 3; ++c)
    {
      m[r * 4 + c] = d[r][c] * image->GetSpacing()[c];
    }
    m[r * 4 + 3] = image->GetOrigin()[r];
  }
  m[15] = 1.0;
  return m;
}

template class ItkToVtkImage<HUImageType>;
template class ItkToVtkImage<MaskImageType>;
template std::array<double, 16>
IndexToPhysicalMatrix(const HUImageType *);
template std::array<double, 16>
IndexToPhysicalMatrix(const MaskImageType *);

} // namespace ctp
