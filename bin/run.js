#!/usr/bin/env node
// pe-trace command-line entry point: hands argv to oclif, which loads commands from dist/commands.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
