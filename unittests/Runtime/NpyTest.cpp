//===- NpyTest.cpp - .npy reading and writing -----------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Headers below are written byte for byte the way numpy.save writes them, so
// the reader is checked against the real format and not only against the
// writer.
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/Npy.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace mlir::green;

namespace {

/// An .npy file with `dict` as its header, format version `major`, padded to
/// 64 bytes as numpy pads, followed by `payload`.
std::string makeNpy(unsigned major, llvm::StringRef dict,
                    llvm::StringRef payload) {
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t prefix = 6 + 2 + lenBytes;
  std::string header = dict.str();
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(static_cast<char>(major));
  out.push_back(0);
  char len[4];
  if (major == 1) {
    llvm::support::endian::write16le(len, header.size());
    out.append(len, 2);
  } else {
    llvm::support::endian::write32le(len, header.size());
    out.append(len, 4);
  }
  return out + header + payload.str();
}

std::string floats(std::initializer_list<float> values) {
  std::string s(values.size() * 4, '\0');
  std::memcpy(s.data(), values.begin(), s.size());
  return s;
}

std::string errorOf(llvm::Expected<NpyArray> result) {
  if (result)
    return "<no error>";
  return llvm::toString(result.takeError());
}

TEST(NpyTest, ReadsNumpyV1Header) {
  std::string file =
      makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
              floats({1, 2, 3, 4, 5, 6}));
  ASSERT_EQ(file.find('\n') + 1, 128u) << "numpy pads the header to 64 bytes";
  llvm::Expected<NpyArray> a = parseNpy(file, "a.npy");
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->dtype, NpyDType::Float32);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a->getNumElements(), 6);
  EXPECT_EQ(a->getAsDouble(0), 1.0);
  EXPECT_EQ(a->getAsDouble(5), 6.0);
}

TEST(NpyTest, ReadsV2AndV3Headers) {
  for (unsigned major : {2u, 3u}) {
    std::string file = makeNpy(
        major, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
        std::string("\x07\0\0\0\0\0\0\0", 8));
    llvm::Expected<NpyArray> a = parseNpy(file, "v.npy");
    ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
    EXPECT_EQ(a->dtype, NpyDType::Int64);
    EXPECT_EQ(a->shape, (std::vector<int64_t>{1}));
    EXPECT_EQ(a->getAsDouble(0), 7.0);
  }
}

TEST(NpyTest, ReadsScalarsAndKeyOrder) {
  // Key order is free; a 0-d array has shape ().
  std::string file =
      makeNpy(1, "{'shape': (), 'fortran_order': False, 'descr': '<f8'}",
              std::string("\0\0\0\0\0\0\xf0\x3f", 8));
  llvm::Expected<NpyArray> a = parseNpy(file, "s.npy");
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_TRUE(a->shape.empty());
  EXPECT_EQ(a->getAsDouble(0), 1.0);
}

TEST(NpyTest, RejectsFortranOrder) {
  std::string file =
      makeNpy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
              floats({1, 2, 3, 4}));
  EXPECT_EQ(errorOf(parseNpy(file, "f.npy")),
            "'f.npy' is in Fortran order: only C-order arrays are supported "
            "(write it with numpy.ascontiguousarray)");
}

TEST(NpyTest, RejectsBadMagic) {
  std::string file =
      makeNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
              floats({1}));
  file[1] = 'X';
  EXPECT_EQ(errorOf(parseNpy(file, "m.npy")),
            "'m.npy' is not an .npy file (no \\x93NUMPY magic)");
  EXPECT_EQ(errorOf(parseNpy("", "empty.npy")),
            "'empty.npy' is not an .npy file (no \\x93NUMPY magic)");
}

TEST(NpyTest, RejectsMalformedHeaders) {
  auto check = [](llvm::StringRef dict, llvm::StringRef message) {
    std::string file = makeNpy(1, dict, floats({1}));
    EXPECT_EQ(errorOf(parseNpy(file, "h.npy")),
              ("malformed .npy header in 'h.npy': " + message).str())
        << dict.str();
  };
  check("{'descr': '<f4', 'shape': (1,), }", "header lacks 'fortran_order'");
  check("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }",
        "'shape' must be a tuple of integers");
  check("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }",
        "'fortran_order' must be True or False");
  check("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
        "unexpected key 'x' in header");
  check("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
        "'descr' must be a type string such as '<f4' (structured dtypes are "
        "not supported)");
  check("'descr': '<f4'", "expected '{' at the start of the header "
                          "dictionary");
}

