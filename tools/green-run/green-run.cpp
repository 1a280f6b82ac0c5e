//===- green-run.cpp - run, check and time a compiled model ---------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Compiles a module on tensors (or loads a library built from it), runs its
// entry function on inputs from .npy files or seeded random data, checks the
// outputs against expected .npy files, and prints the measured latency next
// to the cost model's predicted latency and energy. See docs/green-run.md.
//
//   green-run model.mlir x.npy --expect y.npy --runs 20 --json run.json
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/InitAll.h"
#include "green/Runtime/Executable.h"
#include "green/Runtime/Runner.h"
#include "green/Runtime/Signature.h"
#include "green/Target/TargetDescription.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <map>

using namespace mlir;
using namespace mlir::green;
namespace cl = llvm::cl;

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

static cl::OptionCategory category("green-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(category));
static cl::list<std::string>
    positionalInputs(cl::Positional, cl::desc("[input.npy...]"),
                     cl::cat(category));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to run (default: the only public one)"),
              cl::value_desc("name"), cl::cat(category));
static cl::list<std::string> namedInputs(
    "input",
    cl::desc("Input for one argument, by index or as argN "
             "(repeatable): --input 1=w.npy"),
    cl::value_desc("index=file.npy"), cl::cat(category));
static cl::opt<uint64_t> seed(
    "seed", cl::init(1),
    cl::desc("Seed of the random data for inputs not given (argument i "
             "uses seed + i)"),
    cl::cat(category));
static cl::opt<bool> noRandomInputs(
    "no-random-inputs",
    cl::desc("Make a missing input an error instead of random data"),
    cl::cat(category));
