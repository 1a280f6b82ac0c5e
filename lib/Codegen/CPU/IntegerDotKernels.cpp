//===- IntegerDotKernels.cpp - i8 x i8 -> i32 micro-kernels ---------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Signed int8 GEMM with exact int32 results on the integer dot-product
// instructions (docs/quantization-kernels.md):
//
//   AVX-512 VNNI: vpdpbusd acc[l] += sum_{t<4} u8(a[4l+t]) * s8(b[4l+t]).
//     A is signed, so it is fed as a + 128 (as u8: a xor 0x80, applied
//     while copying A's mc x kc tile once per cache tile) and the extra
//     128 * sum_k B[k, n] is subtracted once per register tile and cache
//     k-block. The column sums are computed while packing B. All i32
//     arithmetic wraps, so the result is exact whenever the true result
//     fits i32.
//   AVX2: vpmaddwd acc[l] += s16(a[2l]) * s16(b[2l]) + s16(a[2l+1]) *
//     s16(b[2l+1]) on sign-extended i8 values: every product and pair sum
//     fits (|sum| <= 2 * 128 * 128), so it is exact; vpmaddubsw would
//     saturate at int16 and is not used.
//
// B's kc x nc panel is packed once per (n, k) cache tile into
// [nc/nr][kc/g][nr*g] (g = 4 bytes for VNNI, g = 2 i16 for AVX2), so that
// each vector of B is one contiguous load in the micro-kernel; A's tile is
// copied (xor 0x80, or sign-extended to i16) once per cache tile so that
// its 4-byte groups are broadcast straight from memory (vpbroadcastd m32).
//
//===----------------------------------------------------------------------===//

#include "IntegerDotKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::cpu;

IntegerDotKind
mlir::green::cpu::getIntegerDotKind(const TargetDescription &target) {
  if (target.hasFeature("avx512vnni") && target.vectorBits >= 512)
    return IntegerDotKind::Avx512Vnni;
  if (target.hasFeature("avx2"))
    return IntegerDotKind::Avx2MaddWd;
  return IntegerDotKind::None;
}

StringRef mlir::green::cpu::stringifyIntegerDotKind(IntegerDotKind kind) {
  switch (kind) {
  case IntegerDotKind::Avx512Vnni:
    return "vpdpbusd";
  case IntegerDotKind::Avx2MaddWd:
    return "vpmaddwd";
  case IntegerDotKind::None:
    return "none";
  }
  return "none";
}

int64_t mlir::green::cpu::getIntegerDotLanes(IntegerDotKind kind) {
  switch (kind) {
  case IntegerDotKind::Avx512Vnni:
    return 16;
  case IntegerDotKind::Avx2MaddWd:
    return 8;
  case IntegerDotKind::None:
    return 0;
  }
  return 0;
}

static bool isIntType(Type t, unsigned bits) {
  auto i = dyn_cast<IntegerType>(getElementTypeOrSelf(t));
  return i && i.getWidth() == bits && i.isSignless();
}

/// Signless integers of 2 to 8 bits: i8, and sub-byte weights (i4) that
/// the packing sign-extends to the kernel's i8 / i16.
static bool isNarrowIntType(Type t) {
  auto i = dyn_cast<IntegerType>(getElementTypeOrSelf(t));
  return i && i.getWidth() >= 2 && i.getWidth() <= 8 && i.isSignless();
}

/// `v` sign-extended to `to` when its (integer) type is narrower.
static Value extendTo(OpBuilder &b, Location loc, Value v, Type to) {
  if (v.getType() == to)
    return v;
  return arith::ExtSIOp::create(b, loc, to, v);
}

/// `v` is `arith.extsi` of the block argument `arg`.
static bool isSExtOf(Value v, Value arg) {
  auto ext = v.getDefiningOp<arith::ExtSIOp>();
  return ext && ext.getIn() == arg;
}

