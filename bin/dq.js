#!/usr/bin/env node
// The `dq` command. Runs the TypeScript sources directly through tsx's loader, so a checkout needs no
// separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
