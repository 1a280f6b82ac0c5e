//===- Npy.cpp - read and write NumPy .npy arrays -------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

namespace {
struct DTypeInfo {
  NpyDType dtype;
  const char *name;
  const char *descr;
  unsigned size;
};
} // namespace

static constexpr DTypeInfo kDTypes[] = {
    {NpyDType::Float16, "float16", "<f2", 2},
    {NpyDType::Float32, "float32", "<f4", 4},
    {NpyDType::Float64, "float64", "<f8", 8},
    {NpyDType::Int8, "int8", "|i1", 1},
    {NpyDType::Int16, "int16", "<i2", 2},
    {NpyDType::Int32, "int32", "<i4", 4},
    {NpyDType::Int64, "int64", "<i8", 8},
    {NpyDType::UInt8, "uint8", "|u1", 1},
    {NpyDType::UInt16, "uint16", "<u2", 2},
    {NpyDType::UInt32, "uint32", "<u4", 4},
    {NpyDType::UInt64, "uint64", "<u8", 8},
    {NpyDType::Bool, "bool", "|b1", 1},
};

static const DTypeInfo &getInfo(NpyDType dtype) {
  return kDTypes[static_cast<unsigned>(dtype)];
}

llvm::StringRef mlir::green::getNpyDTypeName(NpyDType dtype) {
  return getInfo(dtype).name;
}
llvm::StringRef mlir::green::getNpyDescr(NpyDType dtype) {
  return getInfo(dtype).descr;
}
unsigned mlir::green::getNpyDTypeSize(NpyDType dtype) {
  return getInfo(dtype).size;
}
bool mlir::green::isNpyFloat(NpyDType dtype) {
  return dtype == NpyDType::Float16 || dtype == NpyDType::Float32 ||
         dtype == NpyDType::Float64;
}

std::optional<NpyDType> mlir::green::parseNpyDescr(llvm::StringRef descr) {
  if (descr.size() < 3)
    return std::nullopt;
  char order = descr.front();
  llvm::StringRef rest = descr.drop_front();
  // '<' little-endian, '|' not applicable (one byte), '=' native (every host
  // green-run runs on is little-endian).
  if (order != '<' && order != '|' && order != '=')
    return std::nullopt;
  for (const DTypeInfo &info : kDTypes)
    if (llvm::StringRef(info.descr).drop_front() == rest)
      return info.dtype;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// NpyArray
//===----------------------------------------------------------------------===//

int64_t NpyArray::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

NpyArray NpyArray::zeros(NpyDType dtype, llvm::ArrayRef<int64_t> shape) {
  NpyArray a;
  a.dtype = dtype;
  a.shape.assign(shape.begin(), shape.end());
  a.data.assign(a.getNumBytes(), 0);
  return a;
}

template <typename T>
static T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

double NpyArray::getAsDouble(int64_t i) const {
  const char *p = data.data() + i * getNpyDTypeSize(dtype);
  switch (dtype) {
  case NpyDType::Float16: {
    llvm::APFloat f(llvm::APFloat::IEEEhalf(),
                    llvm::APInt(16, load<uint16_t>(p)));
    bool lost;
    f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
              &lost);
    return f.convertToDouble();
  }
  case NpyDType::Float32:
    return load<float>(p);
  case NpyDType::Float64:
    return load<double>(p);
  case NpyDType::Int8:
    return load<int8_t>(p);
  case NpyDType::Int16:
    return load<int16_t>(p);
  case NpyDType::Int32:
    return load<int32_t>(p);
  case NpyDType::Int64:
    return static_cast<double>(load<int64_t>(p));
  case NpyDType::UInt8:
  case NpyDType::Bool:
    return load<uint8_t>(p);
  case NpyDType::UInt16:
    return load<uint16_t>(p);
  case NpyDType::UInt32:
    return load<uint32_t>(p);
  case NpyDType::UInt64:
    return static_cast<double>(load<uint64_t>(p));
  }
  llvm_unreachable("unknown dtype");
}

