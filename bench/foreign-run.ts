import { runSd } from './sd-child.js';

export interface Timed {
  s: number;
  requests: number;
  out: string;
}

/** What counts a tracker's requests: a counting proxy, or a fake tracker. */
export interface RequestCounter {
  reset(): void;
  readonly requests: readonly unknown[];
}

/** Runs sd commands against a foreign tracker, timing each and counting its requests. */
export function sdRunner(proxy: RequestCounter, env: NodeJS.ProcessEnv): (label: string, args: string[]) => Promise<Timed> {
  return async (label, args) => {
    proxy.reset();
    const start = Date.now();
    // Asynchronously: the counting proxy lives in this process.
    const child = await runSd(args, env);
    if (child.code !== 0) throw new Error(`${label} failed: ${child.err}`);
    const s = (Date.now() - start) / 1000;
    console.log(label, s.toFixed(1), 's', proxy.requests.length, 'requests:', child.out.trim());
    return { s, requests: proxy.requests.length, out: child.out.trim() };
  };
}
