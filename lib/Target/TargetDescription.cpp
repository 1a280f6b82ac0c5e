//===- TargetDescription.cpp - parse and validate target files ------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads a target description (schema: docs/targets.md) from JSON into a
// TargetDescription. Every field is checked: unknown keys, missing fields,
// wrong types and out-of-range values are all reported, each as
// `<file>: <key.path>: <what was expected>, got <what was found>`. All
// errors of a file are reported together, one per line, in schema order.
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::green;
using llvm::StringRef;
using llvm::Twine;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// Validator
//===----------------------------------------------------------------------===//

namespace {

/// The range a number must lie in.
enum class Bound { Positive, NonNegative, AtLeastOne };

/// Reads typed fields out of JSON objects and collects one error per problem,
/// each prefixed with the file name and the key path being read
/// (`compute.f32.fma_pj`, `memory[2].name`). Accessors return std::nullopt
/// (or null) after reporting, so callers just skip what could not be read.
class Validator {
public:
  explicit Validator(StringRef file) : file(file.str()) {}

  /// Extends the key path for as long as it lives.
  class [[nodiscard]] Scope {
  public:
    Scope(Validator &validator, std::string segment) : validator(validator) {
      validator.keyPath.push_back(std::move(segment));
    }
    ~Scope() { validator.keyPath.pop_back(); }
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;

  private:
    Validator &validator;
  };

  Scope enter(StringRef key) { return Scope(*this, ("." + key).str()); }
  Scope enter(size_t index) {
    return Scope(*this, "[" + std::to_string(index) + "]");
  }

  /// The current key path, e.g. `memory[2].bandwidth_gbps`.
  std::string getKeyPath() const {
    std::string joined = llvm::join(keyPath, "");
    return StringRef(joined).starts_with(".") ? joined.substr(1) : joined;
  }

  /// Records `<file>: <key path>: <what>`.
  void error(const Twine &what) {
    std::string keys = getKeyPath();
    errors.push_back(
        (file + ": " + (keys.empty() ? "" : keys + ": ") + what).str());
  }

  /// All recorded errors, one per line, or success when there are none.
  llvm::Error takeErrors() {
    if (errors.empty())
      return llvm::Error::success();
    std::string joined = llvm::join(errors, "\n");
    errors.clear();
    return llvm::createStringError(llvm::inconvertibleErrorCode(), joined);
  }

  //===--------------------------------------------------------------------===//
  // Object fields

  /// Reports every key of `object` not in `known`, in sorted order so that
  /// reports do not depend on hash order.
  void checkKnownKeys(const json::Object &object,
                      llvm::ArrayRef<StringRef> known);

  /// Returns the value of `key`, or null when it is absent; a missing
  /// required field is reported with what it should have held.
  const json::Value *getField(const json::Object &object, StringRef key,
                              const Twine &expectation, bool required = true);

  std::optional<double> getNumber(const json::Object &object, StringRef key,
                                  Bound bound, StringRef unit,
                                  bool required = true);
  std::optional<unsigned> getUnsigned(const json::Object &object, StringRef key,
                                      Bound bound, StringRef unit);
  std::optional<std::string> getString(const json::Object &object,
                                       StringRef key, StringRef expectation,
                                       bool required = true);
  std::optional<bool> getBool(const json::Object &object, StringRef key);
  const json::Object *getObject(const json::Object &object, StringRef key,
                                StringRef expectation, bool required = true);
  const json::Array *getArray(const json::Object &object, StringRef key,
                              StringRef expectation);

  //===--------------------------------------------------------------------===//
  // Values at the current key path

  std::optional<double> checkNumber(const json::Value &value, Bound bound);
  std::optional<unsigned> checkUnsigned(const json::Value &value, Bound bound);
  std::optional<std::string> checkString(const json::Value &value);
  const json::Object *checkObject(const json::Value &value);
  const json::Array *checkArray(const json::Value &value);

private:
  std::string file;
  llvm::SmallVector<std::string, 4> keyPath;
  std::vector<std::string> errors;
};

} // namespace

