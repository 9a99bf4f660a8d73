#include "ctpError.h"


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
  // A line break (ITK's exception texts have them) and the indentation around it become one space;
  // other spaces stay as they are, because paths may hold several in a row.
  std::string out;
  out.reserve(text.size());
  bool afterBreak = false;
  for (const char c : text)
  {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f')
    {
      afterBreak = true;
      continue;
    }
    if (afterBreak)
    {
      if (c == ' ')
      {
        continue;
      }
      while (!out.empty() && out.back() == ' ')
      {
        out.pop_back();
      }
      if (!out.empty())
      {
        out.push_back(' ');
      }
      afterBreak = false;
    }
    out.push_back(c);
  }
  const size_t first = out.find_first_not_of(' ');
  const size_t last = out.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

} // namespace ctp
