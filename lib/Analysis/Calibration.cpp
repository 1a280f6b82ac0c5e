//===- Calibration.cpp - fit a target's latency model to timings ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/Calibration.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Measurements file
//===----------------------------------------------------------------------===//

namespace {
/// Reads one JSON object, tracking the key path for error messages.
class Reader {
public:
  Reader(llvm::StringRef file) : file(file.str()) {}

  llvm::Error error(const llvm::Twine &path, const llvm::Twine &what) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        (file + ": " + path + ": " + what).str());
  }

  /// Fails on keys outside `allowed`.
  llvm::Error checkKeys(const llvm::json::Object &obj, llvm::StringRef path,
                        llvm::ArrayRef<llvm::StringRef> allowed) const {
    for (const auto &kv : obj) {
      if (llvm::is_contained(allowed, kv.first.str()))
        continue;
      std::string prefix = path.empty() ? "" : (path + ".").str();
      return error(prefix + kv.first.str(),
                   "unknown key (expected one of: " +
                       llvm::join(allowed, ", ") + ")");
    }
    return llvm::Error::success();
  }

  llvm::Expected<const llvm::json::Object *>
  object(const llvm::json::Value &v, llvm::StringRef path) const {
    if (const llvm::json::Object *o = v.getAsObject())
      return o;
    return error(path, "expected an object");
  }

  llvm::Expected<double> number(const llvm::json::Object &obj,
                                llvm::StringRef path, llvm::StringRef key,
                                bool positive) const {
    std::string full = path.empty() ? key.str() : (path + "." + key).str();
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return error(full, "missing required field");
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return error(full, "expected a number");
    if (positive ? *d <= 0 : *d < 0)
      return error(full, llvm::formatv("expected a {0} number, got {1}",
                                       positive ? "positive" : "non-negative",
                                       *d));
    return *d;
  }

  llvm::Expected<int64_t> integer(const llvm::json::Object &obj,
                                  llvm::StringRef path,
                                  llvm::StringRef key) const {
    std::string full = path.empty() ? key.str() : (path + "." + key).str();
    const llvm::json::Value *v = obj.get(key);
    if (!v)
      return error(full, "missing required field");
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i < 0)
      return error(full, "expected a non-negative integer");
    return *i;
  }

private:
  std::string file;
};
} // namespace

static std::optional<OpClass> symbolizeOpClass(llvm::StringRef name) {
  for (OpClass cls : {OpClass::Add, OpClass::Mul, OpClass::Fma, OpClass::Div,
                      OpClass::Transcendental})
    if (stringifyOpClass(cls) == name)
      return cls;
  return std::nullopt;
}

llvm::Expected<std::vector<Measurement>>
mlir::green::parseMeasurements(llvm::StringRef json, llvm::StringRef path) {
  Reader r(path);
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(json);
  if (!doc)
    return r.error("<document>",
                   "invalid JSON: " + llvm::toString(doc.takeError()));
  auto root = r.object(*doc, "<document>");
  if (!root)
    return root.takeError();
  if (auto err = r.checkKeys(**root, "", {"schema", "target", "points"}))
    return std::move(err);
  std::optional<llvm::StringRef> schema = (*root)->getString("schema");
  if (!schema || *schema != "green-calibration/1")
    return r.error("schema", "expected \"green-calibration/1\"");
  const llvm::json::Array *points = (*root)->getArray("points");
  if (!points)
    return r.error("points", "missing required field (an array of "
                             "measurements)");

  std::vector<Measurement> result;
  for (auto [i, pv] : llvm::enumerate(*points)) {
    std::string p = llvm::formatv("points[{0}]", i);
    auto point = r.object(pv, p);
    if (!point)
      return point.takeError();
    if (auto err = r.checkKeys(**point, p,
                               {"name", "measured_s", "threads",
                                "operating_point", "work"}))
      return std::move(err);
    Measurement m;
    m.name = (*point)->getString("name").value_or(p).str();
    auto t = r.number(**point, p, "measured_s", /*positive=*/true);
    if (!t)
      return t.takeError();
    m.measuredSec = *t;
    if ((*point)->get("threads")) {
      auto threads = r.integer(**point, p, "threads");
      if (!threads)
        return threads.takeError();
      m.schedule.threads = *threads;
    }
    if ((*point)->get("operating_point")) {
      auto op = r.integer(**point, p, "operating_point");
      if (!op)
        return op.takeError();
      m.schedule.operatingPoint = *op;
    }
    const llvm::json::Value *wv = (*point)->get("work");
    if (!wv)
      return r.error(p + ".work", "missing required field");
    std::string w = p + ".work";
    auto work = r.object(*wv, w);
    if (!work)
      return work.takeError();
    if (auto err =
            r.checkKeys(**work, w, {"ops", "bytes_read", "bytes_written"}))
      return std::move(err);
    auto bytesRead = r.integer(**work, w, "bytes_read");
    if (!bytesRead)
      return bytesRead.takeError();
    auto bytesWritten = r.integer(**work, w, "bytes_written");
    if (!bytesWritten)
      return bytesWritten.takeError();
    m.work.bytesRead = *bytesRead;
    m.work.bytesWritten = *bytesWritten;
    const llvm::json::Array *ops = (*work)->getArray("ops");
    if (!ops)
      return r.error(w + ".ops", "missing required field (an array)");
    for (auto [j, ov] : llvm::enumerate(*ops)) {
      std::string o = llvm::formatv("{0}.ops[{1}]", w, j);
      auto op = r.object(ov, o);
      if (!op)
        return op.takeError();
      if (auto err =
              r.checkKeys(**op, o, {"kind", "class", "count", "contraction"}))
        return std::move(err);
      std::optional<ScalarKind> kind;
      if (auto s = (*op)->getString("kind"))
        kind = symbolizeScalarKind(*s);
      if (!kind)
        return r.error(o + ".kind", "expected an element type name (f32, "
                                    "bf16, i8, ...)");
      std::optional<OpClass> cls;
      if (auto s = (*op)->getString("class"))
        cls = symbolizeOpClass(*s);
      if (!cls)
        return r.error(o + ".class", "expected one of: add, mul, fma, div, "
                                     "transcendental");
      auto count = r.integer(**op, o, "count");
      if (!count)
        return count.takeError();
      m.work.add(*kind, *cls, *count,
                 (*op)->getBoolean("contraction").value_or(false));
    }
    result.push_back(std::move(m));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Fitting
//===----------------------------------------------------------------------===//

TargetDescription mlir::green::applyCalibration(const TargetDescription &target,
                                                double computeEfficiency,
                                                double memoryEfficiency,
                                                double perOpOverheadSec) {
  TargetDescription t = target;
  for (auto &entry : t.compute) {
    if (!entry)
      continue;
    entry->lanesPerCycle *= computeEfficiency;
    entry->matrixLanesPerCycle *= computeEfficiency;
  }
  for (MemoryLevel &level : t.memory)
    level.bandwidthBytesPerSec *= memoryEfficiency;
  t.perOpOverheadSec = perOpOverheadSec;
  return t;
}

/// Sum of squared log errors of `target` over `points`.
static double logLoss(const TargetDescription &target,
                      llvm::ArrayRef<Measurement> points) {
  double sum = 0;
  for (const Measurement &m : points) {
    double predicted = estimateCost(m.work, target, m.schedule).latencySec;
    double e = std::log(std::max(predicted, 1e-15) / m.measuredSec);
    sum += e * e;
  }
  return sum;
}

static std::vector<double> ranks(llvm::ArrayRef<double> v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
      ++j;
    double avg = (i + j) / 2.0 + 1;
    for (size_t k = i; k <= j; ++k)
      r[order[k]] = avg;
    i = j + 1;
  }
  return r;
}

double mlir::green::spearmanCorrelation(llvm::ArrayRef<double> a,
                                        llvm::ArrayRef<double> b) {
  if (a.size() != b.size() || a.size() < 2)
    return 0;
  std::vector<double> ra = ranks(a), rb = ranks(b);
  double n = a.size();
  double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) * (ra[i] - ma);
    vb += (rb[i] - mb) * (rb[i] - mb);
  }
  if (va == 0 || vb == 0)
    return 0;
  return cov / std::sqrt(va * vb);
}

