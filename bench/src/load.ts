import { join } from 'node:path';
import { RssSampler, startProcess } from './child-process';
import type { LoadResult, LoadSpec } from './load-generator';
import type { ResourceMeter, ResourceSnapshot } from './resource-meter';

export type { LoadResult, LoadSpec } from './load-generator';

/** A load run's result with the peak RSS of the processes watched meanwhile. */
export interface MeasuredLoad extends LoadResult {
  readonly peakRssBytes: ReadonlyMap<number, number>;
  /** Resource readings at the start and end of the measured stretch (warm-up excluded). */
  readonly resources?: { readonly from: ResourceSnapshot; readonly to: ResourceSnapshot };
}

/**
 * Runs autocannon in a separate process against `spec.url`, sampling the servers' RSS meanwhile and,
 * given a meter (built with the load generator's pid, so its CPU is counted too), reading resources
 * around the measured stretch.
 */
export async function runLoad(
  spec: LoadSpec,
  watchedPids: readonly number[],
  meterFor?: (loadGeneratorPid: number) => ResourceMeter,
): Promise<MeasuredLoad> {
  const generator = startProcess(
    'load generator',
    join(__dirname, 'load-generator.js'),
    {},
    {
      ipc: true,
      args: [JSON.stringify(spec)],
    },
  );
  const sampler = new RssSampler(watchedPids);
  const meter = meterFor?.(generator.pid);
  let from: Promise<ResourceSnapshot> | undefined;
  try {
    const result = await new Promise<LoadResult>((resolve, reject) => {
      generator.child.on('message', (message) => {
        if ((message as { measuring?: boolean }).measuring) from = meter?.snapshot();
        else resolve(message as LoadResult);
      });
      void generator.exited.then((code) =>
        reject(new Error(`load generator exited (${String(code)}) without a result:\n${generator.output()}`)),
      );
    });
    const to = await meter?.snapshot();
    const resources = from && to ? { from: await from, to } : undefined;
    return { ...result, peakRssBytes: sampler.stop(), ...(resources ? { resources } : {}) };
  } finally {
    sampler.stop();
    await generator.stop();
  }
}
