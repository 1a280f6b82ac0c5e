// An op from a dialect green-opt does not know.
func.func @f() {
  %0 = foo.bar : () -> i32
  return
}
