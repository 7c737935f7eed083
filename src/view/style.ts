/**
 * The pages' style: light, system fonts, readable without colour (every
 * coloured mark also has a word or a shape), two columns on a wide screen.
 */
export const PAGE_STYLE = `
:root{--fg:#1a1a1a;--muted:#555;--line:#ccc;--bad:#b00020;--badbg:#fde7e9;--chg:#fff3bf;--new:#e3f5e1;--sel:#dbe9ff;--wit:#f3e8ff}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;padding:1em 1.5em;max-width:1600px}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.15em;margin:.6em 0 .3em}
h3{font-size:1em;margin:.8em 0 .2em}
code{font:12px ui-monospace,Menlo,Consolas,monospace}
a{color:#0645ad}
.meta,.legend,footer{color:var(--muted)}
.verdict{border:2px solid var(--bad);background:var(--badbg);padding:.4em 1em;margin:.6em 0}
.verdict.ok{border-color:#2e7d32;background:var(--new)}
.kernel{border:1px solid var(--line);padding:.2em 1em;margin:.6em 0}
blockquote.seed{margin:.4em 0 .4em 1em;padding-left:.8em;border-left:4px solid var(--muted);font-style:italic}
blockquote.seed footer{font-style:normal;font-size:.85em}
.timeline-box{margin:.5em 0;overflow-x:auto}
.timeline-box figcaption{color:var(--muted);font-size:.9em}
svg.timeline .axis{stroke:#888;stroke-width:2}
svg.timeline .m{fill:#fff;stroke:#333;stroke-width:2}
svg.timeline .m.init{fill:#888}
svg.timeline .m.broke{fill:var(--badbg);stroke:var(--bad);stroke-width:3}
svg.timeline .x{stroke:var(--bad);stroke-width:2.5}
svg.timeline .m.witness{fill:var(--wit);stroke:#6a1b9a}
svg.timeline .m.breach{fill:var(--bad);stroke:#000}
svg.timeline .ring{fill:none;stroke:none}
svg.timeline .tl.sel .ring{stroke:#0645ad;stroke-width:3}
svg.timeline text{font-size:11px;fill:var(--fg)}
svg.timeline .label{font-weight:bold}
svg.timeline .bracket{fill:none;stroke:#6a1b9a;stroke-width:1.5}
.cols{display:flex;gap:1.5em;align-items:flex-start}
.steps-box{flex:0 0 auto;max-width:46%;overflow-x:auto}
.panel{flex:1 1 0;min-width:0}
@media (max-width:1000px){.cols{display:block}.steps-box{max-width:none}}
table{border-collapse:collapse;margin:.3em 0 .8em}
caption{text-align:left;font-weight:bold;padding:.2em 0}
th,td{border:1px solid var(--line);padding:.15em .45em;text-align:left;vertical-align:top}
thead th{background:#f4f4f4}
#steps tbody tr{cursor:pointer}
#steps td:nth-of-type(1){white-space:nowrap}
#steps td:last-child{min-width:10em}
#steps tr.witness{background:var(--wit)}
#steps tr.broke{background:var(--badbg)}
#steps tr.breach{background:#f8c9cf}
#steps tr.selected{outline:3px solid #0645ad;outline-offset:-3px;background:var(--sel)}
#steps tr.selected th a::before{content:"\\25b6 "}
td.mark,th.mark{font-size:.85em;color:var(--muted);max-width:10em}
tr.offending{background:var(--badbg);box-shadow:inset 4px 0 0 var(--bad)}
tr.offending td.mark{color:var(--bad);font-weight:bold}
tr.changed{background:var(--chg)}
tr.new{background:var(--new)}
tr.removed td{text-decoration:line-through;color:var(--muted)}
tr.removed td.mark{text-decoration:none}
tr.offending.changed,tr.offending.new{background:var(--badbg)}
tr.none td{color:var(--muted);font-style:italic}
.violation{border-left:4px solid var(--bad);background:var(--badbg);padding:.3em .8em;margin:.3em 0}
.violation:not(.here){opacity:.85}
.violation .statement{margin-top:.2em}
.defeats{color:#1b5e20}
#panel-kernel .note{color:var(--muted)}
section.obj{display:inline-block;vertical-align:top;margin-right:1em}
`;
