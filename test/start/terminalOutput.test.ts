import { logFormatFor } from '../../lib/logger';
import { MEMBERS } from '../../schema';
import { RunningAccord } from './runningAccord';

// `npm start` on a terminal prints lines for people: the services' logs as readable lines (lib/logger.ts),
// no JSON and no Apollo tracing notices. When its output goes to a pipe or a file, the logs stay JSON.

describe('the log format', () => {
  it('is readable on a terminal and JSON elsewhere, unless ACCORD_LOG_FORMAT names one', () => {
    expect(logFormatFor({}, true)).toBe('pretty');
    expect(logFormatFor({}, false)).toBe('json');
    expect(logFormatFor({ ACCORD_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFor({ ACCORD_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormatFor({ ACCORD_LOG_FORMAT: 'fancy' }, false)).toBe('json');
  });
});

describe('npm start on a terminal', () => {
  let accord: RunningAccord | undefined;

  afterAll(async () => {
    await accord?.cleanup();
  }, 60_000);

  it('prints no JSON line and no tracing notice, and the services log as readable lines', async () => {
    // util-linux `script` gives npm start a pseudo-terminal, as a person's shell does; `stty -onlcr` keeps
    // the line ends as "\n". The logs go to the terminal here (ACCORD_LOG_FILE empty), at level info.
    accord = new RunningAccord('script', ['-qec', 'stty -onlcr; exec npm start', '/dev/null'], {
      detached: true,
      env: { ACCORD_LOG_FILE: '', LOG_LEVEL: 'info' },
    });
    const services = await accord.ready();
    expect(services.size).toBe(2 + MEMBERS.length);

    const lines = accord.output.split('\n');
    const json = lines.filter((line) => /^\S+\s+\|\s*\{/.test(line) || line.startsWith('{'));
    expect(json).toEqual([]);
    expect(lines.filter((line) => /inline tracing/i.test(line))).toEqual([]);
    // Each member logged its start at level info, as one readable line.
    for (const member of MEMBERS) {
      expect(
        lines.some(
          (line) => line.startsWith(member.code.toLowerCase()) && /\bINFO\b.*subgraph listening/.test(line),
        ),
      ).toBe(true);
    }
  }, 240_000);
});
