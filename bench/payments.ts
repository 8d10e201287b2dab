import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoAuthorities } from '../src/core/authorities/seed.js';
import { addDays, isTargetBusinessDay, todayInGermany } from '../src/core/dates.js';
import { findXmlTools, sepaXsd } from '../src/core/handover/xml-tools.js';
import { ACCOUNT, idem, person, SIEGEN } from '../src/core/payments/fixtures.js';
import { pain001Footer, pain001Header, pain001Transfer } from '../src/core/payments/sepa.js';
import { PaymentService } from '../src/core/payments/service.js';
import type { DuePayment, PaymentSource } from '../src/core/payments/source.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/server/platform.js';

/**
 * Benchmark of a payment run (issue 13 point 6): N payments (default 30 000) through the real
 * PaymentService on a SQLite file (or PostgreSQL with BENCH_DATABASE_URL) —
 *
 *   prepare   collect the due payments from the source, check IBAN/name/address/amount of each,
 *             claim the obligations (batches of 400) and insert the payments, one transaction;
 *   approve   four-eyes check, freeze the run, write the pain.001.001.09 file from the payment
 *             rows (1 000 per page) and store it with its SHA-256, one transaction;
 *   download  read the kept file again, check its SHA-256, write it to disk;
 *   validate  xmllint --schema against the EPC XSD (a child process; its peak memory from
 *             /usr/bin/time).
 *
 * Baseline, in the same run: the same N transactions written as pain.001 with a plain string
 * builder (template strings from an in-memory array: no checks, no escaping, no transliteration,
 * no database), and the same xmllint validation of that file.
 *
 * Seeding: a BENCH-ONLY PaymentSource yields N synthetic payments (valid German IBANs, names with
 * umlauts, structured addresses) instead of N decided cases; so "prepare" measures the core
 * (checks, claims, inserts), not a family's entitlement calculation (asyl computes each month's
 * § 3a/§ 2 amount on top). Each round uses fresh obligation keys.
 *
 *   npm run bench:payments
 *   BENCH_PAYMENTS=5000 BENCH_RUNS=1 npm run bench:payments
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench:payments
 *
 * Memory per step: the highest RSS and heap sampled every 10 ms during the step (samples can only
 * be taken where the step yields to the event loop; better-sqlite3 runs each query synchronously),
 * and process.resourceUsage().maxRSS after the step (the process's peak so far). Medians of
 * BENCH_RUNS rounds (default 3). No timing is asserted anywhere: the machine is shared.
 */

