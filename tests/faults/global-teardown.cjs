// The fault suites share their isolated servers (started on first use, so the next suite finds
// them running); once the run is over they are stopped, not left to take CPU from what runs next.
const { execFile } = require('node:child_process');
const path = require('node:path');
const { promisify } = require('node:util');

/** The instances `IsolatedServices.up` is called with in tests/faults/src. */
const INSTANCES = ['faults-kafka', 'faults-rabbitmq'];

module.exports = async function stopIsolatedServers() {
  const script = path.join(__dirname, '..', '..', 'scripts', 'services');
  await Promise.all(INSTANCES.map((name) => promisify(execFile)('bash', [script, 'down', '--isolated', name]).catch(() => undefined)));
};
