/** Starts a Node server program as a child and waits for the port it prints on its first stdout line. */
import { spawn } from 'node:child_process';

/**
 * @param {string[]} nodeArgs
 * @param {Record<string,string|undefined>} env
 * @returns {Promise<{ port: number, child: import('node:child_process').ChildProcess, stop: () => Promise<number|null> }>}
 */
export function startServer(nodeArgs, env = {}) {
  const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${nodeArgs.at(-3) ?? ''} did not print its port within 30 s: ${stderr.trim()}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && /^\d+$/u.test(line)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          port: Number(line),
          child,
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', (code) => {
                clearTimeout(kill);
                done(code);
              });
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