/// Renders a number the way a person would write it in a target file.
static std::string formatNumber(double number) {
  return llvm::formatv("{0}", llvm::format("%.15g", number)).str();
}

/// What was found, for `got ...`: the value itself for scalars and the kind
/// of container for objects and arrays (which may be large).
static std::string describeValue(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Object:
    return "object";
  case json::Value::Array:
    return "array";
  case json::Value::Number:
    if (std::optional<int64_t> integer = value.getAsInteger())
      return std::to_string(*integer);
    if (std::optional<uint64_t> integer = value.getAsUINT64())
      return std::to_string(*integer);
    return formatNumber(*value.getAsNumber());
  default:
    return llvm::formatv("{0}", value).str();
  }
}

static StringRef describeNumberBound(Bound bound) {
  switch (bound) {
  case Bound::Positive:
    return "a positive number";
  case Bound::NonNegative:
    return "a non-negative number";
  case Bound::AtLeastOne:
    return "a number >= 1";
  }
  llvm_unreachable("unhandled Bound");
}

static StringRef describeIntegerBound(Bound bound) {
  switch (bound) {
  case Bound::Positive:
    return "a positive integer";
  case Bound::NonNegative:
    return "a non-negative integer";
  case Bound::AtLeastOne:
    return "an integer >= 1";
  }
  llvm_unreachable("unhandled Bound");
}

static bool satisfies(double number, Bound bound) {
  switch (bound) {
  case Bound::Positive:
    return number > 0;
  case Bound::NonNegative:
    return number >= 0;
  case Bound::AtLeastOne:
    return number >= 1;
  }
  llvm_unreachable("unhandled Bound");
}

void Validator::checkKnownKeys(const json::Object &object,
                               llvm::ArrayRef<StringRef> known) {
  llvm::SmallVector<StringRef> unknown;
  for (const auto &entry : object)
    if (!llvm::is_contained(known, StringRef(entry.first)))
      unknown.push_back(entry.first);
  llvm::sort(unknown);
  for (StringRef key : unknown) {
    auto scope = enter(key);
    error("unknown key (expected one of: " + llvm::join(known, ", ") + ")");
  }
}

const json::Value *Validator::getField(const json::Object &object,
                                       StringRef key, const Twine &expectation,
                                       bool required) {
  if (const json::Value *value = object.get(key))
    return value;
  if (required) {
    auto scope = enter(key);
    error("missing required field (expected " + expectation + ")");
  }
  return nullptr;
}

std::optional<double> Validator::getNumber(const json::Object &object,
                                           StringRef key, Bound bound,
                                           StringRef unit, bool required) {
  const json::Value *value =
      getField(object, key, describeNumberBound(bound) + ", " + unit, required);
  if (!value)
    return std::nullopt;
  auto scope = enter(key);
  return checkNumber(*value, bound);
}

std::optional<unsigned> Validator::getUnsigned(const json::Object &object,
                                               StringRef key, Bound bound,
                                               StringRef unit) {
  const json::Value *value =
      getField(object, key, describeIntegerBound(bound) + ", " + unit);
  if (!value)
    return std::nullopt;
  auto scope = enter(key);
  return checkUnsigned(*value, bound);
}

std::optional<std::string> Validator::getString(const json::Object &object,
                                                StringRef key,
                                                StringRef expectation,
                                                bool required) {
  const json::Value *value = getField(object, key, expectation, required);
  if (!value)
    return std::nullopt;
  auto scope = enter(key);
  return checkString(*value);
}

std::optional<bool> Validator::getBool(const json::Object &object,
                                       StringRef key) {
  const json::Value *value = getField(object, key, "true or false");
  if (!value)
    return std::nullopt;
  auto scope = enter(key);
  if (std::optional<bool> flag = value->getAsBoolean())
    return flag;
  error("expected a boolean, got " + describeValue(*value));
  return std::nullopt;
}

const json::Object *Validator::getObject(const json::Object &object,
                                         StringRef key, StringRef expectation,
                                         bool required) {
  const json::Value *value = getField(object, key, expectation, required);
  if (!value)
    return nullptr;
  auto scope = enter(key);
  return checkObject(*value);
}

