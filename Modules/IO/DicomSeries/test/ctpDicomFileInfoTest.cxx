// Declared lengths that run past the end of the file are refused before GDCM reserves them: small
// synthetic files with the defects fuzzing found (ctpDicomFileFuzzer), each made from a valid slice.
#include "ctpDicomFileInfo.h"
#include "ctpDicomSeriesReader.h"
#include "ctpDicomSeriesWriter.h"
#include "ctpError.h"

#include "itkGDCMImageIO.h"
#include "itkImageFileWriter.h"
#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/resource.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
class DeclaredLengths : public testing::Test
{
protected:
  void
  SetUp() override
  {
    m_Dir = fs::temp_directory_path() /
            ("ctp-lengths-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid()));
    fs::remove_all(m_Dir);
    fs::create_directories(m_Dir);
  }
  void
  TearDown() override
  {
    fs::remove_all(m_Dir);
  }

  /** One 16 x 16 CT slice, uncompressed (implicit VR) or compressed (explicit VR, encapsulated; JPEG 2000
   *  unless told). */
  std::string
  WriteSlice(bool compressed, itk::GDCMImageIO::CompressionEnum compression = itk::GDCMImageIO::JPEG2000)
  {
    auto                       image = ctp::HUImageType::New();
    ctp::HUImageType::SizeType size{ { 16, 16, 1 } };
    image->SetRegions(size);
    image->Allocate();
    ctp::HUPixelType value = -1000;
    for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
    {
      it.Set(value++);
    }
    if (!compressed)
    {
      return ctp::WriteDicomSeries(image, (m_Dir / "plain").string(), {}).Files.front();
    }
    const std::string path = (m_Dir / "j2k.dcm").string();
    auto              io = itk::GDCMImageIO::New();
    io->SetCompressionType(compression);
    auto writer = itk::ImageFileWriter<ctp::HUImageType>::New();
    writer->SetImageIO(io);
    writer->UseCompressionOn(); // the writer hands its own flag to the ImageIO
    writer->SetInput(image);
    writer->SetFileName(path);
    writer->Update();
    return path;
  }

  static std::string
  Load(const std::string & path)
  {
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
  }

  std::string
  Save(const std::string & name, const std::string & bytes)
  {
    const std::string path = (m_Dir / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static void
  Put32(std::string & bytes, size_t at, uint32_t value)
  {
    for (int b = 0; b < 4; ++b)
    {
      bytes[at + b] = static_cast<char>((value >> (8 * b)) & 0xff);
    }
  }

  /** Where the pixel data element (7FE0,0010) starts. */
  static size_t
  PixelDataAt(const std::string & bytes)
  {
    const size_t at = bytes.find(std::string("\xe0\x7f\x10\x00", 4));
    EXPECT_NE(at, std::string::npos);
    return at;
  }

  /** The error ReadDicomFileInfo gives, or "" when it reads the file. */
  static std::string
  Refusal(const std::string & path)
  {
    try
    {
      ctp::ReadDicomFileInfo(path);
    }
    catch (const ctp::Error & e)
    {
      EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
      return e.what();
    }
    return {};
  }

  fs::path m_Dir;
};
} // namespace

TEST_F(DeclaredLengths, ValidSlicesAreRead)
{
  for (const bool compressed : { false, true })
  {
    const std::string path = WriteSlice(compressed);
    EXPECT_EQ(Refusal(path), "") << path;
    const auto image = ctp::ReadDicomFile(path);
    EXPECT_EQ(image->GetPixel({ { 1, 0, 0 } }), -999.0f) << path;
  }
}

// A 3 KB file whose element (8686,8686) in the header declared 2 GB (fixed before this test existed).
TEST_F(DeclaredLengths, HeaderElementLongerThanTheFile)
{
  std::string bytes = Load(WriteSlice(false));
  // Implicit VR: SeriesDescription (0008,103E) = tag, 4-byte length, value.
  const size_t at = bytes.find(std::string("\x08\x00\x3e\x10", 4));
  ASSERT_NE(at, std::string::npos);
  Put32(bytes, at + 4, 0x80000000u);
  const std::string message = Refusal(Save("header.dcm", bytes));
  EXPECT_NE(message.find("malformed: element (0008,103E) declares 2147483648 bytes"), std::string::npos) << message;
}

// Fuzzing: an element after the pixel data declared 4 GB; decoding reserved and zero-filled it
// (4.2 GB of memory for a 3.4 KB file in `ctprep convert`) before failing.
TEST_F(DeclaredLengths, ElementAfterThePixelData)
{
  const std::string plain = Load(WriteSlice(false));
  // Trailing padding (FFFC,FFFC) of 8 bytes is fine.
  std::string       padded = plain + std::string("\xfc\xff\xfc\xff\x08\x00\x00\x00", 8) + std::string(8, '\0');
  const std::string paddedPath = Save("padded.dcm", padded);
  EXPECT_EQ(Refusal(paddedPath), "");
  EXPECT_EQ(ctp::ReadDicomFile(paddedPath)->GetPixel({ { 1, 0, 0 } }), -999.0f);

  std::string       garbage = plain + std::string("\x18\xfc\x18\xfc\x18\xfc\x18\xfc", 8) + std::string(100, '\x0b');
  const std::string message = Refusal(Save("trailing.dcm", garbage));
  EXPECT_NE(message.find("malformed: element (FC18,FC18) declares 4229495832 bytes, the file has 100 left"),
            std::string::npos)
    << message;
}

// Fuzzing: a pixel data length beyond the file with the whole image present: decoding reserved the
// declared 4 GB, then decoded the slice. A file cut short keeps its own message (truncated pixel data).
TEST_F(DeclaredLengths, PixelDataLongerThanTheFile)
{
  std::string  bytes = Load(WriteSlice(false));
  const size_t at = PixelDataAt(bytes);
  Put32(bytes, at + 4, 0xf0000000u); // implicit VR: the length follows the tag
  const std::string message = Refusal(Save("pixels.dcm", bytes));
  EXPECT_NE(message.find("malformed: element (7FE0,0010) declares 4026531840 bytes, the file has 512 left"),
            std::string::npos)
    << message;

  std::string cut = Load(WriteSlice(false));
  cut.resize(cut.size() - 100);
  const auto info = ctp::ReadDicomFileInfo(Save("cut.dcm", cut));
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->Truncated);
  EXPECT_EQ(info->Problem, "truncated pixel data (412 of 512 bytes)");
}

// Fuzzing: one fragment of compressed pixel data declared 4 GB: decoding took 12 GB of memory.
TEST_F(DeclaredLengths, CompressedFragmentLongerThanTheFile)
{
  std::string  bytes = Load(WriteSlice(true));
  const size_t at = PixelDataAt(bytes);
  ASSERT_EQ(bytes.substr(at + 4, 8), std::string("OB\0\0\xff\xff\xff\xff", 8)) << "encapsulated pixel data";
  // Items: the basic offset table, then the first fragment.
  const size_t table = at + 12;
  ASSERT_EQ(bytes.substr(table, 4), std::string("\xfe\xff\x00\xe0", 4));
  const uint32_t tableLength = static_cast<uint8_t>(bytes[table + 4]) | (static_cast<uint8_t>(bytes[table + 5]) << 8);
  const size_t   fragment = table + 8 + tableLength;
  ASSERT_EQ(bytes.substr(fragment, 4), std::string("\xfe\xff\x00\xe0", 4));
  Put32(bytes, fragment + 4, 0xf0000000u);
  const std::string message = Refusal(Save("fragment.dcm", bytes));
  EXPECT_NE(message.find("malformed: item of the pixel data (FFFE,E000) declares 4026531840 bytes"), std::string::npos)
    << message;
}

// Fuzzing: an element inside a sequence declared 1.8 GB, reserved while the header was parsed (the
// walk used to stop at the first sequence of undefined length).
TEST_F(DeclaredLengths, ElementInsideASequence)
{
  const std::string plain = Load(WriteSlice(false));
  // After the file meta information (group 0002), an implicit VR sequence of undefined length with one
  // item of undefined length, put in front of the data set's first element.
  size_t at = 132;
  while (plain[at] == '\x02' && plain[at + 1] == '\0')
  {
    const uint32_t    length = static_cast<uint8_t>(plain[at + 6]) | (static_cast<uint8_t>(plain[at + 7]) << 8);
    const std::string vr = plain.substr(at + 4, 2);
    at += (vr == "OB" ? 12 + (static_cast<uint8_t>(plain[at + 8]) | (static_cast<uint8_t>(plain[at + 9]) << 8))
                      : 8 + length);
  }
  const std::string sequence("\x04\x00\x20\x12\xff\xff\xff\xff"  // (0004,1220), undefined length
                             "\xfe\xff\x00\xe0\xff\xff\xff\xff", // item, undefined length
                             16);
  const std::string close("\xfe\xff\x0d\xe0\0\0\0\0\xfe\xff\xdd\xe0\0\0\0\0", 16); // item, sequence delimiters
  std::string       element("\x08\x00\x50\x11\x04\x00\x00\x00"
                            "1.2\0",
                      12); // (0008,1150) ReferencedSOPClassUID
  const std::string valid = plain.substr(0, at) + sequence + element + close + plain.substr(at);
  EXPECT_EQ(Refusal(Save("sequence.dcm", valid)), "");
  const auto info = ctp::ReadDicomFileInfo((m_Dir / "sequence.dcm").string());
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->HasPixelData);
  Put32(element, 4, 0x6e452222u);
  const std::string message =
    Refusal(Save("long-in-sequence.dcm", plain.substr(0, at) + sequence + element + close + plain.substr(at)));
  EXPECT_NE(message.find("malformed: element (0008,1150) declares 1850024482 bytes"), std::string::npos) << message;
}