std::string mlir::green::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

//===----------------------------------------------------------------------===//
// Header parsing
//===----------------------------------------------------------------------===//

static constexpr llvm::StringLiteral kMagic("\x93NUMPY");

namespace {
/// Parses the Python dict literal of an .npy header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (4, 64), }`.
class HeaderParser {
public:
  HeaderParser(llvm::StringRef text, llvm::StringRef name)
      : text(text), name(name) {}

  llvm::Error parse(std::string &descr, bool &fortranOrder,
                    std::vector<int64_t> &shape) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!consume('{'))
      return error("expected '{' at the start of the header dictionary");
    while (!consume('}')) {
      std::string key;
      if (auto err = parseString(key))
        return err;
      if (!consume(':'))
        return error("expected ':' after key '" + key + "'");
      if (key == "descr") {
        if (!peekQuote())
          return error("'descr' must be a type string such as '<f4' "
                       "(structured dtypes are not supported)");
        if (auto err = parseString(descr))
          return err;
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return error("'fortran_order' must be True or False");
        haveOrder = true;
      } else if (key == "shape") {
        if (auto err = parseShape(shape))
          return err;
        haveShape = true;
      } else {
        return error("unexpected key '" + key + "' in header");
      }
      if (!consume(',')) {
        if (!consume('}'))
          return error("expected ',' or '}' in header dictionary");
        break;
      }
    }
    skipSpace();
    if (!text.empty())
      return error("unexpected text after the header dictionary");
    if (!haveDescr || !haveOrder || !haveShape)
      return error("header lacks '" +
                   llvm::StringRef(!haveDescr   ? "descr"
                                   : !haveOrder ? "fortran_order"
                                                : "shape") +
                   "'");
    return llvm::Error::success();
  }

private:
  llvm::Error error(const llvm::Twine &message) const {
    return llvm::createStringError("malformed .npy header in '" + name +
                                   "': " + message);
  }
  void skipSpace() { text = text.ltrim(" \t\r\n"); }
  bool consume(char c) {
    skipSpace();
    if (!text.consume_front(llvm::StringRef(&c, 1)))
      return false;
    return true;
  }
  bool consumeWord(llvm::StringRef word) {
    skipSpace();
    return text.consume_front(word);
  }
  bool peekQuote() {
    skipSpace();
    return !text.empty() && (text.front() == '\'' || text.front() == '"');
  }
  llvm::Error parseString(std::string &out) {
    if (!peekQuote())
      return error("expected a quoted string");
    char quote = text.front();
    text = text.drop_front();
    size_t end = text.find(quote);
    if (end == llvm::StringRef::npos)
      return error("unterminated string");
    out = text.take_front(end).str();
    text = text.drop_front(end + 1);
    return llvm::Error::success();
  }
  llvm::Error parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return error("'shape' must be a tuple of integers");
    shape.clear();
    while (!consume(')')) {
      skipSpace();
      size_t len = std::min(text.find_first_not_of("0123456789"), text.size());
      if (len == 0)
        return error("'shape' must be a tuple of non-negative integers");
      int64_t dim;
      if (text.take_front(len).getAsInteger(10, dim))
        return error("dimension out of range in 'shape'");
      text = text.drop_front(len);
      text.consume_front("L"); // Python 2 longs.
      shape.push_back(dim);
      if (!consume(',')) {
        if (!consume(')'))
          return error("expected ',' or ')' in 'shape'");
        break;
      }
    }
    return llvm::Error::success();
  }

  llvm::StringRef text;
  llvm::StringRef name;
};
} // namespace

