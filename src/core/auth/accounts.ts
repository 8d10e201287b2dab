import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { AppUserTable, Database, UserGrantTable } from '../../db/types.js';
import { type Grant, ROLE_LABELS, ROLES, type Role, roleAllowedAt } from '../access.js';
import { appendAudit } from '../audit/log.js';
import { AppError, type FieldError, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { isOfficeType, OFFICE_TYPES } from '../offices.js';
import { generateOneTimePassword, hashPassword } from './passwords.js';

/**
 * Local accounts (no directory service: the municipal domain was the attacker's prize). There are
 * no default credentials: every account starts with a random one-time password that must be
 * changed at the first login, followed by TOTP enrolment.
 */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,63}$/,
    'Der Benutzername hat 3 bis 64 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Bindestrich oder Unterstrich.',
  );

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Bitte einen Anzeigenamen angeben.')
  .max(100, 'Der Anzeigename hat höchstens 100 Zeichen.')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f<>]*$/, 'Der Anzeigename enthält unzulässige Zeichen.');

export const grantSchema = z.object({
  authorityAgs: z.string().regex(/^\d{8}$/, 'Der Gemeindeschlüssel (AGS) hat acht Ziffern.'),
  officeType: z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' }),
  role: z.enum(ROLES, { error: 'Unbekannte Rolle.' }),
});

export interface AccountView {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  isCrisisTeam: boolean;
  disabled: boolean;
  secondFactorEnrolled: boolean;
  mustChangePassword: boolean;
  grants: Grant[];
  createdAt: string;
}

/** Checks that each grant names an existing office of an existing authority. */
export async function checkGrants(
  db: Kysely<Database>,
  grants: Grant[],
  prefix = 'body/grants',
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, g] of grants.entries()) {
    const key = `${g.authorityAgs}/${g.officeType}/${g.role}`;
    if (seen.has(key)) {
      errors.push({ path: `${prefix}/${i}`, message: 'Diese Berechtigung ist doppelt angegeben.' });
      continue;
    }
    seen.add(key);
    if (!roleAllowedAt(g.role, g.officeType)) {
      errors.push({
        path: `${prefix}/${i}/role`,
        message: `Die Rolle „${ROLE_LABELS[g.role]}“ gibt es nur bei der Kämmerei.`,
      });
      continue;
    }
    const office = await db
      .selectFrom('office')
      .select('id')
      .where('authority_ags', '=', g.authorityAgs)
      .where('office_type', '=', g.officeType)
      .executeTakeFirst();
    if (!office) {
      errors.push({
        path: `${prefix}/${i}`,
        message: `Die Behörde ${g.authorityAgs} hat kein Amt „${g.officeType}“.`,
      });
    }
  }
  return errors;
}

export async function replaceGrants(db: Kysely<Database>, userId: string, grants: Grant[]): Promise<void> {
  await db.deleteFrom('user_grant').where('user_id', '=', userId).execute();
  if (grants.length) {
    await db
      .insertInto('user_grant')
      .values(
        grants.map((g) => ({
          user_id: userId,
          authority_ags: g.authorityAgs,
          office_type: g.officeType,
          role: g.role,
        })),
      )
      .execute();
  }
}

export interface NewAccount {
  username: string;
  displayName: string;
  isAdmin?: boolean;
  isCrisisTeam?: boolean;
  grants?: Grant[];
}

/**
 * Creates an account with a random one-time password (returned once, stored only as argon2id
 * hash) that must be changed at the first login. `passwordHash` lets callers hash outside a
 * transaction.
 */
export async function createAccount(
  db: Kysely<Database>,
  input: NewAccount,
  now: Date,
  prepared?: { oneTimePassword: string; passwordHash: string },
): Promise<{ userId: string; oneTimePassword: string }> {
  const username = usernameSchema.parse(input.username);
  const existing = await db
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (existing) {
    throw validationFailed(
      [{ path: 'body/username', message: 'Dieser Benutzername ist bereits vergeben.' }],
      'Das Konto wurde nicht angelegt.',
    );
  }
  const grants = input.grants ?? [];
  const grantErrors = await checkGrants(db, grants);
  if (grantErrors.length) throw validationFailed(grantErrors, 'Das Konto wurde nicht angelegt.');
  const oneTimePassword = prepared?.oneTimePassword ?? generateOneTimePassword();
  const passwordHash = prepared?.passwordHash ?? (await hashPassword(oneTimePassword));
  const userId = newId();
  const nowIso = now.toISOString();
  await db
    .insertInto('app_user')
    .values({
      id: userId,
      username,
      display_name: displayNameSchema.parse(input.displayName),
      password_hash: passwordHash,
      must_change_password: 1,
      totp_secret: null,
      totp_enrolled_at: null,
      totp_last_step: null,
      is_admin: input.isAdmin ? 1 : 0,
      is_crisis_team: input.isCrisisTeam ? 1 : 0,
      disabled_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute();
  await replaceGrants(db, userId, grants);
  return { userId, oneTimePassword };
}

export async function getAccount(db: Kysely<Database>, userId: string): Promise<AccountView | undefined> {
  const u = await db.selectFrom('app_user').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!u) return undefined;
  const grants = await db.selectFrom('user_grant').selectAll().where('user_id', '=', userId).execute();
  return toView(u, grants);
}

export async function listAccounts(db: Kysely<Database>): Promise<AccountView[]> {
  const users = await db.selectFrom('app_user').selectAll().orderBy('username').execute();
  const grants = await db.selectFrom('user_grant').selectAll().execute();
  return users.map((u) =>
    toView(
      u,
      grants.filter((g) => g.user_id === u.id),
    ),
  );
}

function toView(row: Selectable<AppUserTable>, grants: Array<Selectable<UserGrantTable>>): AccountView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    isAdmin: Number(row.is_admin) === 1,
    isCrisisTeam: Number(row.is_crisis_team) === 1,
    disabled: row.disabled_at !== null,
    secondFactorEnrolled: row.totp_enrolled_at !== null,
    mustChangePassword: Number(row.must_change_password) === 1,
    grants: grants
      .filter((g) => isOfficeType(g.office_type))
      .map((g) => ({
        authorityAgs: g.authority_ags,
        officeType: g.office_type as Grant['officeType'],
        role: g.role as Role,
      })),
    createdAt: row.created_at,
  };
}

/** True when an enabled administrator exists. */
export async function hasActiveAdmin(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('is_admin', '=', 1)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return !!row;
}

/**
 * First start of the demo: when no administrator exists, creates `admin` with a one-time
 * password to print on the console. Never a fixed password.
 */
export async function ensureFirstAdmin(
  db: Kysely<Database>,
  now: Date,
  opts: { username?: string; displayName?: string; via: string } = { via: 'demo' },
): Promise<{ username: string; oneTimePassword: string } | undefined> {
  if (await hasActiveAdmin(db)) return undefined;
  let username = opts.username ?? 'admin';
  // A (disabled) account may already hold the name.
  for (
    let i = 2;
    await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
    i++
  ) {
    username = `${opts.username ?? 'admin'}${i}`;
  }
  const created = await db.transaction().execute(async (trx) => {
    const c = await createAccount(
      trx,
      { username, displayName: opts.displayName ?? 'Administration', isAdmin: true },
      now,
    );
    await appendAudit(
      trx,
      { action: 'admin.user_created', target: { userId: c.userId }, detail: { via: opts.via } },
      now,
    );
    return c;
  });
  return { username, oneTimePassword: created.oneTimePassword };
}

export const notFoundAccount = () =>
  new AppError('NOT_FOUND', 'Nicht gefunden', 'Das Konto wurde nicht gefunden.');
