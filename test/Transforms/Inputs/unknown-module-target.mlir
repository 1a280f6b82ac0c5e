// A module whose green.target has no description file.

module attributes {green.target = #green.target<"riscv-someday">} {
}
