import { IsolatedServices } from '@cqrs/test-fixtures';

jest.setTimeout(180_000);

// `scripts/services up` on a server that runs but does not answer (frozen here with SIGSTOP)
// brings it back instead of waiting on it until its readiness timeout.
let services: IsolatedServices;

beforeAll(async () => {
  services = await IsolatedServices.up('faults-revive', ['registry']);
});

afterAll(async () => {
  await services.resume('registry').catch(() => undefined);
  await services.clean();
});

/** The registry's HTTP status for its subject list, or the error's text when it does not answer within a second. */
async function answer(): Promise<number | string> {
  try {
    const response = await fetch(`${services.addresses.registryUrl}/subjects`, { signal: AbortSignal.timeout(1_000) });
    return response.status;
  } catch (error) {
    // A timeout is a DOMException, which is no Error in every realm: its name tells.
    return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : String(error);
  }
}

test('up finds a frozen server, continues it, and it answers again', async () => {
  expect(await answer()).toBe(200);
  await services.pause('registry');
  expect(await answer()).toBe('TimeoutError');
  await services.start('registry');
  expect(await answer()).toBe(200);
});
