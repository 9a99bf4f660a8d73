#include "ctpJpeg2000Codestream.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace
{
using Bytes = std::vector<uint8_t>;

/** Reads from `bytes`, failing the test when asked for anything outside them: the check must never
 *  read outside the buffer it checks. */
ctp::BufferReader
ReaderOf(const Bytes & bytes)
{
  return [&bytes](uint64_t offset, size_t count, uint8_t * out) {
    if (offset > bytes.size() || bytes.size() - offset < count)
    {
      ADD_FAILURE() << "read " << count << " bytes at " << offset << " of " << bytes.size();
      return false;
    }
    std::memcpy(out, bytes.data() + offset, count);
    return true;
  };
}

std::string
Problem(const Bytes & bytes)
{
  return ctp::Jpeg2000MarkerWalkProblem(ReaderOf(bytes), bytes.size(), "fragment");
}

void
Append(Bytes & bytes, std::initializer_list<int> values)
{
  for (const int v : values)
  {
    bytes.push_back(static_cast<uint8_t>(v));
  }
}

/** SOC and SIZ of a 16 x 16 single-component image, written by hand from ISO 15444-1 A.5.1. */
Bytes
MainHeaderStart()
{
  Bytes b;
  Append(b, { 0xff, 0x4f });                             // SOC
  Append(b, { 0xff, 0x51, 0x00, 41, 0x00, 0x00 });       // SIZ, Lsiz 41, Rsiz
  Append(b, { 0, 0, 0, 16, 0, 0, 0, 16 });               // Xsiz, Ysiz
  Append(b, { 0, 0, 0, 0, 0, 0, 0, 0 });                 // XOsiz, YOsiz
  Append(b, { 0, 0, 0, 16, 0, 0, 0, 16 });               // XTsiz, YTsiz
  Append(b, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 15, 1, 1 }); // XTOsiz, YTOsiz, Csiz 1, Ssiz 16 bit, XRsiz, YRsiz
  return b;
}

/** A whole codestream: COD with the given multi-component and wavelet transforms (byte 5 and 10 of
 *  its parameters), QCD, one tile-part, its data, EOC. */
Bytes
Codestream(int mct, int wavelet)
{
  Bytes b = MainHeaderStart();
  Append(b, { 0xff, 0x52, 0x00, 12, 0x00, 0x00, 0x00, 0x01, mct, 5, 4, 4, 0, wavelet }); // COD
  Append(b, { 0xff, 0x5c, 0x00, 4, 0x00, 0x88 });                                        // QCD
  Append(b, { 0xff, 0x90, 0x00, 10, 0, 0, 0, 0, 0, 0, 0, 1 });                           // SOT
  Append(b, { 0xff, 0x93, 0x12, 0x34, 0x56, 0xff, 0xd9 });                               // SOD, data, EOC
  return b;
}

size_t
Find(const Bytes & bytes, uint8_t first, uint8_t second)
{
  for (size_t i = 0; i + 1 < bytes.size(); ++i)
  {
    if (bytes[i] == first && bytes[i + 1] == second)
    {
      return i;
    }
  }
  ADD_FAILURE() << "marker not found";
  return 0;
}

Bytes
Jp2Wrapped(const Bytes & codestream, uint32_t jp2cLength)
{
  Bytes b;
  Append(b, { 0, 0, 0, 12, 'j', 'P', ' ', ' ', 0x0d, 0x0a, 0x87, 0x0a }); // signature box
  Append(b, { 0, 0, 0, 20, 'f', 't', 'y', 'p', 'j', 'p', '2', ' ', 0, 0, 0, 0, 'j', 'p', '2', ' ' });
  Append(b,
         { int(jp2cLength >> 24),
           int((jp2cLength >> 16) & 0xff),
           int((jp2cLength >> 8) & 0xff),
           int(jp2cLength & 0xff),
           'j',
           'p',
           '2',
           'c' });
  b.insert(b.end(), codestream.begin(), codestream.end());
  return b;
}
} // namespace

TEST(Jpeg2000MarkerWalk, WellFormedCodestreamsPass)
{
  EXPECT_EQ(Problem(Codestream(0, 1)), ""); // lossless: GDCM walks on to SOD
  EXPECT_EQ(Problem(Codestream(0, 0)), ""); // lossy: GDCM stops at COD
  EXPECT_EQ(Problem(Codestream(1, 1)), "");
}