// Fuzzing: a big endian file (the walk used to leave big endian to GDCM) whose value bytes GDCM read as
// an element of 1.8 GB. Here a big endian element that declares 1.8 GB.
TEST_F(DeclaredLengths, BigEndianElementLongerThanTheFile)
{
  std::string bytes(128, '\0');
  bytes += "DICM";
  bytes += std::string("\x02\x00\x10\x00UI\x14\x00"
                       "1.2.840.10008.1.2.2\0",
                       28); // TransferSyntaxUID: explicit VR big endian
  bytes += std::string("\x00\x08\x00\x16UI\x00\x1a"
                       "1.2.840.10008.5.1.4.1.1.2\0",
                       34); // SOPClassUID, big endian from here on
  bytes += std::string("\x00\x20\x00\x0eUI\x00\x08"
                       "1.2.3.4\0",
                       16); // SeriesInstanceUID
  EXPECT_EQ(Refusal(Save("big-endian.dcm", bytes)), "");
  const auto info = ctp::ReadDicomFileInfo((m_Dir / "big-endian.dcm").string());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->SeriesInstanceUID, "1.2.3.4");
  bytes += std::string("\x00\x11\x10\x10OB\0\0\x6e\x45\x22\x22", 12) + std::string(64, 'x');
  const std::string message = Refusal(Save("big-endian-long.dcm", bytes));
  EXPECT_NE(message.find("malformed: element (0011,1010) declares 1850024482 bytes, the file has 64 left"),
            std::string::npos)
    << message;
}

