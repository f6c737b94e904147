#!/bin/sh
# Regenerates src/web/stylesheet.cpp from static/kaiku.css (the CSS is embedded in
# the binary; a unit test fails when the two differ). Run from anywhere.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
{
  printf '%s\n' '// The stylesheet of the respondent pages, embedded so that the binary needs no' \
    '// files at run time. Byte-identical copy: static/kaiku.css (a unit test checks).' \
    '// Regenerate after editing static/kaiku.css: sh src/web/embed_css.sh' \
    '#include "web/pages.hpp"' '' 'namespace kaiku::web {' 'namespace {' ''
  printf 'constexpr std::string_view kCss = R"kaikucss('
  cat "$root/static/kaiku.css"
  printf ')kaikucss";\n\n}  // namespace\n\nstd::string_view stylesheet() noexcept { return kCss; }\n\n}  // namespace kaiku::web\n'
} > "$root/src/web/stylesheet.cpp.tmp"
mv "$root/src/web/stylesheet.cpp.tmp" "$root/src/web/stylesheet.cpp"