const json::Array *Validator::getArray(const json::Object &object,
                                       StringRef key, StringRef expectation) {
  const json::Value *value = getField(object, key, expectation);
  if (!value)
    return nullptr;
  auto scope = enter(key);
  return checkArray(*value);
}

std::optional<double> Validator::checkNumber(const json::Value &value,
                                             Bound bound) {
  std::optional<double> number = value.getAsNumber();
  if (!number) {
    error("expected a number, got " + describeValue(value));
    return std::nullopt;
  }
  // Literals such as 1e999 parse to infinity.
  if (!std::isfinite(*number) || !satisfies(*number, bound)) {
    error("expected " + describeNumberBound(bound) + ", got " +
          describeValue(value));
    return std::nullopt;
  }
  return number;
}

std::optional<unsigned> Validator::checkUnsigned(const json::Value &value,
                                                 Bound bound) {
  std::optional<int64_t> integer = value.getAsInteger();
  if (!integer) {
    error("expected an integer, got " + describeValue(value));
    return std::nullopt;
  }
  if (!satisfies(static_cast<double>(*integer), bound)) {
    error("expected " + describeIntegerBound(bound) + ", got " +
          describeValue(value));
    return std::nullopt;
  }
  if (*integer > std::numeric_limits<unsigned>::max()) {
    error("expected an integer no greater than " +
          Twine(std::numeric_limits<unsigned>::max()) + ", got " +
          describeValue(value));
    return std::nullopt;
  }
  return static_cast<unsigned>(*integer);
}

std::optional<std::string> Validator::checkString(const json::Value &value) {
  if (std::optional<StringRef> string = value.getAsString())
    return string->str();
  error("expected a string, got " + describeValue(value));
  return std::nullopt;
}

const json::Object *Validator::checkObject(const json::Value &value) {
  if (const json::Object *object = value.getAsObject())
    return object;
  error("expected an object, got " + describeValue(value));
  return nullptr;
}

const json::Array *Validator::checkArray(const json::Value &value) {
  if (const json::Array *array = value.getAsArray())
    return array;
  error("expected an array, got " + describeValue(value));
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Schema
//===----------------------------------------------------------------------===//

static constexpr int64_t kSchemaVersion = 1;
static constexpr double kGiga = 1e9;

/// Scalar kinds every description must price: what quantization and mixed
/// precision decisions compare against each other.
static constexpr ScalarKind kRequiredScalarKinds[] = {
    ScalarKind::F32, ScalarKind::F16, ScalarKind::BF16,
    ScalarKind::I32, ScalarKind::I8,  ScalarKind::I4};

static bool isFloatKind(ScalarKind kind) {
  return kind == ScalarKind::F64 || kind == ScalarKind::F32 ||
         kind == ScalarKind::F16 || kind == ScalarKind::BF16;
}

static std::optional<TargetKind> symbolizeTargetKind(StringRef name) {
  if (name == "cpu")
    return TargetKind::CPU;
  if (name == "gpu")
    return TargetKind::GPU;
  if (name == "systolic")
    return TargetKind::Systolic;
  return std::nullopt;
}

bool mlir::green::isValidTargetName(StringRef name) {
  if (name.empty() || !llvm::isAlpha(name.front()))
    return false;
  return llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '.' || c == '_' || c == '-';
  });
}

namespace {

/// Fills a TargetDescription from a parsed document, one schema section per
/// method. Cross-field rules (peak >= idle power, memory energy growing
/// outward, ...) are checked only between fields that were themselves valid,
/// so one bad value is reported once.
class TargetParser {
public:
  TargetParser(Validator &validator, TargetDescription &target,
               std::optional<std::string> expectedName)
      : v(validator), target(target), expectedName(std::move(expectedName)) {}