bool mlir::green::cpu::isSignedI8Gemm(linalg::LinalgOp op,
                                      std::array<unsigned, 3> *dims) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 3 || !op.hasPureTensorSemantics())
    return false;
  if (!isNarrowIntType(op.getDpsInputOperand(0)->get().getType()) ||
      !isNarrowIntType(op.getDpsInputOperand(1)->get().getType()) ||
      !isIntType(op.getDpsInitOperand(0)->get().getType(), 32))
    return false;
  FailureOr<linalg::ContractionDimensions> cd =
      linalg::inferContractionDims(op);
  if (failed(cd) || cd->m.size() != 1 || cd->n.size() != 1 ||
      cd->k.size() != 1 || !cd->batch.empty())
    return false;
  unsigned m = cd->m.front(), n = cd->n.front(), k = cd->k.front();
  auto isMap = [&](OpOperand *operand, unsigned d0, unsigned d1) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    return map.getNumResults() == 2 && map.isProjectedPermutation() &&
           map.getDimPosition(0) == d0 && map.getDimPosition(1) == d1;
  };
  if (!isMap(op.getDpsInputOperand(0), m, k) ||
      !isMap(op.getDpsInputOperand(1), k, n) ||
      !isMap(op.getDpsInitOperand(0), m, n))
    return false;
  // acc + extsi(a) * extsi(b), nothing else.
  Block *body = op.getBlock();
  if (body->getOperations().size() != 5)
    return false;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  Value acc = body->getArgument(2);
  Value product = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return false;
  Value a = body->getArgument(0), b = body->getArgument(1);
  if (!((isSExtOf(mul.getLhs(), a) && isSExtOf(mul.getRhs(), b)) ||
        (isSExtOf(mul.getLhs(), b) && isSExtOf(mul.getRhs(), a))))
    return false;
  if (dims)
    *dims = {m, n, k};
  return true;
}

/// The point above which a value computed from `panel` can be placed: above
/// every enclosing scf.for `panel` (or the operands of the extract_slice
/// producing it) does not depend on. Returns the op to insert before and
/// whether the slice must be cloned there.
static Operation *findHoistPoint(Operation *op, Value panel,
                                 tensor::ExtractSliceOp slice) {
  Operation *anchor = op;
  auto invariant = [&](scf::ForOp loop) {
    if (!slice)
      return loop.isDefinedOutsideOfLoop(panel);
    return llvm::all_of(slice->getOperands(), [&](Value v) {
      return loop.isDefinedOutsideOfLoop(v);
    });
  };
  while (auto loop = dyn_cast<scf::ForOp>(anchor->getParentOp())) {
    if (!invariant(loop))
      break;
    anchor = loop;
  }
  return anchor;
}

namespace {
/// B's packed panel and, for VNNI, 128 x its column sums.
struct PackedPanel {
  Value packed;
  Value colSums;
};
} // namespace

