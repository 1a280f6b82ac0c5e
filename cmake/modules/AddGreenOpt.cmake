#===- AddGreenOpt.cmake - thin project wrappers ---------------*- cmake -*-===//
#
# Wrappers over the upstream add_mlir_* functions so every green library is
# declared the same way (static, PIC, linked to the MLIR and LLVM dylibs).
#
#===----------------------------------------------------------------------===//

# add_green_library(name srcs... [DEPENDS targets...] [LINK_LIBS libs...])
#
# A static, position-independent library that links the MLIR and LLVM dylibs
# (never the static MLIR component libraries: mixing both would give two copies
# of MLIR's registries). Position-independent so that the pass plugin and the C
# API shared library can include it.
function(add_green_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  llvm_update_compile_flags(${name})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
  set_property(GLOBAL APPEND PROPERTY GREEN_OPT_LIBS ${name})
endfunction()

# add_green_doc(td_file output_name output_dir tblgen_args...)
#
# Generate Markdown from ODS into ${CMAKE_BINARY_DIR}/docs/<output_dir>. The
# committed copies under docs/ are checked against these by the docs-in-sync
# test.
function(add_green_doc td_file output_name output_dir)
  add_mlir_doc(${td_file} ${output_name} ${output_dir} ${ARGN})
endfunction()