  void parseDocument(const json::Value &document);

private:
  void parseHeader(const json::Object &root);
  void parseName(const json::Object &root);
  void parseKind(const json::Object &root);
  void parseFeatures(const json::Object &root);
  void parseSystolicArray(const json::Object &root);
  void parseCompute(const json::Object &root);
  std::optional<ScalarCompute> parseScalarCompute(const json::Object &entry,
                                                  ScalarKind kind);
  void parseSlowOpLaneCost(const json::Object &root);
  void parseMemory(const json::Object &root);
  std::optional<MemoryLevel> parseMemoryLevel(const json::Object &level);
  void checkMemoryLevels(llvm::ArrayRef<std::optional<MemoryLevel>> levels);
  void parseInterconnect(const json::Object &root);
  void parsePower(const json::Object &root);
  void parseDvfs(const json::Object &root);
  void parseOverheads(const json::Object &root);
  void parseEnvironment(const json::Object &root);

  Validator &v;
  TargetDescription &target;
  /// The file stem the `name` field must match, when loaded from a file.
  std::optional<std::string> expectedName;
  /// Whether `kind` was read; rules that depend on it are skipped otherwise.
  bool kindKnown = false;
};

} // namespace

void TargetParser::parseDocument(const json::Value &document) {
  const json::Object *root = document.getAsObject();
  if (!root) {
    v.error("expected a JSON object at the top level, got " +
            describeValue(document));
    return;
  }
  v.checkKnownKeys(*root, {"schema_version", "name", "kind", "description",
                           "notes", "process_nm", "units", "vector_bits",
                           "features", "systolic_array", "compute",
                           "slow_op_lane_cost", "memory", "interconnect",
                           "power", "dvfs", "overheads", "environment"});
  parseHeader(*root);
  parseSystolicArray(*root);
  parseCompute(*root);
  parseSlowOpLaneCost(*root);
  parseMemory(*root);
  parseInterconnect(*root);
  parsePower(*root);
  parseDvfs(*root);
  parseOverheads(*root);
  parseEnvironment(*root);
}

void TargetParser::parseHeader(const json::Object &root) {
  if (const json::Value *version =
          v.getField(root, "schema_version", Twine(kSchemaVersion))) {
    auto scope = v.enter("schema_version");
    std::optional<int64_t> number = version->getAsInteger();
    if (number != kSchemaVersion)
      v.error("expected " + Twine(kSchemaVersion) + ", got " +
              describeValue(*version));
  }
  parseName(root);
  parseKind(root);
  if (auto description = v.getString(root, "description", "a string"))
    target.description = *description;
  // Free text for people; not used by the compiler.
  (void)v.getString(root, "notes", "a string", /*required=*/false);
  if (auto processNm =
          v.getNumber(root, "process_nm", Bound::Positive, "nanometres"))
    target.processNm = *processNm;
  if (auto units =
          v.getUnsigned(root, "units", Bound::Positive, "cores, SMs or arrays"))
    target.units = *units;
  if (auto vectorBits =
          v.getUnsigned(root, "vector_bits", Bound::Positive, "bits"))
    target.vectorBits = *vectorBits;
  parseFeatures(root);
}

void TargetParser::parseName(const json::Object &root) {
  std::optional<std::string> name =
      v.getString(root, "name", "the target name, e.g. \"cpu-zen4\"");
  if (!name)
    return;
  auto scope = v.enter("name");
  if (!isValidTargetName(*name)) {
    v.error("expected a target name (a letter, then letters, digits, '.', "
            "'_' or '-'), got \"" +
            *name + "\"");
    return;
  }
  if (expectedName && *name != *expectedName) {
    v.error("expected \"" + *expectedName + "\" (the file name), got \"" +
            *name + "\"");
    return;
  }
  target.name = *name;
}

void TargetParser::parseKind(const json::Object &root) {
  std::optional<std::string> kindName =
      v.getString(root, "kind", "\"cpu\", \"gpu\" or \"systolic\"");
  if (!kindName)
    return;
  std::optional<TargetKind> kind = symbolizeTargetKind(*kindName);
  if (!kind) {
    auto scope = v.enter("kind");
    v.error("expected \"cpu\", \"gpu\" or \"systolic\", got \"" + *kindName +
            "\"");
    return;
  }
  target.kind = *kind;
  kindKnown = true;
}

