import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The SQL migrations are inlined as strings, so the built package needs no file system access.
export default defineConfig({ ...packageBuild, tsconfig: 'tsconfig.build.json', loader: { '.sql': 'text' } });
