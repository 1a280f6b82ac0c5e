# The Python package drives green-opt and reports its diagnostics.
# RUN: %PYTHON %s | FileCheck %s

import green

print("version", green.__version__)
# CHECK: version {{[0-9]+\.[0-9]+\.[0-9]+}}

out = green.opt("module {}", ["--green-attach-target=target=cpu-zen3"])
print(out.strip())
# CHECK: module attributes {green.target = #green.target<"cpu-zen3">}

try:
    green.opt("module { func.func @f() { %0 = arith.addf %x, %x : f32 } }")
except green.GreenToolError as e:
    print("error:", e.returncode != 0, "use of undeclared SSA value" in e.diagnostics)
# CHECK: error: True True
