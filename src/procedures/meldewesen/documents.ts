import type { DocumentRenderers } from '../../core/documents.js';

/** PDFs of the Meldewesen procedures (filled in below). */
export function registerMeldewesenDocuments(_renderers: DocumentRenderers): void {}
