import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps; the parameters every
 * authenticator app supports) and one-time recovery codes.
 */
export const TOTP_PERIOD = 30;
export const TOTP_ISSUER = 'Notbetrieb';
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label = 'Notbetrieb'): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The current code (tests and the login helper use it). */
export function totpCode(secretBase32: string, at: Date): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * Checks a code against the previous, current and next time step (RFC 6238 §5.2 recommends at
 * most one step of drift). Returns the matched time step, or undefined. A step at or before
 * `lastStep` is refused: each code works only once.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  at: Date,
  lastStep: number | null,
): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secretBase32).validate({ token, timestamp: at.getTime(), window: 1 });
  if (delta === null) return undefined;
  const step = TOTP.counter({ period: TOTP_PERIOD, timestamp: at.getTime() }) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

export async function enrolmentMaterial(
  secretBase32: string,
  username: string,
): Promise<{ otpauthUrl: string; qrCodeDataUrl: string; secret: string }> {
  const otpauthUrl = totpFor(secretBase32, username).toString();
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 240,
  });
  return { otpauthUrl, qrCodeDataUrl, secret: secretBase32 };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A recovery code: 16 base32 characters (80 bits) in groups of four, e.g. "K7QD-2MXA-PL4E-3RTB". */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let s = '';
  for (let i = 0; i < 16; i++) s += BASE32[(bytes[i] as number) % 32];
  return s.match(/.{4}/g)?.join('-') ?? s;
}

/** Codes are compared case- and separator-insensitively. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, '');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return normaliseRecoveryCode(code).length === 16;
}

/** 80 random bits make a slow hash unnecessary; SHA-256 keeps the lookup a single index hit. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`notbetrieb-recovery:${normaliseRecoveryCode(code)}`)
    .digest('hex');
}