TEST(NpyTest, RejectsUnsupportedDTypesAndSizes) {
  std::string big = makeNpy(
      1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
      floats({1}));
  EXPECT_EQ(errorOf(parseNpy(big, "b.npy")),
            "'b.npy' has unsupported dtype '>f4' (supported: little-endian "
            "float16/32/64, int8/16/32/64, uint8/16/32/64, bool)");
  std::string shortData = makeNpy(
      1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
      floats({1, 2}));
  EXPECT_EQ(errorOf(parseNpy(shortData, "s.npy")),
            "'s.npy' holds 8 bytes of data, expected 12 for float32 [3]");
  std::string version = makeNpy(
      1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
      floats({1}));
  version[6] = 4;
  EXPECT_EQ(errorOf(parseNpy(version, "v.npy")),
            "'v.npy' has unsupported .npy format version 4.0 (1.0, 2.0 and "
            "3.0 are supported)");
}

TEST(NpyTest, WritesWhatNumpyWrites) {
  NpyArray a = NpyArray::zeros(NpyDType::Float32, {4, 64});
  std::string file = serializeNpy(a);
  EXPECT_EQ(file.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t dataStart = file.find('\n') + 1;
  EXPECT_EQ(dataStart % 64, 0u);
  EXPECT_EQ(file.substr(10, 60),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 64), }");
  EXPECT_EQ(file.size(), dataStart + 4 * 64 * 4);

  // Rank 1 keeps Python's trailing comma, rank 0 is ().
  EXPECT_NE(serializeNpy(NpyArray::zeros(NpyDType::Int8, {5}))
                .find("'shape': (5,), }"),
            std::string::npos);
  EXPECT_NE(serializeNpy(NpyArray::zeros(NpyDType::Bool, {}))
                .find("'descr': '|b1', 'fortran_order': False, 'shape': (), }"),
            std::string::npos);
}

TEST(NpyTest, RoundTripsEveryDType) {
  for (NpyDType dtype :
       {NpyDType::Float16, NpyDType::Float32, NpyDType::Float64,
        NpyDType::Int8, NpyDType::Int16, NpyDType::Int32, NpyDType::Int64,
        NpyDType::UInt8, NpyDType::UInt16, NpyDType::UInt32, NpyDType::UInt64,
        NpyDType::Bool}) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {7}, {2, 3, 5}, {0, 4}}) {
      NpyArray a = NpyArray::zeros(dtype, shape);
      for (size_t i = 0; i < a.data.size(); ++i)
        a.data[i] = static_cast<char>(i * 37 + 1);
      llvm::Expected<NpyArray> b = parseNpy(serializeNpy(a), "rt.npy");
      ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
      EXPECT_EQ(b->dtype, dtype) << getNpyDTypeName(dtype).str();
      EXPECT_EQ(b->shape, shape);
      EXPECT_EQ(b->data, a.data);
    }
  }
}

TEST(NpyTest, RoundTripsThroughFiles) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("green-npy", "npy", path));
  NpyArray a = NpyArray::zeros(NpyDType::Float64, {3});
  double values[] = {1.5, -2.25, 1e300};
  std::memcpy(a.data.data(), values, sizeof(values));
  ASSERT_FALSE(static_cast<bool>(writeNpyFile(path, a)));
  llvm::Expected<NpyArray> b = readNpyFile(path);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->getAsDouble(1), -2.25);
  EXPECT_EQ(b->getAsDouble(2), 1e300);

  EXPECT_EQ(errorOf(readNpyFile("/nonexistent/x.npy")),
            "cannot read '/nonexistent/x.npy': No such file or directory");
}

TEST(NpyTest, ParsesDescrs) {
  EXPECT_EQ(parseNpyDescr("<f2"), NpyDType::Float16);
  EXPECT_EQ(parseNpyDescr("=f4"), NpyDType::Float32);
  EXPECT_EQ(parseNpyDescr("|i1"), NpyDType::Int8);
  EXPECT_EQ(parseNpyDescr("|u1"), NpyDType::UInt8);
  EXPECT_EQ(parseNpyDescr("|b1"), NpyDType::Bool);
  EXPECT_EQ(parseNpyDescr(">i4"), std::nullopt);
  EXPECT_EQ(parseNpyDescr("<c8"), std::nullopt);
  EXPECT_EQ(parseNpyDescr("<U3"), std::nullopt);
}

} // namespace
