import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { writeSyntheticExport } from './generate.js';
import { type ImportProgress, importRegister } from './import.js';
import { activeSnapshot } from './snapshot.js';

describe('register import on an SQLite file shared with a running server', () => {
  it('lets another connection write while a large export loads, and reports progress', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-imp-'));
    const file = path.join(dir, 'r.csv');
    writeSyntheticExport(file, { count: 70_000, seed: 3 });
    expect(fs.statSync(file).size).toBeGreaterThan(8 * 1024 * 1024); // several 4 MB chunks
    const importer = openDatabase({ dataDir: dir });
    await migrateToLatest(importer.db);
    const server = openDatabase({ dataDir: dir }); // a second connection, like `serve`
    try {
      const progress: ImportProgress[] = [];
      let done = false;
      const running = importRegister(importer, {
        file,
        importedBy: 'test',
        onProgress: (p) => progress.push(p),
      }).finally(() => {
        done = true;
      });
      let writes = 0;
      while (!done) {
        await server.db
          .insertInto('installation')
          .values({ key: `probe-${writes}`, value: new Date().toISOString() })
          .execute();
        writes++;
        await new Promise((r) => setTimeout(r, 20));
      }
      const result = await running;
      expect(result.rows).toBe(70_000);
      expect(writes).toBeGreaterThan(1);
      expect(progress.map((p) => p.phase)).toContain('indizieren');
      expect(progress.at(-1)?.phase).toBe('aktivieren');
      expect(
        progress.some((p) => p.phase === 'laden' && p.bytesRead > 0 && p.bytesRead <= p.totalBytes),
      ).toBe(true);
      expect((await activeSnapshot(server.db))?.rowCount).toBe(70_000);
    } finally {
      await importer.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
