/**
 * /dashboard.css. A file of its own because the CSP allows no inline style; mobile first (tiles
 * wrap, tables scroll inside their own region, charts scale with their viewBox), contrast ≥ 4.5:1
 * for text, a visible focus ring.
 */
export const DASHBOARD_CSS = `:root{--fg:#1b1f24;--muted:#4a5360;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--link:#0b57d0;--focus:#0b57d0;
--good:#0b6b32;--good-bg:#e3f4e8;--ni:#7a4a00;--ni-bg:#fff1d6;--poor:#a4161a;--poor-bg:#fde7e7;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
*,*::before,*::after{box-sizing:border-box}
body{margin:0}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
main:focus{outline:none}
.skip{position:absolute;left:8px;top:-100px;background:var(--bg);padding:8px 12px;z-index:10}
.skip:focus{top:8px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
code{font:13px/1.3 ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--panel);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
h1,h2,h3,h4{line-height:1.25;margin:0 0 .5em}
h1{font-size:1.35rem}
h2{font-size:1.2rem;margin-top:1.6em}
h3{font-size:1rem}
h4{font-size:.95rem}
.top{background:var(--panel);border-bottom:1px solid var(--line);padding:12px 16px}
.top>*,footer>*{max-width:1168px;margin-inline:auto}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px}
.brand h1,.brand .name{margin:0;font-size:1.25rem;font-weight:700}
.brand .sub{margin:0;color:var(--muted)}
main{padding:4px 16px 24px;max-width:1200px;margin:0 auto}
main.narrow{max-width:28rem;padding-top:24px}
footer{border-top:1px solid var(--line);padding:12px 16px;color:var(--muted);font-size:.85rem}
.filter{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin-top:10px}
.field{display:flex;flex-direction:column;min-width:0;flex:1 1 8.5rem;max-width:13rem}
.field label{font-size:.8rem;font-weight:600;color:var(--muted)}
input,select,button{font:inherit;color:inherit}
input[type=text],input[type=password],select{border:1px solid #8c959f;border-radius:4px;padding:0 7px;height:2.1rem;background:#fff;width:100%;min-width:0}
::placeholder{color:#5c6670;opacity:1}
button,.button{display:inline-block;border:1px solid var(--link);background:var(--link);color:#fff;border-radius:4px;padding:5px 12px;cursor:pointer;text-decoration:none;font-weight:600}
button.quiet{background:transparent;color:var(--link)}
.button{background:#fff;color:var(--link);margin:2px 4px 2px 0}
.actions{display:flex;gap:12px;align-items:center;padding-bottom:4px}
.range{margin:8px 0 0;color:var(--muted);font-size:.85rem}
.login{display:flex;flex-direction:column;gap:8px}
.login label{font-weight:600}
.error{color:var(--poor);background:var(--poor-bg);border:1px solid var(--poor);border-radius:4px;padding:8px 10px}
.banner{margin:12px 0 0;padding:8px 12px;border-radius:4px;border:1px solid var(--line);background:var(--panel)}
.banner.simulated,.banner.skipped{background:var(--ni-bg);border-color:var(--ni);color:var(--ni)}
.banner.error{background:var(--poor-bg);border-color:var(--poor);color:var(--poor)}
.lede,.hint,.empty,.meta{color:var(--muted)}
.hint,.meta{font-size:.85rem}
.tiles{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:10px}
.tile{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fff}
.tile h3{margin:0}
.tile abbr{text-decoration:none}
.tile .sub{font-weight:400;color:var(--muted);font-size:.85rem}
.tile .value{font-size:1.6rem;font-weight:700;margin:2px 0}
.tile .value.na{font-size:1rem;font-weight:600;color:var(--muted)}
.tile p{margin:2px 0}
.rating{display:inline-block;font-weight:600;font-size:.85rem;padding:1px 8px;border-radius:10px}
.rating.good{color:var(--good);background:var(--good-bg)}
.rating.needs-improvement{color:var(--ni);background:var(--ni-bg)}
.rating.poor{color:var(--poor);background:var(--poor-bg)}
.rating-text.good{color:var(--good)}
.rating-text.needs-improvement{color:var(--ni)}
.rating-text.poor{color:var(--poor)}
.shares-bar{display:block;width:100%;height:8px;margin:8px 0 2px;border-radius:2px}
.bar.good{fill:#1e8e4a}.bar.needs-improvement{fill:#e3a008}.bar.poor{fill:#d1242f}
.shares{font-size:.8rem;font-weight:600}
.panels{display:grid;grid-template-columns:1fr;gap:16px}
@media (min-width:900px){.panels{grid-template-columns:1fr 1fr}}
.panel{border:1px solid var(--line);border-radius:6px;padding:10px 12px;min-width:0}
.tabs{list-style:none;display:flex;flex-wrap:wrap;gap:4px;margin:0 0 6px;padding:0}
.tabs a{display:inline-block;padding:2px 10px;border:1px solid var(--line);border-radius:12px;text-decoration:none}
.tabs a[aria-current]{background:var(--link);border-color:var(--link);color:#fff;font-weight:600}
.chart-figure{margin:0}
.chart{display:block;width:100%;height:auto;max-width:640px;font-size:13px;overflow:visible}
.chart .grid{stroke:#e4e8ec}
.chart .axis{stroke:#57606a}
.chart .tick,.chart .axis-label{fill:#4a5360}
.chart .axis-label{font-weight:600}
.chart .threshold{stroke-width:1}
.chart .threshold.good{stroke:var(--good)}
.chart .threshold.poor{stroke:var(--poor)}
.chart .threshold-label{font-size:11px}
.chart .threshold-label.good{fill:var(--good)}
.chart .threshold-label.poor{fill:var(--poor)}
.chart .line{stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.chart .pt{stroke:#fff;stroke-width:1}
.chart .pt.on{stroke:var(--fg);stroke-width:2}
.chart .tip-guide{stroke:#57606a;stroke-dasharray:3 3}
.chart .tip-bg{fill:#1b1f24;fill-opacity:.92}
.chart .tip-text{fill:#fff;font-size:12px}
.chart .tip-head{font-weight:700}
.line.s0{stroke:#0b57d0}.pt.s0,.swatch.s0{fill:#0b57d0;background:#0b57d0}
.line.s1{stroke:#c2410c}.pt.s1,.swatch.s1{fill:#c2410c;background:#c2410c}
.line.s2{stroke:#15803d}.pt.s2,.swatch.s2{fill:#15803d;background:#15803d}
.line.s3{stroke:#7e22ce}.pt.s3,.swatch.s3{fill:#7e22ce;background:#7e22ce}
.line.s4{stroke:#be185d}.pt.s4,.swatch.s4{fill:#be185d;background:#be185d}
.line.s5{stroke:#0e7490}.pt.s5,.swatch.s5{fill:#0e7490;background:#0e7490}
.line.s6{stroke:#4d7c0f}.pt.s6,.swatch.s6{fill:#4d7c0f;background:#4d7c0f}
.line.s7{stroke:#57534e}.pt.s7,.swatch.s7{fill:#57534e;background:#57534e}
/* Under 600 px the viewBox shrinks to about 0.7: bigger units keep the labels readable. */
@media (max-width:600px){.chart{font-size:17px}.chart .threshold-label{font-size:14px}.chart .tip-text{font-size:16px}}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:4px 0 0;padding:0;font-size:.85rem}
.swatch{display:inline-block;width:14px;height:4px;border-radius:2px;vertical-align:middle;margin-right:6px}
details{margin-top:8px}
summary{cursor:pointer;color:var(--link)}
.scroll{position:relative;overflow-x:auto;max-width:100%;margin:8px 0 16px;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.85rem}
caption{text-align:left;font-weight:700;padding:8px 10px;font-size:.95rem}
th,td{padding:5px 10px;border-top:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--panel);white-space:nowrap}
tbody th{font-weight:600;min-width:8rem;max-width:22rem;overflow-wrap:anywhere}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.url{display:block;min-width:13rem;overflow-wrap:anywhere}
.nowrap{white-space:nowrap}
.variants{list-style:none;margin:0;padding:0;white-space:nowrap}
.count{color:var(--muted)}
.other{font-style:italic}
.alarms{list-style:none;margin:0;padding:0;display:grid;gap:10px}
.alarm{border:1px solid var(--line);border-left:5px solid var(--poor);border-radius:6px;padding:10px 12px}
.alarm.resolved{border-left-color:var(--good)}
.alarm p{margin:4px 0}
.badge{display:inline-block;font-size:.75rem;padding:1px 7px;border-radius:10px;vertical-align:middle}
.badge.open{color:var(--poor);background:var(--poor-bg)}
.badge.resolved{color:var(--good);background:var(--good-bg)}
.count-badge{font-size:.8rem;font-weight:600;padding:1px 8px;border-radius:10px;background:var(--good-bg);color:var(--good);vertical-align:middle}
.count-badge.hot{background:var(--poor-bg);color:var(--poor)}
.ok{color:var(--good);font-weight:600}
.evidence{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:4px 12px;margin:6px 0;font-size:.85rem}
.evidence dt{color:var(--muted);font-weight:600}
.evidence dd{margin:0;overflow-wrap:anywhere}
.evidence .wide{grid-column:1/-1}
.evidence-list{margin:0;padding-left:1.1em}
`;
