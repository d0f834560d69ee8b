// node scripts/process/tether.mjs <stop-signal> <grace-ms> <command> [args…]
// Runs <command> and ties its life to the tether's parent (an orchestrator such as scripts/with-db.ts):
//   - a SIGTERM/SIGINT/SIGHUP to the tether sends <stop-signal> to the command (the parent's orderly shutdown);
//   - if the parent dies without one (even SIGKILLed), the command is stopped the same way;
//   - a command still running <grace-ms> after being asked to stop is SIGKILLed;
//   - the tether exits when the command does, with its exit code.
// Why a separate process: PR_SET_PDEATHSIG isn't reachable from Node and PostgreSQL doesn't watch its parent, so
// this small process does. It notices its parent's death twice over: fd 3 is a pipe whose other end only the
// parent holds (the kernel closes it when the parent dies, however it dies), and being reparented changes our ppid.
// Plain JavaScript, so it starts in milliseconds without a TypeScript loader.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';

const [stopSignal, graceText, command, ...args] = process.argv.slice(2);
const graceMs = Number(graceText);
if (!command || !(stopSignal in os.constants.signals) || !Number.isFinite(graceMs)) {
  console.error('usage: node tether.mjs <stop-signal> <grace-ms> <command> [args…]');
  process.exit(2);
}

const parent = process.ppid;
// The tether's own stdio is what the parent chose; the command gets it as is (fd 3 stays ours).
const child = spawn(command, args, { stdio: 'inherit' });
let stopping = false;
function stop() {
  if (stopping || child.exitCode !== null || child.signalCode !== null) return;
  stopping = true;
  child.kill(stopSignal);
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
}

child.on('error', (error) => {
  console.error(`${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);

try {
  const lifeline = new net.Socket({ fd: 3, readable: true, writable: false });
  lifeline.on('data', () => {});
  lifeline.on('end', stop);
  lifeline.on('close', stop);
  lifeline.on('error', stop);
} catch {
  // Started without a lifeline (by hand): the ppid check below still applies.
}
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
