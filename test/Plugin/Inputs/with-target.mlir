module attributes {green.target = #green.target<"cpu-zen4">} {
}
