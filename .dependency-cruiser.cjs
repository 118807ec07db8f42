/**
 * The rules of the house that are about who may import whom, checked by `npm run lint` over the
 * source of every package and service (test/lint-rules proves each fails when broken).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-import-cycles',
      comment: 'A cycle makes modules load half-initialised and hides which one depends on which.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-deep-imports-into-another-package',
      comment:
        "Another workspace's code is reached through its package name (@telenexus/…), which its " +
        'index exports; its src is its own to rearrange.',
      severity: 'error',
      from: { path: '^(packages|services)/([^/]+)/src/' },
      to: { path: '^(packages|services)/[^/]+/src/', pathNot: '^$1/$2/src/' },
    },
    {
      name: 'no-service-from-a-package',
      comment: 'Packages are shared by the services; a package that needs a service has it backwards.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    // Compiler options only, without the paths that point workspace names at their src for editors:
    // a workspace reached by its name then resolves as Node resolves it, through its package.
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
