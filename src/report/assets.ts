// The report's only style sheet and script, inlined into the page and pinned by hash in its Content-Security-Policy.

export const REPORT_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;--bad:#b42318;--warn:#7a5200;--skip:#57606a;--restricted:#b42318;--accent:#0550ae}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0 auto;max-width:72rem;padding:1rem;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1rem 0 .4rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem;z-index:2}
.subject{color:var(--muted);margin:0;overflow-wrap:anywhere}
.verdict{display:inline-block;font-weight:700;padding:.2rem .6rem;border-radius:.4rem;border:2px solid currentColor;margin:.4rem 0}
.v-ok{color:var(--ok)}.v-mismatch,.v-failed,.v-bad{color:var(--bad)}.v-not-fetched,.v-unverifiable,.v-warn{color:var(--warn)}.v-skipped,.v-absent,.v-not-checked{color:var(--skip)}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem;margin:.8rem 0;background:var(--bg)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.4rem 0}.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}th{background:var(--soft);overflow-wrap:normal}td.nowrap,td.nowrap code{white-space:nowrap;overflow-wrap:normal}
td{overflow-wrap:anywhere}
.badge{display:flex;flex-wrap:wrap;gap:.5rem;margin:.4rem 0}
.badge .side{flex:1 1 16rem;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .8rem}
.badge .side h3{margin:0 0 .3rem;font-size:.95rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.citation pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);padding:.6rem;border-radius:.4rem;margin:.4rem 0}
button{font:inherit;padding:.3rem .8rem;border:1px solid var(--accent);background:#fff;color:var(--accent);border-radius:.4rem;cursor:pointer}
button:focus-visible,summary:focus-visible,a:focus-visible,.graph:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.status{margin-left:.6rem;color:var(--muted)}
.graph{overflow:auto;border:1px solid var(--line);border-radius:.5rem;background:var(--soft);max-height:80vh}
.lineage-svg{display:block}
.lineage-svg .col-title{font-size:12px;font-weight:700;fill:#57606a;text-transform:uppercase}
.lineage-svg .node rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}
.lineage-svg .node.restricted rect{fill:#fff1f0;stroke:#b42318;stroke-width:2.5}
.lineage-svg .node.stage-run rect{stroke:#0550ae;stroke-width:2}
.lineage-svg .node-label{font-size:12.5px;font-weight:600;fill:#1b1f24}
.lineage-svg .node-detail{font-size:11px;fill:#57606a;font-family:ui-monospace,Menlo,Consolas,monospace}
.lineage-svg .node.restricted .node-detail{fill:#b42318}
.lineage-svg .edge path{fill:none;stroke:#6e7781;stroke-width:1.4}
.lineage-svg .arrow-head{fill:#6e7781}
.lineage-svg .edge-label-bg{fill:#fff;stroke:#d0d7de}
.lineage-svg .edge-label{font-size:10.5px;fill:#1b1f24;font-family:ui-monospace,Menlo,Consolas,monospace}
.legend{font-size:.9rem;color:var(--muted)}.legend .swatch{display:inline-block;width:.9rem;height:.9rem;border:2.5px solid var(--restricted);background:#fff1f0;vertical-align:middle;margin-right:.3rem}
details{border:1px solid var(--line);border-radius:.4rem;padding:.3rem .6rem;margin:.35rem 0}
details>summary{cursor:pointer;overflow-wrap:anywhere}
details[open]>summary{margin-bottom:.4rem}
ol.steps{margin:.2rem 0 .2rem 1.2rem;padding:0}ol.steps li{margin:.2rem 0}
ul.evidence{margin:.1rem 0 .3rem 1rem;padding:0;font-size:.88rem;color:var(--muted)}
.restricted-tag{color:var(--restricted);font-weight:700}
.pager{margin:.6rem 0}
.paged-hidden{display:none}
.clean{color:var(--ok)}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.5rem}
@media (max-width:40rem){html{font-size:15px}body{padding:.6rem}.facts{grid-template-columns:1fr}.facts dt{font-weight:600}.hide-narrow{display:none}th,td{padding:.3rem}}
@media print{body{max-width:none;padding:0}button,.pager,.skip,p:has(>button){display:none}.graph{overflow:visible;max-height:none;border:0;background:none}.lineage-svg{width:100%;height:auto}.paged-hidden{display:list-item}details{border:0;padding:0}a{color:inherit}section{break-inside:auto}.card{break-inside:avoid}}
`;

/** Copy buttons, paging of long lists, and opening every <details> before printing. No network, no eval. */
export const REPORT_JS = `
(function(){
  function each(sel, fn){ Array.prototype.forEach.call(document.querySelectorAll(sel), fn); }
  each('button[data-copy]', function(b){
    b.hidden = false;
    b.addEventListener('click', function(){
      var src = document.getElementById(b.getAttribute('data-copy'));
      var status = document.getElementById(b.getAttribute('data-status'));
      if (!src) return;
      var text = src.textContent || '';
      function done(msg){ if (status) status.textContent = msg; }
      function fallback(){
        var range = document.createRange(); range.selectNodeContents(src);
        var sel = window.getSelection(); if (sel) { sel.removeAllRanges(); sel.addRange(range); }
        var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        done(ok ? 'Copied.' : 'Selected: press Ctrl+C (or \\u2318C) to copy.');
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function(){ done('Copied.'); }, fallback);
      } else { fallback(); }
    });
  });
  each('[data-page-size]', function(list){
    var size = parseInt(list.getAttribute('data-page-size'), 10) || 50;
    var items = list.children; var shown = Math.min(size, items.length);
    if (items.length <= size) return;
    for (var i = shown; i < items.length; i++) items[i].classList.add('paged-hidden');
    var pager = document.getElementById(list.getAttribute('data-pager'));
    if (!pager) return;
    var button = pager.querySelector('button'); var note = pager.querySelector('.status');
    pager.hidden = false;
    function update(){ note.textContent = 'showing ' + shown + ' of ' + items.length; if (shown >= items.length) button.hidden = true; }
    button.addEventListener('click', function(){
      var next = Math.min(shown + size, items.length);
      for (var i = shown; i < next; i++) items[i].classList.remove('paged-hidden');
      if (items[shown]) { var s = items[shown].querySelector('summary'); if (s) s.focus(); }
      shown = next; update();
    });
    update();
  });
  window.addEventListener('beforeprint', function(){ each('details', function(d){ d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; }); });
  window.addEventListener('afterprint', function(){ each('details[data-was-open]', function(d){ d.open = d.getAttribute('data-was-open') === '1'; d.removeAttribute('data-was-open'); }); });
})();
`;
