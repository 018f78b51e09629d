'use strict';
/**
 * Preload for a child process, after tsRequireHook: from here on no module can load a package of
 * package.json's devDependencies, as after `npm prune --omit=dev` (transitive ones are not covered).
 * Use: node -r ./test/helpers/tsRequireHook.js -r ./test/helpers/withoutDevDependencies.js src/index.ts
 */
const Module = require('node:module');
const path = require('node:path');

const { devDependencies } = require(path.join(__dirname, '..', '..', 'package.json'));
const devOnly = new Set(Object.keys(devDependencies));

const packageOf = (request) =>
  request
    .split('/')
    .slice(0, request.startsWith('@') ? 2 : 1)
    .join('/');

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutDevDependencies(request, ...rest) {
  if (devOnly.has(packageOf(request))) {
    const error = new Error(`Cannot find module '${request}' (a dev dependency: not installed in production)`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
