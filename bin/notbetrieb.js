#!/usr/bin/env node
// Entry point of the `notbetrieb` command: runs the compiled CLI (npm run build).
import '../dist/cli/main.js';
