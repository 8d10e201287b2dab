import type { Kysely } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Feedback on accessibility from the public pages (the electronic contact form BITV NRW asks the
// accessibility statement to offer). May hold personal data (an optional contact): read only by
// the Amtsleitung of the authority, deleted after a configurable number of days.

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations run on Kysely<any> (no app types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('krisenstab_rueckmeldung')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('seite', 'text')
    .addColumn('nachricht', 'text', (c) => c.notNull())
    .addColumn('kontakt', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('krisenstab_rueckmeldung_scope_idx')
    .on('krisenstab_rueckmeldung')
    .columns(['authority_ags', 'created_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
