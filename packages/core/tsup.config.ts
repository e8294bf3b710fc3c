import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entry points share one copy of each module (splitting, also for CJS), so a class
// reached through `@cqrs/core` and `@cqrs/core/transport` is the same class.
export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', 'transport/index': 'src/transport/index.ts' },
  splitting: true,
  tsconfig: 'tsconfig.build.json',
});