// Fuzzing: a JPEG 2000 slice with bytes inserted into its fragment and a two-byte value "UC": GDCM
// recovered from the broken fragment by reading the data set again, took the value for a VR of a
// 4-byte length, and asked for 3.5 GB (the allocation limit refused it; AbortGuard tests that limit).
// Broken fragments of any compressed file are now refused before GDCM reads them, in JPEG as well.
TEST_F(DeclaredLengths, LengthTheLibraryWorksOutItself)
{
  std::string  bytes = Load(WriteSlice(true, itk::GDCMImageIO::JPEG));
  const size_t type = bytes.find(std::string("\x28\x00\x54\x10"
                                             "LO\x02\x00"
                                             "US",
                                             10)); // RescaleType
  ASSERT_NE(type, std::string::npos);
  bytes.replace(type + 8, 2, "UC");
  // Inside the fragment (JPEG lossless here: broken JPEG 2000 fragments are refused before GDCM
  // reads them, see Jpeg2000FragmentsBroken).
  const size_t pixels = PixelDataAt(bytes);
  ASSERT_GT(bytes.size() - 100, pixels + 28);
  bytes.insert(bytes.size() - 100, std::string(67, '_'));
  const std::string path = Save("recovered.dcm", bytes);
  try
  {
    ctp::ReadDicomFile(path);
    ADD_FAILURE() << "decoded";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("where a fragment of the pixel data should be"), std::string::npos)
      << e.what();
  }
}

