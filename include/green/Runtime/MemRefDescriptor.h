//===- MemRefDescriptor.h - ranked memref descriptors for calls -*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The C interface of a function lowered with `llvm.emit_c_interface` takes
// each memref as a pointer to a ranked strided descriptor
//
//   struct { T *allocated; T *aligned; int64_t offset;
//            int64_t sizes[rank]; int64_t strides[rank]; };
//
// and returns results through a pointer to one descriptor (one result) or to
// a struct of descriptors (several results). Every field is 8 bytes, so a
// descriptor of rank r is 3 + 2r words and a struct of descriptors is their
// concatenation. These helpers build descriptors at run time, for any rank.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_RUNTIME_MEMREFDESCRIPTOR_H
#define GREEN_RUNTIME_MEMREFDESCRIPTOR_H

#include "green/Runtime/Npy.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace mlir::green {

/// Words (8 bytes) of a ranked descriptor of `rank`.
inline unsigned getDescriptorWords(unsigned rank) { return 3 + 2 * rank; }

/// A view of one descriptor laid out in a buffer of 64-bit words.
class MemRefDescriptorRef {
public:
  MemRefDescriptorRef(int64_t *words, unsigned rank)
      : words(words), rank(rank) {}

  unsigned getRank() const { return rank; }
  void *getAllocated() const { return reinterpret_cast<void *>(words[0]); }
  void *getAligned() const { return reinterpret_cast<void *>(words[1]); }
  int64_t getOffset() const { return words[2]; }
  llvm::ArrayRef<int64_t> getSizes() const { return {words + 3, rank}; }
  llvm::ArrayRef<int64_t> getStrides() const {
    return {words + 3 + rank, rank};
  }
  /// Pointer to pass to the C interface.
  void *getPointer() const { return words; }

  /// Describes a dense C-order buffer of `shape` at `data`.
  void setContiguous(void *data, llvm::ArrayRef<int64_t> shape);

  /// Copies the described elements (honouring offset and strides) into a
  /// new C-order array of `dtype`. The sizes must match `shape`.
  NpyArray copyOut(NpyDType dtype) const;

private:
  int64_t *words;
  unsigned rank;
};

/// Storage for a list of descriptors laid out back to back: the arguments of
/// one call (one descriptor each), or the struct of results.
class MemRefDescriptorList {
public:
  explicit MemRefDescriptorList(llvm::ArrayRef<unsigned> ranks);

  unsigned size() const { return offsets.size(); }
  MemRefDescriptorRef operator[](unsigned i) {
    return {words.data() + offsets[i], ranks[i]};
  }
  /// Pointer to the first descriptor (the result struct).
  void *data() { return words.data(); }

private:
  std::vector<int64_t> words;
  llvm::SmallVector<unsigned> offsets, ranks;
};

} // namespace mlir::green

#endif // GREEN_RUNTIME_MEMREFDESCRIPTOR_H