llvm::Expected<CalibrationResult>
mlir::green::calibrateTarget(const TargetDescription &target,
                             llvm::ArrayRef<Measurement> points) {
  if (points.size() < 3)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("calibration needs at least 3 measurements, got {0}",
                      points.size())
            .str());
  for (const Measurement &m : points)
    if (!(m.measuredSec > 0))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "measurement '" + m.name + "' has a non-positive time");

  CalibrationResult result;
  double n = points.size();
  result.rmsLogErrorBefore = std::sqrt(logLoss(target, points) / n);

  // Coarse grid, log-spaced: efficiencies in [1/64, 4], overhead 0 or in
  // [1e-9, 1e-2] s.
  auto loss = [&](double c, double m, double o) {
    return logLoss(applyCalibration(target, c, m, o), points);
  };
  double bestC = 1, bestM = 1, bestO = target.perOpOverheadSec;
  double best = loss(bestC, bestM, bestO);
  std::vector<double> effs, overheads = {0.0};
  for (int i = 0; i <= 32; ++i)
    effs.push_back(std::pow(2.0, -6.0 + 8.0 * i / 32));
  for (int i = 0; i <= 14; ++i)
    overheads.push_back(std::pow(10.0, -9.0 + 7.0 * i / 14));
  for (double c : effs)
    for (double m : effs)
      for (double o : overheads) {
        double l = loss(c, m, o);
        if (l < best) {
          best = l;
          bestC = c;
          bestM = m;
          bestO = o;
        }
      }

  // Local refinement: multiplicative pattern search with shrinking steps.
  for (double step = 1.25; step > 1.0005; step = std::sqrt(step)) {
    bool improved = true;
    while (improved) {
      improved = false;
      const double candidates[][3] = {
          {bestC * step, bestM, bestO}, {bestC / step, bestM, bestO},
          {bestC, bestM * step, bestO}, {bestC, bestM / step, bestO},
          {bestC, bestM, bestO * step}, {bestC, bestM, bestO / step}};
      for (const auto &cand : candidates) {
        double l = loss(cand[0], cand[1], cand[2]);
        if (l < best - 1e-15) {
          best = l;
          bestC = cand[0];
          bestM = cand[1];
          bestO = cand[2];
          improved = true;
        }
      }
    }
  }

  result.computeEfficiency = bestC;
  result.memoryEfficiency = bestM;
  result.perOpOverheadSec = bestO;
  result.calibrated = applyCalibration(target, bestC, bestM, bestO);
  result.rmsLogErrorAfter = std::sqrt(best / n);
  std::vector<double> predicted, measured;
  for (const Measurement &m : points) {
    predicted.push_back(
        estimateCost(m.work, result.calibrated, m.schedule).latencySec);
    measured.push_back(m.measuredSec);
  }
  result.spearmanAfter = spearmanCorrelation(predicted, measured);
  return result;
}