/// Packs the kc x nc panel `panel` of B into [nc/nr][kc/g][nr*g], with
/// packed[p][q][j*g + t] = B[q*g + t][p*nr + j] (sign-extended to i16 for
/// vpmaddwd), and for VNNI computes colSums[p][j] = 128 * sum_k
/// B[k][p*nr + j] (i32).
static PackedPanel packPanel(RewriterBase &rewriter, Location loc, Value panel,
                             int64_t nr, IntegerDotKind kind) {
  auto type = cast<RankedTensorType>(panel.getType());
  int64_t kc = type.getDimSize(0), nc = type.getDimSize(1);
  const bool vnni = kind == IntegerDotKind::Avx512Vnni;
  const int64_t g = vnni ? 4 : 2;
  Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type(),
       i32 = rewriter.getI32Type();
  Type source = type.getElementType();
  Type packedElement = vnni ? i8 : i16;
  MLIRContext *ctx = rewriter.getContext();

  // [kc/g][g][nc/nr][nr] -> [nc/nr][kc/g][nr][g], loops (q, t, p, j): the
  // innermost loop reads B contiguously.
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({kc / g, g, nc / nr, nr}, source),
      panel, SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{nc / nr, kc / g, nr, g}, packedElement);
  AffineExpr q, t, p, j;
  bindDims(ctx, q, t, p, j);
  auto pack = linalg::GenericOp::create(
      rewriter, loc, empty.getType(), ValueRange{expanded}, ValueRange{empty},
      ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(4, ctx),
                          AffineMap::get(4, 0, {p, q, j, t}, ctx)},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l,
                                ValueRange{extendTo(b, l, args[0],
                                                    packedElement)});
      });
  PackedPanel result;
  result.packed = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({nc / nr, kc / g, nr * g}, packedElement),
      pack.getResult(0), SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  if (!vnni)
    return result;

  // colSums[p][j] = sum_k sext(B[k][p*nr + j]) << 7, loops (k, p, j).
  Value rows = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({kc, nc / nr, nr}, source), panel,
      SmallVector<ReassociationIndices>{{0}, {1, 2}});
  Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  Value sumsInit = linalg::FillOp::create(
                       rewriter, loc, zero,
                       ValueRange{tensor::EmptyOp::create(
                           rewriter, loc, ArrayRef<int64_t>{nc / nr, nr}, i32)})
                       .getResult(0);
  AffineExpr k, pp, jj;
  bindDims(ctx, k, pp, jj);
  auto sums = linalg::GenericOp::create(
      rewriter, loc, sumsInit.getType(), ValueRange{rows}, ValueRange{sumsInit},
      ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(3, ctx),
                          AffineMap::get(3, 0, {pp, jj}, ctx)},
      SmallVector<utils::IteratorType>{utils::IteratorType::reduction,
                                       utils::IteratorType::parallel,
                                       utils::IteratorType::parallel},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = arith::ExtSIOp::create(b, l, i32, args[0]);
        Value seven = arith::ConstantIntOp::create(b, l, i32, 7);
        v = arith::ShLIOp::create(b, l, v, seven);
        linalg::YieldOp::create(b, l,
                                ValueRange{arith::AddIOp::create(b, l, args[1],
                                                                 v)});
      });
  result.colSums = sums.getResult(0);
  return result;
}

StringRef mlir::green::cpu::getIntegerDotAttrName() {
  return "green_integer_dot";
}

/// acc[l] += sum_t ext(a[l][t]) * ext(b[l][t]) as a vector.contract on the
/// flat groups `a` and `b` (64 x i8 or 16 x i16), marked with the
/// instruction that green-cpu-lower-vectors maps it to. VNNI: lanes 16,
/// depth 4, a zero-extended (u8), b sign-extended; AVX2: lanes 8, depth 2,
/// both sign-extended i16.
static Value createDot(OpBuilder &b, Location loc, IntegerDotKind kind,
                       Value lhs, Value rhs, Value acc) {
  const bool vnni = kind == IntegerDotKind::Avx512Vnni;
  const int64_t lanes = getIntegerDotLanes(kind), depth = vnni ? 4 : 2;
  Type narrow = vnni ? b.getI8Type() : b.getI16Type();
  Type i32 = b.getI32Type();
  auto groupType = VectorType::get({lanes, depth}, narrow);
  auto wideType = VectorType::get({lanes, depth}, i32);
  Value l = vector::ShapeCastOp::create(b, loc, groupType, lhs);
  Value r = vector::ShapeCastOp::create(b, loc, groupType, rhs);
  l = vnni ? arith::ExtUIOp::create(b, loc, wideType, l).getResult()
           : arith::ExtSIOp::create(b, loc, wideType, l).getResult();
  r = arith::ExtSIOp::create(b, loc, wideType, r);
  MLIRContext *ctx = b.getContext();
  AffineExpr d0, d1;
  bindDims(ctx, d0, d1);
  auto full = AffineMap::get(2, 0, {d0, d1}, ctx);
  auto lanesOnly = AffineMap::get(2, 0, {d0}, ctx);
  auto contract = vector::ContractionOp::create(
      b, loc, l, r, acc, b.getAffineMapArrayAttr({full, full, lanesOnly}),
      b.getArrayAttr({vector::IteratorTypeAttr::get(
                          ctx, vector::IteratorType::parallel),
                      vector::IteratorTypeAttr::get(
                          ctx, vector::IteratorType::reduction)}));
  contract->setAttr(getIntegerDotAttrName(),
                    b.getStringAttr(stringifyIntegerDotKind(kind)));
  return contract.getResult();
}

