import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild,
  {
    // The cqrs-proto-compat bin: CommonJS only, so `require.main === module` tells it is run.
    entry: { 'cli/check-compatibility': 'src/cli/check-compatibility.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'es2022',
  },
]);