const N = Number(process.env.BENCH_PAYMENTS ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const log = (msg: string) => process.stdout.write(`${msg}\n`);
const MB = 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface Step {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxRssMb: number;
}

/** Times a step and samples its memory. */
async function measured<T>(fn: () => Promise<T> | T): Promise<[Step, T]> {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  try {
    const r = await fn();
    const ms = performance.now() - t0;
    sample();
    return [
      {
        ms,
        peakRssMb: peakRss / MB,
        peakHeapMb: peakHeap / MB,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      },
      r,
    ];
  } finally {
    clearInterval(timer);
  }
}

/** A German IBAN for a Kontonummer (BLZ 370 400 44), check digits by ISO 7064 mod 97-10. */
function germanIban(account: number): string {
  const bban = `37040044${String(account).padStart(10, '0')}`;
  const check = 98n - (BigInt(`${bban}131400`) % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

const NAMES = ['Jürgen Müller', 'Ayşe Öztürk', 'Zoë Weiß', 'Łukasz Nowak', 'Hans-Peter Schäfer'];

interface BenchPayment {
  i: number;
  name: string;
  iban: string;
  amountCents: number;
}

function benchPayments(): BenchPayment[] {
  return Array.from({ length: N }, (_, i) => ({
    i,
    name: `${NAMES[i % NAMES.length]} ${i}`,
    iban: germanIban(1_000_000 + i),
    amountCents: 30_000 + ((i * 7919) % 90_000),
  }));
}

/** The bench-only source: N payments per round, fresh keys each round. */
function benchSource(items: BenchPayment[], round: { n: number }, month: string): PaymentSource {
  return {
    id: 'bench',
    officeTypes: ['sozialamt'],
    async *due(): AsyncIterable<DuePayment> {
      for (const p of items) {
        const caseId = `00000000-0000-7000-8000-${String(round.n * N + p.i).padStart(12, '0')}`;
        yield {
          key: `bench:${round.n}:${p.i}:${month}`,
          caseId,
          aktenzeichen: `BN ${p.i + 1}/2026`,
          decision: { actionId: caseId, label: `Bewilligung (BN ${p.i + 1}/2026)` },
          period: month,
          dueOn: `${month}-01`,
          amountCents: p.amountCents,
          method: 'ueberweisung',
          purpose: `Leistungen ${month}`,
          payee: {
            name: p.name,
            iban: p.iban,
            address: {
              street: 'Weidenauer Straße',
              buildingNumber: '12',
              postcode: '57076',
              town: 'Siegen',
              country: 'DE',
            },
          },
        };
      }
    },
  };
}

/** The baseline: the same transactions as pain.001 with a plain string builder, nothing checked. */
function plainPain001(items: BenchPayment[], executionDate: string): string {
  let sum = 0;
  for (const p of items) sum += p.amountCents;
  const ctrl = `${Math.floor(sum / 100)}.${String(sum % 100).padStart(2, '0')}`;
  let s =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">\n<CstmrCdtTrfInitn>\n' +
    `<GrpHdr><MsgId>BASELINE</MsgId><CreDtTm>2026-12-01T09:00:00</CreDtTm><NbOfTxs>${items.length}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum><InitgPty><Nm>Stadt Siegen</Nm></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>BASELINE</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg><NbOfTxs>${items.length}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum>` +
    `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt><Dt>${executionDate}</Dt></ReqdExctnDt>` +
    '<Dbtr><Nm>Stadt Siegen Sozialamt</Nm><PstlAdr><TwnNm>Siegen</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>' +
    '<DbtrAcct><Id><IBAN>DE85460500010000012345</IBAN></Id></DbtrAcct><DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>\n';
  for (const p of items) {
    s +=
      `<CdtTrfTxInf><PmtId><EndToEndId>BASE${p.i}</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">${Math.floor(p.amountCents / 100)}.${String(p.amountCents % 100).padStart(2, '0')}</InstdAmt></Amt>` +
      `<Cdtr><Nm>Empfaenger ${p.i}</Nm><PstlAdr><StrtNm>Weidenauer Strasse</StrtNm><BldgNb>12</BldgNb><PstCd>57076</PstCd><TwnNm>Siegen</TwnNm><Ctry>DE</Ctry></PstlAdr></Cdtr>` +
      `<CdtrAcct><Id><IBAN>${p.iban}</IBAN></Id></CdtrAcct><RmtInf><Ustrd>Leistungen</Ustrd></RmtInf></CdtTrfTxInf>\n`;
  }
  return `${s}</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n`;
}

/** The same transactions through the core's writer (sepa.ts), from memory: the writer without the database. */
function corePain001(items: BenchPayment[], executionDate: string): string {
  let sum = 0;
  for (const p of items) sum += p.amountCents;
  const parts = [
    pain001Header({
      msgId: 'COREWRITER',
      createdAt: '2026-12-01T09:00:00',
      initiatorName: 'Stadt Siegen',
      executionDate,
      debtor: ACCOUNT,
      count: items.length,
      sumCents: sum,
    }),
  ];
  for (const p of items)
    parts.push(
      pain001Transfer({
        endToEndId: `CORE${p.i}`,
        amountCents: p.amountCents,
        name: p.name,
        iban: p.iban,
        address: {
          street: 'Weidenauer Straße',
          buildingNumber: '12',
          postcode: '57076',
          town: 'Siegen',
          country: 'DE',
        },
        remittance: 'Leistungen',
      }),
    );
  parts.push(pain001Footer());
  return parts.join('');
}

/** xmllint --schema (under /usr/bin/time for its peak memory); throws with the errors when invalid. */
function validate(xmllint: string, xsd: string, file: string): { ms: number; childMb: number } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const args = ['--noout', '--nonet', '--schema', xsd, file];
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', 'maxrss=%M', xmllint, ...args], { encoding: 'utf8' })
    : spawnSync(xmllint, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`xmllint: ${r.stderr.slice(0, 2000)}`);
  const kb = /maxrss=(\d+)/.exec(r.stderr)?.[1];
  return { ms, childMb: kb ? Number(kb) / 1024 : Number.NaN };
}

function nextBusinessDay(from: string): string {
  let d = from;
  while (!isTargetBusinessDay(d)) d = addDays(d, 1);
  return d;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('de-DE', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

async function main(): Promise<void> {
  const { tools, missing } = findXmlTools();
  if (!tools) throw new Error(`xmllint/XSD fehlen: ${missing}`);
  const xsd = sepaXsd(tools);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-bench-payments-'));
  const url = process.env.BENCH_DATABASE_URL;
  const handle = url
    ? openDatabase({ databaseUrl: url })
    : openDatabase({ sqliteFile: path.join(dir, 'nb.sqlite') });
  const now = new Date();
  await migrate(handle.db);
  await seedDemoAuthorities(handle.db, now);
  const today = todayInGermany(now);
  const month = today.slice(0, 7);
  const executionDate = nextBusinessDay(today);
  const items = benchPayments();
  const round = { n: 0 };
  const service = new PaymentService({
    db: handle.db,
    sources: [benchSource(items, round, month)],
    installationId: 'bench',
    now: () => new Date(),
  });
  const clerk = person(`bench-clerk-${Date.now()}`, ['sachbearbeitung']);
  const head = person(`bench-head-${Date.now()}`, ['leitung']);
  await service.setAccount(head, { authorityAgs: SIEGEN, officeType: 'sozialamt', account: ACCOUNT }, idem());

  const startRss = process.memoryUsage().rss / MB;
  log(
    `Zahlungslauf-Benchmark: ${fmt(N)} Überweisungen, ${RUNS} Runde(n), ${url ? 'PostgreSQL' : 'SQLite-Datei'}, Node ${process.version}`,
  );
  const steps: Record<string, Step[]> = {
    prepare: [],
    approve: [],
    download: [],
    validate: [],
    baselineWrite: [],
    baselineValidate: [],
    coreWrite: [],
  };
  const childMb: Record<string, number[]> = { validate: [], baselineValidate: [] };
  let fileBytes = 0;
  for (; round.n < RUNS; round.n++) {
    const [prep, run] = await measured(
      async () =>
        (
          await service.prepare(
            clerk,
            { authorityAgs: SIEGEN, officeType: 'sozialamt', month, executionDate },
            idem(),
          )
        ).body as { id: string; transferCount: number; transferSumCents: number },
    );
    if (run.transferCount !== N) throw new Error(`prepared ${run.transferCount} of ${N} payments`);
    steps.prepare?.push(prep);
    const [appr] = await measured(() => service.approve(head, run.id, idem()));
    steps.approve?.push(appr);
    const file = path.join(dir, `run-${round.n}.xml`);
    const [down] = await measured(async () => {
      const f = await service.file(head, run.id);
      fs.writeFileSync(file, f.content);
      return f.sha256;
    });
    steps.download?.push(down);
    fileBytes = fs.statSync(file).size;
    const [val, v] = await measured(() => validate(tools.xmllint, xsd, file));
    steps.validate?.push(val);
    childMb.validate?.push(v.childMb);

    const [cw] = await measured(() =>
      fs.writeFileSync(path.join(dir, `core-${round.n}.xml`), corePain001(items, executionDate)),
    );
    steps.coreWrite?.push(cw);
    const baseFile = path.join(dir, `baseline-${round.n}.xml`);
    const [bw] = await measured(() => fs.writeFileSync(baseFile, plainPain001(items, executionDate)));
    steps.baselineWrite?.push(bw);
    const [bv, b] = await measured(() => validate(tools.xmllint, xsd, baseFile));
    steps.baselineValidate?.push(bv);
    childMb.baselineValidate?.push(b.childMb);
    log(
      `  Runde ${round.n + 1}: vorbereitet ${fmt(prep.ms)} ms, freigegeben ${fmt(appr.ms)} ms, Datei ${fmt(fileBytes / MB, 1)} MB`,
    );
  }

  const base = median((steps.baselineWrite ?? []).map((s) => s.ms));
  const row = (label: string, key: string) => {
    const xs = steps[key] ?? [];
    const ms = median(xs.map((s) => s.ms));
    const child = childMb[key] ? `, xmllint ${fmt(median(childMb[key] ?? []))} MB` : '';
    log(
      `${label.padEnd(44)} ${fmt(ms).padStart(8)} ms  ×${fmt(ms / base, 1).padStart(6)}   RSS max ${fmt(median(xs.map((s) => s.peakRssMb)))} MB, Heap max ${fmt(median(xs.map((s) => s.peakHeapMb)))} MB, maxRSS bisher ${fmt(Math.max(...xs.map((s) => s.maxRssMb)))} MB${child}`,
    );
  };
  log('');
  log(`Mediane (Verhältnis zur Basislinie „Schreiben mit einfachem String-Builder“ = ${fmt(base)} ms):`);
  row('Vorbereiten (prepare)', 'prepare');
  row('Freigeben inkl. Schreiben der Datei', 'approve');
  row('Datei erneut abrufen und speichern', 'download');
  row('Prüfen mit xmllint gegen EPC-XSD', 'validate');
  row('Zum Vergleich: Kern-Schreiber ohne Datenbank', 'coreWrite');
  row('Basislinie: Schreiben (String-Builder)', 'baselineWrite');
  row('Basislinie: Prüfen mit xmllint', 'baselineValidate');
  log(`RSS beim Start (Node, tsx, Module): ${fmt(startRss)} MB`);
  log(`Dateigröße: ${fmt(fileBytes / MB, 1)} MB für ${fmt(N)} Überweisungen`);
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
