/**
 * What every Accord command line does when the program reading its output stops reading
 * (`npm run policy -- matrix | head`, `npm run bench -- --list | head -3`): it ends quietly, with the exit
 * code it already had (0 when none), as `cat` or `ls` do. Without this, node raises the write's EPIPE as an
 * unhandled 'error' event and the person sees a stack trace for a pipe they closed on purpose.
 *
 * Each command's process entry calls it once (test/house/closed-output.test.ts checks that every command
 * package.json runs does); any other write error is thrown, as before.
 */
let installed = false;

export function endQuietlyWhenOutputCloses(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      // Nothing more can be said to a reader that left; what was not printed is not wanted.
      process.exit(process.exitCode ?? 0);
    });
  }
}
