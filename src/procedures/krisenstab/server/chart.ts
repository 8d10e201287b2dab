import type { DayPoint } from './figures.js';

/**
 * The backlog over time as a server-rendered SVG (no charting library, no script, no inline
 * style: presentation attributes only, so it passes any content security policy): bars of the
 * cases created and closed per day, a line of the open cases at the end of each day. It carries
 * a title and a description for screen readers; the pages show the same numbers as a table.
 */
const W = 760;
const H = 300;
const PAD = { top: 34, right: 16, bottom: 44, left: 52 };
const COLORS = {
  angelegt: '#1f5fa8',
  erledigt: '#2e7d32',
  offen: '#b00020',
  axis: '#444444',
  grid: '#dddddd',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

const shortDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.`;

export function backlogChartSvg(points: readonly DayPoint[], title: string): string {
  const max = niceMax(Math.max(1, ...points.flatMap((p) => [p.angelegt, p.erledigt, p.offen])));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const n = Math.max(1, points.length);
  const slot = plotW / n;
  const barW = Math.max(2, Math.min(18, slot / 3));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  const last = points.at(-1);
  const desc = last
    ? `Vom ${shortDate(points[0]?.tag ?? last.tag)} bis ${shortDate(last.tag)}: zuletzt ${last.offen} offene Vorgänge; heute ${last.angelegt} angelegt, ${last.erledigt} erledigt.`
    : 'Keine Daten.';
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t d" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<title id="t">${esc(title)}</title><desc id="d">${esc(desc)}</desc>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
  );
  for (let i = 0; i <= 5; i++) {
    const v = (max / 5) * i;
    const yy = y(v).toFixed(1);
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yy}" y2="${yy}" stroke="${i === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`,
      `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="${COLORS.axis}">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
  }
  const labelEvery = Math.ceil(n / 14);
  points.forEach((p, i) => {
    const x0 = PAD.left + slot * i + slot / 2;
    parts.push(
      `<rect x="${(x0 - barW - 1).toFixed(1)}" y="${y(p.angelegt).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y(p.angelegt)).toFixed(1)}" fill="${COLORS.angelegt}"/>`,
      `<rect x="${(x0 + 1).toFixed(1)}" y="${y(p.erledigt).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y(p.erledigt)).toFixed(1)}" fill="${COLORS.erledigt}"/>`,
    );
    if (i % labelEvery === 0 || i === n - 1) {
      parts.push(
        `<text x="${x0.toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" fill="${COLORS.axis}">${shortDate(p.tag)}</text>`,
      );
    }
  });
  if (points.length) {
    const line = points
      .map((p, i) => `${(PAD.left + slot * i + slot / 2).toFixed(1)},${y(p.offen).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline points="${line}" fill="none" stroke="${COLORS.offen}" stroke-width="2.5"/>`);
    points.forEach((p, i) => {
      parts.push(
        `<circle cx="${(PAD.left + slot * i + slot / 2).toFixed(1)}" cy="${y(p.offen).toFixed(1)}" r="3" fill="${COLORS.offen}"/>`,
      );
    });
  }
  // Legend.
  const legend: Array<[string, string]> = [
    ['angelegt', COLORS.angelegt],
    ['erledigt', COLORS.erledigt],
    ['offen (Tagesende)', COLORS.offen],
  ];
  legend.forEach(([label, color], i) => {
    const lx = PAD.left + i * 170;
    parts.push(
      `<rect x="${lx}" y="10" width="12" height="12" fill="${color}"/>`,
      `<text x="${lx + 18}" y="20" fill="${COLORS.axis}">${esc(label)}</text>`,
    );
  });
  parts.push(
    `<text x="${PAD.left}" y="${H - 8}" fill="${COLORS.axis}">Vorgänge je Tag (deutsche Zeit)</text>`,
    '</svg>',
  );
  return parts.join('');
}
