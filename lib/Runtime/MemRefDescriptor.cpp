//===- MemRefDescriptor.cpp - ranked memref descriptors for calls ---------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/MemRefDescriptor.h"

#include <cstring>

using namespace mlir;
using namespace mlir::green;

void MemRefDescriptorRef::setContiguous(void *data,
                                        llvm::ArrayRef<int64_t> shape) {
  words[0] = reinterpret_cast<int64_t>(data);
  words[1] = reinterpret_cast<int64_t>(data);
  words[2] = 0;
  int64_t stride = 1;
  for (int i = static_cast<int>(rank) - 1; i >= 0; --i) {
    words[3 + i] = shape[i];
    words[3 + rank + i] = stride;
    stride *= shape[i];
  }
}

NpyArray MemRefDescriptorRef::copyOut(NpyDType dtype) const {
  NpyArray out = NpyArray::zeros(dtype, getSizes());
  int64_t n = out.getNumElements();
  if (n == 0)
    return out;
  unsigned elemSize = getNpyDTypeSize(dtype);
  const char *base =
      static_cast<const char *>(getAligned()) + getOffset() * elemSize;
  llvm::ArrayRef<int64_t> sizes = getSizes(), strides = getStrides();

  // Walk the index space in C order; copy the innermost dimension as one
  // block when it is contiguous.
  llvm::SmallVector<int64_t> index(rank, 0);
  int64_t inner = rank ? sizes.back() : 1;
  bool innerContiguous = rank == 0 || strides.back() == 1;
  char *dst = out.data.data();
  for (int64_t done = 0; done < n; done += inner) {
    int64_t elemOffset = 0;
    for (unsigned d = 0; d + 1 < rank; ++d)
      elemOffset += index[d] * strides[d];
    const char *src = base + elemOffset * elemSize;
    if (innerContiguous) {
      std::memcpy(dst, src, inner * elemSize);
    } else {
      for (int64_t j = 0; j < inner; ++j)
        std::memcpy(dst + j * elemSize, src + j * strides.back() * elemSize,
                    elemSize);
    }
    dst += inner * elemSize;
    // Advance the outer index (all but the innermost dimension).
    for (int d = static_cast<int>(rank) - 2; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

MemRefDescriptorList::MemRefDescriptorList(llvm::ArrayRef<unsigned> ranks)
    : ranks(ranks.begin(), ranks.end()) {
  unsigned total = 0;
  for (unsigned r : ranks) {
    offsets.push_back(total);
    total += getDescriptorWords(r);
  }
  words.assign(total, 0);
}
