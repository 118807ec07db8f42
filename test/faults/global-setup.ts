import baseSetup from '../global-setup';
import { clearResults } from './support/scenario-results';

export default async function globalSetup(): Promise<void> {
  clearResults();
  await baseSetup();
}
