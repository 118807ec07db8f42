import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/api-error';

/** Data loaded from the API, with what went wrong in words and a way to load it again. */
export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  /** Loads again; the data shown so far stays until the new answer arrives. */
  readonly reload: () => Promise<void>;
  /** Shows an answer the page already has (a save's), dropping any load still on its way. */
  readonly replace: (value: T) => void;
}

/**
 * Loads with `load` whenever `dependencies` change. Answers that arrive after a newer request
 * started are dropped, so a slow old answer never overwrites a fresh one.
 */
export function useResource<T>(load: () => Promise<T>, dependencies: readonly unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (request !== latest.current) return;
      setData(value);
      setError(undefined);
    } catch (caught) {
      if (request !== latest.current) return;
      setError(describeError(caught));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, []);

  const replace = useCallback((value: T) => {
    latest.current++;
    setData(value);
    setError(undefined);
    setLoading(false);
  }, []);

  useEffect(() => {
    void reload();
    // Unmounting invalidates answers still on their way.
    return () => {
      latest.current++;
    };
    // The caller lists what `load` depends on, as with useEffect.
  }, dependencies);

  return { data, error, loading, reload, replace };
}
