#!/usr/bin/env node
// The `cqrs-proto-compat` bin: its own entry, so the library entries carry no CLI and run nothing on load.
import { runCompatCli } from './run-compat-cli';

void runCompatCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
