//===- TargetLookup.cpp - find a target description by name ---------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Resolves what users write after `--target=`: a path to a .json file, the
// name of a description on the search path, or `host`.
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#ifndef GREEN_OPT_TARGETS_DIR
#error "GREEN_OPT_TARGETS_DIR must name the source tree's targets/ directory"
#endif

using namespace mlir;
using namespace mlir::green;
using llvm::StringRef;

/// The environment variable holding extra ':'-separated search directories.
static constexpr const char *kTargetsDirEnvVar = "GREEN_TARGETS_DIR";

/// The name that resolves to the description closest to the running CPU.
static constexpr StringRef kHostTargetName = "host";

/// Host features that decide between the bundled CPU descriptions; listed in
/// the resolution note so users can see why `host` picked what it did.
static constexpr StringRef kDecisiveHostFeatures[] = {
    "avx2", "fma", "avx512f", "avx512vnni", "avx512bf16"};

std::vector<std::string>
mlir::green::getTargetSearchPath(llvm::ArrayRef<std::string> extraDirs) {
  std::vector<std::string> dirs(extraDirs.begin(), extraDirs.end());
  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv(kTargetsDirEnvVar)) {
    llvm::SmallVector<StringRef> entries;
    StringRef(*env).split(entries, ':', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (StringRef entry : entries)
      dirs.push_back(entry.str());
  }
  dirs.push_back(GREEN_OPT_TARGETS_DIR);
  return dirs;
}

/// Returns the first `<dir>/<name>.json` that exists on the search path.
static llvm::Expected<std::string>
findTargetFile(StringRef name, llvm::ArrayRef<std::string> extraDirs) {
  std::vector<std::string> dirs = getTargetSearchPath(extraDirs);
  std::string fileName = (name + ".json").str();
  for (const std::string &dir : dirs) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, fileName);
    if (llvm::sys::fs::is_regular_file(candidate))
      return candidate.str().str();
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unknown target '" + name + "': no " +
                                     fileName + " in " +
                                     llvm::join(dirs, ", "));
}

/// "avx2, fma, avx512f" for the decisive features present, so that the
/// resolution note stays short on CPUs with a hundred feature flags.
static std::string summarizeHostFeatures(llvm::ArrayRef<std::string> features) {
  llvm::SmallVector<StringRef> present;
  for (StringRef feature : kDecisiveHostFeatures)
    if (llvm::is_contained(features, feature))
      present.push_back(feature);
  if (present.empty())
    return "none of " +
           llvm::join(llvm::ArrayRef<StringRef>(kDecisiveHostFeatures), ", ");
  return llvm::join(present, ", ");
}

/// Loads the description `host` stands for on this machine and notes the
/// resolution in its description.
static llvm::Expected<TargetDescription>
lookupHostTargetDescription(llvm::ArrayRef<std::string> extraDirs) {
  std::vector<std::string> features = getHostCPUFeatures();
  std::string name = selectHostTargetName(features);
  llvm::Expected<std::string> file = findTargetFile(name, extraDirs);
  if (!file)
    return file.takeError();
  llvm::Expected<TargetDescription> target = loadTargetDescriptionFile(*file);
  if (!target)
    return target.takeError();
  target->description += " (resolved from '" + kHostTargetName.str() +
                         "': detected " + summarizeHostFeatures(features) + ")";
  return target;
}

llvm::Expected<TargetDescription>
mlir::green::lookupTargetDescription(StringRef name,
                                     llvm::ArrayRef<std::string> extraDirs) {
  if (name.ends_with(".json"))
    return loadTargetDescriptionFile(name);
  if (name == kHostTargetName)
    return lookupHostTargetDescription(extraDirs);
  if (!isValidTargetName(name))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "invalid target name '" + name +
            "': expected 'host', a path ending in .json, or a letter followed "
            "by letters, digits, '.', '_' or '-'");
  llvm::Expected<std::string> file = findTargetFile(name, extraDirs);
  if (!file)
    return file.takeError();
  return loadTargetDescriptionFile(*file);
}
