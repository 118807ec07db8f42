import { entryPoint } from './child-services';

export type ServiceName = 'ingress' | 'dispatcher' | 'sandbox';

const ENTRY_POINTS: Readonly<Record<ServiceName, readonly [string, string]>> = {
  ingress: ['services/ingress', 'dist/main.js'],
  dispatcher: ['services/dispatcher', 'dist/main.js'],
  sandbox: ['packages/evolution-sandbox', 'dist/main.js'],
};

/**
 * Runs one service in this process by loading its compiled entry point, which starts it and
 * handles its own signals. One image, one command per container: `telenexus run ingress`.
 */
export function runService(name: ServiceName): void {
  const [workspace, path] = ENTRY_POINTS[name];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point starts on load
  require(entryPoint(workspace, path));
}
