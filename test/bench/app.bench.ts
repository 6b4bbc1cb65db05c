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

type BenchPage = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['context']['newPage']>>;

/**
 * Gzipped size of the JavaScript the home page needs before it is usable: every script the browser fetched up to
 * the Guichet's heading — the entry, its modulepreloads, the lazily loaded Guichet chunk and its static imports.
 */
async function gzipKBOf(scriptPaths: ReadonlySet<string>): Promise<number> {
  let bytes = 0;
  for (const path of scriptPaths) {
    bytes += gzipSync(await readFile(join(rendererDir, decodeURIComponent(path)))).length;
  }
  return bytes / 1024;
}

/**
 * Spawn the shell, open its URL in an already-running Chromium, stop the clock when the home page is usable (the
 * Guichet's heading, rendered by its lazy chunk). Also returns the paths of the scripts fetched until then.
 */
async function shellStartup(page: BenchPage): Promise<{ ms: number; scripts: Set<string> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'psc-bench-'));
  const scripts = new Set<string>();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') {
      scripts.add(new URL(request.url()).pathname);
    }
  });
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
    await page.getByRole('heading', { level: 1, name: 'Guichet' }).waitFor({ state: 'visible' });
    return { ms: performance.now() - started, scripts };
  } finally {
    child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Foundation benchmarks: initial renderer bundle and browser-shell cold start. */
export async function run(): Promise<BenchResult> {
  const browser = await launchChromium();
  const timings: number[] = [];
  let homeScripts = new Set<string>();
  try {
    for (let i = 0; i < 5; i++) {
      const page = await browser.context.newPage();
      const startup = await shellStartup(page);
      timings.push(startup.ms);
      // A fresh page per run: every script is fetched each time; keep the largest set seen.
      homeScripts = startup.scripts.size > homeScripts.size ? startup.scripts : homeScripts;
      await page.close();
    }
  } finally {
    await browser.close();
  }
  if (homeScripts.size === 0) {
    throw new Error('the home page loaded no script');
  }
  const gzipKB = await gzipKBOf(homeScripts);
  const startup = median(timings);
  return {
    'renderer.bundle.gzipKB': { value: gzipKB, unit: 'KB', target: 450, pass: gzipKB <= 450 },
    'shell.startup.ms': { value: startup, unit: 'ms', target: 3000, pass: startup <= 3000 },
  };
}
