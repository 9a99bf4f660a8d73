#ifndef ctpText_h
#define ctpText_h

#include <cctype>
#include <string>

namespace ctp
{
/** `text` in lower case (ASCII letters; other bytes as they are). */
inline std::string
LowerCase(std::string text)
{
  for (char & c : text)
  {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

/** `text` in upper case (ASCII letters; other bytes as they are). */
inline std::string
UpperCase(std::string text)
{
  for (char & c : text)
  {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

/** Whether `text` ends with `suffix` (case as given). */
inline bool
EndsWith(const std::string & text, const std::string & suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace ctp

#endif