// Fuzzing: GDCM aborts on a sequence whose item delimiter is damaged, and RunGuardedAgainstAbort jumps
// out of it; the file it had opened stayed open, one per such file, until a folder of them used up the
// process's descriptors and the good slices could no longer be opened. The header parse reads
// CTPrep's own stream now, closed after the abort.
TEST_F(DeclaredLengths, AbortingFilesLeaveNoDescriptorOpen)
{
  const std::string plain = Load(WriteSlice(false));
  size_t            at = 132;
  while (plain[at] == '\x02' && plain[at + 1] == '\0')
  {
    const std::string vr = plain.substr(at + 4, 2);
    at += vr == "OB" ? 12 + (static_cast<uint8_t>(plain[at + 8]) | (static_cast<uint8_t>(plain[at + 9]) << 8))
                     : 8 + (static_cast<uint8_t>(plain[at + 6]) | (static_cast<uint8_t>(plain[at + 7]) << 8));
  }
  const std::string sequence("\x04\x00\x20\x12\xff\xff\xff\xff"
                             "\xfe\xff\x00\xe0\xff\xff\xff\xff"
                             "\x08\x00\x50\x11\x04\x00\x00\x00"
                             "1.2\0"
                             "\xfe\xfd\x0d\xe0\0\0\0\0" // item delimiter (FFFE,E00D) with one bit off
                             "\xfe\xff\xdd\xe0\0\0\0\0",
                             44);
  const std::string path = Save("aborts.dcm", plain.substr(0, at) + sequence + plain.substr(at));
  EXPECT_NE(Refusal(path).find("malformed DICOM header (the parser gave up)"), std::string::npos) << Refusal(path);

  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  struct rlimit low = saved;
  low.rlim_cur = std::min<rlim_t>(saved.rlim_cur, 64);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  size_t malformed = 0;
  for (int n = 0; n < 200; ++n)
  {
    malformed += Refusal(path).find("gave up") != std::string::npos;
  }
  const bool stillOpens = std::ifstream(path).is_open();
  ::setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(malformed, 200u) << "every read sees the same malformed file, none fails to open it";
  EXPECT_TRUE(stillOpens);
}

// Fuzzing: a JPEG 2000 slice declaring 4097 samples per pixel: the decoder's allowance grew with the
// declared image (2 GB), so GDCM's request of 1.9 GB went through. Samples count at most 4 now, and
// such a slice is refused before decoding (its codestream has one component).
TEST_F(DeclaredLengths, SamplesPerPixelDoNotRaiseTheLimit)
{
  ctp::DicomFileInfo declared;
  declared.Rows = 512;
  declared.Columns = 512;
  declared.SamplesPerPixel = 4097;
  declared.BitsAllocated = 16;
  EXPECT_EQ(declared.PixelDataBytes(), size_t(512) * 512 * 4097 * 2);
  EXPECT_EQ(declared.DecodedFloatBytes(), size_t(512) * 512 * 4 * sizeof(float));

  std::string  bytes = Load(WriteSlice(true));
  const size_t samples = bytes.find(std::string("\x28\x00\x02\x00"
                                                "US\x02\x00\x01\x00",
                                                10)); // SamplesPerPixel 1
  ASSERT_NE(samples, std::string::npos);
  bytes[samples + 8] = '\x01';
  bytes[samples + 9] = '\x10'; // 4097
  const std::string message = Refusal(Save("samples.dcm", bytes));
  EXPECT_NE(message.find("the header says 16 x 16 with 4097"), std::string::npos) << message;
}

// Fuzzing: a JPEG 2000 codestream declaring another width than the header (65280 instead of 512) made
// OpenJPEG free an invalid pointer: ctprep inspect --png ended with a segmentation fault. The
// codestream's size is compared with the header's before decoding.
TEST_F(DeclaredLengths, Jpeg2000SizeDiffersFromTheHeader)
{
  std::string  bytes = Load(WriteSlice(true));
  const size_t siz = bytes.find(std::string("\xff\x4f\xff\x51", 4)); // SOC, SIZ
  ASSERT_NE(siz, std::string::npos);
  ASSERT_EQ(bytes.substr(siz + 8, 4), std::string("\0\0\0\x10", 4)) << "width 16";
  bytes[siz + 10] = '\xff'; // width 0xff10
  const std::string path = Save("j2k-width.dcm", bytes);
  const std::string message = Refusal(path);
  EXPECT_NE(message.find("malformed: the JPEG 2000 codestream is 65296 x 16 with 1 component(s)"), std::string::npos)
    << message;
}

