#include "ctpError.h"

#include <cctype>

namespace ctp
{
const char *
ErrorKindName(ErrorKind kind)
{
  switch (kind)
  {
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::NoDicom:
      return "no-dicom";
    case ErrorKind::NoSeries:
      return "no-ct-series";
    case ErrorKind::InvalidInput:
      return "invalid-input";
    case ErrorKind::OutputNotWritable:
      return "output-not-writable";
    case ErrorKind::ProcessingFailed:
      return "processing-failed";
    case ErrorKind::MemoryLimit:
      return "memory-limit";
  }
  return "unknown";
}

Error::Error(ErrorKind kind, const std::string & message)
  : std::runtime_error(OneLine(message))
  , m_Kind(kind)
{}

Error::Error(ErrorKind kind, const std::string & path, const std::string & problem)
  : Error(kind, path + ": " + problem)
{}

std::string
OneLine(const std::string & text)
{
  std::string out;
  out.reserve(text.size());
  bool pendingSpace = false;
  for (const char c : text)
  {
    if (std::isspace(static_cast<unsigned char>(c)))
    {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace)
    {
      out.push_back(' ');
      pendingSpace = false;
    }
    out.push_back(c);
  }
  return out;
}

} // namespace ctp
