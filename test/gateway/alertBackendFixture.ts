/**
 * A TEST FIXTURE, not the hub: an AlertBackend held in memory (gateway/alerts/alertBackend.ts), for the
 * tests of the gateway's alert stream and schema (test/gateway/alerts-*.test.ts) until they run against the
 * real hub. It keeps a register of watches and a log of signed notices with cursors "1", "2", …, answers
 * only the calling analyst's, and lets the test end a waiting read (`endWaits`) as the hub's wait running
 * out would, so that no test waits on a clock.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import {
  noticeBytes,
  noticeIdOf,
  signNotice,
  identifierCategory,
  eventCategory,
  type Notice,
} from '../../alerts';
import { MEMBERS } from '../../schema';
import { PURPOSES, type Purpose } from '../../vocabulary';
import type { Policy } from '../../policy';
import type {
  AcknowledgementEntry,
  AlertBackend,
  AlertCaller,
  LogEntry,
  LogRead,
  WatchEntry,
  WatchOutcome,
} from '../../gateway/alerts/alertBackend';
import { AlertBackendError } from '../../gateway/alerts/AlertBackendError';

export interface FixtureCall {
  readonly method: keyof AlertBackend;
  readonly caller: AlertCaller;
  readonly args: unknown;
}

export class MemoryAlertBackend implements AlertBackend {
  readonly calls: FixtureCall[] = [];
  private readonly register = new Map<string, WatchEntry>();
  private readonly log: { cursor: string; body: string; notice: Notice; signature: string }[] = [];
  private readonly acknowledgements = new Map<string, AcknowledgementEntry>();
  private waiters: { analyst: string; wake: () => void }[] = [];
  private readonly keys = new Map<string, KeyObject>();
  /** The recipients a new watch goes to, and those of them that are "down". */
  recipients: readonly string[] = [];
  unreached: readonly string[] = [];
  /** A hub gone wrong: the log answers every analyst's notices to whoever reads it. */
  leaky = false;

  constructor(private readonly now: () => number) {}

  /** Every read that waits, woken: as when the hub's wait runs out with nothing new. */
  endWaits(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const { wake } of waiting) wake();
  }

  /** How many reads of this analyst are waiting now. */
  waiting(analyst: string): number {
    return this.waiters.filter((waiter) => waiter.analyst === analyst).length;
  }

  /** Puts a watch in the register directly. */
  addWatch(watch: Omit<WatchEntry, 'recipients'> & { recipients?: readonly string[] }): WatchEntry {
    const entry: WatchEntry = { recipients: [], ...watch };
    this.register.set(entry.id, entry);
    this.endWaits();
    return entry;
  }

  cancel(id: string): void {
    const watch = this.register.get(id)!;
    this.register.set(id, { ...watch, cancelledAt: this.now() });
  }

  /** An owner's signed notice for a watch, appended to the log; its entry as the gateway reads it. */
  append(
    owner: string,
    watch: WatchEntry,
    basis: Notice['basis'],
    event = 'border_movement',
    revision = 'test',
  ): LogEntry {
    const eventReference = `${owner}-EVT-${String(this.log.length + 1).padStart(9, '0')}`;
    const notice: Notice = {
      owner,
      noticeId: noticeIdOf(owner, watch.id, eventReference),
      watchId: watch.id,
      watcher: watch.watcher,
      event: event as Notice['event'],
      at: new Date(this.now()).toISOString(),
      subject: `${owner}-SUS-000001`,
      eventReference,
      basis,
      revision,
    };
    const signed = signNotice(notice, this.keyOf(owner));
    const row = {
      cursor: String(this.log.length + 1),
      body: noticeBytes(notice).toString('utf8'),
      notice,
      signature: signed.signature,
    };
    this.log.push(row);
    this.endWaits();
    return this.entryOf(row)!;
  }

  /** The owner's notice key (made on first use); its public half verifies what the gateway delivers. */
  keyOf(owner: string): KeyObject {
    let key = this.keys.get(owner);
    if (!key) {
      key = generateKeyPairSync('ed25519').privateKey;
      this.keys.set(owner, key);
    }
    return key;
  }

  private entryOf(row: (typeof this.log)[number]): LogEntry | undefined {
    const watch = this.register.get(row.notice.watchId);
    if (!watch) return undefined;
    const acknowledgement = this.acknowledgements.get(`${row.notice.owner}\0${row.notice.noticeId}`);
    return { ...row, watch, ...(acknowledgement && { acknowledgement }) };
  }

  private mine(caller: AlertCaller, entry: LogEntry | undefined): entry is LogEntry {
    return (
      entry !== undefined &&
      (this.leaky ||
        (entry.watch.watcher === caller.requester.country &&
          entry.watch.analyst === caller.requester.analyst))
    );
  }

  private ownedBy(caller: AlertCaller, entry: LogEntry | undefined): entry is LogEntry {
    return (
      entry !== undefined &&
      entry.watch.watcher === caller.requester.country &&
      entry.watch.analyst === caller.requester.analyst
    );
  }

  private page(caller: AlertCaller, after: string | null, limit: number): LogEntry[] {
    const from = after === null ? 0 : Number(after);
    return this.log
      .slice(from)
      .map((row) => this.entryOf(row))
      .filter((entry): entry is LogEntry => this.mine(caller, entry))
      .slice(0, limit);
  }

  async readLog(caller: AlertCaller, read: LogRead) {
    this.calls.push({ method: 'readLog', caller, args: { after: read.after, limit: read.limit } });
    let entries = this.page(caller, read.after, read.limit);
    if (entries.length === 0 && read.waitMs > 0) {
      await new Promise<void>((resolve, reject) => {
        if (read.signal?.aborted) return reject(new Error('aborted'));
        const waiter = { analyst: caller.requester.analyst, wake: (): void => resolve() };
        this.waiters.push(waiter);
        read.signal?.addEventListener('abort', () => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          reject(new Error('aborted'));
        });
      });
      entries = this.page(caller, read.after, read.limit);
    }
    return { entries, cursor: entries.at(-1)?.cursor ?? read.after };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async watches(caller: AlertCaller) {
    this.calls.push({ method: 'watches', caller, args: {} });
    return [...this.register.values()].filter(
      (watch) => watch.watcher === caller.requester.country && watch.analyst === caller.requester.analyst,
    );
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async registerWatch(caller: AlertCaller, request: unknown): Promise<WatchOutcome> {
    this.calls.push({ method: 'registerWatch', caller, args: request });
    const { caseReference, purpose, days } = request as {
      caseReference: string;
      purpose: Purpose;
      days: number;
    };
    const at = this.now();
    const watch = this.addWatch({
      id: `${caller.requester.country}-WCH-${randomUUID()}`,
      watcher: caller.requester.country,
      analyst: caller.requester.analyst,
      caseReference,
      purpose,
      createdAt: at,
      justifiedAt: at,
      expiresAt: at + days * 86_400_000,
      recipients: this.recipients.filter((member) => !this.unreached.includes(member)),
    });
    return { watch, unreached: this.unreached };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async renewWatch(caller: AlertCaller, id: string, justification: string, days: number) {
    this.calls.push({ method: 'renewWatch', caller, args: { id, justification, days } });
    const watch = this.ownWatch(caller, id);
    const at = this.now();
    return {
      watch: this.addWatch({ ...watch, justifiedAt: at, expiresAt: at + days * 86_400_000 }),
      unreached: [],
    };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async cancelWatch(caller: AlertCaller, id: string) {
    this.calls.push({ method: 'cancelWatch', caller, args: { id } });
    this.ownWatch(caller, id);
    this.cancel(id);
    return { watch: this.register.get(id)!, unreached: [] };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async notice(caller: AlertCaller, owner: string, noticeId: string) {
    this.calls.push({ method: 'notice', caller, args: { owner, noticeId } });
    const row = this.log.find((item) => item.notice.owner === owner && item.notice.noticeId === noticeId);
    const entry = row && this.entryOf(row);
    return this.ownedBy(caller, entry) ? entry : undefined;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface's methods are async
  async acknowledge(
    caller: AlertCaller,
    input: { owner: string; noticeId: string; action: AcknowledgementEntry['action'] },
  ) {
    this.calls.push({ method: 'acknowledge', caller, args: input });
    const row = this.log.find(
      (item) => item.notice.owner === input.owner && item.notice.noticeId === input.noticeId,
    );
    if (!this.ownedBy(caller, row && this.entryOf(row)))
      throw new AlertBackendError('NOT_FOUND', 'No such notice of yours at the hub.');
    const key = `${input.owner}\0${input.noticeId}`;
    const kept = this.acknowledgements.get(key) ?? {
      ...input,
      analyst: caller.requester.analyst,
      at: this.now(),
    };
    this.acknowledgements.set(key, kept);
    return kept;
  }

  private ownWatch(caller: AlertCaller, id: string): WatchEntry {
    const watch = this.register.get(id);
    if (!watch || watch.analyst !== caller.requester.analyst || watch.watcher !== caller.requester.country)
      throw new AlertBackendError('NOT_FOUND', 'You have no watch with that id.');
    return watch;
  }
}

/**
 * A watcher, a purpose, and two owners that each give that watcher at least a hit on a passport and on a
 * border movement for that purpose, under different agreements, read from the policy (never listed here):
 * what a notice of each owner would cite as its basis, and the agreement each stands on.
 */
export interface AlertScenario {
  readonly watcher: string;
  readonly purpose: Purpose;
  readonly owners: readonly [ScenarioOwner, ScenarioOwner];
}

export interface ScenarioOwner {
  readonly owner: string;
  readonly basis: Notice['basis'];
  readonly agreements: readonly string[];
}

export function alertScenario(policy: Policy, at: number): AlertScenario {
  const codes = MEMBERS.map((member) => member.code);
  for (const watcher of codes)
    for (const purpose of PURPOSES) {
      const owners: ScenarioOwner[] = [];
      for (const owner of codes) {
        if (owner === watcher) continue;
        const requester = {
          country: watcher,
          analyst: 'scenario',
          roles: [],
          purpose,
          caseReference: `${watcher}-CAS-000001`,
        };
        const categories = [identifierCategory(owner, 'passport'), eventCategory(owner, 'border_movement')];
        const decisions = categories.map((category) => ({
          category,
          decision: policy.decide({ owner, requester, category, at }),
        }));
        if (decisions.some(({ decision }) => decision.effect === 'withhold')) continue;
        const basis = decisions.flatMap(({ category, decision }) =>
          decision.clauses.map((clause) => ({
            category,
            agreement: clause.agreement,
            clause: clause.clause,
          })),
        );
        const agreements = [...new Set(basis.map((item) => item.agreement))];
        if (owners.some((other) => other.agreements.some((agreement) => agreements.includes(agreement))))
          continue;
        owners.push({ owner, basis, agreements });
      }
      if (owners.length >= 2) return { watcher, purpose, owners: [owners[0]!, owners[1]!] };
    }
  throw new Error('test setup: no watcher has two owners giving it a hit under different agreements');
}
