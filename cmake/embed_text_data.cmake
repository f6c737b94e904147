# Writes a C++ source defining kaiku::text::builtin_data(name) from every file in
# lexicons/, so the binary carries its sentiment lexicons and cue lists without
# reading files at run time.
# Usage: cmake -DIN_DIR=lexicons -DOUT=text_data.cpp -P embed_text_data.cmake
file(GLOB files RELATIVE "${IN_DIR}" "${IN_DIR}/*.tsv")
list(SORT files)
set(body "")
foreach(f ${files})
  file(READ "${IN_DIR}/${f}" content)
  string(FIND "${content}" ")kaikutext\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${IN_DIR}/${f} contains the raw-string delimiter )kaikutext\"")
  endif()
  string(APPEND body "  if (name == \"${f}\") return R\"kaikutext(${content})kaikutext\";\n")
endforeach()
file(WRITE "${OUT}.tmp"
  "// Generated from lexicons/*.tsv by cmake/embed_text_data.cmake; do not edit.\n"
  "#include \"text/builtin_data.hpp\"\n\n"
  "namespace kaiku::text {\n\n"
  "std::optional<std::string_view> builtin_data(std::string_view name) noexcept {\n"
  "${body}"
  "  return std::nullopt;\n"
  "}\n\n"
  "}  // namespace kaiku::text\n")
file(RENAME "${OUT}.tmp" "${OUT}")
