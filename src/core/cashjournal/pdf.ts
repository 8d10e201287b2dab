import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatGermanDate } from '../dates.js';
import { FONT_BOLD, FONT_REGULAR, NOTBETRIEB_MARK } from '../documents.js';
import { type CashEntry, formatEuro, type JournalDayView } from './journal.js';

/** Printable cash documents: a receipt (Quittung) per entry and the day report (Kassenbericht). */

function start(title: string, authorityName: string): { pdf: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 64, right: 64 },
    info: { Title: title, Author: authorityName, Creator: 'Notbetrieb' },
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
  pdf.font('bold').fontSize(10).fillColor('#b00020').text(NOTBETRIEB_MARK, { characterSpacing: 1 });
  pdf.fillColor('black').font('regular').fontSize(10).text(authorityName);
  pdf.moveDown(1.5);
  pdf.font('bold').fontSize(18).text(title);
  pdf.moveDown(0.5);
  return { pdf, done };
}

function field(pdf: PDFKit.PDFDocument, label: string, value: string) {
  pdf.font('regular').fontSize(10).fillColor('#444444').text(`${label}: `, { continued: true });
  pdf
    .fillColor('black')
    .font('bold')
    .text(value.length > 0 ? value : '—');
}

function footer(pdf: PDFKit.PDFDocument) {
  pdf.moveDown(2);
  pdf
    .font('regular')
    .fontSize(8)
    .fillColor('#444444')
    .text(
      'Erstellt im Notbetrieb mit dem System „Notbetrieb“. Barzahlung, da die regulären Zahlungssysteme nicht verfügbar waren; die Buchungen werden nach Wiederanlauf an das Kassenverfahren übergeben.',
    );
}

export async function renderReceipt(
  entry: CashEntry,
  authorityName: string,
  officeLabel: string,
): Promise<Buffer> {
  const { pdf, done } = start(entry.kind === 'storno' ? 'Storno-Beleg' : 'Quittung', authorityName);
  const qr = await QRCode.toBuffer(`notbetrieb:cash:${entry.id}`, {
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 160,
  });
  pdf.image(qr, pdf.page.width - 64 - 80, 50, { width: 80 });
  field(pdf, 'Kasse', officeLabel);
  field(pdf, 'Beleg-Nr.', `${entry.seq} / ${entry.businessDay.slice(0, 4)}`);
  field(pdf, 'Datum', formatGermanDate(entry.businessDay));
  field(pdf, 'Art', entry.kindLabel);
  field(pdf, 'Betrag', formatEuro(Math.abs(entry.amountCents)));
  field(pdf, 'Zweck', entry.purpose);
  if (entry.reference?.label) field(pdf, 'Bezug', entry.reference.label);
  field(pdf, 'Gebucht von', entry.createdByName);
  pdf.moveDown(1);
  pdf
    .font('regular')
    .fontSize(10)
    .text(
      entry.amountCents >= 0
        ? `Betrag von ${formatEuro(entry.amountCents)} in bar erhalten.`
        : `Betrag von ${formatEuro(-entry.amountCents)} in bar ausgezahlt.`,
    );
  pdf.moveDown(2);
  pdf.text('______________________________          ______________________________');
  pdf
    .fontSize(8)
    .text(
      'Unterschrift Kasse                                                        Unterschrift Einzahler/Empfänger',
    );
  pdf.fontSize(8).text(`Buchungs-ID: ${entry.id}`);
  footer(pdf);
  pdf.end();
  return done;
}

export async function renderDayReport(
  view: JournalDayView,
  authorityName: string,
  officeLabel: string,
): Promise<Buffer> {
  const { pdf, done } = start(`Kassenbericht ${formatGermanDate(view.businessDay)}`, authorityName);
  field(pdf, 'Kasse', officeLabel);
  field(pdf, 'Anfangsbestand', formatEuro(view.openingBalanceCents));
  field(pdf, 'Einnahmen', formatEuro(view.totalInCents));
  field(pdf, 'Ausgaben', formatEuro(view.totalOutCents));
  field(pdf, 'Endbestand', formatEuro(view.closingBalanceCents));
  pdf.moveDown(0.8);
  pdf.font('bold').fontSize(11).text('Buchungen');
  pdf.moveDown(0.3);
  pdf.font('regular').fontSize(9);
  if (view.entries.length === 0) pdf.text('Keine Buchungen an diesem Tag.');
  for (const e of view.entries) {
    const time = new Date(e.createdAt).toLocaleTimeString('de-DE', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    });
    pdf.text(
      `${String(e.seq).padStart(5, ' ')}  ${time}  ${e.kindLabel.padEnd(11, ' ')} ${formatEuro(e.amountCents).padStart(16, ' ')}  Bestand ${formatEuro(e.balanceAfterCents)}  – ${e.purpose} (${e.createdByName})`,
    );
  }
  pdf.moveDown(0.8);
  pdf.font('bold').fontSize(11).text('Tagesabschluss');
  pdf.font('regular').fontSize(10);
  if (view.closing) {
    const c = view.closing;
    field(
      pdf,
      'Abgeschlossen',
      `${new Date(c.closedAt).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })} von ${c.closedByName}`,
    );
    if (c.countedCents !== null) {
      field(pdf, 'Gezählter Bestand', formatEuro(c.countedCents));
      field(pdf, 'Differenz', formatEuro(c.differenceCents ?? 0));
    }
    if (c.note) field(pdf, 'Bemerkung', c.note);
    field(
      pdf,
      'Bestätigt (zweite Person)',
      c.confirmation
        ? `${new Date(c.confirmation.confirmedAt).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })} von ${c.confirmation.confirmedByName}`
        : 'noch nicht bestätigt',
    );
  } else {
    pdf.text('Der Kassentag ist noch nicht abgeschlossen (vorläufiger Bericht).');
  }
  footer(pdf);
  pdf.end();
  return done;
}
