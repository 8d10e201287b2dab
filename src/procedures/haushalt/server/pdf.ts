import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatGermanDate } from '../../../core/dates.js';
import { FONT_BOLD, FONT_REGULAR, NOTBETRIEB_MARK } from '../../../core/documents.js';
import { formatBetrag, formatEuro } from '../geld.js';
import { BETRAG_SPALTEN, spaltenTitel } from '../katalog.js';
import type { Gesamtplan, PlanRow, TeilplanSumme } from '../totals.js';
import type { VorlaeufigReport } from './report.js';

/**
 * Printouts of the Kämmerei (pdfkit with the embedded DejaVu fonts of core/documents.ts, marked
 * as made in emergency operation, with a QR code of the plan's case id): the Gesamtergebnisplan
 * and Gesamtfinanzplan of a version, and the report of the vorläufige Haushaltsführung.
 */

export interface PrintMeta {
  authorityName: string;
  authorityAgs: string;
  haushaltsjahr: number;
  versionNo: number;
  statusLabel: string;
  aktenzeichen: string;
  caseId: string;
  contentSha256: string;
  today: string;
}

type Doc = PDFKit.PDFDocument;

function open(title: string, author: string): { pdf: Doc; done: Promise<Buffer> } {
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 40, bottom: 40, left: 40, right: 40 },
    info: { Title: title, Author: author, Creator: 'Notbetrieb' },
    lang: 'de-DE',
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', FONT_REGULAR);
  pdf.registerFont('bold', FONT_BOLD);
  return { pdf, done };
}

function head(pdf: Doc, authorityName: string, title: string, lines: string[]) {
  pdf.font('bold').fontSize(9).fillColor('#b00020').text(NOTBETRIEB_MARK, 40, 40);
  pdf.fillColor('black').font('regular').fontSize(9).text(authorityName);
  pdf.moveDown(0.6);
  pdf.font('bold').fontSize(15).text(title);
  pdf.font('regular').fontSize(9);
  for (const l of lines) pdf.text(l);
  pdf.moveDown(0.6);
}

const LABEL_X = 40;
const LABEL_W = 250;
const AMOUNT_W = 88;

function amountX(i: number): number {
  return LABEL_X + LABEL_W + i * AMOUNT_W;
}

function tableHead(pdf: Doc, title: string, headings: string[]) {
  if (pdf.y > pdf.page.height - 120) pdf.addPage();
  pdf.font('bold').fontSize(11).text(title, LABEL_X, pdf.y);
  pdf.moveDown(0.3);
  const y = pdf.y;
  pdf.fontSize(8).text('Position', LABEL_X, y, { width: LABEL_W });
  headings.forEach((h, i) => {
    pdf.text(h, amountX(i), y, { width: AMOUNT_W - 6, align: 'right' });
  });
  pdf
    .moveTo(LABEL_X, pdf.y + 2)
    .lineTo(amountX(headings.length), pdf.y + 2)
    .stroke();
  pdf.moveDown(0.4);
}

function tableRow(pdf: Doc, label: string, amounts: string[], bold: boolean, onNewPage: () => void) {
  if (pdf.y > pdf.page.height - 60) {
    pdf.addPage();
    onNewPage();
  }
  const y = pdf.y;
  pdf.font(bold ? 'bold' : 'regular').fontSize(8);
  pdf.text(label, LABEL_X, y, { width: LABEL_W - 6 });
  const after = pdf.y;
  amounts.forEach((a, i) => {
    pdf.text(a, amountX(i), y, { width: AMOUNT_W - 6, align: 'right' });
  });
  pdf.y = Math.max(after, pdf.y) + 1;
  pdf.x = LABEL_X;
}

function planTable(pdf: Doc, title: string, rows: PlanRow[], haushaltsjahr: number) {
  const titel = spaltenTitel(haushaltsjahr);
  const headings = BETRAG_SPALTEN.map((c) => `${titel[c]} (EUR)`);
  tableHead(pdf, title, headings);
  for (const r of rows) {
    tableRow(
      pdf,
      `${r.nr !== undefined ? `${r.nr}  ` : ''}${r.kind === 'position' ? '' : '= '}${r.label}`,
      BETRAG_SPALTEN.map((c) => formatBetrag(r[c])),
      r.kind !== 'position',
      () => tableHead(pdf, `${title} (Fortsetzung)`, headings),
    );
  }
  pdf.moveDown(0.8);
}

function footer(pdf: Doc, text: string) {
  pdf.moveDown(1);
  if (pdf.y > pdf.page.height - 70) pdf.addPage();
  pdf.font('regular').fontSize(7).fillColor('#444444').text(text, LABEL_X, pdf.y, { width: 760 });
  pdf.fillColor('black');
}

