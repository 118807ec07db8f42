import {
  PROBLEM_TYPES,
  problemTypeUri,
  type ProblemCode,
} from '../../services/ingress/src/http/problem-types';
import { TEST_PUBLIC_BASE_URL } from './ingress-harness';

/**
 * The problem-details body ingress answers with a code, for `toEqual`: `type`, `title` and `status`
 * from the code, the given `detail` (a text or a matcher) and any extra members (`errors`, …).
 */
export function problem(
  code: ProblemCode,
  detail: unknown,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    type: problemTypeUri(TEST_PUBLIC_BASE_URL, code),
    title: PROBLEM_TYPES[code].title,
    status: PROBLEM_TYPES[code].status,
    detail,
    code,
    ...extra,
  };
}
