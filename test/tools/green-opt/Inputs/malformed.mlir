// Uses a value that was never defined.
func.func @f(%a: f32) -> f32 {
  %0 = arith.addf %a, %a : f32
  %1 = arith.mulf %0, %undefined : f32
  return %1 : f32
}
