import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  ExportParser,
  type ParsedChunk,
  type ParseSummary,
  type RegisterEncoding,
  RegisterImportError,
} from './parse-export.js';

/**
 * Where the importing thread gets parsed chunks from: a worker thread that parses while the
 * importer writes (two cores do twice the work), or the importing thread itself.
 */

/** Slots of the shared control array. */
export const IN_FLIGHT = 0;
export const STOP = 1;
/** Chunks (CHUNK_BYTES of the file each) posted but not yet written. */
export const MAX_IN_FLIGHT = 16;

export type WorkerMessage =
  | { type: 'chunk'; chunk: ParsedChunk }
  | { type: 'end'; summary: ParseSummary }
  | { type: 'error'; importError: boolean; message: string };

export interface ChunkSource {
  /** The next chunk, or the summary after the last one. Throws what the parser threw. */
  next(): Promise<{ chunk: ParsedChunk } | { summary: ParseSummary }>;
  /** Whether next() can answer at once (a chunk, the end or an error is there). */
  ready(): boolean;
  /** The chunk returned last is written: the parser may run further ahead. */
  release(): void;
  close(): Promise<void>;
}

export interface SourceOptions {
  file: string;
  encoding: RegisterEncoding;
  keepProblems: number;
}

export function inThreadSource(opts: SourceOptions): ChunkSource {
  const parser = new ExportParser(opts.file, opts.encoding, opts.keepProblems);
  let closed = false;
  const close = () => {
    if (!closed) parser.close();
    closed = true;
  };
  return {
    async next() {
      try {
        const chunk = parser.next();
        return chunk ? { chunk } : { summary: parser.summary() };
      } catch (err) {
        close();
        throw err;
      }
    },
    ready: () => true,
    release() {},
    async close() {
      close();
    },
  };
}

/**
 * Under tsx (development, tests) the worker runs the TypeScript source; a worker started from a
 * worker registers the tsx loader itself (a worker does not inherit it in every runner). The compiled build
 * starts parse-worker.js directly.
 */
function startWorker(workerData: unknown): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './parse-worker.ts' : './parse-worker.js', import.meta.url);
  // A larger young generation than the default: a chunk's rows die young, and a chunk's worth of
  // them fits, so fewer survive into the old generation (about a fifth less parsing time).
  const resourceLimits = { maxYoungGenerationSizeMb: 192 };
  if (!source) return new Worker(entry, { workerData, resourceLimits });
  // tsx's ESM API (the export 'tsx/esm/api' under the import condition).
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const boot = `
    const { workerData } = require('node:worker_threads');
    (async () => {
      if (workerData.tsx) (await import(workerData.tsx)).register();
      await import(workerData.entry);
    })().catch((err) => { process.nextTick(() => { throw err; }); });`;
  return new Worker(boot, {
    eval: true,
    resourceLimits,
    workerData: { ...(workerData as object), tsx, entry: entry.href },
  });
}

export function workerSource(opts: SourceOptions): ChunkSource {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const worker = startWorker({ ...opts, control: control.buffer });
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let waiting: (() => void) | null = null;
  let finished = false;
  const wake = () => {
    const w = waiting;
    waiting = null;
    w?.();
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake();
  });
  worker.on('error', (err) => {
    failure = err;
    wake();
  });
  worker.on('exit', (code) => {
    if (!finished && !failure && queue.every((m) => m.type === 'chunk')) {
      failure = new Error(`Der Lese-Thread des Imports endete unerwartet (Code ${code}).`);
    }
    wake();
  });
  return {
    async next() {
      for (;;) {
        const m = queue.shift();
        if (m) {
          if (m.type === 'chunk') return { chunk: m.chunk };
          finished = true;
          if (m.type === 'end') return { summary: m.summary };
          throw m.importError ? new RegisterImportError(m.message) : new Error(m.message);
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
      }
    },
    ready: () => queue.length > 0 || failure !== null,
    release() {
      Atomics.sub(control, IN_FLIGHT, 1);
      Atomics.notify(control, IN_FLIGHT);
    },
    async close() {
      finished = true;
      Atomics.store(control, STOP, 1);
      Atomics.notify(control, IN_FLIGHT);
      await worker.terminate();
    },
  };
}
