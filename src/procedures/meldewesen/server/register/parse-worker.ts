import { parentPort, workerData } from 'node:worker_threads';
import { ExportParser, type RegisterEncoding, RegisterImportError } from './parse-export.js';
import { IN_FLIGHT, MAX_IN_FLIGHT, STOP, type WorkerMessage } from './parse-source.js';

/**
 * Worker thread of the register import: parses the export (parse-export.ts) and posts each
 * chunk's rows to the importing thread. At most MAX_IN_FLIGHT chunks wait there; beyond that the
 * worker blocks on the shared counter, so a slow database never makes it buffer the whole file.
 */

const data = workerData as {
  file: string;
  encoding: RegisterEncoding;
  keepProblems: number;
  control: SharedArrayBuffer;
};
const control = new Int32Array(data.control);
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(m, transfer);

function run(): void {
  const parser = new ExportParser(data.file, data.encoding, data.keepProblems);
  try {
    for (;;) {
      if (Atomics.load(control, STOP) !== 0) return;
      const chunk = parser.next();
      if (chunk === null) break;
      for (;;) {
        const inFlight = Atomics.load(control, IN_FLIGHT);
        if (inFlight < MAX_IN_FLIGHT || Atomics.load(control, STOP) !== 0) break;
        Atomics.wait(control, IN_FLIGHT, inFlight, 1000);
      }
      Atomics.add(control, IN_FLIGHT, 1);
      post({ type: 'chunk', chunk }, [chunk.index.buffer as ArrayBuffer]);
    }
    post({ type: 'end', summary: parser.summary() });
  } finally {
    parser.close();
  }
}

try {
  run();
} catch (err) {
  post({
    type: 'error',
    importError: err instanceof RegisterImportError,
    message: err instanceof Error ? err.message : String(err),
  });
}