void TargetParser::parseFeatures(const json::Object &root) {
  const json::Array *features = v.getArray(
      root, "features", "an array of feature names, e.g. [\"avx2\"]");
  if (!features)
    return;
  auto scope = v.enter("features");
  for (auto [index, feature] : llvm::enumerate(*features)) {
    auto elementScope = v.enter(index);
    if (std::optional<std::string> name = v.checkString(feature))
      target.features.push_back(*name);
  }
}

void TargetParser::parseSystolicArray(const json::Object &root) {
  const json::Value *value = root.get("systolic_array");
  bool systolic = target.kind == TargetKind::Systolic;
  if (kindKnown && !systolic && value) {
    auto scope = v.enter("systolic_array");
    v.error("only allowed when kind is \"systolic\"");
    return;
  }
  if (kindKnown && systolic && !value) {
    auto scope = v.enter("systolic_array");
    v.error("missing required field (expected {\"rows\": ..., \"cols\": ...}, "
            "required when kind is \"systolic\")");
    return;
  }
  if (!value)
    return;
  auto scope = v.enter("systolic_array");
  const json::Object *array = v.checkObject(*value);
  if (!array)
    return;
  v.checkKnownKeys(*array, {"rows", "cols"});
  if (auto rows =
          v.getUnsigned(*array, "rows", Bound::Positive, "processing elements"))
    target.arrayRows = *rows;
  if (auto cols =
          v.getUnsigned(*array, "cols", Bound::Positive, "processing elements"))
    target.arrayCols = *cols;
}

void TargetParser::parseCompute(const json::Object &root) {
  const json::Object *compute = v.getObject(
      root, "compute", "an object mapping element types to their figures");
  if (!compute)
    return;
  auto scope = v.enter("compute");
  llvm::SmallVector<StringRef, kNumScalarKinds> kindNames;
  for (unsigned i = 0; i < kNumScalarKinds; ++i)
    kindNames.push_back(stringifyScalarKind(static_cast<ScalarKind>(i)));
  v.checkKnownKeys(*compute, kindNames);

  for (unsigned i = 0; i < kNumScalarKinds; ++i) {
    auto kind = static_cast<ScalarKind>(i);
    bool required = llvm::is_contained(kRequiredScalarKinds, kind);
    const json::Object *entry =
        v.getObject(*compute, kindNames[i],
                    "the arithmetic figures of this type; every target needs "
                    "f32, f16, bf16, i32, i8 and i4",
                    required);
    if (!entry)
      continue;
    auto entryScope = v.enter(kindNames[i]);
    target.compute[i] = parseScalarCompute(*entry, kind);
  }
}

std::optional<ScalarCompute>
TargetParser::parseScalarCompute(const json::Object &entry, ScalarKind kind) {
  v.checkKnownKeys(entry,
                   {"add_pj", "mul_pj", "fma_pj", "div_pj", "transcendental_pj",
                    "lanes_per_cycle", "matrix_lanes_per_cycle"});
  StringRef pj = "picojoules per operation";
  auto add = v.getNumber(entry, "add_pj", Bound::Positive, pj);
  auto mul = v.getNumber(entry, "mul_pj", Bound::Positive, pj);
  auto fma = v.getNumber(entry, "fma_pj", Bound::Positive, pj);
  auto div = v.getNumber(entry, "div_pj", Bound::Positive, pj);

  std::optional<double> transcendental;
  bool transcendentalOk = true;
  if (isFloatKind(kind)) {
    transcendental =
        v.getNumber(entry, "transcendental_pj", Bound::Positive, pj);
    transcendentalOk = transcendental.has_value();
  } else if (entry.get("transcendental_pj")) {
    auto scope = v.enter("transcendental_pj");
    v.error("not allowed for integer types (they have no transcendental "
            "operations)");
    transcendentalOk = false;
  }

  auto lanes = v.getNumber(entry, "lanes_per_cycle", Bound::Positive,
                           "operations per cycle per unit");
  std::optional<double> matrixLanes = 0.0;
  if (entry.get("matrix_lanes_per_cycle"))
    matrixLanes =
        v.getNumber(entry, "matrix_lanes_per_cycle", Bound::NonNegative,
                    "multiply-accumulates per cycle per unit");

  if (!add || !mul || !fma || !div || !transcendentalOk || !lanes ||
      !matrixLanes)
    return std::nullopt;
  ScalarCompute result;
  result.addPj = *add;
  result.mulPj = *mul;
  result.fmaPj = *fma;
  result.divPj = *div;
  result.transcendentalPj = transcendental;
  result.lanesPerCycle = *lanes;
  result.matrixLanesPerCycle = *matrixLanes;
  return result;
}

