//===- ScheduleSelection.cpp - CPU schedule candidates and choice ---------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/ScheduleSelection.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <tuple>

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::cpu;

int64_t mlir::green::cpu::getVectorWidth(const TargetDescription &target,
                                         unsigned elementBits) {
  if (elementBits == 0)
    return 1;
  return std::max<int64_t>(1, target.vectorBits / elementBits);
}

/// The largest multiple of `reg` that divides `main` (a multiple of `reg`)
/// and is at most max(`want`, `reg`).
static int64_t pickCacheTile(int64_t main, int64_t reg, int64_t want) {
  if (main <= 0 || reg <= 0)
    return reg;
  int64_t q = main / reg;
  int64_t best = 1;
  for (int64_t d = 1; d <= q; ++d)
    if (q % d == 0 && d * reg <= std::max(want, reg))
      best = d;
  return best * reg;
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Row stride in bytes from which the rows of an unpacked B panel map to the
/// same L1 sets: one way of a 32 KiB 8-way or 48 KiB 12-way L1.
static constexpr int64_t kL1WayBytes = 4096;

std::vector<ScheduleCandidate>
mlir::green::cpu::enumerateCandidates(const ContractionShape &shape,
                                      const OpWork &work,
                                      const TargetDescription &target,
                                      unsigned maxThreads) {
  std::vector<ScheduleCandidate> result;
  const unsigned rank = shape.sizes.size();
  if (rank == 0 || target.memory.size() < 2 ||
      target.operatingPoints.empty())
    return result;
  const int64_t M = shape.sizes[shape.mDim], N = shape.sizes[shape.nDim],
                K = shape.sizes[shape.kDim];
  int64_t batch = 1;
  for (unsigned d : shape.batchDims)
    batch *= shape.sizes[d];
  const int64_t vw = getVectorWidth(target, shape.elementBits);
  const int64_t numVecRegs = target.vectorBits >= 512 ? 32 : 16;
  const double eb = std::max(1u, shape.elementBits) / 8.0;
  // Bytes per element of A and B (i8 inputs of an i32 accumulator: 1).
  const double ib =
      std::max(1u, shape.inputBits ? shape.inputBits : shape.elementBits) /
      8.0;
  // Tiles must fit the closest private level beyond L1 (L2), else the
  // last on-chip level.
  const double tileBudget =
      target.memory[std::min<size_t>(2, target.memory.size() - 2)].sizeBytes;

  // Register tiles.
  std::set<std::tuple<int64_t, int64_t, int64_t>> regTiles;
  const int64_t kr = std::min<int64_t>(4, K);
  for (int64_t mr : {1, 2, 4, 6, 8}) {
    // Powers of two vectors per row only: LLVM legalizes non-power-of-two
    // vector lengths poorly (an 8x48 f32 tile on AVX-512 measured ~6x slower
    // than 8x16 on a 64x48x64 GEMM, bench/costmodel.py), and the model does
    // not see it.
    for (int64_t nv : {1, 2, 4}) {
      int64_t nr = N < vw ? N : nv * vw;
      if (nr > N)
        continue;
      int64_t vecsPerRow = ceilDiv(nr, vw);
      if (std::min(mr, M) * vecsPerRow + vecsPerRow + 1 > numVecRegs)
        continue;
      // The integer dot-product kernel broadcasts one word of A per row and
      // k group for every vector of B: with a single vector per row it is
      // bound by broadcasts (loads), not dot products, where n allows more.
      if (shape.integerDot && vecsPerRow == 1 && N >= 2 * vw)
        continue;
      regTiles.insert({std::min(mr, M), nr, kr});
    }
  }

  unsigned threadsAll = maxThreads == 0 ? target.units
                                        : std::min(maxThreads, target.units);
  threadsAll = std::max(1u, threadsAll);
  // Operating points: nominal first, then the others fastest first.
  SmallVector<unsigned> points = {target.nominalPoint};
  SmallVector<unsigned> others;
  for (unsigned p = 0; p < target.operatingPoints.size(); ++p)
    if (p != target.nominalPoint)
      others.push_back(p);
  llvm::sort(others, [&](unsigned a, unsigned b) {
    return target.operatingPoints[a].frequencyHz >
           target.operatingPoints[b].frequencyHz;
  });
  points.append(others);

  // Parallel dimension: the first batch dimension with work for two
  // threads, else m.
  int64_t parallelDim = shape.mDim;
  for (unsigned d : shape.batchDims)
    if (shape.sizes[d] >= 2) {
      parallelDim = d;
      break;
    }

  std::set<SmallVector<int64_t>> seen;
  for (auto [mr, nr, krr] : regTiles) {
    const int64_t mMain = (M / mr) * mr, nMain = (N / nr) * nr,
                  kMain = (K / krr) * krr;
    for (int64_t wantM : {32, 64, 128, 256})
      for (int64_t wantN : {64, 128, 256, 512})
        for (int64_t wantK : {8, 16, 32, 64, 128, 256}) {
          int64_t mc = pickCacheTile(mMain, mr, wantM);
          int64_t nc = pickCacheTile(nMain, nr, wantN);
          int64_t kc = pickCacheTile(kMain, krr, wantK);
          SmallVector<int64_t> key = {mr, nr, krr, mc, nc, kc};
          if (!seen.insert(key).second)
            continue;
          double ws = (mc * kc + kc * nc) * ib + mc * nc * eb;
          if (ws > tileBudget && !(mc == mr && nc == nr && kc == krr))
            continue;
          // Tile counts over the whole extent (remainders are costed as
          // part of the op's work; their schedule is scalar).
          int64_t tm = ceilDiv(M, mc), tn = ceilDiv(N, nc),
                  tk = ceilDiv(K, kc);
          // Compulsory traffic comes from where the operands live (the
          // default working set: the whole footprint); what the tiling
          // changes is the re-reads, each from the level holding its data.
          Schedule base;
          base.registerTileM = mr;
          base.registerTileN = nr;
          // A panel (mc x K) re-read per column tile, B re-read per row
          // tile, the C tile loaded and stored per k tile.
          base.rereads.push_back(
              {static_cast<int64_t>((tn - 1) * batch * M * K * ib),
               static_cast<int64_t>(mc * K * ib)});
          base.rereads.push_back(
              {static_cast<int64_t>((tm - 1) * batch * K * N * ib),
               static_cast<int64_t>(K * N * ib)});
          base.rereads.push_back(
              {static_cast<int64_t>(2 * (tk - 1) * batch * M * N * eb),
               static_cast<int64_t>(mc * nc * eb)});
          // The micro-kernel re-reads the B panel (kc x nc) once per row of
          // register tiles: from L1 when it fits there (already counted as
          // the cost model's register-tile reuse), else from further out.
          // In place, the panel's rows sit a row of B apart; from a row
          // stride of an L1 way (4 KiB: 32 KiB / 8 ways, 48 KiB / 12 ways
          // on x86 cores) on, they fall into the same L1 sets and each row
          // into its own page: the micro-kernel's B reads then also miss L1
          // (charged from L2 on top of the above, the same for every tile
          // with this register tile; nothing for a single row of register
          // tiles, which reads B once anyway). Packed, the panel is contiguous;
          // packing writes it once per m tile.
          const int64_t panelBytes = static_cast<int64_t>(kc * nc * ib);
          const int64_t l1Bytes = target.memory[1].sizeBytes;
          const int64_t kernelBReads =
              static_cast<int64_t>(batch * M * N * K / mr * ib);
          const bool strided = N * ib >= kL1WayBytes;
          SmallVector<bool, 2> packChoices = {false};
          if (shape.canPackB && batch == 1)
            packChoices.push_back(true);
          if (shape.integerDot && shape.canPackB && batch == 1 &&
              krr == 4 && nr % vw == 0)
            packChoices = {true};

          SmallVector<unsigned> threadChoices = {1};
          int64_t parallelTiles =
              parallelDim == static_cast<int64_t>(shape.mDim)
                  ? mMain / mc
                  : shape.sizes[parallelDim];
          unsigned par = static_cast<unsigned>(
              std::min<int64_t>(threadsAll, parallelTiles));
          if (par > 1)
            threadChoices.insert(threadChoices.begin(), par);

          for (bool packB : packChoices) {
            Schedule sched = base;
            if (packB) {
              sched.rereads.push_back(
                  {static_cast<int64_t>(tm * K * N * ib), panelBytes});
              if (panelBytes > l1Bytes)
                sched.rereads.push_back({kernelBReads, panelBytes});
            } else {
              if (panelBytes > l1Bytes)
                sched.rereads.push_back({kernelBReads, panelBytes});
              // Every row of register tiles but the first (whose reads are
              // the compulsory ones).
              if (strided)
                sched.rereads.push_back(
                    {static_cast<int64_t>(batch * (ceilDiv(M, mr) - 1) * N *
                                          K * ib),
                     l1Bytes + 1});
            }

            for (unsigned t : threadChoices) {
              for (unsigned p : points) {
                ScheduleCandidate c;
                c.tile.assign(rank, 0);
                c.registerTile.assign(rank, 0);
                for (unsigned d : shape.batchDims)
                  c.tile[d] = c.registerTile[d] = 1;
                c.tile[shape.mDim] = mc;
                c.tile[shape.nDim] = nc;
                c.tile[shape.kDim] = kc;
                c.registerTile[shape.mDim] = mr;
                c.registerTile[shape.nDim] = nr;
                c.registerTile[shape.kDim] = krr;
                c.threads = t;
                c.parallelDim = t > 1 ? parallelDim : -1;
                c.operatingPoint = p;
                c.packB = packB;
                Schedule s = sched;
                s.threads = t;
                s.operatingPoint = p;
                c.cost = estimateCost(work, target, s);
                result.push_back(std::move(c));
              }
            }
          }
        }
  }
  return result;
}

double mlir::green::cpu::getObjectiveValue(const CostEstimate &cost,
                                           Objective objective) {
  switch (objective) {
  case Objective::Energy:
    return cost.energy.getTotalJ();
  case Objective::Latency:
    return cost.latencySec;
  case Objective::EDP:
    return getEnergyDelayProduct(cost);
  }
  return 0;
}

/// Lexicographic ranking key of `cost` under `objective`: the objective
/// value, then tie-breakers. Latency breaks ties by compute time (the
/// candidate with the most compute headroom: faster clock, more threads),
/// then energy; energy and EDP break ties by latency.
static std::array<double, 3> getRankKey(const CostEstimate &cost,
                                        Objective objective) {
  double j = cost.energy.getTotalJ(), s = cost.latencySec;
  switch (objective) {
  case Objective::Energy:
    return {j, s, 0};
  case Objective::Latency:
    return {s, cost.computeSec, j};
  case Objective::EDP:
    return {j * s, s, 0};
  }
  return {j, s, 0};
}

/// Strictly better by a relative margin per key, so that rounding noise
/// does not reorder candidates the model sees as equal.
static bool isBetter(const std::array<double, 3> &a,
                     const std::array<double, 3> &b) {
  for (unsigned i = 0; i < 3; ++i) {
    double tol = 1e-9 * std::max(std::abs(a[i]), std::abs(b[i]));
    if (a[i] < b[i] - tol)
      return true;
    if (a[i] > b[i] + tol)
      return false;
  }
  return false;
}

bool mlir::green::cpu::isRankedBefore(const CostEstimate &a,
                                      const CostEstimate &b,
                                      Objective objective) {
  return isBetter(getRankKey(a, objective), getRankKey(b, objective));
}

unsigned
mlir::green::cpu::selectCandidate(ArrayRef<ScheduleCandidate> candidates,
                                  Objective objective, double latencyBudget) {
  std::optional<unsigned> best;
  if (latencyBudget > 0) {
    for (auto [i, c] : llvm::enumerate(candidates)) {
      if (c.cost.latencySec > latencyBudget)
        continue;
      if (!best || isRankedBefore(c.cost, candidates[*best].cost,
                                  Objective::Energy))
        best = i;
    }
    if (best)
      return *best;
    objective = Objective::Latency;
  }
  for (auto [i, c] : llvm::enumerate(candidates))
    if (!best || isRankedBefore(c.cost, candidates[*best].cost, objective))
      best = i;
  return best.value_or(0);
}

std::string mlir::green::cpu::describeCandidate(const ScheduleCandidate &c) {
  auto list = [](ArrayRef<int64_t> v) {
    std::string s = "[";
    llvm::interleave(
        v, [&](int64_t x) { s += std::to_string(x); }, [&] { s += ", "; });
    return s + "]";
  };
  return llvm::formatv("tile {0} register tile {1} parallel dim {2} threads "
                       "{3} operating point {4}{7}: {5:e} J, {6:e} s",
                       list(c.tile), list(c.registerTile), c.parallelDim,
                       c.threads, c.operatingPoint,
                       c.cost.energy.getTotalJ(), c.cost.latencySec,
                       c.packB ? ", B packed" : "");
}
