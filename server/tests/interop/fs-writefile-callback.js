// Preload for the jitsu 0.15 CLI on Node >= 10: its `complete` dependency calls
// fs.writeFile without a callback, which Node now refuses. Give it a no-op callback.
'use strict';

const fs = require('node:fs');
const writeFile = fs.writeFile;
fs.writeFile = function patchedWriteFile(...args) {
  if (typeof args[args.length - 1] !== 'function') args.push(() => {});
  return writeFile.apply(this, args);
};
