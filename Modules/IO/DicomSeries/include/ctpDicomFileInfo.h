#ifndef ctpDicomFileInfo_h
#define ctpDicomFileInfo_h

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace ctp
{
/** \brief What one DICOM file says about itself, read from its header only (no pixel decoding).
 *
 * Filled by ReadDicomFileInfo(). Optional geometry tags are flagged with Has...; rescale defaults
 * to slope 1, intercept 0 as the standard says when the tags are absent. */
struct DicomFileInfo
{
  std::string           Path;
  std::string           SOPClassUID;
  std::string           SOPInstanceUID;
  std::string           Modality;
  std::string           StudyInstanceUID;
  std::string           SeriesInstanceUID;
  std::string           SeriesNumber;
  std::string           SeriesDescription;
  std::string           ImageType;
  std::string           TransferSyntaxUID;
  std::string           TransferSyntaxName;
  unsigned int          Rows{ 0 };
  unsigned int          Columns{ 0 };
  unsigned int          NumberOfFrames{ 1 };
  unsigned int          BitsAllocated{ 0 };
  unsigned int          BitsStored{ 0 };
  unsigned int          HighBit{ 0 };
  std::string           PhotometricInterpretation;
  unsigned int          SamplesPerPixel{ 1 };
  int                   PixelRepresentation{ 0 };
  int                   InstanceNumber{ 0 };
  bool                  HasPixelSpacing{ false };
  std::array<double, 2> PixelSpacing{ { 0.0, 0.0 } }; ///< (row spacing, column spacing) as in the tag: y, then x
  bool                  HasPosition{ false };
  std::array<double, 3> ImagePositionPatient{ { 0.0, 0.0, 0.0 } };
  bool                  HasOrientation{ false };
  std::array<double, 6> ImageOrientationPatient{ { 1.0, 0.0, 0.0, 0.0, 1.0, 0.0 } };
  std::optional<double> SliceThickness;
  std::optional<double> GantryTilt;
  double                RescaleSlope{ 1.0 };
  double                RescaleIntercept{ 0.0 };
  std::optional<double> PixelPaddingValue; ///< stored units, as in the tag
  bool                  HasPixelData{ false };
  bool                  IsCompressed{ false };
  bool                  Truncated{ false }; ///< pixel data shorter than rows x columns x frames says
  /** Byte offset and length of the native (uncompressed, little-endian) pixel data value in the
   *  file, so a reader can take it with one read; 0 when not known (compressed, undefined length). */
  size_t      PixelDataOffset{ 0 };
  size_t      PixelDataLength{ 0 };
  std::string Problem; ///< why the file cannot be used as an image slice, if so

  bool
  IsDicomDir() const
  {
    return SOPClassUID == "1.2.840.10008.1.3.10";
  }
  bool
  IsLocalizer() const;
  bool
  IsSecondaryCapture() const;
  bool
  IsEnhancedMultiFrame() const
  {
    return NumberOfFrames > 1;
  }
  /** Bytes of uncompressed pixel data the header declares: rows x columns x frames x samples x bytes. */
  size_t
  PixelDataBytes() const
  {
    return size_t(Rows) * Columns * NumberOfFrames * SamplesPerPixel * ((BitsAllocated + 7) / 8);
  }
  /** Bytes of the image decoded as float, with at most 4 samples per pixel (DICOM has 1, 3 or 4): what
   *  a decoder may allocate for this file (a header declaring 4097 samples asked for 2 GB). */
  size_t
  DecodedFloatBytes() const
  {
    return size_t(Rows) * Columns * NumberOfFrames * std::min(SamplesPerPixel, 4u) * sizeof(float);
  }
};

/** Reads the header of `path`. Returns std::nullopt when the file is not DICOM (a DIRFILE, a README,
 *  an image of another format); throws ctp::Error(InvalidInput) naming the file when it cannot be
 *  opened at all (permissions). */
std::optional<DicomFileInfo>
ReadDicomFileInfo(const std::string & path);

} // namespace ctp

#endif
