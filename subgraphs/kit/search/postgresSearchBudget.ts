/**
 * The query budget that all of a member's processes share (issue 13, item 2): the distinct search terms one
 * foreign analyst put to this member in the last minute, counted in one PostgreSQL table
 * (`ACCORD_SHARED_STATE_URL`, the database the replay cache already uses), so that a member served by n
 * processes answers an analyst at most its limit a minute, not n times it.
 *
 * One charge is one transaction under an advisory lock of (member, analyst): it forgets the analyst's terms
 * older than a minute, answers yes at no cost for a term already counted, refuses a new term past the limit,
 * and counts it otherwise. The minute runs on the database's clock, the one clock every process shares
 * (rate limiting, not law: the decision clock, which development may fix, is not read here; see
 * searchBudget.ts). A database that cannot be reached or does not answer in time refuses the charge
 * (the caller answers 503): the budget fails closed, like the replay cache.
 */
import type { Pool } from 'pg';
import { describePostgres, openPool, underAdvisoryLock } from '../../../lib/postgres';
import type { ChargeableBudget } from './searchBudget';
import { validateSearchTermsPerMinute } from './searchBudget';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accord_search_terms (
  member TEXT NOT NULL,
  analyst TEXT NOT NULL,
  term TEXT NOT NULL,
  counted_at DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (member, analyst, term)
);
`;

const NOW = 'extract(epoch from clock_timestamp())';

export interface PostgresSearchBudgetOptions {
  /** `postgres://user@host:port/db`. */
  readonly url: string;
  /** The member whose budget this is (its rows are its own). */
  readonly member: string;
  readonly termsPerMinute: number;
  /** A charge waits at most this long for a connection or an answer, then is refused (default 2,000 ms). */
  readonly timeoutMs?: number;
  readonly onError?: (error: Error) => void;
}

export interface PostgresSearchBudget extends ChargeableBudget {
  readonly description: string;
  close(): Promise<void>;
}

/** Raised when the shared budget cannot answer: the caller refuses the search as unavailable, never admits it. */
export class SearchBudgetUnavailable extends Error {
  override readonly name = 'SearchBudgetUnavailable';
}

export async function openPostgresSearchBudget(
  options: PostgresSearchBudgetOptions,
): Promise<PostgresSearchBudget> {
  const termsPerMinute = validateSearchTermsPerMinute(options.termsPerMinute);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const description = describePostgres(options.url);
  let pool: Pool;
  try {
    pool = await openPool({
      url: options.url,
      application: 'accord-search-budget',
      max: 4,
      timeoutMs,
      onError: (error) => options.onError?.(error),
      schemaLock: 'accord-search-terms:schema',
      prepare: async (client) => {
        await client.query(SCHEMA);
      },
    });
  } catch (error) {
    throw new Error(`Cannot open the shared search budget ${description}: ${(error as Error).message}`, {
      cause: error,
    });
  }

  let closed = false;
  return {
    description,
    termsPerMinute,
    async charge(analystKey, termText) {
      // Stored as base64: the guard's analyst key joins country and analyst with a NUL, which a
      // PostgreSQL text cannot hold; the term is encoded alike, so no text of any script is refused here.
      const analyst = Buffer.from(analystKey).toString('base64');
      const term = Buffer.from(termText).toString('base64');
      if (closed) throw new SearchBudgetUnavailable(`The shared search budget ${description} is closed.`);
      let client;
      try {
        client = await pool.connect();
      } catch (error) {
        throw new SearchBudgetUnavailable('the shared search budget cannot be reached', { cause: error });
      }
      try {
        // One analyst's charges, one at a time across every process of the member.
        return await underAdvisoryLock(
          client,
          `accord-search-terms:${options.member}:${analyst}`,
          async () => {
            await client.query(
              `DELETE FROM accord_search_terms WHERE member = $1 AND analyst = $2 AND (counted_at <= ${NOW} - 60 OR counted_at > ${NOW})`,
              [options.member, analyst],
            );
            const known = await client.query(
              'SELECT 1 FROM accord_search_terms WHERE member = $1 AND analyst = $2 AND term = $3',
              [options.member, analyst, term],
            );
            let admitted = true;
            if (known.rowCount === 0) {
              const counted = await client.query<{ n: string }>(
                'SELECT count(*) AS n FROM accord_search_terms WHERE member = $1 AND analyst = $2',
                [options.member, analyst],
              );
              admitted = Number(counted.rows[0]!.n) < termsPerMinute;
              if (admitted)
                await client.query(
                  `INSERT INTO accord_search_terms (member, analyst, term, counted_at) VALUES ($1, $2, $3, ${NOW})`,
                  [options.member, analyst, term],
                );
            }
            return admitted;
          },
        );
      } catch (error) {
        throw new SearchBudgetUnavailable('the shared search budget did not answer', { cause: error });
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
