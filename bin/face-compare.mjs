#!/usr/bin/env node
// The package's CLI: the built Node entry (npm run build). From a source checkout, `npm run cli`.
import '../dist/node/cli.js';
