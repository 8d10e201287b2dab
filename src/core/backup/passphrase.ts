import fs from 'node:fs';
import { BackupError, checkPassphrase } from './format.js';

export const PASSPHRASE_ENV = 'NOTBETRIEB_BACKUP_PASSPHRASE';
export const PASSPHRASE_FILE_ENV = 'NOTBETRIEB_BACKUP_PASSPHRASE_FILE';

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new BackupError('Abgebrochen.'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The backup passphrase: from the first line of the file NOTBETRIEB_BACKUP_PASSPHRASE_FILE names, or
 * from NOTBETRIEB_BACKUP_PASSPHRASE, else asked on the terminal (twice when
 * a new backup is made). Shorter than 12 characters is refused.
 */
export async function obtainPassphrase(opts: { confirm: boolean }): Promise<string> {
  const file = process.env[PASSPHRASE_FILE_ENV];
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new BackupError(`Die Passphrase-Datei ${file} ist nicht lesbar: ${(err as Error).message}`);
    }
    const fromFile = text.split(/\r?\n/)[0] ?? '';
    checkPassphrase(fromFile);
    return fromFile;
  }
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv) {
    checkPassphrase(fromEnv);
    return fromEnv;
  }
  if (!process.stdin.isTTY) {
    throw new BackupError(
      `Keine Passphrase: bitte ${PASSPHRASE_ENV} setzen oder den Befehl in einem Terminal aufrufen.`,
    );
  }
  const first = await promptHidden('Passphrase der Sicherung (mindestens 12 Zeichen): ');
  checkPassphrase(first);
  if (opts.confirm) {
    const second = await promptHidden('Passphrase wiederholen: ');
    if (second !== first) throw new BackupError('Die beiden Eingaben der Passphrase stimmen nicht überein.');
  }
  return first;
}
