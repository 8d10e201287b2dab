import type { Kysely } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Register search (issue 6): every search also reads the emergency overlay. Each of its search
// arms (second name exact or prefix, second name's Kölner Phonetik, birth date alone, street)
// gets an index of its own, so that a growing overlay is read by index ranges, never scanned.

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, column] of [
    ['register_overlay_name2_idx', 'fam_fold2'],
    ['register_overlay_phon2_idx', 'fam_phon2'],
    ['register_overlay_birth_idx', 'geburtsdatum'],
    ['register_overlay_street_idx', 'strasse_fold'],
  ] as const) {
    await db.schema.createIndex(name).on('register_overlay').columns(['authority_ags', column]).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
