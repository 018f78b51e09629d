'use strict';
/**
 * Lets a plain node child process `require()` the project's .ts files, so process-level tests (SIGKILL,
 * two processes) run the real source without a build. Types are stripped only; `npm run typecheck` checks them.
 * Use: node -r ./test/helpers/tsRequireHook.js fixture.js  (or require it first thing in the fixture).
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
