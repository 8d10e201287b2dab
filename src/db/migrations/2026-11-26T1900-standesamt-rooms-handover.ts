import type { Kysely } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Register numbers (G/S/E n/yyyy), bookable rooms and slots, handover batches.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('register_number_counter')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('register', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('register_number_counter_pk', ['authority_ags', 'register', 'year'])
    .execute();

  // Every number handed out, with its case: uniqueness is enforced by the database as well.
  await db.schema
    .createTable('register_entry')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('register', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('register_entry_pk', ['authority_ags', 'register', 'year', 'seq'])
    .addUniqueConstraint('register_entry_case_uq', ['case_id', 'register'])
    .execute();

  await db.schema
    .createTable('room')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('room_name_uq', ['authority_ags', 'office_type', 'name'])
    .execute();

  await db.schema
    .createTable('slot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull().references('room.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('slot_room_start_uq', ['room_id', 'starts_at'])
    .execute();

  // One booking per slot: the primary key on slot_id makes double booking impossible,
  // also for concurrent requests.
  await db.schema
    .createTable('slot_booking')
    .addColumn('slot_id', 'text', (c) => c.primaryKey().references('slot.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slot_booking_case_idx').on('slot_booking').column('case_id').execute();

  await db.schema
    .createTable('handover_batch')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('case_count', 'integer', (c) => c.notNull())
    .addColumn('manifest', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('rejected_at', 'text')
    .execute();
  await db.schema
    .createIndex('handover_batch_scope_idx')
    .on('handover_batch')
    .columns(['authority_ags', 'procedure_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('handover_batch_case')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('handover_batch.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('handover_batch_case_pk', ['batch_id', 'case_id'])
    .execute();
  await db.schema
    .createIndex('handover_batch_case_case_idx')
    .on('handover_batch_case')
    .column('case_id')
    .execute();

  // A case is in at most one batch that is not rejected: the claim row is its proof.
  await db.schema
    .createTable('handover_claim')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    .addColumn('batch_id', 'text', (c) => c.notNull().references('handover_batch.id'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
