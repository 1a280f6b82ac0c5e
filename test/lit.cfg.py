# ===- lit.cfg.py - lit configuration for green-opt ---------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===--------------------------------------------------------------------=== #

import os
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "GREEN_OPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py", ".test", ".c"]
config.excludes = ["Inputs", "Execution", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "green-capi-test.c"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.green_opt_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%PYTHON", config.python_executable))
config.substitutions.append(
    ("%green_plugin", os.path.join(config.green_opt_lib_dir, "GreenPlugin.so")))
config.substitutions.append(("%green_src", config.green_opt_src_root))

# Python tests import the package from the source tree and find the tools in
# the build tree.
config.environment["PYTHONPATH"] = os.path.join(config.green_opt_src_root,
                                                "python")
config.environment["GREEN_OPT_BUILD_DIR"] = config.green_opt_obj_root

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not`, `count` and FileCheck come from LLVM's tools directory.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# green-import-onnx tests need the tool and Debian's python3-onnx to write
# their models.
if config.green_onnx_import:
    import subprocess
    if subprocess.call([config.python_executable, "-c", "import onnx"],
                       stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("onnx-import")

# green.torch and the torch model tests need Debian's python3-torch and
# python3-torchvision (found without importing them: that takes seconds).
if subprocess.call([config.python_executable, "-c",
                    "import importlib.util as u, sys; sys.exit(not ("
                    "u.find_spec('torch') and u.find_spec('torchvision')))"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("torch")

tool_dirs = [config.green_opt_tools_dir, config.llvm_tools_dir]
tools = [
    "green-opt",
    "green-run",
    "green-calibrate",
    "green-capi-test",
    "green-import-onnx",
    # The system mlir-opt, by full path, for the plugin test.
    ToolSubst("%mlir_opt", os.path.join(config.llvm_tools_dir, "mlir-opt")),
    # green-run --lib tests build a shared library the way users do.
    ToolSubst("%mlir_translate",
              os.path.join(config.llvm_tools_dir, "mlir-translate")),
    ToolSubst("%clang", os.path.join(config.llvm_tools_dir, "clang")),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
