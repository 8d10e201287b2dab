import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  generateOneTimePassword,
  hashPassword,
  isCommonPassword,
  verifyPassword,
} from './passwords.js';
import {
  hashRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  normaliseRecoveryCode,
  totpCode,
  verifyTotp,
} from './totp.js';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(checkPasswordPolicy('Drei Eichen am Rathausplatz')).toEqual([]);
  });

  it('refuses fewer than 12 characters, counting characters not bytes', () => {
    expect(checkPasswordPolicy('Kurz & gut!')[0]?.message).toContain(
      'mindestens 12 Zeichen lang sein (es hat 11)',
    );
    expect(checkPasswordPolicy('Äöüßäöüßäöüß')).toEqual([]);
  });

  it('refuses passwords from the common-password list, also decorated with digits or symbols', () => {
    expect(isCommonPassword('qwerty123456')).toBe(true);
    expect(isCommonPassword('Password1234')).toBe(true);
    expect(isCommonPassword('passwort!!2026')).toBe(true);
    expect(isCommonPassword('Wasserturm am Marktplatz')).toBe(false);
    expect(checkPasswordPolicy('iloveyou2026!')[0]?.message).toContain('Liste häufig verwendeter');
  });

  it('refuses the user name inside the password and monotonous passwords', () => {
    expect(checkPasswordPolicy('clara.neu-im-rathaus', { username: 'clara.neu' })[0]?.message).toContain(
      'Benutzernamen',
    );
    expect(checkPasswordPolicy('aaaaaaaabbbbbbbb')[0]?.message).toContain('zu wenigen verschiedenen');
  });

  it('hashes with argon2id and verifies; a malformed hash never verifies', async () => {
    const h = await hashPassword('Drei Eichen am Rathausplatz');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'Drei Eichen am Rathausplatz')).toBe(true);
    expect(await verifyPassword(h, 'drei Eichen am Rathausplatz')).toBe(false);
    expect(await verifyPassword('!unusable', 'x')).toBe(false);
    expect(await verifyPassword(undefined, 'x')).toBe(false);
  });

  it('makes one-time passwords that are long, random and pass the policy', () => {
    const a = generateOneTimePassword();
    expect(a).toHaveLength(20);
    expect(a).not.toBe(generateOneTimePassword());
    expect(checkPasswordPolicy(a)).toEqual([]);
  });
});

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 test vector for SHA-1 (T = 59 s)', async () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T=59 -> 94287082 (8 digits); 6 digits: 287082.
    const { Secret } = await import('otpauth');
    const secret = Secret.fromLatin1('12345678901234567890').base32;
    expect(totpCode(secret, new Date(59_000))).toBe('287082');
  });

  it('accepts the current and neighbouring step once, refuses replays and other steps', () => {
    const secret = newTotpSecret();
    const t = new Date('2026-11-26T10:00:10Z');
    const code = totpCode(secret, t);
    const step = verifyTotp(secret, code, t, null);
    expect(step).toBeTypeOf('number');
    expect(verifyTotp(secret, code, t, step as number)).toBeUndefined();
    expect(verifyTotp(secret, code, new Date(t.getTime() + 30_000), null)).toBe(step);
    expect(verifyTotp(secret, code, new Date(t.getTime() + 90_000), null)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', t, null)).toBeUndefined();
  });

  it('recovery codes carry 80 bits, compare loosely and are stored as hashes', () => {
    const c = newRecoveryCode();
    expect(c).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(hashRecoveryCode(c)).toBe(hashRecoveryCode(c.toLowerCase().replace(/-/g, ' ')));
    expect(hashRecoveryCode(c)).not.toContain(normaliseRecoveryCode(c));
  });
});
