#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx's loader: no build
// step between `npm install` and `npm start`, and stack traces point at src/.
import { register } from 'tsx/esm/api';

register();
await import('../src/entrypoints/cli.ts');