/** Gesamtergebnisplan and Gesamtfinanzplan of one version, with the Teilpläne's results. */
export async function renderGesamtplanPdf(
  meta: PrintMeta,
  plan: Gesamtplan,
  teilplaene: TeilplanSumme[],
): Promise<Buffer> {
  const title = `Gesamtergebnisplan und Gesamtfinanzplan ${meta.haushaltsjahr}`;
  const { pdf, done } = open(`${title} ${meta.aktenzeichen}`, meta.authorityName);
  const qr = await QRCode.toBuffer(`notbetrieb:case:${meta.caseId}`, {
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 160,
  });
  pdf.image(qr, pdf.page.width - 40 - 64, 36, { width: 64 });
  head(pdf, meta.authorityName, title, [
    `Aktenzeichen ${meta.aktenzeichen} · AGS ${meta.authorityAgs} · Fassung ${meta.versionNo} · Stand: ${meta.statusLabel} · gedruckt am ${formatGermanDate(meta.today)}`,
    `Prüfsumme der Fassung (SHA-256): ${meta.contentSha256}`,
  ]);
  planTable(pdf, 'Gesamtergebnisplan (§ 2 KomHVO NRW)', plan.ergebnisplan, meta.haushaltsjahr);
  planTable(pdf, 'Gesamtfinanzplan (§ 3 KomHVO NRW)', plan.finanzplan, meta.haushaltsjahr);
  const titel = spaltenTitel(meta.haushaltsjahr);
  const headings = ['Zeilen', `Jahresergebnis ${titel.ansatz}`, `Finanzmittel ${titel.ansatz}`];
  tableHead(pdf, 'Teilpläne', headings);
  for (const t of teilplaene) {
    tableRow(
      pdf,
      `${t.produktbereich} ${t.name}`,
      [String(t.zeilen), formatBetrag(t.jahresergebnis.ansatz), formatBetrag(t.finanzmittelSaldo.ansatz)],
      false,
      () => tableHead(pdf, 'Teilpläne (Fortsetzung)', headings),
    );
  }
  footer(
    pdf,
    'Erstellt im Notbetrieb mit dem System „Notbetrieb“, während das reguläre Finanzverfahren nicht verfügbar war. Beträge in Euro. Ergebnisse nach § 2 Abs. 2 KomHVO NRW, Salden nach § 3 KomHVO NRW.',
  );
  pdf.end();
  return done;
}

/** The commitments of the vorläufige Haushaltsführung against last year's budget. */
export async function renderVorlaeufigPdf(report: VorlaeufigReport, authorityName: string, today: string) {
  const title = `Vorläufige Haushaltsführung ${report.haushaltsjahr} (§ 82 GO NRW)`;
  const { pdf, done } = open(title, authorityName);
  head(pdf, authorityName, title, [
    report.vergleich
      ? `Vergleich mit dem Vorjahreshaushalt: ${report.vergleich.label}`
      : 'Kein Haushaltsplan zum Vergleich eingelesen.',
    report.inKraftSeit
      ? `Haushaltssatzung ${report.haushaltsjahr} in Kraft seit ${formatGermanDate(report.inKraftSeit)}.`
      : `Die Haushaltssatzung ${report.haushaltsjahr} ist noch nicht bekannt gemacht. Stand: ${formatGermanDate(today)}.`,
  ]);
  const headings = [
    'Ansatz Vorjahr Aufwand',
    'Verpflichtet Aufwand',
    'Anteil',
    'Ansatz Vorjahr Invest.',
    'Verpflichtet Invest.',
    'Anteil',
  ];
  tableHead(pdf, 'Je Produktbereich', headings);
  const pct = (v: number | null) =>
    v === null ? '–' : `${(v * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} %`;
  const rows: Array<[string, VorlaeufigReport['summe'], boolean]> = [
    ...report.bereiche.map((b): [string, VorlaeufigReport['summe'], boolean] => [
      `${b.produktbereich} ${b.name}`,
      b,
      false,
    ]),
    ['Summe', report.summe, true],
  ];
  for (const [label, b, bold] of rows) {
    tableRow(
      pdf,
      label,
      [
        formatBetrag(b.vorjahrAufwandCents),
        formatBetrag(b.verpflichtetAufwandCents),
        pct(b.anteilAufwand),
        formatBetrag(b.vorjahrInvestitionCents),
        formatBetrag(b.verpflichtetInvestitionCents),
        pct(b.anteilInvestition),
      ],
      bold,
      () => tableHead(pdf, 'Je Produktbereich (Fortsetzung)', headings),
    );
  }
  pdf.moveDown(0.8);
  pdf.font('bold').fontSize(11).text('Nach Rechtsgrund', LABEL_X, pdf.y);
  pdf.font('regular').fontSize(8);
  for (const r of report.nachRechtsgrund) {
    pdf.text(`${r.label}: ${r.anzahl} Verpflichtung(en), ${formatEuro(r.betragCents)}`, LABEL_X, pdf.y);
  }
  footer(
    pdf,
    'Erstellt im Notbetrieb mit dem System „Notbetrieb“. Erfasst sind alle nicht stornierten Verpflichtungen mit ihrem Rechtsgrund nach § 82 Abs. 1 GO NRW.',
  );
  pdf.end();
  return done;
}
