import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entry points share one copy of each module (splitting, also for CJS).
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', 'transport/index': 'src/transport/index.ts' }, splitting: true, tsconfig: 'tsconfig.build.json' });
