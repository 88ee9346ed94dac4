#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: a connector library that keeps a socket or timer alive must not keep a
// finished run's process alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
