import { useEffect, useRef } from 'preact/hooks';

/** Calls `tick` every `ms` while `active`; a tick still running delays the next one. */
export function useInterval(tick: () => Promise<void>, ms: number, active: boolean): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (): void => {
      timer = setTimeout(() => {
        void tickRef.current().finally(() => {
          if (!stopped) schedule();
        });
      }, ms);
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, active]);
}
