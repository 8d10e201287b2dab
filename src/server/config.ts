import path from 'node:path';
import { z } from 'zod';

/** Runtime configuration, read from the environment and validated once at start. */
export interface AppConfig {
  port: number;
  host: string;
  /** Absent -> embedded SQLite file in dataDir; `postgres://…` -> PostgreSQL. */
  databaseUrl: string | undefined;
  /** PostgreSQL: connections of this process's pool (DATABASE_POOL_SIZE, default 10). */
  databasePoolSize: number;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo authorities (and later demo data) on start. */
  demo: boolean;
  /**
   * SQLite: German hour (0–23) at which the free-text index is merged once a night
   * (NOTBETRIEB_SUCHINDEX_STUNDE, default 3; `aus` switches it off: null).
   */
  searchIndexHour: number | null;
}

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT muss eine Zahl sein' })
    .int('PORT muss eine ganze Zahl sein')
    .min(1, 'PORT muss zwischen 1 und 65535 liegen')
    .max(65535, 'PORT muss zwischen 1 und 65535 liegen')
    .default(8080),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, 'HOST muss ein Hostname oder eine IP-Adresse sein')
    .default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'DATABASE_URL muss mit postgres:// oder postgresql:// beginnen')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'DATABASE_POOL_SIZE muss eine Zahl sein' })
    .int('DATABASE_POOL_SIZE muss eine ganze Zahl sein')
    .min(1, 'DATABASE_POOL_SIZE muss zwischen 1 und 200 liegen')
    .max(200, 'DATABASE_POOL_SIZE muss zwischen 1 und 200 liegen')
    .default(10),
  DATA_DIR: z.string().min(1, 'DATA_DIR darf nicht leer sein').default('./data'),
  NOTBETRIEB_SUCHINDEX_STUNDE: z
    .string()
    .regex(
      /^(aus|[0-9]|1[0-9]|2[0-3])$/,
      'NOTBETRIEB_SUCHINDEX_STUNDE muss eine Stunde von 0 bis 23 oder „aus“ sein',
    )
    .default('3'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL muss einer von fatal, error, warn, info, debug, trace, silent sein',
    })
    .default('info'),
});

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError with German messages on a bad value. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    demo: false,
    searchIndexHour: e.NOTBETRIEB_SUCHINDEX_STUNDE === 'aus' ? null : Number(e.NOTBETRIEB_SUCHINDEX_STUNDE),
    ...overrides,
  };
}
