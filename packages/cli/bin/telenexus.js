#!/usr/bin/env node
'use strict';
// Thin launcher so `npx telenexus` works from the workspace: the CLI itself is compiled TypeScript.
try {
  require('../dist/bin.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('telenexus is not built yet: run `npm run build` in the project root first.\n');
    process.exit(1);
  }
  throw error;
}
