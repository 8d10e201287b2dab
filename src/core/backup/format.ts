import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt } from 'node:crypto';
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The encrypted backup container.
 *
 *   "NBBACKUP" (8 bytes) | format version (1 byte) | header length (uint32 BE) | header (UTF-8 JSON)
 *   | ciphertext (AES-256-GCM of the plaintext snapshot) | GCM tag (16 bytes)
 *
 * The header is not secret (it holds no personal data: counts, sizes, KDF parameters) but it is
 * authenticated: the whole prefix is the GCM additional data, so a changed header fails the tag like
 * changed ciphertext. The key comes from the passphrase via scrypt (node:crypto); 64 bytes are
 * derived, 32 for the key and 32 whose SHA-256 is stored as `keyCheck` so that a wrong passphrase is
 * told apart from a damaged file. `plaintext.sha256` is checked again after decryption.
 */
export const MAGIC = Buffer.from('NBBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
const PREFIX_LEN = MAGIC.length + 1 + 4;
const TAG_LEN = 16;
const MAX_HEADER = 1024 * 1024;
export const MIN_PASSPHRASE_LENGTH = 12;

/** scrypt cost: N = 2^17, r = 8 -> 128 MiB and about half a second per derivation. */
export const DEFAULT_KDF = { name: 'scrypt' as const, N: 2 ** 17, r: 8, p: 1 };

export type BackupPayload = 'sqlite-database' | 'pg_dump-custom';

export interface BackupHeader {
  format: 1;
  createdAt: string;
  appVersion: string;
  dialect: 'sqlite' | 'postgres';
  payload: BackupPayload;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string };
  keyCheck: string;
  plaintext: { bytes: number; sha256: string };
  /** Row counts of every table in the snapshot (taken inside the snapshot, so consistent with it). */
  counts: Record<string, number>;
  /** Result of the audit-chain check on the snapshot, when the installation has an audit log. */
  audit?: { entries: number; head: string | null } | undefined;
  /** Applied schema migrations of the snapshot. */
  migrations: string[];
}

/** A refusal of the backup or restore with a German message for the operator. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export const messages = {
  notABackup: 'Die Datei ist keine Notbetrieb-Sicherung (Kennung fehlt). Es wurde nichts wiederhergestellt.',
  unsupportedFormat: (v: number) =>
    `Die Sicherung hat das Format ${v}, das diese Version nicht kennt. Bitte die passende Notbetrieb-Version verwenden.`,
  damagedHeader:
    'Die Sicherung ist beschädigt: der Kopf der Datei ist unlesbar. Es wurde nichts wiederhergestellt.',
  wrongPassphrase:
    'Die Passphrase passt nicht zu dieser Sicherung. Es wurde nichts wiederhergestellt. Bitte die Passphrase prüfen (Groß-/Kleinschreibung, Leerzeichen).',
  damaged:
    'Die Sicherung ist beschädigt oder wurde verändert: die Prüfung der Verschlüsselung (AES-GCM) ist fehlgeschlagen. Es wurde nichts wiederhergestellt. Bitte eine andere Kopie der Sicherung verwenden.',
  checksum:
    'Die Prüfsumme (SHA-256) der entschlüsselten Sicherung stimmt nicht mit dem Kopf überein. Es wurde nichts wiederhergestellt.',
  shortPassphrase: `Die Passphrase ist zu kurz: mindestens ${MIN_PASSPHRASE_LENGTH} Zeichen.`,
};

export function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new BackupError(messages.shortPassphrase);
}

interface DerivedKey {
  key: Buffer;
  keyCheck: string;
}

function derive(passphrase: string, kdf: BackupHeader['kdf']): Promise<DerivedKey> {
  const salt = Buffer.from(kdf.salt, 'base64');
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, out) => {
        if (err) return reject(err);
        resolve({
          key: out.subarray(0, 32),
          keyCheck: createHash('sha256').update(out.subarray(32)).digest('hex'),
        });
      },
    );
  });
}

/** SHA-256 and size of a file, reporting progress in bytes. */
export async function hashFile(
  file: string,
  onBytes?: (n: number) => void,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function prefixOf(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(PREFIX_LEN);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt8(FORMAT_VERSION, MAGIC.length);
  fixed.writeUInt32BE(json.length, MAGIC.length + 1);
  return Buffer.concat([fixed, json]);
}

function counter(onBytes?: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onBytes?.(n);
      cb(null, chunk);
    },
  });
}

/**
 * Encrypts the plaintext snapshot file into the container at `out` (written to `out.partial` and
 * renamed when complete, so a half-written backup never carries the final name).
 */
