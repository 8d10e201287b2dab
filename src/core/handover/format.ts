/**
 * The extension point of the handover: a procedure declares its formats in its definition
 * (`ProcedureDefinition.handover`: id, title, kind) and registers one serializer per format here.
 * The core (service.ts) selects the cases, claims them for a batch, streams them through the
 * serializers into files, and writes the manifest. See docs/HANDOVER.md.
 */

/** What a serializer sees of one case. */
export interface HandoverCase {
  id: string;
  aktenzeichen: string;
  procedureId: string;
  authorityAgs: string;
  status: string;
  data: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface HandoverContext {
  batchId: string;
  /** Export time. */
  createdAt: Date;
  authority: { ags: string; name: string };
  installationId: string;
  /** AGS of a municipality by its name, where the system knows it (demo/imported authorities). */
  agsForPlace(name: string): string | undefined;
}

interface FormatBase {
  /** Id of the format in the procedure definition's `handover` list. */
  formatId: string;
  contentType: string;
}

/** All cases in one file: header, one entry per case, footer (e.g. CSV). */
export interface OneFileFormat extends FormatBase {
  layout: 'one-file';
  fileName(ctx: HandoverContext): string;
  header?(ctx: HandoverContext): string;
  entry(c: HandoverCase, ctx: HandoverContext): string;
  footer?(ctx: HandoverContext): string;
}

/** One file per case (e.g. one XÖV message per event). */
export interface FilePerCaseFormat extends FormatBase {
  layout: 'file-per-case';
  /** Relative name inside the batch directory, e.g. `xpersonenstand/GB-12-2026.xml`. */
  fileName(c: HandoverCase, ctx: HandoverContext): string;
  render(c: HandoverCase, ctx: HandoverContext): string;
}

export type HandoverFileFormat = OneFileFormat | FilePerCaseFormat;

export interface ProcedureHandover {
  procedureId: string;
  /** Case states that are ready for handover (e.g. registered). */
  eligibleStates: readonly string[];
  formats: HandoverFileFormat[];
}

export class HandoverRegistry {
  private readonly byProcedure = new Map<string, ProcedureHandover>();

  register(h: ProcedureHandover): this {
    if (this.byProcedure.has(h.procedureId))
      throw new Error(`handover for ${h.procedureId} registered twice`);
    this.byProcedure.set(h.procedureId, h);
    return this;
  }

  get(procedureId: string): ProcedureHandover | undefined {
    return this.byProcedure.get(procedureId);
  }
}

/** Safe file-name part from an Aktenzeichen: "GB 12/2026" -> "GB-12-2026". */
export function fileSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
