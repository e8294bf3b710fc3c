import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // `.` and `./confluent`, the adapter over the optional @confluentinc/schemaregistry peer.
  { ...packageBuild, entry: { index: 'src/index.ts', 'confluent/index': 'src/confluent/index.ts' } },
  {
    // The cqrs-proto-compat bin, apart from the library entries: importing the package runs nothing.
    entry: { 'cli/cqrs-proto-compat': 'src/cli/cqrs-proto-compat.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'es2022',
  },
]);