export async function writeEncrypted(opts: {
  plaintextFile: string;
  out: string;
  passphrase: string;
  header: Omit<BackupHeader, 'format' | 'kdf' | 'cipher' | 'keyCheck' | 'plaintext'>;
  kdf?: { N: number; r: number; p: number };
  onBytes?: (done: number, total: number) => void;
}): Promise<BackupHeader> {
  checkPassphrase(opts.passphrase);
  const plaintext = await hashFile(opts.plaintextFile);
  const kdf = {
    name: 'scrypt' as const,
    ...(opts.kdf ?? DEFAULT_KDF),
    salt: randomBytes(16).toString('base64'),
  };
  const { key, keyCheck } = await derive(opts.passphrase, kdf);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    format: 1,
    ...opts.header,
    kdf,
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64') },
    keyCheck,
    plaintext,
  };
  const prefix = prefixOf(header);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(prefix);
  const partial = `${opts.out}.partial`;
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeSync(fd, prefix);
    const out = fs.createWriteStream('', { fd, autoClose: false });
    await pipeline(
      fs.createReadStream(opts.plaintextFile),
      counter((n) => opts.onBytes?.(n, plaintext.bytes)),
      cipher,
      out,
    );
    fs.writeSync(fd, cipher.getAuthTag());
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(partial, opts.out);
  return header;
}

/** Reads and parses the header; refuses files that are not backups. */
export function readHeader(file: string): { header: BackupHeader; prefix: Buffer; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new BackupError(`Die Sicherung ${file} ist nicht lesbar: ${(err as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const fixed = Buffer.alloc(PREFIX_LEN);
    if (size < PREFIX_LEN + TAG_LEN || fs.readSync(fd, fixed, 0, PREFIX_LEN, 0) !== PREFIX_LEN) {
      throw new BackupError(messages.notABackup);
    }
    if (!fixed.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError(messages.notABackup);
    const version = fixed.readUInt8(MAGIC.length);
    if (version !== FORMAT_VERSION) throw new BackupError(messages.unsupportedFormat(version));
    const len = fixed.readUInt32BE(MAGIC.length + 1);
    if (len > MAX_HEADER || PREFIX_LEN + len + TAG_LEN > size) throw new BackupError(messages.damagedHeader);
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, PREFIX_LEN);
    let header: BackupHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as BackupHeader;
    } catch {
      throw new BackupError(messages.damagedHeader);
    }
    if (
      header?.format !== 1 ||
      header.cipher?.name !== 'aes-256-gcm' ||
      header.kdf?.name !== 'scrypt' ||
      typeof header.keyCheck !== 'string' ||
      typeof header.plaintext?.sha256 !== 'string' ||
      typeof header.counts !== 'object' ||
      ![2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18, 2 ** 19, 2 ** 20].includes(header.kdf.N) ||
      header.kdf.r < 1 ||
      header.kdf.r > 32 ||
      header.kdf.p < 1 ||
      header.kdf.p > 16
    ) {
      throw new BackupError(messages.damagedHeader);
    }
    return { header, prefix: Buffer.concat([fixed, json]), size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Decrypts the container into `plaintextOut` and verifies tag and checksum. On any failure the
 * output file is removed and a BackupError with a German message is thrown.
 */
export async function decryptTo(opts: {
  file: string;
  passphrase: string;
  plaintextOut: string;
  onBytes?: (done: number, total: number) => void;
}): Promise<BackupHeader> {
  const { header, prefix, size } = readHeader(opts.file);
  const { key, keyCheck } = await derive(opts.passphrase, header.kdf);
  if (keyCheck !== header.keyCheck) throw new BackupError(messages.wrongPassphrase);
  const tag = Buffer.alloc(TAG_LEN);
  const fd = fs.openSync(opts.file, 'r');
  fs.readSync(fd, tag, 0, TAG_LEN, size - TAG_LEN);
  fs.closeSync(fd);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.cipher.iv, 'base64'));
  decipher.setAAD(prefix);
  decipher.setAuthTag(tag);
  const hash = createHash('sha256');
  const cipherBytes = size - TAG_LEN - prefix.length;
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(
      fs.createReadStream(opts.file, { start: prefix.length, end: size - TAG_LEN - 1 }),
      counter((n) => opts.onBytes?.(n, cipherBytes)),
      decipher,
      hashing,
      fs.createWriteStream(opts.plaintextOut, { mode: 0o600 }),
    );
  } catch (err) {
    fs.rmSync(opts.plaintextOut, { force: true });
    const msg = (err as Error).message ?? '';
    if (/auth|tag/i.test(msg)) throw new BackupError(messages.damaged);
    throw err;
  }
  if (hash.digest('hex') !== header.plaintext.sha256) {
    fs.rmSync(opts.plaintextOut, { force: true });
    throw new BackupError(messages.checksum);
  }
  return header;
}
