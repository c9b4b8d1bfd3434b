/**
 * Audit log appends alone, without a gateway around them: durable (what Accord runs: SQLite
 * `synchronous=FULL`, PostgreSQL `synchronous_commit = on`) against not durable, with appenders in a
 * closed loop as concurrent requests append (bench/auditAppend.ts). Interleaved rounds; the ratios say what
 * durability costs in throughput, and group commit's mean batch says how much of it commits share. On
 * PostgreSQL too when one can be started (test/audit/support/postgres.ts), else SQLite alone.
 */
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../../test/audit/support/postgres';
import { measureAppendRate, type AppendBenchResult } from '../auditAppend';
import { interleave, median, ratio, type Figure, type Ratio, type Scenario } from '../harness';

export const auditAppend: Scenario = {
  name: 'audit-append',
  description: 'audit log appends, durable against not, on SQLite (and PostgreSQL when available)',
  timeoutS: 240,
  async run(ctx) {
    let postgres: PostgresServer | undefined;
    try {
      const started = await startPostgres();
      postgres = started.server;
      if (!postgres) ctx.log(`${started.skip} The PostgreSQL variant is left out.`);
    } catch (error) {
      ctx.log(`PostgreSQL did not start (${(error as Error).message}); the PostgreSQL variant is left out.`);
    }
    const pg = postgres;
    if (pg) ctx.defer(() => pg.stop());
    const stores: Record<string, string> = {
      SQLite: `sqlite:${join(await ctx.tempDir('audit-append'), 'append.db')}`,
      ...(pg ? { PostgreSQL: await pg.createDatabase() } : {}),
    };
    const appends = ctx.quick ? 200 : 4_000;
    const concurrency = 16;
    const variants: Record<string, () => Promise<AppendBenchResult>> = {};
    for (const [store, url] of Object.entries(stores)) {
      for (const durability of ['full', 'off'] as const)
        variants[`${store} ${durability}`] = () =>
          measureAppendRate({ url, durability, appends, concurrency });
    }
    const results = await interleave(variants, ctx.quick ? 1 : 3, ctx.signal);
    const of = (variant: string, pick: (result: AppendBenchResult) => number): number =>
      median(results[variant]!.map(pick));
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    for (const store of Object.keys(stores)) {
      for (const durability of ['full', 'off'] as const) {
        const variant = `${store} ${durability}`;
        figures.push(
          { name: `${variant}: appends`, value: of(variant, (r) => r.appendsPerSecond), unit: '/s' },
          { name: `${variant}: p50`, value: of(variant, (r) => r.p50Ms), unit: 'ms' },
          { name: `${variant}: p99`, value: of(variant, (r) => r.p99Ms), unit: 'ms' },
          { name: `${variant}: appends per commit`, value: of(variant, (r) => r.meanBatch), unit: '' },
          {
            name: `${variant}: main thread per append`,
            value: of(variant, (r) => r.mainThreadUsPerAppend),
            unit: 'µs',
          },
        );
      }
      ratios.push(
        ratio(
          `${store} appends per second, durable / not`,
          of(`${store} full`, (r) => r.appendsPerSecond),
          of(`${store} off`, (r) => r.appendsPerSecond),
        ),
      );
    }
    return { figures, ratios };
  },
};
