/**
 * The stylesheet of the public pages (served as /oeffentlich/style.css: the strict CSP allows no
 * inline style). High contrast (WCAG 2.1 AA), visible focus, readable without zoom on a phone,
 * printable.
 */
export const PUBLIC_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; line-height: 1.5; color: #1b1b1b; background: #ffffff; }
a { color: #0b4f9c; text-decoration: underline; }
a:hover { color: #06305f; }
a:focus, button:focus, input:focus, textarea:focus, select:focus { outline: 3px solid #e0a100; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: #ffffff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; top: 1rem; z-index: 10; }
header.site { background: #0b3c6e; color: #ffffff; padding: 1rem 1.25rem; }
header.site a { color: #ffffff; }
header.site .site-name { font-size: 1.25rem; font-weight: bold; margin: 0; }
header.site .site-sub { margin: 0; }
nav.service ul { list-style: none; margin: .75rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 0 0 .25rem; }
.notice { border-left: .4rem solid #b00020; background: #fdf0f1; padding: .75rem 1rem; margin: 1rem 0; }
.contact { background: #eef4fb; padding: .75rem 1rem; margin: 1rem 0; }
.service { border: 1px solid #8a8a8a; border-radius: .25rem; padding: .75rem 1rem; margin: .75rem 0; }
.status { display: inline-block; font-weight: bold; padding: 0 .4rem; border-radius: .2rem; border: 2px solid currentColor; }
.status-normal { color: #1d5e20; }
.status-notbetrieb { color: #8a4b00; }
.status-nachbarbehoerde { color: #0b4f9c; }
.status-ausgesetzt { color: #b00020; }
dl { margin: .5rem 0 0; display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
.stand { color: #444444; font-size: .95rem; }
ul.slots { list-style: none; padding: 0; margin: .25rem 0 1rem; display: flex; flex-wrap: wrap; gap: .5rem; }
ul.slots a { display: inline-block; padding: .35rem .6rem; border: 2px solid #0b4f9c; border-radius: .25rem; text-decoration: none; }
ul.slots a:hover, ul.slots a:focus { background: #0b4f9c; color: #ffffff; }
form .field { margin: 0 0 1rem; }
label { display: block; font-weight: bold; margin-bottom: .2rem; }
.help { display: block; color: #444444; font-size: .95rem; margin-bottom: .2rem; }
input[type=text], input[type=email], input[type=tel], textarea { width: 100%; max-width: 28rem; font-size: 1rem; padding: .5rem; border: 2px solid #555555; border-radius: .2rem; }
button { font-size: 1rem; padding: .6rem 1.2rem; background: #0b4f9c; color: #ffffff; border: 2px solid #0b4f9c; border-radius: .25rem; cursor: pointer; }
button:hover { background: #06305f; }
.error-summary { border: 3px solid #b00020; padding: .75rem 1rem; margin: 1rem 0; }
.error-summary h2 { margin-top: 0; font-size: 1.15rem; }
.field-error { color: #b00020; font-weight: bold; display: block; }
.code { font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 1.75rem; letter-spacing: .1em; border: 3px dashed #1b1b1b; display: inline-block; padding: .5rem 1rem; margin: .5rem 0; }
.pager { display: flex; gap: 1.5rem; flex-wrap: wrap; margin: 1rem 0; }
footer.site { border-top: 1px solid #8a8a8a; margin-top: 2rem; padding: 1rem 1.25rem; font-size: .95rem; }
footer.site ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
@media print { header.site, nav.service, footer.site, .skip { display: none; } body { color: #000000; } }
`;
