#include "ctpToolkitWarnings.h"

#include "itkObject.h"

#include "gdcmTrace.h"

namespace ctp
{
void
QuietToolkitWarnings()
{
  itk::Object::GlobalWarningDisplayOff();
  gdcm::Trace::WarningOff();
  gdcm::Trace::DebugOff();
}
} // namespace ctp
