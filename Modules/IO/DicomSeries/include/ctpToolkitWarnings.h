#ifndef ctpToolkitWarnings_h
#define ctpToolkitWarnings_h

namespace ctp
{
/** Turns off ITK's and GDCM's own warning printouts ("WARNING: In ...cxx, line 100 ..."), which
 *  would otherwise break the one-line error contract on stderr. CTPrep reports what matters itself:
 *  call once at program start. */
void
QuietToolkitWarnings();
} // namespace ctp

#endif