// The crash fuzzing found in CI: a marker segment declaring more bytes than are left made GDCM's
// remaining count wrap around, and its walk read on past the buffer (a segmentation fault in
// JPEG2000Codec::GetHeaderInfo).
TEST(Jpeg2000MarkerWalk, SegmentLongerThanTheBufferIsNamed)
{
  Bytes        b = Codestream(0, 1);
  const size_t qcd = Find(b, 0xff, 0x5c);
  b[qcd + 2] = 0x04; // Lqcd 1024 in a 72-byte buffer
  b[qcd + 3] = 0x00;
  const std::string problem = Problem(b);
  EXPECT_NE(problem.find("marker segment FF5C at offset " + std::to_string(qcd) + " declares 1024 bytes, " +
                         std::to_string(b.size() - qcd - 2) + " are left"),
            std::string::npos)
    << problem;
  // In the tile-part header too (GDCM walks to the first SOD).
  b = Codestream(0, 1);
  const size_t sot = Find(b, 0xff, 0x90);
  b[sot + 3] = 60;
  EXPECT_NE(Problem(b).find("marker segment FF90"), std::string::npos) << Problem(b);
}

TEST(Jpeg2000MarkerWalk, SegmentEndingExactlyAtTheEndPasses)
{
  Bytes b = MainHeaderStart();
  Append(b, { 0xff, 0x64, 0x00, 6, 0, 1, 'a', 'b' }); // COM filling the buffer to its last byte
  EXPECT_EQ(Problem(b), "");
  b.pop_back();
  EXPECT_NE(Problem(b).find("marker segment FF64"), std::string::npos);
}

// GDCM reads the 5th and the 10th parameter byte of COD whatever the segment's declared length.
TEST(Jpeg2000MarkerWalk, CodSegmentCutShortIsNamed)
{
  Bytes b = MainHeaderStart();
  Append(b, { 0xff, 0x52, 0x00, 12, 0x00, 0x00, 0x00, 0x01, 0x00, 5 }); // 6 of its 10 bytes
  EXPECT_NE(Problem(b).find("read 1 bytes at offset " + std::to_string(b.size() - 6 + 9)), std::string::npos)
    << Problem(b);
  b.resize(b.size() - 2); // no multi-component byte either
  EXPECT_NE(Problem(b).find("read 1 bytes at offset " + std::to_string(b.size() - 4 + 4)), std::string::npos)
    << Problem(b);
}

// Where GDCM's walk stops, what follows is not its business (OpenJPEG reads it with bounds).
TEST(Jpeg2000MarkerWalk, WalkStopsWhereGdcmStops)
{
  Bytes b = Codestream(2, 1); // an invalid multi-component transform: GDCM returns at COD
  b[Find(b, 0xff, 0x5c) + 2] = 0x40;
  EXPECT_EQ(Problem(b), "");
  b = Codestream(0, 1);
  const size_t qcd = Find(b, 0xff, 0x5c);
  b[qcd + 3] = 1; // a length below 2 ends the walk
  b[Find(b, 0xff, 0x90) + 2] = 0x40;
  EXPECT_EQ(Problem(b), "");
}

TEST(Jpeg2000MarkerWalk, BufferShorterThanTheJp2SignatureIsRefused)
{
  Bytes b = Codestream(0, 1);
  b.resize(12);
  EXPECT_NE(Problem(b).find("is 12 bytes, too short for JPEG 2000"), std::string::npos) << Problem(b);
  EXPECT_NE(Problem({}).find("is 0 bytes"), std::string::npos);
}

TEST(Jpeg2000MarkerWalk, Jp2Boxes)
{
  const Bytes codestream = Codestream(0, 1);
  EXPECT_EQ(Problem(Jp2Wrapped(codestream, uint32_t(codestream.size() + 8))), "");
  EXPECT_EQ(Problem(Jp2Wrapped(codestream, 0)), ""); // 0: to the end of the buffer
  // A codestream box longer than the buffer.
  const std::string longer = Problem(Jp2Wrapped(codestream, uint32_t(codestream.size() + 9)));
  EXPECT_NE(longer.find("JP2 codestream box at offset 32 declares " + std::to_string(codestream.size() + 9)),
            std::string::npos)
    << longer;
  // A box skipping past the end: GDCM's cursor moves on, its count does not.
  Bytes skipping = Jp2Wrapped(codestream, 0);
  skipping[15] = 200; // ftyp of 200 bytes
  EXPECT_NE(Problem(skipping).find("read 4 bytes at offset 212"), std::string::npos) << Problem(skipping);
  // A box of length 1 without room for its 64-bit length: GDCM's length wraps around; the check ends.
  Bytes wrapped = Jp2Wrapped({}, 1);
  EXPECT_NE(Problem(wrapped), "");
  // The codestream inside is walked like a bare one.
  Bytes inner = codestream;
  inner[Find(inner, 0xff, 0x5c) + 2] = 0x04;
  EXPECT_NE(Problem(Jp2Wrapped(inner, 0)).find("marker segment FF5C"), std::string::npos);
}
