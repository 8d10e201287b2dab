import { qrCodePng, renderPdf } from '../../../../core/documents.js';
import { DIENST_STATUS_LABELS, type DienstStatus } from '../../katalog.js';
import type { DienstView, LageView } from '../catalogue.js';
import { germanDateTime } from '../time.js';
import { type AuthorityInfo, kindName, lastChange, publishedServices } from './pages.js';

/**
 * The poster for the town hall door (A4, PDF): the authority, a large QR code of its status page
 * with the address written out, the citizens' phone, and the services as they stand when it is
 * printed (the page stays current; the poster says so).
 */
export async function posterPdf(opts: {
  authority: AuthorityInfo;
  lage: LageView;
  dienste: DienstView[];
  statusUrl: string;
  bookingUrl: string | null;
  printedAt: Date;
}): Promise<Buffer> {
  const { authority: a, lage } = opts;
  const qr = await qrCodePng(opts.statusUrl, 600);
  const shown = publishedServices(opts.dienste);
  const stand = lastChange(lage, opts.dienste);
  return renderPdf({ title: `Aushang ${kindName(a)}`, author: kindName(a) }, (pdf) => {
    const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
    pdf.font('bold').fontSize(11).fillColor('#b00020').text('VERWALTUNG IM NOTBETRIEB');
    pdf.moveDown(0.3);
    pdf.font('bold').fontSize(26).fillColor('black').text(kindName(a));
    pdf.moveDown(0.3);
    pdf
      .font('regular')
      .fontSize(15)
      .text('Welche Dienste gibt es gerade – wo und wann? Termine online buchen.');
    pdf.moveDown(0.8);
    const size = 220;
    const x = pdf.page.margins.left + (width - size) / 2;
    pdf.image(qr, x, pdf.y, { width: size });
    pdf.y += size + 10;
    pdf.font('bold').fontSize(14).text(opts.statusUrl, { align: 'center' });
    if (opts.bookingUrl) {
      pdf.font('regular').fontSize(11).text(`Termine: ${opts.bookingUrl}`, { align: 'center' });
    }
    pdf.moveDown(0.8);
    if (lage.buergertelefon) {
      pdf.font('bold').fontSize(16).text(`Bürgertelefon: ${lage.buergertelefon}`, { align: 'center' });
      pdf.moveDown(0.5);
    }
    if (lage.hinweis) {
      pdf.font('regular').fontSize(11).text(lage.hinweis);
      pdf.moveDown(0.5);
    }
    if (shown.length) {
      pdf.font('bold').fontSize(13).text('Stand der Dienste');
      pdf.moveDown(0.2);
      for (const d of shown.slice(0, 14)) {
        const status = DIENST_STATUS_LABELS[d.status as DienstStatus];
        const where = d.status === 'nachbarbehoerde' && d.ausweichName ? `: ${d.ausweichName}` : '';
        pdf.font('bold').fontSize(10.5).text(`${d.title}: `, { continued: true });
        pdf
          .font('regular')
          .text(`${status}${where}${d.zeiten ? ` (${d.zeiten.replace(/\s*\n\s*/g, '; ')})` : ''}`);
      }
      if (shown.length > 14)
        pdf
          .font('regular')
          .fontSize(10)
          .text(`… und ${shown.length - 14} weitere auf der Internetseite.`);
      pdf.moveDown(0.5);
    }
    pdf
      .font('regular')
      .fontSize(9)
      .fillColor('#444444')
      .text(
        `Gedruckt am ${germanDateTime(opts.printedAt.toISOString())} Uhr${stand ? `, Angaben vom ${germanDateTime(stand)} Uhr` : ''}. ` +
          'Die Internetseite wird laufend aktualisiert; dieser Aushang zeigt den Stand beim Drucken.',
      );
  });
}
