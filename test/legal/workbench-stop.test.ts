// Stopping a gateway while its legal workbench is still being built is a stop, not a failure (review
// finding 3): the build is abandoned and nothing is reported as an error. Every gateway builds at
// start-up, and every test gateway used to log one error as it stopped.
import { legalRoutes } from '../../legal';
import { loadDefaultPolicy } from '../../policy';
import { readCommittedSupergraph } from '../../schema';
import { startAlliance } from '../support/alliance';

it('a build stopped with the routes reports no error', async () => {
  const errors: Error[] = [];
  const builds: number[] = [];
  const routes = legalRoutes({
    policy: loadDefaultPolicy(),
    supergraphSdl: readCommittedSupergraph(),
    authorize: () => Promise.resolve({ ok: false, status: 401, message: 'no' }),
    onBuild: (build) => builds.push(build.pid),
    onBuildError: (error) => errors.push(error),
  });
  // The build starts with the routes; its child cannot have answered before close() kills it.
  expect(builds).toHaveLength(1);
  await routes.close();
  await new Promise((resolve) => setImmediate(resolve));
  expect(errors).toEqual([]);
});

describe('the shared test alliance', () => {
  it('starts no workbench build unless a test asks for the legal page', async () => {
    const builds: unknown[] = [];
    const alliance = await startAlliance({ onLegalBuild: (build) => builds.push(build) });
    try {
      // No page, so no build: the route is not there at all.
      expect((await fetch(`${new URL(alliance.gatewayUrl).origin}/legal`)).status).toBe(404);
    } finally {
      await alliance.stop();
    }
    expect(builds).toEqual([]);
  });

  it('serves and builds the legal page when asked', async () => {
    const builds: unknown[] = [];
    const alliance = await startAlliance({ legalPage: true, onLegalBuild: (build) => builds.push(build) });
    try {
      expect((await fetch(`${new URL(alliance.gatewayUrl).origin}/legal`)).status).toBe(401);
    } finally {
      await alliance.stop();
    }
    expect(builds).toHaveLength(1);
  });
});
