/** One sample of Prometheus's text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Labels Prometheus (`job`, `instance`) or the Prometheus Operator (`namespace`, `service`, `pod`,
 * `container`, `endpoint`) set on every series of a target. A metric of ours with one of these names
 * would be renamed `exported_*` at scrape time, so none may use them.
 */
export const TARGET_LABELS = ['job', 'instance', 'namespace', 'service', 'pod', 'container', 'endpoint'];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;

/** Every sample of a `/metrics` answer; comments (`# HELP`, `# TYPE`) skipped. Throws on a bad line. */
export function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const name = METRIC_NAME.exec(line)?.[0];
      if (!name) throw new Error(`not a sample: ${line}`);
      const labels: Record<string, string> = {};
      let rest = line.slice(name.length);
      if (rest.startsWith('{')) {
        // A failed sticky match resets lastIndex, so the position is kept apart.
        let position = 1;
        for (;;) {
          LABEL.lastIndex = position;
          const match = LABEL.exec(rest);
          if (!match) break;
          labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_escape, character: string) =>
            character === 'n' ? '\n' : character,
          );
          position = LABEL.lastIndex;
        }
        if (rest[position] !== '}') throw new Error(`bad labels: ${line}`);
        rest = rest.slice(position + 1);
      }
      const value = rest.trim().split(/\s+/)[0] ?? '';
      return {
        name,
        labels,
        value: value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value),
      };
    });
}

/** The samples of one metric whose labels include all of `labels`. */
export function samplesOf(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}

/** Label names that some sample uses although Prometheus sets them on the target. */
export function targetLabelCollisions(samples: readonly Sample[]): string[] {
  const used = new Set(samples.flatMap((sample) => Object.keys(sample.labels)));
  return TARGET_LABELS.filter((label) => used.has(label));
}
