// Folder discovery must skip __tests__ folders: importing this file fails the CLI.
throw new Error("alsek imported a file of a __tests__ folder while scanning");
