import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../errors.js';

/**
 * Password hashing and policy. argon2id with the parameters OWASP's Password Storage Cheat Sheet
 * lists as a minimum (m = 19 MiB, t = 2, p = 1); @node-rs/argon2 defaults to argon2id with these.
 * Policy (issue 3, BSI IT-Grundschutz ORP.4.A22 asks for length over complexity rules): at least
 * 12 characters, at most 256, and not in the common-password list of zxcvbn-ts (about 49 000
 * entries from breach corpora), also not a listed password with digits or symbols appended.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const ARGON2_OPTIONS = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  algorithm: 2 /* Argon2id */,
} as const;

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** A hash of a random string: verifying against it costs as much as a real check (no timing oracle). */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash?.startsWith('$argon2')) {
    dummyHash ??= hashPassword(`dummy-${randomInt(1e9)}-${Date.now()}`);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when the password is in the common-password list, also with digits/symbols appended or prepended. */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '');
  return core.length >= 4 && core.length < lower.length && COMMON.has(core);
}

/** Field errors for a new password (German, saying why); empty when acceptable. */
export function checkPasswordPolicy(
  password: string,
  context: { username?: string; path?: string } = {},
): FieldError[] {
  const path = context.path ?? 'body/newPassword';
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_LENGTH) {
    return [
      {
        path,
        message: `Das Passwort muss mindestens ${PASSWORD_MIN_LENGTH} Zeichen lang sein (es hat ${chars}). Tipp: mehrere Wörter zu einem Satz verbinden.`,
      },
    ];
  }
  if (chars > PASSWORD_MAX_LENGTH) {
    return [{ path, message: `Das Passwort darf höchstens ${PASSWORD_MAX_LENGTH} Zeichen lang sein.` }];
  }
  if (isCommonPassword(password)) {
    return [
      {
        path,
        message:
          'Dieses Passwort steht in einer Liste häufig verwendeter oder bei Datenlecks veröffentlichter Passwörter und kann leicht erraten werden. Bitte ein anderes wählen.',
      },
    ];
  }
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase())) {
    return [{ path, message: 'Das Passwort darf den Benutzernamen nicht enthalten.' }];
  }
  if (new Set(password).size < 5) {
    return [{ path, message: 'Das Passwort besteht aus zu wenigen verschiedenen Zeichen.' }];
  }
  return [];
}

const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A one-time password for a new account or a reset: 20 characters from an unambiguous alphabet
 * (about 115 bits), must be changed at the next login.
 */
export function generateOneTimePassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}
