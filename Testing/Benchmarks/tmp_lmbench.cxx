#include "ctpLungMaskImageFilter.h"
#include "itkImageFileReader.h"
#include "itkNrrdImageIO.h"
#include <chrono>
#include <ctime>
#include <iostream>
int main(int argc, char** argv){
  auto r = itk::ImageFileReader<ctp::HUImageType>::New(); r->SetFileName(argv[1]); r->SetImageIO(itk::NrrdImageIO::New()); r->Update();
  ctp::HUImageType::Pointer hu = r->GetOutput(); hu->DisconnectPipeline();
  int n = argc > 2 ? atoi(argv[2]) : 3; bool les = argc > 3 ? atoi(argv[3]) : 1;
  for (int i=0;i<n;++i){
    auto f = ctp::LungMaskImageFilter::New(); f->SetInput(hu); f->SetComputeBodyMask(true); f->SetCaptureLesions(les); f->SetFindEffusion(les);
    auto t=std::chrono::steady_clock::now(); auto c=std::clock(); f->Update(); 
    std::cout << std::chrono::duration<double>(std::chrono::steady_clock::now()-t).count() << " s wall " << double(std::clock()-c)/CLOCKS_PER_SEC << " s cpu, lesions " << f->GetLesions().size() << "\n";
    if (getenv("LIST")) for (auto& l : f->GetLesions()) std::cout << "  side " << int(l.Side) << " " << l.VolumeMl << " mL at " << l.CentroidLPS[0] << "," << l.CentroidLPS[1] << "," << l.CentroidLPS[2] << " d " << l.DiameterMm << " br " << l.AirBronchograms << "\n";
  }
}
