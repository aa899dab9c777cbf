// Benchmark helpers: run a command as a child process and measure its wall time and peak RSS (ratios, not absolutes).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Reads VmHWM (peak resident set) of a live process from /proc; undefined when it is gone. */
function peakRssKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `cmd args…` once; returns {wallMs, peakRssMb, status, stdout}. Peak RSS comes from GNU time when the
 * machine has it (exact), else from polling /proc every 10 ms (a lower bound, close for steady workloads).
 */
export function measure(cmd, args, options = {}) {
  const useGnuTime = existsSync('/usr/bin/time');
  const argv = useGnuTime ? ['/usr/bin/time', ['-f', '__RSS_KB__ %M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polled = 0;
    const timer = useGnuTime ? undefined : setInterval(() => {
      const kb = peakRssKb(child.pid);
      if (kb !== undefined) polled = Math.max(polled, kb);
    }, 10);
    // Decoded as a stream: a multi-byte character split across two chunks must not become two replacement characters.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (timer) clearInterval(timer);
      let rssKb = polled;
      const m = /__RSS_KB__ (\d+)/.exec(stderr);
      if (m) rssKb = Number(m[1]);
      resolve({ wallMs, peakRssMb: rssKb / 1024, status, stdout, stderr: stderr.replace(/__RSS_KB__ \d+\n?/, '') });
    });
  });
}

/** Median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` n times and returns the median of the measured values. */
export async function medianOf(n, fn) {
  const values = [];
  for (let i = 0; i < n; i++) values.push(await fn());
  return median(values);
}

export function fmt(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A free TCP port on loopback (for servers a benchmark starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}
