# Writes a C++ source defining kaiku::web::stylesheet() from a CSS file, so the
# binary serves the respondent pages' stylesheet without reading files at run time.
# Usage: cmake -DIN=static/kaiku.css -DOUT=stylesheet.cpp -P embed_css.cmake
file(READ "${IN}" css)
string(FIND "${css}" ")kaikucss\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )kaikucss\"")
endif()
file(WRITE "${OUT}.tmp"
  "// Generated from static/kaiku.css by cmake/embed_css.cmake; do not edit.\n"
  "#include \"web/pages.hpp\"\n\n"
  "namespace kaiku::web {\n\n"
  "std::string_view stylesheet() noexcept {\n"
  "  static constexpr std::string_view kCss = R\"kaikucss(${css})kaikucss\";\n"
  "  return kCss;\n"
  "}\n\n"
  "}  // namespace kaiku::web\n")
file(RENAME "${OUT}.tmp" "${OUT}")