// Fuzzing (the CI campaign): a JPEG 2000 marker segment declaring more bytes than the fragment holds
// made GDCM's own marker walk (JPEG2000Codec::GetHeaderInfo, when ITK reads the image information)
// read past the fragment: a segmentation fault. The walk is replayed on the fragments first.
TEST_F(DeclaredLengths, Jpeg2000MarkerSegmentPastTheFragment)
{
  std::string  bytes = Load(WriteSlice(true));
  const size_t soc = bytes.find(std::string("\xff\x4f\xff\x51", 4));
  ASSERT_NE(soc, std::string::npos);
  const size_t qcd = bytes.find(std::string("\xff\x5c", 2), soc);
  ASSERT_NE(qcd, std::string::npos) << "OpenJPEG writes a QCD segment";
  bytes[qcd + 2] = '\x7f'; // Lqcd 32767 in a fragment of a few hundred bytes
  const std::string message = Refusal(Save("j2k-qcd.dcm", bytes));
  EXPECT_NE(message.find("malformed: in the first fragment of the pixel data the JPEG 2000 marker segment FF5C at "
                         "offset " +
                         std::to_string(qcd - soc) + " declares 32"),
            std::string::npos)
    << message;
  EXPECT_THROW(ctp::ReadDicomFile(Save("j2k-qcd.dcm", bytes)), ctp::Error);
}

// Fuzzing: JPEG 2000 fragments whose items are broken make GDCM read them again byte by byte
// (ReadBacktrack: over 10 s for a 4 KB file) into fragments nobody can predict; the fragments checked
// must be GDCM's, so such items are refused, quickly.
TEST_F(DeclaredLengths, Jpeg2000FragmentsBroken)
{
  const std::string bytes = Load(WriteSlice(true));
  const size_t      pixels = PixelDataAt(bytes);
  std::string       inserted = bytes;
  inserted.insert(bytes.size() - 100, std::string(67, '_'));
  std::string message = Refusal(Save("j2k-inserted.dcm", inserted));
  EXPECT_NE(message.find("where a fragment of the pixel data should be"), std::string::npos) << message;
  std::string longer = bytes;
  Put32(longer, pixels + 24, 1u << 20); // the first fragment's length: 1 MB
  message = Refusal(Save("j2k-long-fragment.dcm", longer));
  EXPECT_NE(message.find("malformed"), std::string::npos) << message;
  // Without the sequence delimiter (the items end with the file), as GDCM accepts.
  const std::string undelimited = bytes.substr(0, bytes.size() - 8);
  ASSERT_EQ(bytes.substr(bytes.size() - 8), std::string("\xfe\xff\xdd\xe0\0\0\0\0", 8));
  EXPECT_EQ(Refusal(Save("j2k-undelimited.dcm", undelimited)), "");
}

