import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../helpers/chromium';

type BenchResult = Record<string, { value: number; unit: string; target: number; pass: boolean }>;

const repoRoot = join(import.meta.dirname, '..', '..');
const rendererDir = join(repoRoot, 'dist', 'renderer');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Gzipped size of the JavaScript the home page loads before any lazy area: entry script plus modulepreloads. */
async function initialBundleGzipKB(): Promise<number> {
  const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
  const sources = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  let bytes = 0;
  for (const source of sources) {
    bytes += gzipSync(await readFile(join(rendererDir, source))).length;
  }
  return bytes / 1024;
}

/** Spawn the shell, open its URL in an already-running Chromium, stop the clock when the home page is usable. */
async function shellStartupMs(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['context']['newPage']>>,
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'psc-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'browser', 'main.mjs'), '--no-open'], {
    env: { ...process.env, PSC_ASSISTANT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve((JSON.parse(chunk.toString('utf8').split('\n')[0]!) as { url: string }).url);
      });
      child.once('exit', () => {
        reject(new Error('browser shell exited'));
      });
    });
    await page.goto(url);
    await page.getByRole('tab', { name: 'Checklist' }).waitFor({ state: 'visible' });
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Foundation benchmarks: initial renderer bundle and browser-shell cold start. */
export async function run(): Promise<BenchResult> {
  const gzipKB = await initialBundleGzipKB();
  const browser = await launchChromium();
  const timings: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const page = await browser.context.newPage();
      timings.push(await shellStartupMs(page));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const startup = median(timings);
  return {
    'renderer.bundle.gzipKB': { value: gzipKB, unit: 'KB', target: 450, pass: gzipKB <= 450 },
    'shell.startup.ms': { value: startup, unit: 'ms', target: 3000, pass: startup <= 3000 },
  };
}
