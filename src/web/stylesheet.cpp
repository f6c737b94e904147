// The stylesheet of the respondent pages, embedded so that the binary needs no
// files at run time. Byte-identical copy: static/kaiku.css (a unit test checks).
// Regenerate after editing static/kaiku.css: sh src/web/embed_css.sh
#include "web/pages.hpp"

namespace kaiku::web {
namespace {

constexpr std::string_view kCss = R"kaikucss(/* Kaiku respondent pages. One file, no external resources (CSP style-src 'self').
   Mobile first; works at 320 px width and 200 % zoom; contrast >= 4.5:1 for text,
   >= 3:1 for controls; visible focus; touch targets >= 44 px. */
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1.125rem;
  line-height: 1.5;
  color: #1a1a1a;
  background: #fff;
  overflow-wrap: break-word;
}
h1, h2, legend, label { hyphens: auto; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1rem 0 1rem; }
h2 { font-size: 1.375rem; line-height: 1.3; margin: 2rem 0 .75rem; }
p { margin: 0 0 1rem; }
a { color: #0050a0; text-decoration: underline; text-underline-offset: .15em; }
a:hover { color: #003870; text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 3px; }
.wrap { max-width: 42rem; margin: 0 auto; padding: 0 1rem; }
main { display: block; padding-bottom: 2rem; }
main:focus { outline: none; }

/* Skip link: visible when focused. */
.skip-link {
  position: absolute; left: .5rem; top: -10rem; z-index: 10;
  padding: .75rem 1rem; background: #ffbf47; color: #1a1a1a; font-weight: 700;
}
.skip-link:focus { top: .5rem; }
.visually-hidden {
  position: absolute !important; width: 1px !important; height: 1px !important;
  margin: -1px !important; padding: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; border: 0 !important;
}

/* Header with the language switch. */
.site-header { background: #00364a; color: #fff; }
.header-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: .25rem 1rem; padding-top: .25rem; padding-bottom: .25rem; }
.site-name { margin: 0; padding: .5rem 0; font-weight: 700; }
.site-header a { color: #fff; }
.site-header :focus-visible { outline-color: #ffbf47; }
.lang-switch ul { display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: 0; list-style: none; }
.lang-switch a { display: inline-flex; align-items: center; min-height: 44px; padding: .25rem .6rem; }
.lang-switch a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }

/* Footer. */
.site-footer { background: #f3f3f3; border-top: 1px solid #767676; padding: 1rem 0; }
.site-footer ul { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: 0; padding: 0; list-style: none; }
.site-footer a { display: inline-flex; align-items: center; min-height: 44px; }

/* Text blocks. */
.lead { font-size: 1.25rem; }
.note { background: #eef5f8; border-left: 4px solid #005a70; padding: .75rem 1rem; }
.hint { color: #4a4a4a; margin: 0 0 .75rem; }
.required { font-weight: 400; color: #4a4a4a; }
.required-note { color: #4a4a4a; }
.links { padding-left: 1.25rem; }
.links li { margin: .5rem 0; }

/* Questions. */
fieldset { margin: 0; padding: 0; border: 0; min-width: 0; }
.question { margin: 0 0 2rem; }
.question-text { display: block; font-weight: 700; font-size: 1.2rem; margin: 0 0 .5rem; padding: 0; }
legend.question-text { float: none; width: 100%; }
.choices { display: flex; flex-direction: column; gap: .5rem; }
.choice { display: flex; align-items: center; gap: .75rem; min-height: 48px; padding: 0 .75rem;
  border: 2px solid #767676; border-radius: .375rem; background: #fff; }
.choice:has(input:checked) { border-color: #005a70; background: #e6f2f5; }
.choice label { flex: 1; padding: .6rem 0; cursor: pointer; }
.choice.cant-say { margin-top: .5rem; }
input[type="radio"], input[type="checkbox"] { flex: none; width: 1.5rem; height: 1.5rem; margin: 0;
  accent-color: #005a70; cursor: pointer; }
.scale-number { display: inline-block; min-width: 1.25rem; font-weight: 700; }

/* NPS 0-10: boxes that wrap on narrow screens. */
.scale { display: flex; flex-wrap: wrap; gap: .5rem; }
.scale-option { position: relative; display: flex; flex-direction: column; align-items: center;
  justify-content: center; gap: .25rem; min-width: 3rem; min-height: 4.5rem; padding: .4rem .25rem;
  border: 2px solid #767676; border-radius: .375rem; background: #fff; }
.scale-option:has(input:checked) { border-color: #005a70; background: #e6f2f5; }
.scale-option label { font-weight: 700; cursor: pointer; padding: 0 .4rem; }
.scale-ends { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .25rem 1rem;
  margin: .5rem 0 0; color: #4a4a4a; }

/* Smiley faces (survey). */
.faces { display: flex; flex-wrap: wrap; gap: .5rem; }
.face-option { flex: 1 1 5.5rem; display: flex; flex-direction: column; align-items: center; gap: .25rem;
  padding: .5rem .25rem; border: 2px solid #767676; border-radius: .5rem; background: #fff; text-align: center; }
.face-option:has(input:checked) { border-color: #005a70; background: #e6f2f5; }
.face-option label { display: flex; flex-direction: column; align-items: center; gap: .25rem; cursor: pointer; }
.face { width: 3rem; height: 3rem; }
.face-bg { stroke: #1a1a1a; stroke-width: 2; }
.face-ink { fill: #1a1a1a; }
.face-mouth { fill: none; stroke: #1a1a1a; stroke-width: 3; stroke-linecap: round; }
.face-tone-1 .face-bg { fill: #f4c7c3; }
.face-tone-2 .face-bg { fill: #fbd9b4; }
.face-tone-3 .face-bg { fill: #fff1b8; }
.face-tone-4 .face-bg { fill: #d4ecc5; }
.face-tone-5 .face-bg { fill: #b9e2b0; }

/* Text fields. */
input[type="text"], input[type="tel"], input[type="email"], input[type="search"], textarea, select {
  display: block; width: 100%; min-height: 48px; padding: .6rem .75rem; font: inherit; color: #1a1a1a;
  background: #fff; border: 2px solid #4a4a4a; border-radius: .25rem; }
textarea { min-height: 8rem; resize: vertical; }
select { max-width: 100%; }
optgroup { font-weight: 700; }
option { font-weight: 400; }
.field { margin: 0 0 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: .25rem; }
.contact .check { margin: .75rem 0; }
.search-row { display: flex; flex-wrap: wrap; gap: .5rem; }
.search-row input { flex: 1 1 12rem; width: auto; }
.search { margin-bottom: 1.5rem; }
.search label { display: block; font-weight: 700; margin-bottom: .25rem; }

/* Errors. */
.error-summary { border: 4px solid #b00020; padding: 1rem; margin: 0 0 2rem; }
.error-summary h2 { margin-top: 0; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: #b00020; font-weight: 700; }
.has-error { border-left: 4px solid #b00020; padding-left: .75rem; }
.error-message { color: #b00020; font-weight: 700; margin: 0 0 .5rem; }
[aria-invalid="true"]:is(input, textarea, select) { border-color: #b00020; }

/* Buttons. */
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 2rem 0; }
.button { display: inline-flex; align-items: center; justify-content: center; min-height: 48px;
  padding: .6rem 1.5rem; font: inherit; font-weight: 700; color: #005a70; background: #fff;
  border: 2px solid #005a70; border-radius: .375rem; cursor: pointer; text-decoration: none; }
.button.primary { color: #fff; background: #005a70; }
.button:hover { background: #e6f2f5; color: #003e4e; }
.button.primary:hover { background: #003e4e; color: #fff; }

/* Complaint guidance. */
.complaint { margin-top: 2.5rem; border-top: 2px solid #767676; padding-top: .5rem; }

/* Kiosk: huge buttons, one tap answers. */
.kiosk .wrap { max-width: 64rem; }
.kiosk h1 { font-size: 2.25rem; text-align: center; }
.kiosk .lead, .kiosk-intro { text-align: center; font-size: 1.375rem; }
.kiosk-faces { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 1rem; margin: 2rem 0; }
.kiosk-face { display: flex; flex-direction: column; align-items: center; justify-content: flex-start; gap: .75rem;
  min-height: 12rem; padding: 1rem; font: inherit; font-size: 1.5rem; font-weight: 700; color: #1a1a1a;
  background: #fff; border: 3px solid #1a1a1a; border-radius: 1rem; cursor: pointer; }
.kiosk-face:hover { background: #eef5f8; }
.kiosk-face .face { width: 6rem; height: 6rem; }
.kiosk .button { min-height: 64px; font-size: 1.375rem; }

/* Poster (printable A4). */
.poster-sheet { text-align: center; }
.poster h1 { font-size: 2.5rem; }
.poster-place { font-size: 1.5rem; font-weight: 700; }
.qr { margin: 1rem auto; max-width: 20rem; }
.qr svg { display: block; width: 100%; height: auto; }
.poster-body { font-size: 1.375rem; }
.poster-other { border-top: 2px solid #767676; padding-top: 1rem; }
.poster-other-title { font-size: 1.5rem; font-weight: 700; }
.url { font-weight: 700; overflow-wrap: anywhere; }

@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 14pt; }
  .skip-link, .lang-switch, .site-footer, .site-header { display: none; }
  .poster h1 { font-size: 40pt; margin-top: 0; }
  .qr { max-width: 110mm; }
  .poster-sheet { page-break-inside: avoid; break-inside: avoid; }
  a { color: #000; }
}
@media (min-width: 40rem) {
  h1 { font-size: 2.125rem; }
  .choices.agreement { gap: .5rem; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; }
}
)kaikucss";

}  // namespace

std::string_view stylesheet() noexcept { return kCss; }

}  // namespace kaiku::web
