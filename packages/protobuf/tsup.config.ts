import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // The cqrs-proto-compat bin: CommonJS only, so `require.main === module` tells it is run.
    entry: { 'cli/check-compatibility': 'src/cli/check-compatibility.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'es2022',
  },
]);
