/**
 * The dashboard's style sheet and the SVG pattern its charts share. Colours are CSS variables
 * with a light and a dark set, so the same file follows the reader's colour scheme and prints
 * in black on white. Heatmap shades were picked for a text contrast of 4.5:1 or more in both.
 */
export const STYLE = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--card:#f6f8fa;--line:#d0d7de;--met:#1a7f37;--breached:#cf222e;--at_risk:#9a6700;--in_progress:#0969da;--no_data:#57606a;
--s1:#0969da;--s2:#bf3989;--s3:#1a7f37;--s4:#9a6700;--s5:#8250df;--s6:#57606a;--s7:#bc4c00;--s8:#1b7c83;--required:#afb8c1;--actual:#0969da;
--h0:#dafbe1;--h1:#fff8c5;--h2:#ffdfb6;--h3:#ffc1bb;--h4:#a40e26;--h4fg:#fff}
@media screen and (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--line:#30363d;--met:#3fb950;--breached:#ff7b72;--at_risk:#d29922;--in_progress:#58a6ff;--no_data:#9198a1;
--s1:#58a6ff;--s2:#f778ba;--s3:#3fb950;--s4:#d29922;--s5:#bc8cff;--s6:#9198a1;--s7:#f0883e;--s8:#39c5cf;--required:#484f58;--actual:#58a6ff;
--h0:#0f3a1e;--h1:#3b2f00;--h2:#5a2d0c;--h3:#6e1a14;--h4:#ff9492;--h4fg:#0d1117}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:1.6rem;margin:0 0 4px}h2{margin-top:40px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:4px 0;overflow-wrap:anywhere}.badge{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:999px;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.badge.met{color:var(--met)}.badge.breached{color:var(--breached)}.badge.at_risk{color:var(--at_risk)}.badge.in_progress{color:var(--in_progress)}.badge.no_data{color:var(--no_data)}.badge.insufficient{color:var(--no_data)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(240px,100%),1fr));gap:12px;padding:0;list-style:none}.cards li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}
.cards .value{font-size:1.5rem;font-weight:700}section.sla,section.goal{margin:28px 0}figure{margin:12px 0}
.chart{display:block;width:100%;max-width:900px;height:auto;background:var(--card);border-radius:8px}.chart.narrow{display:none}
@media (max-width:640px){main{padding:12px}.chart.wide{display:none}.chart.narrow{display:block;max-width:440px}}
.chart text{font-size:12px}.chart .grid{stroke:var(--line);stroke-width:1}.chart .axis{stroke:var(--muted);stroke-width:1}.chart .tick,.chart .target-label{fill:var(--muted)}.chart .value{fill:var(--fg);font-size:11px}
.chart .target{stroke:var(--fg);stroke-width:2;stroke-dasharray:6 4}.chart .target-label{font-weight:600;fill:var(--fg)}.chart .stage{fill:var(--fg);font-weight:600}
.s1{fill:var(--s1)}.s2{fill:var(--s2)}.s3{fill:var(--s3)}.s4{fill:var(--s4)}.s5{fill:var(--s5)}.s6{fill:var(--s6)}.s7{fill:var(--s7)}.s8{fill:var(--s8)}
.chart .zero{stroke:var(--fg);stroke-width:1}.chart .none{fill:none;stroke:var(--muted);stroke-width:1.5}.chart .hatch{fill:url(#hatch);pointer-events:none}
.chart .band.b0{fill:var(--line);opacity:.35}.chart .band.b1{fill:var(--line);opacity:.12}.chart .band-label{fill:var(--muted);font-size:11px}.band-swatch{background:var(--line)}
.chart .required{fill:var(--required)}.chart .actual{fill:var(--actual)}
.legend{display:flex;gap:6px 16px;flex-wrap:wrap;color:var(--muted);font-size:.85rem;margin:4px 0}.legend span{display:inline-flex;align-items:center}
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px;border:1px solid var(--line)}
.swatch.s1{background:var(--s1)}.swatch.s2{background:var(--s2)}.swatch.s3{background:var(--s3)}.swatch.s4{background:var(--s4)}.swatch.s5{background:var(--s5)}.swatch.s6{background:var(--s6)}.swatch.s7{background:var(--s7)}.swatch.s8{background:var(--s8)}
.swatch.required{background:var(--required)}.swatch.actual{background:var(--actual)}.target-swatch{border:0;border-top:2px dashed var(--fg);height:0;width:18px}
.hatch-swatch{background:repeating-linear-gradient(135deg,var(--s1) 0 3px,var(--bg) 3px 5px)}.zero-swatch{height:3px;background:var(--s1);border-color:var(--fg)}.none-swatch{border-radius:50%;border:1.5px solid var(--muted)}
.swatch.h0{background:var(--h0)}.swatch.h1{background:var(--h1)}.swatch.h2{background:var(--h2)}.swatch.h3{background:var(--h3)}.swatch.h4{background:var(--h4)}
.breached-swatch{border:2px solid var(--fg)}.at-risk-swatch{border:2px dashed var(--fg)}
.heat-scroll,.table-scroll{overflow-x:auto;max-width:100%}.heat-scroll:focus-visible,.table-scroll:focus-visible{outline:2px solid var(--in_progress)}
table.heatmap{border-collapse:separate;border-spacing:2px;margin:0;font-size:.85rem}table.heatmap th,table.heatmap td{border:0;padding:3px 6px;white-space:nowrap}
table.heatmap thead th{font-weight:600;color:var(--muted);text-align:center}table.heatmap th[scope=row]{position:sticky;left:0;background:var(--bg);z-index:1;font-weight:500}
table.heatmap td{text-align:right;min-width:4.4em;border-radius:3px;font-variant-numeric:tabular-nums}
td.h0{background:var(--h0)}td.h1{background:var(--h1)}td.h2{background:var(--h2)}td.h3{background:var(--h3)}td.h4{background:var(--h4);color:var(--h4fg);font-weight:600}td.h-none{color:var(--muted);text-align:center}
table.heatmap td.breached{outline:2px solid var(--fg);outline-offset:-2px}table.heatmap td.at-risk{outline:2px dashed var(--fg);outline-offset:-2px}
.chart-box figcaption{margin:0 0 4px;color:var(--muted);font-size:.9rem}details.more>summary{cursor:pointer;color:var(--in_progress);margin:4px 0}
table{border-collapse:collapse;margin:8px 0;font-size:.9rem}caption{text-align:left;color:var(--muted);padding:4px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left}td{font-variant-numeric:tabular-nums}
details.numbers summary{cursor:pointer;color:var(--in_progress)}ul.attention{padding-left:18px}.notes{background:var(--card);border-left:4px solid var(--at_risk);padding:8px 12px}
ul.changes{padding-left:18px}ul.changes li{margin:4px 0}
footer{color:var(--muted);margin-top:40px;font-size:.85rem}
@media print{body{background:#fff;color:#000}main{max-width:none;padding:0}details.numbers summary{display:none}section{break-inside:avoid}.chart{background:none}.heat-scroll,.table-scroll{overflow:visible}table.heatmap{font-size:.65rem;border-spacing:1px}table.heatmap td,.chart{-webkit-print-color-adjust:exact;print-color-adjust:exact}table.heatmap th,table.heatmap td{min-width:0;padding:1px 3px}}
`;

/** The hatch for breached bars, defined once for every chart on the page. */
export const DEFS = `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2.5" height="6" style="fill:var(--bg)" opacity="0.75"/></pattern></defs></svg>`;
