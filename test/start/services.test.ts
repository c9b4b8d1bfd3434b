import { startPlanFrom, StartConfigError, type StartPlan } from '../../scripts/services';

/** name → port, gateway included. */
function ports(plan: StartPlan): Record<string, number> {
  return Object.fromEntries([plan.gateway, ...plan.subgraphs].map((s) => [s.name, s.port]));
}

describe('npm start: services and ports', () => {
  it('starts the hub, every member and the gateway on the documented defaults', () => {
    const plan = startPlanFrom([], {});
    expect(ports(plan)).toEqual({ gateway: 4000, alliance: 4100, kr: 4101, kh: 4102, th: 4103, ph: 4104, vn: 4105 });
    expect(plan.subgraphs.map((s) => s.entry)).toEqual(['subgraphs/alliance/main.ts', ...['kr', 'kh', 'th', 'ph', 'vn'].map((cc) => `subgraphs/${cc}/main.ts`)]);
    expect(plan.gateway.entry).toBe('gateway/main.ts');
    expect(plan.dev).toBe(false);
  });

  it.each([
    ['--port-base', ['--port-base', '5000'], {}],
    ['--port-base=', ['--port-base=5000'], {}],
    ['ACCORD_PORT_BASE', [], { ACCORD_PORT_BASE: '5000' }],
  ])('moves the whole layout with %s', (_how, argv, env) => {
    expect(ports(startPlanFrom(argv, env))).toEqual({ gateway: 5000, alliance: 5100, kr: 5101, kh: 5102, th: 5103, ph: 5104, vn: 5105 });
  });

  it('puts every service on a free port with ACCORD_PORTS=0 or --free-ports', () => {
    for (const plan of [startPlanFrom([], { ACCORD_PORTS: '0' }), startPlanFrom(['--free-ports'], {})]) {
      expect(Object.values(ports(plan))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    }
  });

  it("lets a service's own variable win over the base and free ports", () => {
    const plan = startPlanFrom(['--free-ports'], { PORT: '8080', ACCORD_PORT_KR: '9101', ACCORD_PORT_ALLIANCE: '9100' });
    expect(ports(plan)).toEqual({ gateway: 8080, alliance: 9100, kr: 9101, kh: 0, th: 0, ph: 0, vn: 0 });
  });

  it('passes --dev on', () => {
    expect(startPlanFrom(['--dev'], {}).dev).toBe(true);
  });

  it.each([
    [['--port'], {}, 'Unknown argument "--port"'],
    [['--port-base'], {}, '--port-base needs a port number'],
    [['--port-base', 'x'], {}, '--port-base must be a port number from 0 to 65535, not "x"'],
    [['--port-base', '65500'], {}, 'ACCORD_PORT_ALLIANCE (from the port base 65500) must be a port number from 0 to 65535, not "65600"'],
    [[], { ACCORD_PORTS: '1' }, 'ACCORD_PORTS may only be 0'],
    [[], { ACCORD_PORT_KR: '-1' }, 'ACCORD_PORT_KR must be a port number from 0 to 65535, not "-1"'],
    [[], { PORT: '4101' }, 'kr and gateway would both listen on port 4101'],
  ])('refuses %j %j with a clear message', (argv, env, message) => {
    expect(() => startPlanFrom(argv, env)).toThrow(StartConfigError);
    expect(() => startPlanFrom(argv, env)).toThrow(message);
  });
});