void TargetParser::parseSlowOpLaneCost(const json::Object &root) {
  const json::Object *cost =
      v.getObject(root, "slow_op_lane_cost",
                  "{\"div\": ..., \"transcendental\": ...} in lane operations");
  if (!cost)
    return;
  auto scope = v.enter("slow_op_lane_cost");
  v.checkKnownKeys(*cost, {"div", "transcendental"});
  StringRef unit = "vector-lane operations per operation";
  if (auto div = v.getNumber(*cost, "div", Bound::Positive, unit))
    target.divLaneCost = *div;
  if (auto transcendental =
          v.getNumber(*cost, "transcendental", Bound::Positive, unit))
    target.transcendentalLaneCost = *transcendental;
}

void TargetParser::parseMemory(const json::Object &root) {
  const json::Array *memory =
      v.getArray(root, "memory", "an array of memory levels, closest first");
  if (!memory)
    return;
  auto scope = v.enter("memory");
  if (memory->size() < 2)
    v.error("expected at least 2 levels (closest first, main memory last), "
            "got " +
            Twine(memory->size()));

  llvm::SmallVector<std::optional<MemoryLevel>> levels;
  for (auto [index, value] : llvm::enumerate(*memory)) {
    auto levelScope = v.enter(index);
    const json::Object *level = v.checkObject(value);
    levels.push_back(level ? parseMemoryLevel(*level) : std::nullopt);
  }
  checkMemoryLevels(levels);
  for (const std::optional<MemoryLevel> &level : levels)
    if (level)
      target.memory.push_back(*level);
}

std::optional<MemoryLevel>
TargetParser::parseMemoryLevel(const json::Object &level) {
  v.checkKnownKeys(level, {"name", "size_bytes", "bandwidth_gbps",
                           "energy_pj_per_byte", "shared"});
  std::optional<std::string> name =
      v.getString(level, "name", "a level name, e.g. \"l1\"");
  if (name && name->empty()) {
    auto scope = v.enter("name");
    v.error("expected a non-empty string, got \"\"");
    name.reset();
  }
  auto size = v.getNumber(level, "size_bytes", Bound::Positive, "bytes");
  auto bandwidth =
      v.getNumber(level, "bandwidth_gbps", Bound::Positive, "GB/s");
  auto energy = v.getNumber(level, "energy_pj_per_byte", Bound::Positive,
                            "picojoules per byte");
  auto shared = v.getBool(level, "shared");
  if (!name || !size || !bandwidth || !energy || !shared)
    return std::nullopt;
  MemoryLevel result;
  result.name = *name;
  result.sizeBytes = *size;
  result.bandwidthBytesPerSec = *bandwidth * kGiga;
  result.energyPjPerByte = *energy;
  result.shared = *shared;
  return result;
}

