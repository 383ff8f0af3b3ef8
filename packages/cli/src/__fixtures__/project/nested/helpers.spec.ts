// Folder discovery must skip test files: importing this one fails the CLI.
throw new Error("alsek imported a test file (helpers.spec.ts) while scanning a folder");
