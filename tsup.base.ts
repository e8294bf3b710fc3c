import type { Options } from 'tsup';

/** How every published package builds: ESM + CJS + declarations of `src/index.ts`. */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
};
