import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CaseView } from './cases/presenter.js';
import { formatGermanDate } from './dates.js';
import type { ProcedureDefinition } from './procedure.js';

/**
 * PDF documents. Fonts are embedded (DejaVu Sans covers umlauts, ß and the Latin letters of
 * foreign names); every document is marked as issued in emergency operation and carries a QR code
 * of the case id so that paper can be matched to its case later.
 */
const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = path.join(fontDir, 'DejaVuSans.ttf');
export const FONT_BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

export type PdfDoc = PDFKit.PDFDocument;

export type DocumentRenderer = (pdf: PdfDoc, view: CaseView, helpers: PdfHelpers) => void | Promise<void>;

export interface PdfHelpers {
  heading(text: string): void;
  field(label: string, value: string | undefined | null): void;
  paragraph(text: string): void;
  date(iso: string | undefined | null): string;
}

export const NOTBETRIEB_MARK = 'AUSGESTELLT IM NOTBETRIEB';

/** A QR code as PNG (for documents that are not a case's: a poster's link, a report's id). */
export function qrCodePng(text: string, width = 320): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 1, width });
}

export interface PdfFrame {
  title: string;
  author: string;
  layout?: 'portrait' | 'landscape';
  /** Page margins in points (default 56 top/bottom, 64 left/right). */
  margins?: { top: number; bottom: number; left: number; right: number };
}

/**
 * The PDF frame of documents that belong to no case (a poster, a situation report): A4, German,
 * DejaVu fonts registered as `regular` and `bold` (umlauts, ß), document info set. `draw` fills
 * the pages; the buffer is returned once the document has ended.
 */
export async function renderPdf(
  frame: PdfFrame,
  draw: (pdf: PdfDoc) => void | Promise<void>,
): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    layout: frame.layout ?? 'portrait',
    margins: frame.margins ?? { top: 56, bottom: 56, left: 64, right: 64 },
    info: { Title: frame.title, Author: frame.author, Creator: 'Notbetrieb' },
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
  pdf.font('regular');
  await draw(pdf);
  pdf.end();
  return done;
}

export class DocumentRenderers {
  private readonly renderers = new Map<string, DocumentRenderer>();

  register(procedureId: string, documentId: string, renderer: DocumentRenderer): this {
    this.renderers.set(`${procedureId}/${documentId}`, renderer);
    return this;
  }

  has(procedureId: string, documentId: string): boolean {
    return this.renderers.has(`${procedureId}/${documentId}`);
  }

  async render(def: ProcedureDefinition, documentId: string, view: CaseView): Promise<Buffer> {
    const renderer = this.renderers.get(`${def.id}/${documentId}`);
    const title = def.documents.find((d) => d.id === documentId)?.title;
    if (!renderer || !title) throw new Error(`no renderer for ${def.id}/${documentId}`);
    const qr = await QRCode.toBuffer(`notbetrieb:case:${view.id}`, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 160,
    });

    const pdf = new PDFDocument({
      size: 'A4',
      margins: { top: 56, bottom: 56, left: 64, right: 64 },
      info: { Title: `${title} ${view.aktenzeichen}`, Author: view.authorityName, Creator: 'Notbetrieb' },
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

    // Head: authority, emergency mark, QR code.
    pdf.font('bold').fontSize(10).fillColor('#b00020').text(NOTBETRIEB_MARK, { characterSpacing: 1 });
    pdf.fillColor('black').font('regular').fontSize(10).text(view.authorityName);
    pdf.text(`Aktenzeichen: ${view.aktenzeichen}`);
    pdf.image(qr, pdf.page.width - 64 - 80, 50, { width: 80 });
    pdf.moveDown(2);
    pdf.font('bold').fontSize(18).text(title);
    pdf.moveDown(0.5);

    const helpers: PdfHelpers = {
      heading: (text) => {
        pdf.moveDown(0.6).font('bold').fontSize(12).text(text).moveDown(0.2);
      },
      field: (label, value) => {
        pdf.font('regular').fontSize(10).fillColor('#444444').text(`${label}: `, { continued: true });
        pdf
          .fillColor('black')
          .font('bold')
          .text(value && value.length > 0 ? value : '—');
      },
      paragraph: (text) => {
        pdf.font('regular').fontSize(10).fillColor('black').text(text, { align: 'left' }).moveDown(0.4);
      },
      date: (iso) => (iso ? formatGermanDate(iso) : '—'),
    };
    await renderer(pdf, view, helpers);

    pdf.moveDown(2);
    pdf
      .font('regular')
      .fontSize(8)
      .fillColor('#444444')
      .text(
        `Dieses Dokument wurde im Notbetrieb mit dem System „Notbetrieb" erstellt, während die regulären Fachverfahren nicht verfügbar waren. ` +
          `Der Vorgang wird nach Wiederanlauf an das Fachverfahren übergeben. Vorgangs-ID: ${view.id}`,
      );
    pdf.end();
    return done;
  }
}