static cl::list<std::string>
    expectFiles("expect",
                cl::desc("Expected value of the next result, in order "
                         "(repeatable)"),
                cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<double> relTol("rtol", cl::init(1e-4),
                            cl::desc("Relative tolerance of --expect"),
                            cl::cat(category));
static cl::opt<double> absTol("atol", cl::init(1e-5),
                            cl::desc("Absolute tolerance of --expect"),
                            cl::cat(category));
static cl::opt<std::string>
    saveOutputs("save-outputs",
                cl::desc("Directory to write the results to as "
                         "<entry>.result<i>.npy"),
                cl::value_desc("dir"), cl::cat(category));
static cl::opt<unsigned> runs("runs", cl::init(10),
                              cl::desc("Timed calls (the median is reported)"),
                              cl::cat(category));
static cl::opt<unsigned> warmup("warmup", cl::init(2),
                                cl::desc("Untimed calls before the timed ones"),
                                cl::cat(category));
static cl::opt<std::string> pipeline(
    "pipeline",
    cl::desc("Textual pass pipeline that lowers the module to the LLVM "
             "dialect (default: builtin.module(green-lower-cpu) when "
             "registered, else upstream's plain lowering)"),
    cl::value_desc("pipeline"), cl::cat(category));
static cl::opt<bool>
    printPipeline("print-pipeline",
                  cl::desc("Print the lowering pipeline used and exit"),
                  cl::cat(category));
static cl::opt<std::string> emitLowered(
    "emit-lowered",
    cl::desc("Write the lowered module (LLVM dialect, with the entry's C "
             "interface) to a file and exit, e.g. to build a --lib with "
             "mlir-translate and clang"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> emitBitcode(
    "emit-bitcode",
    cl::desc("Lower the module, translate it to LLVM IR and write that as "
             "LLVM bitcode to a file and exit; `clang -O3 -shared -fPIC` "
             "builds a --lib from it. Unlike mlir-translate's text, large "
             "weights stay binary (seconds instead of minutes for resnet18)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> library(
    "lib",
    cl::desc("Shared library exporting _mlir_ciface_<entry>, built from the "
             "same module (the module still gives the signature)"),
    cl::value_desc("model.so"), cl::cat(category));
static cl::list<std::string> sharedLibs(
    "shared-libs", cl::CommaSeparated,
    cl::desc("Libraries to load for symbol resolution (default: "
             "libmlir_c_runner_utils and libomp)"),
    cl::value_desc("lib.so,..."), cl::cat(category));
static cl::opt<std::string> targetName(
    "target",
    cl::desc("Target the prediction is for: a name under targets/ or a .json "
             "path (default: the module's green.target, else host)"),
    cl::cat(category));
static cl::list<std::string>
    targetDirs("target-dir", cl::desc("Extra directory to search for targets"),
               cl::cat(category));
static cl::opt<unsigned> threads(
    "predict-threads", cl::init(0),
    cl::desc("Threads the compiled code runs on, for the prediction (0, the "
             "default: one or all per op, as the model and green-lower-cpu "
             "choose; 1 for a single-threaded pipeline)"),
    cl::cat(category));
static cl::opt<std::string>
    jsonFile("json", cl::desc("Write the report as JSON (green-run/1)"),
             cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> calibrationFile(
    "calibration-point",
    cl::desc("Write or append a green-calibration/1 point (the entry's "
             "work and measured median) for green-calibrate"),
    cl::value_desc("file"), cl::cat(category));

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "green-run") << message << "\n";
  return 1;
}

static void note(const llvm::Twine &message) {
  llvm::WithColor::note(llvm::errs(), "green-run") << message << "\n";
}

/// Assigns input files to argument indices: positional files first, then
/// --input index=file (or argN=file).
static llvm::Expected<std::map<unsigned, std::string>>
assignInputFiles(const EntrySignature &sig) {
  std::map<unsigned, std::string> files;
  unsigned numArgs = sig.args.size();
  if (positionalInputs.size() > numArgs)
    return llvm::createStringError(llvm::formatv(
        "@{0} takes {1} argument{2}, got {3} positional inputs", sig.name,
        numArgs, numArgs == 1 ? "" : "s", positionalInputs.size()));
  for (auto [i, file] : llvm::enumerate(positionalInputs))
    files[i] = file;
  for (const std::string &spec : namedInputs) {
    auto [key, file] = llvm::StringRef(spec).split('=');
    unsigned index;
    llvm::StringRef digits = key;
    digits.consume_front("%");
    digits.consume_front("arg");
    if (file.empty() || digits.getAsInteger(10, index))
      return llvm::createStringError(
          "invalid --input '" + spec +
          "': expected INDEX=FILE or argINDEX=FILE");
    if (index >= numArgs)
      return llvm::createStringError(llvm::formatv(
          "--input '{0}': @{1} has no argument {2} (it takes {3})", spec,
          sig.name, index, numArgs));
    if (!files.emplace(index, file.str()).second)
      return llvm::createStringError(
          llvm::formatv("argument {0} of @{1} is given twice ('{2}' and "
                        "'{3}')",
                        index, sig.name, files[index], file));
  }
  return files;
}

//===----------------------------------------------------------------------===//
// main
//===----------------------------------------------------------------------===//

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  registerAllGreenPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "green-run: compile and run a model's entry function on .npy or random "
      "inputs, check its outputs, and compare measured with predicted "
      "latency\n");

  if (printPipeline) {
    llvm::outs() << (pipeline.empty() ? getDefaultLoweringPipeline()
                                      : pipeline.getValue())
                 << "\n";
    return 0;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllGreenDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  // Parse the module; MLIR diagnostics print with their locations.
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr,
                                                           &context);
  if (!module)
    return fail("cannot parse '" + inputFile + "'");

  llvm::Expected<EntrySignature> sig = getEntrySignature(*module, entryName);
  if (!sig)
    return fail(llvm::toString(sig.takeError()));
  if (sig->args.size() + !sig->results.empty() > kMaxCallArguments)
    return fail(llvm::formatv("@{0} takes {1} arguments: green-run calls "
                              "functions with at most {2}",
                              sig->name, sig->args.size(),
                              kMaxCallArguments - 1));

  std::string pipelineText =
      pipeline.empty() ? getDefaultLoweringPipeline() : pipeline.getValue();
  if (!emitLowered.empty()) {
    if (auto err = lowerForExecution(*module, sig->name, pipelineText))
      return fail(llvm::toString(std::move(err)));
    std::string error;
    auto out = openOutputFile(emitLowered, &error);
    if (!out)
      return fail(error);
    module->print(out->os());
    out->keep();
    return 0;
  }

  if (!emitBitcode.empty()) {
    if (auto err = lowerForExecution(*module, sig->name, pipelineText))
      return fail(llvm::toString(std::move(err)));
    DialectRegistry translations;
    registerBuiltinDialectTranslation(translations);
    registerLLVMDialectTranslation(translations);
    registerOpenMPDialectTranslation(translations);
    context.appendDialectRegistry(translations);
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> llvmModule =
        translateModuleToLLVMIR(*module, llvmContext);
    if (!llvmModule)
      return fail("cannot translate the lowered module to LLVM IR (see the "
                  "diagnostics above)");
    std::string error;
    auto out = openOutputFile(emitBitcode, &error);
    if (!out)
      return fail(error);
    llvm::WriteBitcodeToFile(*llvmModule, out->os());
    out->keep();
    return 0;
  }

  RunReport report;
  report.inputFile = inputFile;
  report.entry = sig->name;
  report.rtol = relTol;
  report.atol = absTol;
  report.threads = threads;
  report.timing.warmup = warmup;

  // Inputs: files where given, seeded random data elsewhere.
  auto files = assignInputFiles(*sig);
  if (!files)
    return fail(llvm::toString(files.takeError()));
  std::vector<NpyArray> inputs;
  for (auto [i, spec] : llvm::enumerate(sig->args)) {
    InputRecord record{spec.str(), "", std::nullopt};
    auto it = files->find(i);
    if (it == files->end()) {
      if (noRandomInputs)
        return fail(llvm::formatv("no input for argument {0} of @{1} ({2}), "
                                  "and --no-random-inputs is set",
                                  i, sig->name, spec.str()));
      record.seed = seed + i;
      note(llvm::formatv("argument {0} of @{1} ({2}): random data, seed {3}",
                         i, sig->name, spec.str(), *record.seed));
      inputs.push_back(makeRandomArray(spec, *record.seed));
    } else {
      llvm::Expected<NpyArray> array = readNpyFile(it->second);
      if (!array)
        return fail(llvm::toString(array.takeError()));
      if (auto err = checkArrayMatches(
              *array, spec, llvm::formatv("input {0} of @{1}", i, sig->name),
              it->second))
        return fail(llvm::toString(std::move(err)));
      record.file = it->second;
      inputs.push_back(std::move(*array));
    }
    report.inputs.push_back(std::move(record));
  }

  // Expected outputs, checked against the signature before anything runs.
  if (expectFiles.size() > sig->results.size())
    return fail(llvm::formatv("@{0} returns {1} result{2}, got {3} --expect "
                              "files",
                              sig->name, sig->results.size(),
                              sig->results.size() == 1 ? "" : "s",
                              expectFiles.size()));
  std::vector<NpyArray> expected;
  for (auto [i, path] : llvm::enumerate(expectFiles)) {
    llvm::Expected<NpyArray> array = readNpyFile(path);
    if (!array)
      return fail(llvm::toString(array.takeError()));
    if (auto err = checkArrayMatches(
            *array, sig->results[i],
            llvm::formatv("expected result {0} of @{1}", i, sig->name), path))
      return fail(llvm::toString(std::move(err)));
    expected.push_back(std::move(*array));
  }
  if (!saveOutputs.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(saveOutputs))
      return fail("cannot create directory '" + saveOutputs +
                  "': " + ec.message());

  // Prediction, on the input IR before lowering.
  std::string target = targetName;
  if (target.empty()) {
    TargetAttr attr = getModuleTarget(*module);
    target = attr ? attr.getName().str() : "host";
  }
  llvm::Expected<TargetDescription> desc =
      lookupTargetDescription(target, targetDirs);
  if (!desc)
    return fail(llvm::toString(desc.takeError()));
  EnergyCostOptions costOptions;
  costOptions.schedule.threads = threads;
  llvm::Expected<PredictedCost> predicted =
      predictEntryCost(*module, sig->name, *desc, costOptions);
  if (!predicted)
    return fail(llvm::toString(predicted.takeError()));
  report.predicted = std::move(*predicted);

  // Compile, or load the library.
  std::vector<std::string> libs(sharedLibs.begin(), sharedLibs.end());
  if (sharedLibs.getNumOccurrences() == 0) {
    // Generated code calls memrefCopy and, when parallel, the OpenMP runtime.
    for (const char *lib : {GREEN_RUN_C_RUNNER_UTILS, GREEN_RUN_OMP})
      if (llvm::sys::fs::exists(lib))
        libs.push_back(lib);
  }
  auto compileStart = std::chrono::steady_clock::now();
  std::unique_ptr<Executable> executable;
  if (!library.empty()) {
    report.mode = "library";
    report.library = library;
    auto loaded = Executable::loadLibrary(library, sig->name, libs);
    if (!loaded)
      return fail(llvm::toString(loaded.takeError()));
    executable = std::move(*loaded);
  } else {
    report.mode = "jit";
    report.pipeline = pipelineText;
    if (auto err = lowerForExecution(*module, sig->name, report.pipeline))
      return fail(llvm::toString(std::move(err)));
    auto compiled = Executable::jitCompile(*module, sig->name, libs);
    if (!compiled)
      return fail("cannot JIT-compile @" + sig->name + ": " +
                  llvm::toString(compiled.takeError()));
    executable = std::move(*compiled);
  }
  report.compileSec = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - compileStart)
                          .count();

  // One checked call, then the timed ones.
  EntryCall call(*executable, *sig, inputs);
  std::vector<NpyArray> outputs = call.run();
  for (auto [i, output] : llvm::enumerate(outputs)) {
    OutputRecord record;
    record.type = sig->results[i].str();
    if (i < expected.size()) {
      record.expectFile = expectFiles[i];
      record.comparison = compareArrays(output, expected[i], relTol, absTol);
    }
    if (!saveOutputs.empty()) {
      llvm::SmallString<128> path(saveOutputs);
      llvm::sys::path::append(path, llvm::formatv("{0}.result{1}.npy",
                                                  sig->name, i)
                                        .str());
      if (auto err = writeNpyFile(path, output))
        return fail(llvm::toString(std::move(err)));
      record.savedTo = path.str().str();
    }
    report.outputs.push_back(std::move(record));
  }
  report.timing = call.measure(warmup, runs);

  report.print(llvm::outs());
  if (!jsonFile.empty()) {
    std::error_code ec;
    llvm::ToolOutputFile out(jsonFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write '" + jsonFile + "': " + ec.message());
    out.os() << llvm::formatv("{0:2}", report.toJSON()) << "\n";
    out.keep();
  }
  if (!calibrationFile.empty())
    if (auto err = writeCalibrationPoint(calibrationFile, report))
      return fail(llvm::toString(std::move(err)));
  return report.getStatus() == "fail" ? 1 : 0;
}