void TargetParser::checkMemoryLevels(
    llvm::ArrayRef<std::optional<MemoryLevel>> levels) {
  llvm::StringMap<size_t> firstUse;
  std::optional<size_t> previous;
  for (auto [index, level] : llvm::enumerate(levels)) {
    if (!level)
      continue;
    auto scope = v.enter(index);
    auto [it, inserted] = firstUse.try_emplace(level->name, index);
    if (!inserted) {
      auto nameScope = v.enter("name");
      v.error("duplicate level name \"" + level->name +
              "\" (first used by memory[" + Twine(it->second) + "])");
    }
    // Levels further out may not be cheaper per byte: the cost model
    // relies on reuse closer in never costing more.
    if (previous &&
        level->energyPjPerByte < levels[*previous]->energyPjPerByte) {
      auto energyScope = v.enter("energy_pj_per_byte");
      v.error("expected at least " +
              formatNumber(levels[*previous]->energyPjPerByte) + " (memory[" +
              Twine(*previous) +
              "].energy_pj_per_byte; levels are listed closest first), got " +
              formatNumber(level->energyPjPerByte));
    }
    previous = index;
  }
}

void TargetParser::parseInterconnect(const json::Object &root) {
  const json::Object *links = v.getObject(
      root, "interconnect",
      "an object with optional \"pcie\", \"nvlink\" and \"network\" links");
  if (!links)
    return;
  auto scope = v.enter("interconnect");
  static constexpr StringRef kLinkNames[] = {"pcie", "nvlink", "network"};
  v.checkKnownKeys(*links, kLinkNames);
  for (StringRef linkName : kLinkNames) {
    const json::Object *link =
        v.getObject(*links, linkName, "", /*required=*/false);
    if (!link)
      continue;
    auto linkScope = v.enter(linkName);
    v.checkKnownKeys(*link, {"energy_pj_per_byte", "bandwidth_gbps"});
    auto energy = v.getNumber(*link, "energy_pj_per_byte", Bound::Positive,
                              "picojoules per byte");
    auto bandwidth =
        v.getNumber(*link, "bandwidth_gbps", Bound::Positive, "GB/s");
    if (energy && bandwidth)
      target.interconnect.push_back(
          InterconnectLink{linkName.str(), *energy, *bandwidth * kGiga});
  }
}

void TargetParser::parsePower(const json::Object &root) {
  const json::Object *power = v.getObject(
      root, "power", "{\"static_w\": ..., \"idle_w\": ..., \"peak_w\": ...}");
  if (!power)
    return;
  auto scope = v.enter("power");
  v.checkKnownKeys(*power, {"static_w", "idle_w", "peak_w"});
  auto staticW = v.getNumber(*power, "static_w", Bound::Positive, "watts");
  auto idleW = v.getNumber(*power, "idle_w", Bound::Positive, "watts");
  auto peakW = v.getNumber(*power, "peak_w", Bound::Positive, "watts");
  if (idleW && peakW && *peakW < *idleW) {
    auto peakScope = v.enter("peak_w");
    v.error("expected at least idle_w (" + formatNumber(*idleW) + "), got " +
            formatNumber(*peakW));
  }
  target.staticPowerW = staticW.value_or(0);
  target.idlePowerW = idleW.value_or(0);
  target.peakPowerW = peakW.value_or(0);
}

void TargetParser::parseDvfs(const json::Object &root) {
  const json::Object *dvfs =
      v.getObject(root, "dvfs", "{\"nominal_index\": ..., \"points\": [...]}");
  if (!dvfs)
    return;
  auto scope = v.enter("dvfs");
  v.checkKnownKeys(*dvfs, {"nominal_index", "points"});
  std::optional<unsigned> nominal = v.getUnsigned(
      *dvfs, "nominal_index", Bound::NonNegative, "an index into points");
  const json::Array *points = v.getArray(
      *dvfs, "points", "an array of {\"frequency_ghz\", \"voltage_v\"}");
  if (!points)
    return;

  {
    auto pointsScope = v.enter("points");
    if (points->empty())
      v.error("expected at least one operating point, got an empty array");
    for (auto [index, value] : llvm::enumerate(*points)) {
      auto pointScope = v.enter(index);
      const json::Object *point = v.checkObject(value);
      if (!point)
        continue;
      v.checkKnownKeys(*point, {"frequency_ghz", "voltage_v"});
      auto frequency =
          v.getNumber(*point, "frequency_ghz", Bound::Positive, "GHz");
      auto voltage = v.getNumber(*point, "voltage_v", Bound::Positive, "volts");
      if (frequency && voltage)
        target.operatingPoints.push_back({*frequency * kGiga, *voltage});
    }
  }

  if (nominal && !points->empty() && *nominal >= points->size()) {
    auto nominalScope = v.enter("nominal_index");
    v.error("expected an index into dvfs.points (0 to " +
            Twine(points->size() - 1) + "), got " + Twine(*nominal));
  } else if (nominal) {
    target.nominalPoint = *nominal;
  }
}