llvm::Expected<NpyArray> mlir::green::parseNpy(llvm::StringRef contents,
                                               llvm::StringRef name) {
  auto error = [&](const llvm::Twine &message) {
    return llvm::createStringError("'" + name + "' " + message);
  };
  if (!contents.starts_with(kMagic))
    return error("is not an .npy file (no \\x93NUMPY magic)");
  if (contents.size() < 10)
    return error("is truncated: no header length");
  unsigned major = static_cast<uint8_t>(contents[6]);
  unsigned minor = static_cast<uint8_t>(contents[7]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = llvm::support::endian::read16le(contents.data() + 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (contents.size() < 12)
      return error("is truncated: no header length");
    headerLen = llvm::support::endian::read32le(contents.data() + 8);
    headerStart = 12;
  } else {
    return error(llvm::formatv("has unsupported .npy format version {0}.{1} "
                               "(1.0, 2.0 and 3.0 are supported)",
                               major, minor));
  }
  if (contents.size() < headerStart + headerLen)
    return error("is truncated: header runs past the end of the file");
  llvm::StringRef header = contents.substr(headerStart, headerLen);

  std::string descr;
  bool fortranOrder = false;
  NpyArray array;
  if (auto err =
          HeaderParser(header, name).parse(descr, fortranOrder, array.shape))
    return std::move(err);
  if (fortranOrder)
    return error("is in Fortran order: only C-order arrays are supported "
                 "(write it with numpy.ascontiguousarray)");
  std::optional<NpyDType> dtype = parseNpyDescr(descr);
  if (!dtype)
    return error("has unsupported dtype '" + descr +
                 "' (supported: little-endian float16/32/64, int8/16/32/64, "
                 "uint8/16/32/64, bool)");
  array.dtype = *dtype;

  llvm::StringRef payload = contents.drop_front(headerStart + headerLen);
  uint64_t expected = array.getNumBytes();
  if (payload.size() != expected)
    return error(llvm::formatv("holds {0} bytes of data, expected {1} for {2} "
                               "{3}",
                               payload.size(), expected,
                               getNpyDTypeName(array.dtype),
                               formatShape(array.shape)));
  array.data.assign(payload.begin(), payload.end());
  return array;
}

llvm::Expected<NpyArray> mlir::green::readNpyFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError("cannot read '" + path +
                                   "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

std::string mlir::green::serializeNpy(const NpyArray &array) {
  std::string dict;
  llvm::raw_string_ostream os(dict);
  os << "{'descr': '" << getNpyDescr(array.dtype)
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    os << d << ", ";
  if (array.shape.size() > 1) {
    // Python writes "(4, 64)" but "(4,)": drop the last ", " unless rank 1.
    dict.resize(dict.size() - 2);
  } else if (array.shape.size() == 1) {
    dict.resize(dict.size() - 1);
  }
  os << "), }";

  // Pad with spaces so that the data starts at a multiple of 64 bytes; the
  // header ends with '\n'.
  auto build = [&](unsigned major, size_t lenBytes) {
    size_t prefix = kMagic.size() + 2 + lenBytes;
    size_t total = prefix + dict.size() + 1;
    size_t padded = llvm::alignTo(total, 64);
    std::string header = dict;
    header.append(padded - total, ' ');
    header.push_back('\n');
    std::string out = kMagic.str();
    out.push_back(static_cast<char>(major));
    out.push_back(0);
    if (lenBytes == 2) {
      char len[2];
      llvm::support::endian::write16le(len, header.size());
      out.append(len, 2);
    } else {
      char len[4];
      llvm::support::endian::write32le(len, header.size());
      out.append(len, 4);
    }
    out += header;
    return out;
  };
  std::string out = dict.size() + 64 <= 65535 ? build(1, 2) : build(2, 4);
  out.append(array.data.begin(), array.data.end());
  return out;
}

llvm::Error mlir::green::writeNpyFile(llvm::StringRef path,
                                      const NpyArray &array) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path +
                                   "': " + ec.message());
  os << serializeNpy(array);
  os.close();
  if (os.has_error())
    return llvm::createStringError("cannot write '" + path +
                                   "': " + os.error().message());
  return llvm::Error::success();
}
