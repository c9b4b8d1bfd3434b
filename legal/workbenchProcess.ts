/**
 * The child process that builds the /legal artifacts (legal/workbenchBuild.ts) for the gateway: it gets
 * one WorkbenchInput over IPC, answers with the artifacts or a one-line failure, and exits. Started by
 * legal/workbenchBuilder.ts with `node --import tsx`.
 */
import { buildWorkbench, type WorkbenchInput } from './workbenchBuild';

process.once('message', (input: WorkbenchInput) => {
  let answer: { ok: true; artifacts: ReturnType<typeof buildWorkbench> } | { ok: false; message: string };
  try {
    answer = { ok: true, artifacts: buildWorkbench(input) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  process.send!(answer, () => process.disconnect());
});