// A codestream split over two fragments: GDCM reads the image information from the first alone and
// decodes the two joined, so both are walked.
TEST_F(DeclaredLengths, Jpeg2000SplitOverTwoFragments)
{
  const std::string bytes = Load(WriteSlice(true));
  const size_t      pixels = PixelDataAt(bytes);
  const size_t      offsetTable = pixels + 12;
  ASSERT_EQ(bytes.substr(offsetTable, 4), std::string("\xfe\xff\x00\xe0", 4));
  auto length = [&bytes](size_t at) {
    return uint32_t(uint8_t(bytes[at])) | uint32_t(uint8_t(bytes[at + 1])) << 8 |
           uint32_t(uint8_t(bytes[at + 2])) << 16 | uint32_t(uint8_t(bytes[at + 3])) << 24;
  };
  const size_t fragment = offsetTable + 8 + length(offsetTable + 4);
  ASSERT_EQ(bytes.substr(fragment, 4), std::string("\xfe\xff\x00\xe0", 4));
  const std::string codestream = bytes.substr(fragment + 8, length(fragment + 4));
  const size_t      sot = codestream.find(std::string("\xff\x90", 2));
  ASSERT_NE(sot, std::string::npos);
  auto item = [](const std::string & value) {
    std::string header("\xfe\xff\x00\xe0\0\0\0\0", 8);
    Put32(header, 4, static_cast<uint32_t>(value.size()));
    return header + value;
  };
  auto split = [&](const std::string & stream) {
    return bytes.substr(0, fragment) + item(stream.substr(0, sot)) + item(stream.substr(sot)) +
           std::string("\xfe\xff\xdd\xe0\0\0\0\0", 8);
  };
  // Split in front of SOT: the first fragment's walk ends at its end, the joined one goes on to SOD.
  const std::string path = Save("j2k-split.dcm", split(codestream));
  EXPECT_EQ(Refusal(path), "");
  const auto whole = ctp::ReadDicomFile(Save("j2k-whole.dcm", bytes));
  const auto parts = ctp::ReadDicomFile(path);
  ASSERT_EQ(whole->GetBufferedRegion(), parts->GetBufferedRegion());
  EXPECT_TRUE(std::equal(whole->GetBufferPointer(),
                         whole->GetBufferPointer() + whole->GetBufferedRegion().GetNumberOfPixels(),
                         parts->GetBufferPointer()));
  // A tile-part header declaring more than is left: only the joined walk meets it.
  std::string broken = codestream;
  broken[sot + 2] = '\x40'; // Lsot 16394
  const std::string message = Refusal(Save("j2k-split-broken.dcm", split(broken)));
  EXPECT_NE(message.find("malformed: in the pixel data fragments joined the JPEG 2000 marker segment FF90 at offset " +
                         std::to_string(sot)),
            std::string::npos)
    << message;
}

// GDCM takes the first fragment without asking whether there is one.
TEST_F(DeclaredLengths, Jpeg2000WithoutAFragment)
{
  const std::string bytes = Load(WriteSlice(true));
  const size_t      pixels = PixelDataAt(bytes);
  ASSERT_EQ(bytes.substr(pixels + 4, 8), std::string("OB\0\0\xff\xff\xff\xff", 8)) << "encapsulated";
  const std::string head = bytes.substr(0, pixels + 12);
  const std::string offsetTable("\xfe\xff\x00\xe0\x00\x00\x00\x00", 8);
  const std::string delimiter("\xfe\xff\xdd\xe0\x00\x00\x00\x00", 8);
  std::string       message = Refusal(Save("j2k-none.dcm", head + offsetTable + delimiter));
  EXPECT_NE(message.find("malformed: the JPEG 2000 pixel data holds no fragment"), std::string::npos) << message;
  message = Refusal(Save("j2k-empty.dcm", head + offsetTable + offsetTable + delimiter));
  EXPECT_NE(message.find("malformed: the first fragment of the pixel data is 0 bytes, too short for JPEG 2000"),
            std::string::npos)
    << message;
}

// Fuzzing: a slice in GE's private transfer syntax whose header declares more rows than its pixel
// data holds: ReadDicomFile (inspect --png) decoded it anyway and GDCM copied the declared 7552 bytes
// out of 2048 (a heap over-read AddressSanitizer reports; a PNG of whatever followed, exit 0, in the
// release build). The file is refused as truncated, as ctprep run already did.
TEST_F(DeclaredLengths, TruncatedImageIsNotDecoded)
{
  std::string  bytes = Load(WriteSlice(false));
  const size_t rows = bytes.find(std::string("\x28\x00\x10\x00\x02\x00\x00\x00\x10\x00", 10)); // Rows 16
  ASSERT_NE(rows, std::string::npos);
  bytes[rows + 8] = '\x28'; // 40 rows, pixel data for 16
  // GE's private transfer syntax (pixel data big endian): GDCM's byte-swapping copy has no bound.
  const std::string implicit("1.2.840.10008.1.2\0", 18);
  const size_t      syntax = bytes.find(implicit);
  ASSERT_NE(syntax, std::string::npos);
  bytes.replace(syntax, implicit.size(), "1.2.840.113619.5.2");
  const std::string path = Save("rows.dcm", bytes);
  const auto        info = ctp::ReadDicomFileInfo(path);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->Truncated);
  try
  {
    ctp::ReadDicomFile(path);
    ADD_FAILURE() << "decoded";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_NE(std::string(e.what()).find("truncated pixel data (512 of 1280 bytes)"), std::string::npos) << e.what();
  }
}