LogicalResult mlir::green::cpu::emitIntegerDotKernel(RewriterBase &rewriter,
                                                     linalg::LinalgOp op,
                                                     int64_t mr, int64_t nr,
                                                     IntegerDotKind kind) {
  std::array<unsigned, 3> dims;
  if (kind == IntegerDotKind::None || !isSignedI8Gemm(op, &dims))
    return failure();
  const int64_t lanes = getIntegerDotLanes(kind);
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  const int64_t mc = sizes[dims[0]], nc = sizes[dims[1]], kc = sizes[dims[2]];
  if (ShapedType::isDynamic(mc) || ShapedType::isDynamic(nc) ||
      ShapedType::isDynamic(kc) || mr <= 0 || nr <= 0 || nr % lanes != 0 ||
      mc % mr != 0 || nc % nr != 0 || kc % 4 != 0)
    return failure();
  const bool vnni = kind == IntegerDotKind::Avx512Vnni;
  const int64_t chunks = nr / lanes;
  Location loc = op.getLoc();
  Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type(),
       i32 = rewriter.getI32Type();

  Value a = op.getDpsInputOperand(0)->get();
  Value b = op.getDpsInputOperand(1)->get();
  Value c = op.getDpsInitOperand(0)->get();

  // Pack B above the loops that do not change the panel.
  auto slice = b.getDefiningOp<tensor::ExtractSliceOp>();
  Operation *anchor = findHoistPoint(op, b, slice);
  rewriter.setInsertionPoint(anchor);
  Value panel = b;
  if (slice && anchor != op.getOperation())
    panel = rewriter.clone(*slice)->getResult(0);
  PackedPanel packed = packPanel(rewriter, loc, panel, nr, kind);

  // A's mc x kc tile, once per cache tile, in the form the broadcasts read
  // straight from memory: VNNI u8 (a xor 0x80 = a + 128), AVX2 i16.
  rewriter.setInsertionPoint(op);
  {
    MLIRContext *ctx = rewriter.getContext();
    Type aElement = vnni ? i8 : i16;
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{mc, kc}, aElement);
    AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
    a = linalg::GenericOp::create(
            rewriter, loc, empty.getType(), ValueRange{a}, ValueRange{empty},
            ArrayRef<AffineMap>{id, id},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value v = extendTo(b, l, args[0], aElement);
              if (vnni)
                v = arith::XOrIOp::create(
                    b, l, v, arith::ConstantIntOp::create(b, l, i8, -128));
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
  }
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value c0 = cst(0);
  auto accType = VectorType::get({lanes}, i32);
  auto bType = VectorType::get({vnni ? 64 : 16}, vnni ? i8 : i16);
  Value padI8 = arith::ConstantIntOp::create(rewriter, loc, i8, 0);
  Value padI16 = arith::ConstantIntOp::create(rewriter, loc, i16, 0);
  Value padI32 = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  auto add = [&](OpBuilder &bld, Value x, int64_t y) -> Value {
    return y == 0 ? x
                  : arith::AddIOp::create(
                        bld, loc, x,
                        arith::ConstantIndexOp::create(bld, loc, y));
  };

  // for i in [0, mc) step mr, for jt in [0, nc / nr): one register tile.
  auto mLoop = scf::ForOp::create(
      rewriter, loc, c0, cst(mc), cst(mr), ValueRange{c},
      [&](OpBuilder &bm, Location, Value i, ValueRange mArgs) {
        auto nLoop = scf::ForOp::create(
            bm, loc, c0, arith::ConstantIndexOp::create(bm, loc, nc / nr),
            arith::ConstantIndexOp::create(bm, loc, 1), ValueRange{mArgs[0]},
            [&](OpBuilder &bn, Location, Value jt, ValueRange nArgs) {
              Value cTile = nArgs[0];
              Value j = arith::MulIOp::create(
                  bn, loc, jt, arith::ConstantIndexOp::create(bn, loc, nr));
              SmallVector<Value> accs;
              for (int64_t r = 0; r < mr; ++r)
                for (int64_t ch = 0; ch < chunks; ++ch)
                  accs.push_back(vector::TransferReadOp::create(
                      bn, loc, accType, cTile,
                      ValueRange{add(bn, i, r), add(bn, j, ch * lanes)},
                      padI32, ArrayRef<bool>{true}));
              // The k loop over 4-deep groups; the accumulators stay in
              // registers.
              auto kLoop = scf::ForOp::create(
                  bn, loc, arith::ConstantIndexOp::create(bn, loc, 0),
                  arith::ConstantIndexOp::create(bn, loc, kc / 4),
                  arith::ConstantIndexOp::create(bn, loc, 1), accs,
                  [&](OpBuilder &bk, Location, Value q, ValueRange kArgs) {
                    SmallVector<Value> acc(kArgs.begin(), kArgs.end());
                    Value k = arith::MulIOp::create(
                        bk, loc, q, arith::ConstantIndexOp::create(bk, loc, 4));
                    // Per group h (VNNI: the one 4-deep group; AVX2: the
                    // two k pairs): the B vectors of all columns (one
                    // contiguous load per 16 (VNNI) or 8 (AVX2) columns),
                    // then per row one i32 word of A (4 u8 or 2 i16)
                    // broadcast from memory and one dot per B vector.
                    const int64_t groups = vnni ? 1 : 2;
                    for (int64_t h = 0; h < groups; ++h) {
                      Value row =
                          vnni ? q
                               : add(bk,
                                     arith::MulIOp::create(
                                         bk, loc, q,
                                         arith::ConstantIndexOp::create(bk, loc,
                                                                        2)),
                                     h);
                      SmallVector<Value> bVecs;
                      for (int64_t ch = 0; ch < chunks; ++ch)
                        bVecs.push_back(vector::TransferReadOp::create(
                            bk, loc, bType, packed.packed,
                            ValueRange{jt, row,
                                       arith::ConstantIndexOp::create(
                                           bk, loc, ch * bType.getDimSize(0))},
                            vnni ? padI8 : padI16, ArrayRef<bool>{true}));
                      Value col = add(bk, k, vnni ? 0 : 2 * h);
                      for (int64_t r = 0; r < mr; ++r) {
                        Value word = vector::TransferReadOp::create(
                            bk, loc,
                            VectorType::get({vnni ? 4 : 2}, vnni ? i8 : i16), a,
                            ValueRange{add(bk, i, r), col},
                            vnni ? padI8 : padI16, ArrayRef<bool>{true});
                        Value w = vector::BitCastOp::create(
                            bk, loc, VectorType::get({1}, i32), word);
                        Value s = vector::ExtractOp::create(
                            bk, loc, w, ArrayRef<int64_t>{0});
                        Value splat =
                            vector::BroadcastOp::create(bk, loc, accType, s);
                        Value aVec =
                            vector::BitCastOp::create(bk, loc, bType, splat);
                        for (int64_t ch = 0; ch < chunks; ++ch) {
                          Value &x = acc[r * chunks + ch];
                          x = createDot(bk, loc, kind, aVec, bVecs[ch], x);
                        }
                      }
                    }
                    scf::YieldOp::create(bk, loc, acc);
                  });
              SmallVector<Value> results(kLoop.getResults());
              if (vnni) {
                // Undo the + 128 on A: subtract 128 x this k block's
                // column sums of B.
                for (int64_t ch = 0; ch < chunks; ++ch) {
                  Value sums = vector::TransferReadOp::create(
                      bn, loc, accType, packed.colSums,
                      ValueRange{jt, arith::ConstantIndexOp::create(
                                         bn, loc, ch * lanes)},
                      padI32, ArrayRef<bool>{true});
                  for (int64_t r = 0; r < mr; ++r) {
                    Value &x = results[r * chunks + ch];
                    x = arith::SubIOp::create(bn, loc, x, sums);
                  }
                }
              }
              for (int64_t r = 0; r < mr; ++r)
                for (int64_t ch = 0; ch < chunks; ++ch)
                  cTile = vector::TransferWriteOp::create(
                              bn, loc, results[r * chunks + ch], cTile,
                              ValueRange{add(bn, i, r),
                                         add(bn, j, ch * lanes)},
                              ArrayRef<bool>{true})
                              .getResult();
              scf::YieldOp::create(bn, loc, cTile);
            });
        scf::YieldOp::create(bm, loc, nLoop.getResults());
      });
  rewriter.replaceOp(op, mLoop.getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Lowering the marked groups to the x86 intrinsics
//===----------------------------------------------------------------------===//

namespace {
/// A `vector.contract` marked by createDot to its instruction. Unmarked or
/// differently shaped contractions are left to the generic lowering.
struct LowerIntegerDot : OpRewritePattern<vector::ContractionOp> {
  LowerIntegerDot(MLIRContext *ctx)
      : OpRewritePattern<vector::ContractionOp>(ctx, /*benefit=*/10) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    auto mark = op->getAttrOfType<StringAttr>(getIntegerDotAttrName());
    if (!mark)
      return rewriter.notifyMatchFailure(op, "not an integer dot group");
    const bool vnni = mark.getValue() == "vpdpbusd";
    if (!vnni && mark.getValue() != "vpmaddwd")
      return rewriter.notifyMatchFailure(op, "unknown integer dot kind");
    const int64_t lanes = vnni ? 16 : 8, depth = vnni ? 4 : 2;
    Type narrow = vnni ? rewriter.getI8Type() : rewriter.getI16Type();
    auto groupType = VectorType::get({lanes, depth}, narrow);
    auto accType = VectorType::get({lanes}, rewriter.getI32Type());
    Value lhs, rhs;
    if (vnni) {
      if (auto ext = op.getLhs().getDefiningOp<arith::ExtUIOp>())
        lhs = ext.getIn();
    } else if (auto ext = op.getLhs().getDefiningOp<arith::ExtSIOp>()) {
      lhs = ext.getIn();
    }
    if (auto ext = op.getRhs().getDefiningOp<arith::ExtSIOp>())
      rhs = ext.getIn();
    if (!lhs || !rhs || lhs.getType() != groupType ||
        rhs.getType() != groupType || op.getAccType() != accType)
      return rewriter.notifyMatchFailure(op, "operands are not the groups "
                                             "createDot made");
    Location loc = op.getLoc();
    auto flatType = VectorType::get({lanes * depth}, narrow);
    Value a = vector::ShapeCastOp::create(rewriter, loc, flatType, lhs);
    Value b = vector::ShapeCastOp::create(rewriter, loc, flatType, rhs);
    if (vnni) {
      rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
          op, accType, rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
          ValueRange{op.getAcc(), a, b});
      return success();
    }
    Value product =
        LLVM::CallIntrinsicOp::create(
            rewriter, loc, accType,
            rewriter.getStringAttr("llvm.x86.avx2.pmadd.wd"), ValueRange{a, b})
            .getResult(0);
    rewriter.replaceOpWithNewOp<arith::AddIOp>(op, op.getAcc(), product);
    return success();
  }
};
} // namespace

void mlir::green::cpu::populateIntegerDotLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerIntegerDot>(patterns.getContext());
}
