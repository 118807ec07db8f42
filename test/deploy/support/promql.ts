/** One label matcher of a PromQL selector: `queue="notifications"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly operator: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A metric named in a PromQL expression, with its label matchers. */
export interface MetricSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

const SELECTOR = /\b(telenexus_[a-zA-Z0-9_]+)\s*(?:\{([^}]*)\})?/g;
const MATCHER = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/**
 * The selectors of our own metrics (`telenexus_*`) in a PromQL expression. Enough for the queries
 * the manifests and docs suggest, not a PromQL parser: it throws on a matcher it cannot read.
 */
export function telenexusSelectors(query: string): MetricSelector[] {
  return [...query.matchAll(SELECTOR)].map(([, metric = '', body = '']) => {
    const matchers: LabelMatcher[] = [];
    let position = 0;
    while (body.slice(position).trim() !== '') {
      MATCHER.lastIndex = position;
      const match = MATCHER.exec(body);
      if (!match) throw new Error(`cannot read the matchers of ${metric}{${body}}`);
      matchers.push({
        label: match[1]!,
        operator: match[2] as LabelMatcher['operator'],
        value: match[3]!,
      });
      position = MATCHER.lastIndex;
    }
    return { metric, matchers };
  });
}
