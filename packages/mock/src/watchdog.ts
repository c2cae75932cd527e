// Preloaded into the Prism process (node --import). The parent holds the only other end
// of Prism's stdin, so end-of-file means the parent is gone, even after a SIGKILL that
// gave it no chance to clean up: Prism must then exit too, or it keeps the port.
process.stdin.on('close', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
