import { PDFParse } from 'pdf-parse';

/** The text of a PDF, for tests that check what a document says. */
export async function pdfText(buffer: Buffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(buffer) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** True when every font of the PDF is embedded (TrueType font programs present, no bare standard fonts). */
export function fontsEmbedded(buffer: Buffer): boolean {
  const raw = buffer.toString('latin1');
  return raw.includes('/FontFile2') && !/\/BaseFont\s*\/Helvetica/.test(raw);
}
