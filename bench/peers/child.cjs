/**
 * The child's side of every gateway child process of the peers scenario, in plain JavaScript so that the
 * peers run under bare `node` as their users run them (Accord's own child runs compiled with plain node, as
 * shipped). Protocol (bench/gatewayProcess.ts): the child says `ready`; the parent sends `start` with the
 * variant's settings; the child answers `started` with its URL (or `failed` with the reason); `stats` is
 * answered with the process's CPU time and resident memory; `stop` or a lost parent ends the process.
 */
'use strict';

/** Runs `start(settings)` (which returns `{ url, stop }`) as a gateway child. */
function serveAsChild(start) {
  let running;
  const send = (message) => process.send && process.send(message);
  async function stopAndExit() {
    try {
      if (running) await running.stop();
    } finally {
      process.exit(0);
    }
  }
  process.on('message', (message) => {
    if (message.type === 'start') {
      Promise.resolve()
        .then(() => start(message.settings))
        .then(
          (started) => {
            running = started;
            send({ type: 'started', url: started.url });
          },
          (error) =>
            send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
    } else if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        cpuMicros: cpu.user + cpu.system,
        rssBytes: memory.rss,
        // Where the resident memory is: V8's heap, and what lives outside it (buffers, native modules).
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        // V8's heap by space (new, old, code, large objects…): which one holds what heapTotal reserves.
        heapSpaces: require('node:v8')
          .getHeapSpaceStatistics()
          .map((space) => ({
            name: space.space_name,
            sizeBytes: space.space_size,
            usedBytes: space.space_used_size,
          })),
      });
    } else if (message.type === 'stop') {
      void stopAndExit();
    }
  });
  process.on('disconnect', () => void stopAndExit());
  send({ type: 'ready' });
}

module.exports = { serveAsChild };