void TargetParser::parseOverheads(const json::Object &root) {
  const json::Object *overheads = v.getObject(
      root, "overheads", "{\"per_op_s\": ..., \"parallel_region_s\": ...}");
  if (!overheads)
    return;
  auto scope = v.enter("overheads");
  v.checkKnownKeys(*overheads,
                   {"per_op_s", "parallel_region_s", "instruction_pj"});
  if (auto perOp =
          v.getNumber(*overheads, "per_op_s", Bound::NonNegative, "seconds"))
    target.perOpOverheadSec = *perOp;
  if (auto region = v.getNumber(*overheads, "parallel_region_s",
                                Bound::NonNegative, "seconds"))
    target.parallelRegionOverheadSec = *region;
  if (overheads->get("instruction_pj"))
    if (auto pj = v.getNumber(*overheads, "instruction_pj", Bound::NonNegative,
                              "picojoules per instruction"))
      target.instructionPj = *pj;
}

void TargetParser::parseEnvironment(const json::Object &root) {
  const json::Object *environment = v.getObject(
      root, "environment", "{\"pue\": ..., \"grid_gco2_per_kwh\": ...}");
  if (!environment)
    return;
  auto scope = v.enter("environment");
  v.checkKnownKeys(*environment, {"pue", "grid_gco2_per_kwh"});
  if (auto pue = v.getNumber(*environment, "pue", Bound::AtLeastOne,
                             "power usage effectiveness"))
    target.pue = *pue;
  if (auto grid = v.getNumber(*environment, "grid_gco2_per_kwh",
                              Bound::NonNegative, "grams of CO2 per kWh"))
    target.gridGCo2PerKWh = *grid;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Rewrites a JSON syntax error as `<file>:<line>:<column>: invalid JSON:
/// <message>`. json::ParseError keeps its position private; its log() text
/// is `[<line>:<column>, byte=<offset>]: <message>`.
static llvm::Error makeSyntaxError(StringRef file, llvm::Error err) {
  std::string text = llvm::toString(std::move(err));
  StringRef rest = text;
  StringRef position, message;
  if (rest.consume_front("[")) {
    std::tie(position, message) = rest.split("]: ");
    position = position.split(", byte=").first;
  }
  if (position.empty() || message.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   file + ": invalid JSON: " + text);
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 file + ":" + position +
                                     ": invalid JSON: " + message);
}

llvm::Expected<TargetDescription>
mlir::green::parseTargetDescription(StringRef json, StringRef path) {
  StringRef file = path.empty() ? StringRef("<input>") : path;
  llvm::Expected<json::Value> document = json::parse(json);
  if (!document)
    return makeSyntaxError(file, document.takeError());

  // A file's name is how users select it (`--target=cpu-zen4`), so the
  // document must agree with it.
  std::optional<std::string> expectedName;
  if (path.ends_with(".json"))
    expectedName = llvm::sys::path::stem(path).str();

  Validator validator(file);
  TargetDescription target;
  target.sourcePath = path.str();
  TargetParser(validator, target, std::move(expectedName))
      .parseDocument(*document);
  if (llvm::Error err = validator.takeErrors())
    return std::move(err);
  return target;
}

llvm::Expected<TargetDescription>
mlir::green::loadTargetDescriptionFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   path + ": cannot read target description: " +
                                       buffer.getError().message());
  return parseTargetDescription((*buffer)->getBuffer(), path);
}

bool TargetDescription::hasFeature(StringRef feature) const {
  return llvm::is_contained(features, feature);
}
