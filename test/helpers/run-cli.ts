import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const BIN = new URL('../../bin/linkhook.js', import.meta.url).pathname;

/** Runs `linkhook ...args` to completion in a child process with the given environment. */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LINKHOOK_LOG_LEVEL: 'silent', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CliProcess {
  child: ChildProcess;
  /** The first match of the ready pattern (e.g. the URL it listens on). */
  ready: RegExpExecArray;
  stop: () => Promise<void>;
}

/** Starts a long-running `linkhook ...args` and resolves once stdout matches `ready` (30 s at most). */
export function startCliProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<CliProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LINKHOOK_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`linkhook ${args.join(' ')} did not start in 30 s\nstdout: ${out}\nstderr: ${err}`));
    }, 30_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        ready: m,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`linkhook ${args.join(' ')} exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Starts `linkhook serve` and resolves once it prints where it listens. */
export async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const p = await startCliProcess(['serve'], { HOST: '127.0.0.1', PORT: '0', ...env }, /listening on (http:\/\/[^\s]+)/);
  return { child: p.child, url: p.ready[1] ?? '', stop: p.stop };
}
