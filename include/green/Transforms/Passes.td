//===- Passes.td - green's cross-dialect passes ------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TRANSFORMS_PASSES_TD
#define GREEN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def EnergyReportPass : Pass<"green-energy-report", "mlir::ModuleOp"> {
  let summary = "Estimate energy and latency per op and per model on a target";
  let description = [{
    Runs the energy cost model over every function of the module and prints
    a report: total energy (J) and estimated latency (s) of one inference,
    the split into compute, memory per level, data transfer, communication
    and static energy, performance per watt, energy per parameter, gCO2e
    per 1000 inferences (energy x PUE x grid intensity), and the most
    costly ops named by their locations. The IR is not changed.

    The target is the `target` option if given, else the module's
    `green.target`, else `host` (the CPU running the compiler). Target
    descriptions are looked up in the `target-dir` directories, then
    `$GREEN_TARGETS_DIR`, then the `targets/` directory of the source tree;
    a target option may also be a path to a `.json` file.

    Every op is asked for its work through `EnergyCostOpInterface`. An op
    without a model, or one the model cannot cost (e.g. a dynamic shape
    without `assume-dynamic-size`), is warned about at its location and
    listed under "not costed": it is never counted as zero silently.

    The report goes to `output` (`-` is standard output, before the IR;
    use `-o /dev/null` to drop the IR). `format=json` writes the stable
    schema `green-energy-report/1` documented in docs/energy-model.md.
    With `test=true` each costed op also gets a remark with its energy and
    latency (for lit tests).

    Example:

    ```
    green-opt model.mlir --green-energy-report="target=cpu-zen3 format=table" -o /dev/null
    ```
  }];
  let options = [
    Option<"format", "format", "mlir::green::ReportFormat",
           /*default=*/"mlir::green::ReportFormat::Table",
           "Report format",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::ReportFormat::Table, "table",
                        "Human-readable table"),
             clEnumValN(mlir::green::ReportFormat::JSON, "json",
                        "JSON, schema green-energy-report/1"))}]>,
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File to write the report to ('-' for standard output)">,
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host)">,
    ListOption<"targetDirs", "target-dir", "std::string",
               "Extra directories to search for <target>.json">,
    Option<"assumeDynamicSize", "assume-dynamic-size", "int64_t",
           /*default=*/"-1",
           "Size assumed for every dynamic dimension (-1: do not assume; "
           "ops with dynamic shapes are reported as not costed)">,
    Option<"threads", "threads", "unsigned", /*default=*/"0",
           "Compute units each op is spread over (0: all of the target's)">,
    Option<"operatingPoint", "operating-point", "int", /*default=*/"-1",
           "DVFS operating point index (-1: the target's nominal point)">,
    Option<"top", "top", "unsigned", /*default=*/"10",
           "Number of most costly ops listed in the table">,
    Option<"testRemarks", "test", "bool", /*default=*/"false",
           "Emit a remark with energy and latency on every costed op">,
  ];
}

#endif // GREEN_TRANSFORMS_PASSES_TD
