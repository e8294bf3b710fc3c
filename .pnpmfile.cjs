// Hooks pnpm runs in this workspace.
module.exports = {
  hooks: {
    // What `pnpm pack` / `pnpm publish` write as the published package.json: no build scripts
    // and no devDependencies, which name private workspace packages users cannot install.
    beforePacking(pkg) {
      delete pkg.scripts;
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
