// Code that green-lower-cpu parallelizes with OpenMP runs under green-run's
// JIT (the OpenMP translation and libomp are registered and loaded).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON -c "import numpy as np; r = np.random.default_rng(0); a = r.standard_normal((256, 256)).astype('f4'); b = r.standard_normal((256, 256)).astype('f4'); np.save('%t/a.npy', a); np.save('%t/b.npy', b); np.save('%t/c.npy', (a.astype('f8') @ b).astype('f4'))"
// RUN: green-opt %s --green-lower-cpu="threads=2" | FileCheck %s --check-prefix=OMP
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/c.npy --rtol 1e-4 --atol 1e-3 --runs 2 | FileCheck %s
// OMP: omp.parallel
// CHECK: output 0  tensor<256x256xf32> vs {{.*}}c.npy: PASS
// CHECK: status: pass

func.func @gemm(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
