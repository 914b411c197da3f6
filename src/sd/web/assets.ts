/**
 * The UI's stylesheet and script, served by the server itself (no CDN:
 * the UI works offline) and written beside the static export.
 */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f5f6f8}
a{color:#1b5fb8;text-decoration:none}a:hover{text-decoration:underline}
.menu{display:flex;flex-wrap:wrap;gap:.2em 1.1em;align-items:center;padding:.6em 1.5em;background:#23324a;color:#fff}
.menu a{color:#dfe8f7}.menu .brand{font-weight:700;font-size:1.15em;color:#fff}.menu .new{background:#2f8f5b;color:#fff;padding:.2em .7em;border-radius:4px}
.menu .search{margin-left:auto}.menu .search input{padding:.3em .5em;border-radius:4px;border:0;width:16em}
main{max-width:75em;margin:0 auto;padding:1em 1.5em 3em}
.project{color:#68748a;margin:0}h1{margin:.1em 0 .6em;font-size:1.6em}h2{font-size:1.15em;margin:1.4em 0 .5em}
table{border-collapse:collapse;background:#fff;width:100%}th,td{padding:.35em .6em;border-bottom:1px solid #e3e6eb;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}table.props{width:auto;min-width:30em}table.props th{width:10em}
td.summary{width:40%}.num{text-align:right;width:4em}.bar meter{width:8em}
.status-new{color:#b35c00}.status-open{color:#1b5fb8}.status-closed{color:#2f7d4f}.status-rejected,.status-stalled{color:#777}
.overview{display:grid;grid-template-columns:22em 1fr;gap:1.5em}.box table{width:100%}
.controls{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center;background:#fff;padding:.6em .8em;border:1px solid #e3e6eb;border-radius:6px}
.pager{color:#555}.empty{color:#68748a;font-style:italic}.hint{color:#68748a;font-size:.85em;margin-left:.6em}
.text{white-space:pre-wrap;background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:.6em .8em;overflow-wrap:anywhere}
.comment .who,.history .who{margin:.8em 0 .2em;color:#4a5568}.history{padding-left:1.2em}.history li{margin-bottom:.3em}
.tag{display:inline-block;font-size:.75em;padding:0 .5em;border-radius:8px;background:#e3e6eb;margin-left:.4em}
.tag.sync{background:#d9ecff}.tag.resolution,.tag.conflict{background:#ffe4c2}
.errors{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:.5em .8em;border-radius:6px}.errors p{margin:.2em 0}
.notice{background:#e8f5ec;border:1px solid #b9e0c5;padding:.5em .8em;border-radius:6px}
.actions{display:flex;gap:1em;align-items:center;margin-bottom:1em;flex-wrap:wrap}
form.inline{display:inline}.button,button{background:#fff;border:1px solid #b8c0cc;border-radius:4px;padding:.3em .8em;font:inherit;cursor:pointer;color:#1d2330}
button.link{background:none;border:0;color:#dfe8f7;padding:0}
.ticket-form .field{display:grid;grid-template-columns:10em 1fr;gap:.2em 1em;align-items:start}.ticket-form .hint{grid-column:2}
.ticket-form input[type=text],.ticket-form textarea,textarea{width:100%;font:inherit;padding:.3em}
img.preview{display:block;max-width:24em;max-height:16em;margin:.4em 0;border:1px solid #e3e6eb}
.progress p{margin:.2em 0}progress{width:20em}
footer{text-align:center;color:#8a94a6;font-size:.85em;padding:2em}
`;

/** Progressive enhancement only: every page works without it. A form, once sent, cannot be sent twice by a double click. */
export const SCRIPT = `
document.addEventListener('submit', function (e) {
  var form = e.target;
  setTimeout(function () { form.querySelectorAll('button').forEach(function (b) { b.disabled = true; }); }, 0);
});
`;
