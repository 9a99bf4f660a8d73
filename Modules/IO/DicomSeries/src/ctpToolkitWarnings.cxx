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
  gdcm::Trace::ErrorOff(); // GDCM's multi-line error printouts; failures reach us as exceptions or return values
}
} // namespace ctp
