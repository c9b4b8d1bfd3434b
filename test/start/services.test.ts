import { GATEWAY_DEFAULT_PORT, HUB_DEFAULT_PORT, MEMBERS, subgraphName } from '../../schema';
import { startPlanFrom, StartConfigError, type StartPlan } from '../../scripts/services';

/** The registry's layout (schema/members.ts), moved to start at `base` as the README says: gateway at base, hub at base + 100, … */
function layout(base = GATEWAY_DEFAULT_PORT): Record<string, number> {
  const shift = base - GATEWAY_DEFAULT_PORT;
  return {
    gateway: base,
    alliance: HUB_DEFAULT_PORT + shift,
    ...Object.fromEntries(MEMBERS.map((member) => [subgraphName(member.code), member.defaultPort + shift])),
  };
}
const memberNames = MEMBERS.map((member) => subgraphName(member.code));

/** name → port, gateway included. */
function ports(plan: StartPlan): Record<string, number> {
  return Object.fromEntries([plan.gateway, ...plan.subgraphs].map((s) => [s.name, s.port]));
}

describe('npm start: services and ports', () => {
  it('starts the hub, every member and the gateway on the documented defaults', () => {
    const plan = startPlanFrom([], {});
    expect(ports(plan)).toEqual(layout());
    expect(plan.subgraphs.map((s) => s.entry)).toEqual([
      'subgraphs/alliance/main.ts',
      ...memberNames.map((name) => `subgraphs/${name}/main.ts`),
    ]);
    expect(plan.gateway.entry).toBe('gateway/main.ts');
    expect(plan.dev).toBe(false);
  });

  it.each([
    ['--port-base', ['--port-base', '5000'], {}],
    ['--port-base=', ['--port-base=5000'], {}],
    ['ACCORD_PORT_BASE', [], { ACCORD_PORT_BASE: '5000' }],
  ])('moves the whole layout with %s', (_how, argv, env) => {
    expect(ports(startPlanFrom(argv, env))).toEqual(layout(5000));
  });

  it('puts every service on a free port with ACCORD_PORTS=0 or --free-ports', () => {
    for (const plan of [startPlanFrom([], { ACCORD_PORTS: '0' }), startPlanFrom(['--free-ports'], {})]) {
      expect(Object.values(ports(plan))).toEqual(Array.from({ length: 2 + MEMBERS.length }, () => 0));
    }
  });

  it("lets a service's own variable win over the base and free ports", () => {
    const plan = startPlanFrom(['--free-ports'], {
      PORT: '8080',
      [`ACCORD_PORT_${MEMBERS[0]!.code}`]: '9101',
      ACCORD_PORT_ALLIANCE: '9100',
    });
    const first = memberNames[0]!;
    expect(ports(plan)).toEqual({
      ...Object.fromEntries(memberNames.map((name) => [name, 0])),
      gateway: 8080,
      alliance: 9100,
      [first]: 9101,
    });
  });

  it('passes --dev on', () => {
    expect(startPlanFrom(['--dev'], {}).dev).toBe(true);
  });

  it.each([
    [['--port'], {}, 'unknown option --port (did you mean --port-base?)'],
    [['--port-base'], {}, '--port-base needs a value'],
    [['--port-base='], {}, '--port-base needs a port number'],
    [['--port-base', 'x'], {}, '--port-base must be a port number from 0 to 65535, not "x"'],
    [
      ['--port-base', '65500'],
      {},
      'ACCORD_PORT_ALLIANCE (from the port base 65500) must be a port number from 0 to 65535, not "65600"',
    ],
    [[], { ACCORD_PORTS: '1' }, 'ACCORD_PORTS may only be 0'],
    [[], { ACCORD_PORT_KR: '-1' }, 'ACCORD_PORT_KR must be a port number from 0 to 65535, not "-1"'],
    [[], { PORT: '4101' }, 'kr and gateway would both listen on port 4101'],
  ])('refuses %j %j with a clear message', (argv, env, message) => {
    expect(() => startPlanFrom(argv, env)).toThrow(StartConfigError);
    expect(() => startPlanFrom(argv, env)).toThrow(message);
  });
});
